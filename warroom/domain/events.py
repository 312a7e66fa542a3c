"""The event model: the append-only record of an incident.

Every fact about an incident is one :class:`Event`. An event has an *event time*
(``occurred_at``: when it happened, possibly back-dated), a *recorded time*
(``recorded_at``: when it was written), an author, a per-incident id, a free
``text`` and a typed ``data`` payload whose shape depends on the kind.

Events are never updated or deleted: a :class:`CorrectionData` event supersedes
the text of an earlier one, a :class:`KeyMarkData` event marks an earlier one as
a key event and a :class:`KeyUnmarkData` event takes such a mark back.

This module holds the typed payloads and the :class:`NewEvent` / :class:`Event`
envelope; the enumerations they are written in live in :mod:`warroom.domain.kinds`
and are re-exported here, so ``from warroom.domain.events import Severity`` keeps working.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from warroom.domain.kinds import (
    PHASE_ORDER,
    ROLE_TITLES,
    ComponentState,
    DetectionSource,
    EventKind,
    Phase,
    Priority,
    Role,
    Severity,
    StatusPhase,
)

#: The enumerations are re-exported: most of the code base imports them from here.
__all__ = [
    "PHASE_ORDER",
    "ROLE_TITLES",
    "AcknowledgedData",
    "ActionItemData",
    "CauseData",
    "CheckpointData",
    "CommandData",
    "ComponentState",
    "CorrectionData",
    "DecisionData",
    "DeclaredData",
    "DetectedData",
    "DetectionSource",
    "EscalationData",
    "Event",
    "EventData",
    "EventKind",
    "ImpactStartedData",
    "KeyMarkData",
    "KeyUnmarkData",
    "NewEvent",
    "NoteData",
    "PageData",
    "PageStatus",
    "Phase",
    "PhaseChangedData",
    "PolicyChange",
    "PolicySetData",
    "PostmortemOwnerData",
    "Priority",
    "Role",
    "RoleAssignedData",
    "RoleReleasedData",
    "RunbookData",
    "Severity",
    "SeveritySetData",
    "StatusPhase",
    "StatusUpdateData",
    "sort_key",
    "to_utc_event",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class DeclaredData(BaseModel):
    """The incident was declared in the tool."""

    model_config = _FROZEN
    kind: Literal[EventKind.DECLARED] = EventKind.DECLARED
    title: str
    severity: Severity | None = None
    services: tuple[str, ...] = ()
    #: The declaring seat's policy (``Policy.model_dump(mode="json")``): the policy in
    #: force until a :class:`PolicySetData` changes it. Absent in records written
    #: before policies were recorded (and then left out of every dump).
    policy: dict[str, Any] | None = Field(default=None, exclude_if=lambda value: value is None)

    @field_validator("policy")
    @classmethod
    def _valid_policy(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _checked_policy(value)


class ImpactStartedData(BaseModel):
    """Customer impact began (usually back-dated)."""

    model_config = _FROZEN
    kind: Literal[EventKind.IMPACT_STARTED] = EventKind.IMPACT_STARTED


class DetectedData(BaseModel):
    """The first signal: an alert or a customer report."""

    model_config = _FROZEN
    kind: Literal[EventKind.DETECTED] = EventKind.DETECTED
    source: DetectionSource = DetectionSource.ALERT


class AcknowledgedData(BaseModel):
    """The page was acknowledged by the on-call engineer."""

    model_config = _FROZEN
    kind: Literal[EventKind.ACKNOWLEDGED] = EventKind.ACKNOWLEDGED


class SeveritySetData(BaseModel):
    """Severity assigned or changed; ``text`` of the event holds the reason."""

    model_config = _FROZEN
    kind: Literal[EventKind.SEVERITY_SET] = EventKind.SEVERITY_SET
    severity: Severity


class RoleAssignedData(BaseModel):
    """A person takes a role (a hand-off when someone else held it)."""

    model_config = _FROZEN
    kind: Literal[EventKind.ROLE_ASSIGNED] = EventKind.ROLE_ASSIGNED
    role: Role
    person: str = Field(min_length=1)


class RoleReleasedData(BaseModel):
    """A role is left empty."""

    model_config = _FROZEN
    kind: Literal[EventKind.ROLE_RELEASED] = EventKind.ROLE_RELEASED
    role: Role


class PhaseChangedData(BaseModel):
    """The incident moved to another phase; ``reopened`` marks a re-opening."""

    model_config = _FROZEN
    kind: Literal[EventKind.PHASE_CHANGED] = EventKind.PHASE_CHANGED
    phase: Phase
    reopened: bool = False


class NoteData(BaseModel):
    """A plain timeline note."""

    model_config = _FROZEN
    kind: Literal[EventKind.NOTE] = EventKind.NOTE


class DecisionData(BaseModel):
    """A decision taken by the response."""

    model_config = _FROZEN
    kind: Literal[EventKind.DECISION] = EventKind.DECISION


class CommandData(BaseModel):
    """A command against production, announced before it runs."""

    model_config = _FROZEN
    kind: Literal[EventKind.COMMAND] = EventKind.COMMAND


class StatusUpdateData(BaseModel):
    """A customer-facing status update, posted verbatim (``text``)."""

    model_config = _FROZEN
    kind: Literal[EventKind.STATUS_UPDATE] = EventKind.STATUS_UPDATE
    phase: StatusPhase
    components: dict[str, ComponentState] = Field(default_factory=dict)


class CheckpointData(BaseModel):
    """The IC's 15-minute checkpoint: the four answers (docs/rules.md §4)."""

    model_config = _FROZEN
    kind: Literal[EventKind.CHECKPOINT] = EventKind.CHECKPOINT
    know: str = ""
    next: str = ""
    escalate: str = ""
    status_page: str = ""


class ActionItemData(BaseModel):
    """A post-incident action item; ``text`` holds what is to be done."""

    model_config = _FROZEN
    kind: Literal[EventKind.ACTION_ITEM] = EventKind.ACTION_ITEM
    owner: str | None = None
    due: date | None = None
    priority: Priority | None = None
    done_when: str | None = None


class EscalationData(BaseModel):
    """An escalation to a level of the ladder (docs/rules.md §5); ``text`` holds the reason."""

    model_config = _FROZEN
    kind: Literal[EventKind.ESCALATION] = EventKind.ESCALATION
    level: int | None = Field(default=None, ge=0, le=4)


class CorrectionData(BaseModel):
    """Supersedes the text of an earlier event; ``text`` holds the corrected text."""

    model_config = _FROZEN
    kind: Literal[EventKind.CORRECTION] = EventKind.CORRECTION
    target: int = Field(ge=1)


class KeyMarkData(BaseModel):
    """Marks an earlier event as a key event."""

    model_config = _FROZEN
    kind: Literal[EventKind.KEY_MARK] = EventKind.KEY_MARK
    target: int = Field(ge=1)


class KeyUnmarkData(BaseModel):
    """Takes back the key mark of an earlier event (``!`` or a :class:`KeyMarkData`)."""

    model_config = _FROZEN
    kind: Literal[EventKind.KEY_UNMARK] = EventKind.KEY_UNMARK
    target: int = Field(ge=1)


class PostmortemOwnerData(BaseModel):
    """The IC names the post-mortem owner (docs/rules.md §7, hour 0)."""

    model_config = _FROZEN
    kind: Literal[EventKind.POSTMORTEM_OWNER] = EventKind.POSTMORTEM_OWNER
    person: str = Field(min_length=1)


class PageStatus(StrEnum):
    """What a received page says about its alert."""

    FIRING = "firing"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class PageData(BaseModel):
    """A page received from an alerting tool; ``text`` says what it reported.

    ``key`` is the page's idempotency key (the same notification twice is recorded
    once); ``group`` identifies the alert group it belongs to (both opaque digests).
    """

    model_config = _FROZEN
    kind: Literal[EventKind.PAGE] = EventKind.PAGE
    source: str = Field(min_length=1, max_length=40)
    alert: str = Field(default="", max_length=300)
    status: PageStatus = PageStatus.FIRING
    fingerprint: str = Field(default="", max_length=200)
    severity: str = Field(default="", max_length=100)
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    group: str = Field(default="", max_length=100)
    key: str = Field(default="", max_length=100)


class CauseData(BaseModel):
    """The cause of the incident as a tag (recurring causes share it); ``text`` explains."""

    model_config = _FROZEN
    kind: Literal[EventKind.CAUSE] = EventKind.CAUSE
    tag: str = Field(min_length=1, max_length=200)


class RunbookData(BaseModel):
    """The runbook the response followed: a file path or a URL."""

    model_config = _FROZEN
    kind: Literal[EventKind.RUNBOOK] = EventKind.RUNBOOK
    ref: str = Field(min_length=1, max_length=2000)


class PolicyChange(BaseModel):
    """One number (or list) of the policy that a :class:`PolicySetData` changed."""

    model_config = _FROZEN
    key: str = Field(min_length=1, max_length=200, description="Dotted key: severity.1.page.")
    old: str = Field(description="The value before, as JSON text.")
    new: str = Field(description="The value after, as JSON text.")


class PolicySetData(BaseModel):
    """The policy in force for the incident from now on (``text`` summarises the change).

    ``policy`` is the whole policy (``Policy.model_dump(mode="json")``), so the record
    alone says which rules every seat applies; ``changes`` lists what moved, for display.
    """

    model_config = _FROZEN
    kind: Literal[EventKind.POLICY_SET] = EventKind.POLICY_SET
    policy: dict[str, Any]
    changes: tuple[PolicyChange, ...] = ()

    @field_validator("policy")
    @classmethod
    def _valid_policy(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _checked_policy(value)


def _checked_policy(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` if it reads as a policy (:func:`warroom.domain.policy.policy_from_mapping`)."""
    from warroom.domain.policy import PolicyError, policy_from_mapping  # imports this module

    try:
        policy_from_mapping(value)
    except PolicyError as error:
        raise ValueError(str(error)) from None
    return value


EventData = Annotated[
    DeclaredData
    | ImpactStartedData
    | DetectedData
    | AcknowledgedData
    | SeveritySetData
    | RoleAssignedData
    | RoleReleasedData
    | PhaseChangedData
    | NoteData
    | DecisionData
    | CommandData
    | StatusUpdateData
    | CheckpointData
    | ActionItemData
    | EscalationData
    | CorrectionData
    | KeyMarkData
    | KeyUnmarkData
    | PostmortemOwnerData
    | PageData
    | CauseData
    | RunbookData
    | PolicySetData,
    Field(discriminator="kind"),
]


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return value.astimezone(UTC)


class NewEvent(BaseModel):
    """An event not yet written: everything but the id and the recorded time.

    ``once`` is an idempotency key (``warroom log --once KEY``): every backend checks
    it inside the append's own transaction — if the incident already holds an entry
    written with that key, nothing is stored and the append returns that entry.
    The key belongs to the write, not to the event: it is not part of :class:`Event`
    nor of any export.
    """

    model_config = _FROZEN
    occurred_at: datetime
    author: str = Field(min_length=1, max_length=200)
    text: str = ""
    key: bool = False
    data: EventData
    once: str | None = Field(default=None, min_length=1, max_length=200, exclude=True)

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _as_utc(value)

    @property
    def kind(self) -> EventKind:
        """The event's kind, taken from its payload."""
        return self.data.kind


class Event(BaseModel):
    """An event as stored: immutable, with its per-incident id and recorded time.

    Times must carry a zone; they are UTC when the event comes from
    :meth:`from_new` or from the store (which writes UTC). Validation is kept
    lean on purpose: the console loads 100k of these at once. Use
    :func:`to_utc_event` for events from elsewhere (e.g. an imported file).
    """

    model_config = _FROZEN
    id: int = Field(ge=1)
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    author: str
    text: str = ""
    key: bool = False
    data: EventData

    @property
    def kind(self) -> EventKind:
        """The event's kind, taken from its payload."""
        return self.data.kind

    @classmethod
    def from_new(cls, new: NewEvent, *, id: int, recorded_at: datetime) -> Event:
        """Turn a :class:`NewEvent` into a stored event."""
        return cls(
            id=id,
            occurred_at=new.occurred_at,
            recorded_at=recorded_at,
            author=new.author,
            text=new.text,
            key=new.key,
            data=new.data,
        )


def to_utc_event(event: Event) -> Event:
    """The same event with both times converted to UTC."""
    occurred = event.occurred_at.astimezone(UTC)
    recorded = event.recorded_at.astimezone(UTC)
    if occurred.tzinfo is event.occurred_at.tzinfo and recorded.tzinfo is event.recorded_at.tzinfo:
        return event
    return event.model_copy(update={"occurred_at": occurred, "recorded_at": recorded})


def sort_key(event: Event) -> tuple[datetime, int]:
    """Timeline order: by event time, ties broken by id."""
    return (event.occurred_at, event.id)
