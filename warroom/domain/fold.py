"""The projection: ``fold(events) -> IncidentState``, pure and order-independent.

Events are folded in timeline order (event time, ties broken by id), so the
order in which they were *written* never matters. Notes, decisions and commands
only feed the timeline; the :class:`Projector` keeps them out of the re-fold so
that a new entry on a 100k-event incident costs about as much as on a small one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    AcknowledgedData,
    ActionItemData,
    CheckpointData,
    CorrectionData,
    DeclaredData,
    DetectedData,
    EscalationData,
    Event,
    EventKind,
    ImpactStartedData,
    KeyMarkData,
    KeyUnmarkData,
    Phase,
    PhaseChangedData,
    PolicySetData,
    PostmortemOwnerData,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    SeveritySetData,
    StatusUpdateData,
    sort_key,
)
from warroom.domain.policy import policy_from_mapping
from warroom.domain.state import (
    ActionItem,
    Checkpoint,
    EscalationRecord,
    IncidentState,
    PhaseChange,
    RoleTenure,
    SeverityChange,
    StatusUpdate,
)

#: Kinds that only add a line to the timeline and change no other state.
TIMELINE_ONLY_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.NOTE, EventKind.DECISION, EventKind.COMMAND, EventKind.PAGE}
)
_FOLDED_KINDS: frozenset[EventKind] = frozenset(EventKind) - TIMELINE_ONLY_KINDS

_AUTO_TRIAGE_FROM = (Phase.DETECTED,)
_AUTO_RESPOND_FROM = (Phase.DETECTED, Phase.TRIAGED)


class _Folder:
    """Mutable accumulator used by :func:`fold`; never escapes this module."""

    def __init__(self) -> None:
        self.title = ""
        self.services: tuple[str, ...] = ()
        self.declared_at: datetime | None = None
        self.declared_by: str | None = None
        self.severity_history: list[SeverityChange] = []
        self.phase = Phase.DETECTED
        self.phase_history: list[PhaseChange] = []
        self.reopen_count = 0
        self.roles: dict[Role, RoleTenure] = {}
        self.role_history: list[RoleTenure] = []
        self.milestones: dict[str, datetime] = {}
        self.milestone_events: dict[str, int] = {}
        self.detection_source: DetectedData | None = None
        self.status_updates: list[StatusUpdate] = []
        self.action_items: list[ActionItem] = []
        self.checkpoints: list[Checkpoint] = []
        self.escalations: list[EscalationRecord] = []
        self.postmortem_owner: str | None = None
        self.corrections: dict[int, str] = {}
        #: Key marks in record order: (event id, target, marked) — applied by id in
        #: :meth:`finish`, so a back-dated ``/unmark`` still takes back an earlier mark.
        self.key_marks: list[tuple[int, int, bool]] = []
        self.people: set[str] = set()
        #: The latest recorded policy by id (a record order, not a timeline order).
        self.policy: tuple[int, dict[str, Any]] | None = None

    def record_policy(self, event: Event, payload: dict[str, Any] | None) -> None:
        if payload is not None and (self.policy is None or event.id > self.policy[0]):
            self.policy = (event.id, payload)

    def move_to(self, event: Event, phase: Phase, *, reopened: bool = False) -> None:
        previous = self.phase if self.phase_history else None
        if self.phase_history and phase == self.phase and not reopened:
            return
        self.phase = phase
        if reopened:
            self.reopen_count += 1
        self.phase_history.append(
            PhaseChange(
                event_id=event.id,
                at=event.occurred_at,
                phase=phase,
                previous=previous,
                reopened=reopened,
            )
        )
        if phase == Phase.MITIGATED:
            self.milestones["mitigated"] = event.occurred_at
            self.milestone_events["mitigated"] = event.id
        elif phase == Phase.RESOLVED:
            self.milestones["resolved"] = event.occurred_at
            self.milestone_events["resolved"] = event.id

    def set_severity(self, event: Event, severity: SeveritySetData | DeclaredData) -> None:
        self.severity_history.append(
            SeverityChange(
                event_id=event.id,
                at=event.occurred_at,
                by=event.author,
                severity=severity.severity,
                reason=event.text if isinstance(severity, SeveritySetData) else "declared",
            )
        )
        if severity.severity is not None and self.phase in _AUTO_TRIAGE_FROM:
            self.move_to(event, Phase.TRIAGED)

    def assign(self, event: Event, data: RoleAssignedData) -> None:
        current = self.roles.get(data.role)
        if current is not None and current.person == data.person:
            return
        if current is not None:
            self._end(current, event, handed_to=data.person)
        tenure = RoleTenure(
            role=data.role, person=data.person, start=event.occurred_at, start_event=event.id
        )
        self.roles[data.role] = tenure
        self.people.add(data.person)
        if self.phase in _AUTO_RESPOND_FROM:
            self.move_to(event, Phase.RESPONDING)

    def release(self, event: Event, data: RoleReleasedData) -> None:
        current = self.roles.pop(data.role, None)
        if current is not None:
            self._end(current, event, handed_to=None)

    def _end(self, tenure: RoleTenure, event: Event, handed_to: str | None) -> None:
        self.role_history.append(
            replace(tenure, end=event.occurred_at, end_event=event.id, handed_to=handed_to)
        )

    def apply(self, event: Event) -> None:
        # One branch per kind is the clearest way to read the fold rules.
        data = event.data
        self.people.add(event.author)
        if isinstance(data, DeclaredData):
            if self.declared_at is None:
                self.declared_at = event.occurred_at
                self.declared_by = event.author
                self.title = data.title
                self.services = data.services
                if not self.phase_history:
                    # A back-dated entry may already have moved the phase on; the
                    # declaration must not send it back to detected.
                    self.move_to(event, Phase.DETECTED)
                self.set_severity(event, data)
            self.record_policy(event, data.policy)
        elif isinstance(data, PolicySetData):
            self.record_policy(event, data.policy)
        elif isinstance(data, ImpactStartedData):
            self.milestones["impact_started"] = event.occurred_at
            self.milestone_events["impact_started"] = event.id
        elif isinstance(data, DetectedData):
            self.milestones["detected"] = event.occurred_at
            self.milestone_events["detected"] = event.id
            self.detection_source = data
        elif isinstance(data, AcknowledgedData):
            self.milestones["acknowledged"] = event.occurred_at
            self.milestone_events["acknowledged"] = event.id
        elif isinstance(data, SeveritySetData):
            self.set_severity(event, data)
        elif isinstance(data, RoleAssignedData):
            self.assign(event, data)
        elif isinstance(data, RoleReleasedData):
            self.release(event, data)
        elif isinstance(data, PhaseChangedData):
            self.move_to(event, data.phase, reopened=data.reopened)
        elif isinstance(data, StatusUpdateData):
            self.status_updates.append(
                StatusUpdate(
                    event_id=event.id,
                    at=event.occurred_at,
                    author=event.author,
                    phase=data.phase,
                    text=event.text,
                    components=dict(data.components),
                )
            )
        elif isinstance(data, CheckpointData):
            self.checkpoints.append(
                Checkpoint(
                    event_id=event.id,
                    at=event.occurred_at,
                    author=event.author,
                    know=data.know,
                    next=data.next,
                    escalate=data.escalate,
                    status_page=data.status_page,
                )
            )
        elif isinstance(data, ActionItemData):
            if data.owner:
                self.people.add(data.owner)
            self.action_items.append(
                ActionItem(
                    event_id=event.id,
                    at=event.occurred_at,
                    author=event.author,
                    text=event.text,
                    owner=data.owner,
                    due=data.due,
                    priority=data.priority,
                    done_when=data.done_when,
                )
            )
        elif isinstance(data, EscalationData):
            current = max((e.level for e in self.escalations), default=1)
            level = data.level if data.level is not None else min(current + 1, 4)
            self.escalations.append(
                EscalationRecord(
                    event_id=event.id,
                    at=event.occurred_at,
                    author=event.author,
                    level=level,
                    reason=event.text,
                )
            )
        elif isinstance(data, CorrectionData):
            self.corrections[data.target] = event.text
        elif isinstance(data, KeyMarkData):
            self.key_marks.append((event.id, data.target, True))
        elif isinstance(data, KeyUnmarkData):
            self.key_marks.append((event.id, data.target, False))
        elif isinstance(data, PostmortemOwnerData):
            self.postmortem_owner = data.person
            self.people.add(data.person)
        if event.key:
            self.key_marks.append((event.id, event.id, True))

    def finish(self, count: int, last_id: int) -> IncidentState:
        title = self.title
        explicit = [s for s in self.severity_history if s.severity is not None]
        source = self.detection_source.source if self.detection_source else None
        items = [self._corrected_item(item) for item in self.action_items]
        updates = [
            replace(u, text=self.corrections[u.event_id])
            if u.event_id in self.corrections
            else u
            for u in self.status_updates
        ]
        return IncidentState(
            title=title,
            services=self.services,
            declared_at=self.declared_at,
            declared_by=self.declared_by,
            severity=explicit[-1].severity if explicit else None,
            severity_history=tuple(self.severity_history),
            phase=self.phase,
            phase_history=tuple(self.phase_history),
            reopen_count=self.reopen_count,
            roles=dict(self.roles),
            role_history=tuple(self.role_history),
            impact_started_at=self.milestones.get("impact_started"),
            detected_at=self.milestones.get("detected"),
            detection_source=source,
            acknowledged_at=self.milestones.get("acknowledged"),
            mitigated_at=self.milestones.get("mitigated"),
            resolved_at=self.milestones.get("resolved"),
            milestone_events=dict(self.milestone_events),
            status_updates=tuple(updates),
            action_items=tuple(items),
            checkpoints=tuple(self.checkpoints),
            escalations=tuple(self.escalations),
            postmortem_owner=self.postmortem_owner,
            corrections=dict(self.corrections),
            key_events=_key_events(self.key_marks),
            people=tuple(sorted(self.people, key=str.casefold)),
            event_count=count,
            last_event_id=last_id,
            policy=policy_from_mapping(self.policy[1]) if self.policy else None,
            policy_event=self.policy[0] if self.policy else None,
        )

    def _corrected_item(self, item: ActionItem) -> ActionItem:
        if item.event_id in self.corrections:
            return replace(item, text=self.corrections[item.event_id])
        return item


def _key_events(marks: list[tuple[int, int, bool]]) -> frozenset[int]:
    """The entries marked key once every mark and unmark is applied in record order."""
    keys: set[int] = set()
    for _, target, marked in sorted(marks):
        if marked:
            keys.add(target)
        else:
            keys.discard(target)
    # Built one element at a time from a copy, as pydantic rebuilt the set when the
    # state was a model: a set's iteration order depends on how it was built, and
    # ``warroom show --json`` lists these ids in that order, so it stays the same.
    return frozenset(list(frozenset(keys)))


def _fold_sorted(significant: Iterable[Event], count: int, last_id: int) -> IncidentState:
    folder = _Folder()
    for event in significant:
        folder.apply(event)
    return folder.finish(count, last_id)


def fold(events: Iterable[Event]) -> IncidentState:
    """Project ``events`` (in any order) into the incident's current state."""
    projector = Projector()
    projector.add(events)
    return projector.state


class _IdSet:
    """Event ids seen so far: the run ``1..run`` plus a set of the others.

    Ids usually arrive as 1, 2, 3…, so 100k of them cost a few bytes instead of a
    100k-entry ``set``.
    """

    __slots__ = ("_others", "_run")

    def __init__(self) -> None:
        self._run = 0
        self._others: set[int] = set()

    def __contains__(self, event_id: object) -> bool:
        if isinstance(event_id, int) and 1 <= event_id <= self._run:
            return True
        return event_id in self._others

    def __len__(self) -> int:
        return self._run + len(self._others)

    def add(self, event_id: int) -> None:
        if event_id != self._run + 1:
            self._others.add(event_id)
            return
        run, others = event_id, self._others
        while others and run + 1 in others:
            run += 1
            others.discard(run)
        self._run = run

    def add_span(self, first: int, last: int) -> None:
        """Add ``first..last``, all greater than every id seen."""
        if first == self._run + 1:
            self._run = last
        else:
            self._others.update(range(first, last + 1))


class Projector:
    """Incremental fold: add events as they arrive, read :attr:`state` when needed.

    Only events that change more than the timeline are re-folded, so the cost of
    a new note does not grow with the size of the incident. An
    :class:`~warroom.domain.eventlog.EventLog` is added without building an
    :class:`Event` for each of its notes.
    """

    def __init__(self) -> None:
        self._significant: list[tuple[tuple[datetime, int], Event]] = []
        self._authors: set[str] = set()
        self._ids = _IdSet()
        self._last_id = 0
        self._state: IncidentState | None = None

    def add(self, events: Iterable[Event]) -> None:
        """Add events (duplicates by id are ignored)."""
        if isinstance(events, EventLog) and self._add_new_log(events):
            return
        added = False
        significant: list[Event] = []
        for event in events:
            if event.id in self._ids:
                continue
            self._ids.add(event.id)
            self._last_id = max(self._last_id, event.id)
            added = True
            if event.kind in TIMELINE_ONLY_KINDS and not event.key:
                if event.author not in self._authors:
                    self._authors.add(event.author)
                    self._state = None
                continue
            significant.append(event)
        self._took(added, significant)

    def _add_new_log(self, log: EventLog) -> bool:
        """Add a log whose ids are a run above every id seen, building only the events
        that matter to the fold. False (nothing done) for any other log."""
        span = log.contiguous_ids()
        if span is None or span[0] <= self._last_id:
            return False
        self._ids.add_span(*span)
        self._last_id = span[1]
        slots = set(log.kind_slots(_FOLDED_KINDS))
        slots.update(log.key_slots())
        authors = set(log.columns().authors)
        if not authors <= self._authors:
            self._authors |= authors
            self._state = None
        self._took(True, [log.event_at_slot(slot) for slot in sorted(slots)])
        return True

    def _took(self, added: bool, significant: list[Event]) -> None:
        """Bookkeeping after a batch: file the significant events, update the state."""
        if significant:
            self._significant.extend((sort_key(event), event) for event in significant)
            self._significant.sort(key=lambda pair: pair[0])
            self._state = None
        elif added and self._state is not None:
            self._state = replace(
                self._state, event_count=len(self._ids), last_event_id=self._last_id
            )

    @property
    def state(self) -> IncidentState:
        """The current projection."""
        if self._state is None:
            state = _fold_sorted((e for _, e in self._significant), len(self._ids), self._last_id)
            people = set(state.people) | self._authors
            self._state = replace(state, people=tuple(sorted(people, key=str.casefold)))
        return self._state

    def __contains__(self, event_id: object) -> bool:
        """Whether an event with this id has been added."""
        return event_id in self._ids

    def __len__(self) -> int:
        """How many events have been added."""
        return len(self._ids)
