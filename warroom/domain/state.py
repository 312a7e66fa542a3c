"""The projected state of an incident: what :func:`warroom.domain.fold.fold` returns.

These are plain frozen dataclasses, not pydantic models: the fold builds them from
events already validated, so they need no validation of their own (and importing
them builds no pydantic schema on the console's start-up path). Where the state
is written to or read from JSON (the export, ``warroom show --json``),
:mod:`warroom.domain.jsonable` does it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import ConfigDict

from warroom.domain.events import (
    ComponentState,
    DetectionSource,
    Phase,
    Priority,
    Role,
    Severity,
    StatusPhase,
)
from warroom.domain.policy import Policy

#: How pydantic reads these classes where it meets them (an export's ``state``,
#: :func:`~warroom.domain.jsonable.from_jsonable`): with their own rules (unknown
#: keys ignored), not those of the document holding them, as when they were models.
_PYDANTIC_CONFIG = ConfigDict(frozen=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class SeverityChange:
    """One entry of the severity history."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    by: str
    severity: Severity | None
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleTenure:
    """One person holding one role from ``start`` until ``end`` (``None``: still)."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    role: Role
    person: str
    start: datetime
    end: datetime | None = None
    start_event: int
    end_event: int | None = None
    handed_to: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseChange:
    """One transition of the lifecycle."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    phase: Phase
    previous: Phase | None
    reopened: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusUpdate:
    """A posted customer-facing status update."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    author: str
    phase: StatusPhase
    text: str
    components: dict[str, ComponentState] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItem:
    """A post-incident action item."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    author: str
    text: str
    owner: str | None = None
    due: date | None = None
    priority: Priority | None = None
    done_when: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkpoint:
    """An IC checkpoint with its four answers."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    author: str
    know: str = ""
    next: str = ""
    escalate: str = ""
    status_page: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalationRecord:
    """An escalation along the ladder."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    event_id: int
    at: datetime
    author: str
    level: int
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentState:
    """Everything the record says about an incident now (a pure projection)."""

    __pydantic_config__ = _PYDANTIC_CONFIG

    title: str = ""
    services: tuple[str, ...] = ()
    declared_at: datetime | None = None
    declared_by: str | None = None
    severity: Severity | None = None
    severity_history: tuple[SeverityChange, ...] = ()
    phase: Phase = Phase.DETECTED
    phase_history: tuple[PhaseChange, ...] = ()
    reopen_count: int = 0
    roles: dict[Role, RoleTenure] = field(default_factory=dict)
    role_history: tuple[RoleTenure, ...] = ()
    impact_started_at: datetime | None = None
    detected_at: datetime | None = None
    detection_source: DetectionSource | None = None
    acknowledged_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    #: Id of the event behind each milestone above (keys: ``impact_started``,
    #: ``detected``, ``acknowledged``, ``mitigated``, ``resolved``), so that
    #: metrics can name their sources.
    milestone_events: dict[str, int] = field(default_factory=dict)
    status_updates: tuple[StatusUpdate, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    escalations: tuple[EscalationRecord, ...] = ()
    postmortem_owner: str | None = None
    corrections: dict[int, str] = field(default_factory=dict)
    key_events: frozenset[int] = frozenset()
    people: tuple[str, ...] = ()
    event_count: int = 0
    last_event_id: int = 0
    #: The policy in force: the latest recorded one (declaration or ``policy_set``);
    #: ``None`` for a record that holds none (see :func:`policy_in_force`).
    policy: Policy | None = None
    #: Id of the event that recorded :attr:`policy` (``None`` with it).
    policy_event: int | None = None

    @property
    def escalation_level(self) -> int:
        """Highest escalation level logged (L1, the primary on-call, before any)."""
        return max((e.level for e in self.escalations), default=1)

    @property
    def is_open(self) -> bool:
        """Whether the incident is still being responded to (not resolved or later)."""
        return self.phase not in (Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED)

    @property
    def is_mitigated(self) -> bool:
        """Whether customer impact has stopped (mitigated or any later phase)."""
        return self.phase in (Phase.MITIGATED, Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED)

    def holder(self, role: Role) -> str | None:
        """Who holds ``role`` now, if anyone."""
        tenure = self.roles.get(role)
        return tenure.person if tenure else None


def policy_in_force(state: IncidentState, seat_policy: Policy) -> Policy:
    """The policy every seat applies to the incident: the one its record holds.

    Only a record that holds none (written before policies were recorded) falls back
    to the seat's own policy; :func:`policy_is_recorded` tells the two apart so that
    such a seat can say so.
    """
    return state.policy if state.policy is not None else seat_policy


def policy_is_recorded(state: IncidentState) -> bool:
    """Whether the incident's record holds its policy (else each seat uses its own)."""
    return state.policy is not None


#: Shown next to clocks computed from a seat's policy because the record holds none.
SEAT_POLICY_MARKER = "(seat policy: no policy recorded)"
