"""The enumerations of the event record: phases, severities, roles, kinds.

These are the small closed vocabularies an :class:`~warroom.domain.events.Event`
and its payloads are written in (the phase of the response, the severity scale,
the command roles, component states, the kind of each event). They are also
importable from :mod:`warroom.domain.events`, which builds the payloads on them.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Phase(StrEnum):
    """Lifecycle phase of an incident (docs/rules.md §1)."""

    DETECTED = "detected"
    TRIAGED = "triaged"
    RESPONDING = "responding"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"
    CLOSED = "closed"


#: Phases in lifecycle order; used to tell forward moves from re-openings.
PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class Severity(IntEnum):
    """Incident severity (docs/rules.md §2); lower is worse."""

    SEV1 = 1
    SEV2 = 2
    SEV3 = 3
    SEV4 = 4

    @property
    def label(self) -> str:
        """Short label such as ``SEV2``."""
        return f"SEV{int(self)}"


class Role(StrEnum):
    """Incident roles (docs/rules.md §3)."""

    IC = "ic"
    COMMS = "comms"
    TECH = "tech"
    SCRIBE = "scribe"

    @property
    def label(self) -> str:
        """Human title of the role, e.g. ``Incident Commander``."""
        return ROLE_TITLES[self]


ROLE_TITLES: dict[Role, str] = {
    Role.IC: "Incident Commander",
    Role.COMMS: "Communications Lead",
    Role.TECH: "Technical Lead",
    Role.SCRIBE: "Scribe",
}


class StatusPhase(StrEnum):
    """Phase of a customer-facing status update (docs/rules.md §6)."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class ComponentState(StrEnum):
    """State of an affected component on the status page (docs/rules.md §6)."""

    OPERATIONAL = "operational"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNDER_MAINTENANCE = "under_maintenance"

    @property
    def label(self) -> str:
        """Human label, e.g. ``Partial Outage``."""
        return self.value.replace("_", " ").title()

    @property
    def rank(self) -> int:
        """How bad the state is, for "worst state" summaries (higher is worse)."""
        return _COMPONENT_RANK[self]


_COMPONENT_RANK: dict[ComponentState, int] = {
    ComponentState.OPERATIONAL: 0,
    ComponentState.UNDER_MAINTENANCE: 1,
    ComponentState.DEGRADED_PERFORMANCE: 2,
    ComponentState.PARTIAL_OUTAGE: 3,
    ComponentState.MAJOR_OUTAGE: 4,
}


class Priority(StrEnum):
    """Action-item priority (docs/rules.md §7)."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


class DetectionSource(StrEnum):
    """How the incident was detected (customer reports escalate at once, docs/rules.md §5)."""

    ALERT = "alert"
    CUSTOMER = "customer"
    OTHER = "other"


class EventKind(StrEnum):
    """Every kind of event the record holds."""

    DECLARED = "declared"
    IMPACT_STARTED = "impact_started"
    DETECTED = "detected"
    ACKNOWLEDGED = "acknowledged"
    SEVERITY_SET = "severity_set"
    ROLE_ASSIGNED = "role_assigned"
    ROLE_RELEASED = "role_released"
    PHASE_CHANGED = "phase_changed"
    NOTE = "note"
    DECISION = "decision"
    COMMAND = "command"
    STATUS_UPDATE = "status_update"
    CHECKPOINT = "checkpoint"
    ACTION_ITEM = "action_item"
    ESCALATION = "escalation"
    CORRECTION = "correction"
    KEY_MARK = "key_mark"
    KEY_UNMARK = "key_unmark"
    POSTMORTEM_OWNER = "postmortem_owner"
    PAGE = "page"
    CAUSE = "cause"
    RUNBOOK = "runbook"
    POLICY_SET = "policy_set"
