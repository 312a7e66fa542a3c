"""Stored events built in one place, so tests read like incidents.

:func:`event_at` builds one :class:`Event`; the builders below number theirs from 1.

``Incident()`` collects events as a scribe would log them, chainable; times are
minutes after :data:`tests.support.times.T0` (negative = back-dated before it)::

    inc = Incident().declared(0, severity=2).detected(-3).role(1, Role.IC, "alice")
    state = inc.state

``IncidentEvents()`` starts with the declaration and hands back each event it adds
(the panes' tests use it with their views).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.support.times import at
from warroom.domain.events import (
    AcknowledgedData,
    ActionItemData,
    CheckpointData,
    ComponentState,
    CorrectionData,
    DeclaredData,
    DetectedData,
    DetectionSource,
    EscalationData,
    Event,
    EventData,
    ImpactStartedData,
    KeyMarkData,
    NoteData,
    Phase,
    PhaseChangedData,
    PostmortemOwnerData,
    Priority,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.fold import fold
from warroom.domain.state import IncidentState

__all__ = ["ONE_SECOND", "Incident", "IncidentEvents", "at", "event_at"]

ONE_SECOND = timedelta(seconds=1)


def event_at(
    id: int,
    minutes: float,
    data: EventData | None = None,
    text: str = "",
    *,
    author: str = "alice",
    key: bool = False,
    recorded_after: float = 0,
    recorded_at: datetime | None = None,
) -> Event:
    """Event ``id``, ``minutes`` after T0 (a note unless ``data`` says otherwise).

    Recorded ``recorded_after`` seconds after it happened, or at ``recorded_at``.
    """
    occurred = at(minutes)
    return Event(
        id=id,
        occurred_at=occurred,
        recorded_at=recorded_at or occurred + timedelta(seconds=recorded_after),
        author=author,
        text=text,
        key=key,
        data=data if data is not None else NoteData(),
    )


class Incident:
    """An incident's events, built one scribe entry at a time (chainable)."""

    def __init__(self, author: str = "scribe") -> None:
        self.author = author
        self.events: list[Event] = []

    def add(
        self,
        minute: float,
        data: EventData,
        text: str = "",
        *,
        author: str | None = None,
        key: bool = False,
    ) -> Incident:
        """Append an event at ``minute`` (ids count up in writing order)."""
        self.events.append(
            event_at(len(self.events) + 1, minute, data, text, author=author or self.author,
                     key=key, recorded_at=at(max(minute, 0)))
        )
        return self

    @property
    def last(self) -> Event:
        """The most recently added event."""
        return self.events[-1]

    @property
    def state(self) -> IncidentState:
        """The folded state of the events so far."""
        return fold(self.events)

    def declared(
        self,
        minute: float = 0,
        *,
        severity: int | None = None,
        services: tuple[str, ...] = ("checkout",),
        title: str = "Checkout errors",
    ) -> Incident:
        sev = Severity(severity) if severity is not None else None
        return self.add(minute, DeclaredData(title=title, severity=sev, services=services))

    def impact(self, minute: float) -> Incident:
        return self.add(minute, ImpactStartedData())

    def detected(self, minute: float, source: DetectionSource = DetectionSource.ALERT) -> Incident:
        return self.add(minute, DetectedData(source=source))

    def ack(self, minute: float) -> Incident:
        return self.add(minute, AcknowledgedData())

    def sev(self, minute: float, severity: int, reason: str = "") -> Incident:
        return self.add(minute, SeveritySetData(severity=Severity(severity)), reason)

    def role(self, minute: float, role: Role, person: str) -> Incident:
        return self.add(minute, RoleAssignedData(role=role, person=person))

    def roles(self, minute: float, *roles: Role) -> Incident:
        """Fill each of ``roles`` with a distinct person at ``minute``."""
        for role in roles:
            self.role(minute, role, f"{role.value}-person")
        return self

    def release(self, minute: float, role: Role) -> Incident:
        return self.add(minute, RoleReleasedData(role=role))

    def phase(self, minute: float, phase: Phase, *, reopened: bool = False) -> Incident:
        return self.add(minute, PhaseChangedData(phase=phase, reopened=reopened))

    def mitigated(self, minute: float) -> Incident:
        return self.phase(minute, Phase.MITIGATED)

    def resolved(self, minute: float) -> Incident:
        return self.phase(minute, Phase.RESOLVED)

    def reopen(self, minute: float) -> Incident:
        return self.phase(minute, Phase.RESPONDING, reopened=True)

    def status(
        self,
        minute: float,
        phase: StatusPhase = StatusPhase.INVESTIGATING,
        text: str = "We are investigating errors at checkout.",
        components: dict[str, ComponentState] | None = None,
    ) -> Incident:
        return self.add(minute, StatusUpdateData(phase=phase, components=components or {}), text)

    def checkpoint(self, minute: float) -> Incident:
        return self.add(
            minute,
            CheckpointData(know="db slow", next="failover", escalate="no", status_page="yes"),
        )

    def escalate(self, minute: float, level: int | None = None, reason: str = "") -> Incident:
        return self.add(minute, EscalationData(level=level), reason)

    def note(
        self, minute: float, text: str, *, author: str | None = None, key: bool = False
    ) -> Incident:
        return self.add(minute, NoteData(), text, author=author, key=key)

    def sev_by(self, minute: float, severity: int, reason: str, author: str) -> Incident:
        return self.add(minute, SeveritySetData(severity=Severity(severity)), reason, author=author)

    def fix(self, minute: float, target: int, text: str) -> Incident:
        return self.add(minute, CorrectionData(target=target), text)

    def mark(self, minute: float, target: int) -> Incident:
        return self.add(minute, KeyMarkData(target=target))

    def action(
        self,
        minute: float,
        text: str,
        *,
        owner: str | None = "bob",
        due: date | None = None,
        priority: Priority | None = Priority.P1,
        done_when: str | None = None,
    ) -> Incident:
        data = ActionItemData(owner=owner, due=due, priority=priority, done_when=done_when)
        return self.add(minute, data, text)

    def pm_owner(self, minute: float, person: str) -> Incident:
        return self.add(minute, PostmortemOwnerData(person=person))


class IncidentEvents:
    """Events with increasing ids, minutes after T0, starting with the declaration."""

    def __init__(
        self,
        title: str = "Checkout failing",
        *,
        severity: Severity | None = None,
        services: tuple[str, ...] = ("Checkout", "Payments"),
    ) -> None:
        self.events: list[Event] = []
        self.add(0, DeclaredData(title=title, severity=severity, services=services))

    def add(
        self, minute: float, data: EventData, *, author: str = "alice", text: str = ""
    ) -> Event:
        """Append an event ``minute`` minutes after T0; returns it."""
        event = event_at(len(self.events) + 1, minute, data, text, author=author)
        self.events.append(event)
        return event
