"""One incident seen from one seat: the small service object the CLI and the console share.

An :class:`IncidentSession` owns nothing but a view: it holds the :class:`Store`, the
incident's record, an injected :class:`TimeSource`, the policy, the viewer's time zone
and default author. It keeps the timeline in ``sort_key`` order and the projected state
up to date through a :class:`Projector`, writes entries (parse → validate → append) and
picks up other processes' entries cheaply with :meth:`IncidentSession.poll`.

Widgets never run SQL: they ask a session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    CorrectionData,
    DeclaredData,
    Event,
    KeyMarkData,
    KeyUnmarkData,
    NewEvent,
    Severity,
)
from warroom.domain.fold import Projector, fold
from warroom.domain.no_change import no_change_problem
from warroom.domain.parser import ParseError, parse_entry
from warroom.domain.policy import DEFAULT_POLICY, Policy
from warroom.domain.state import IncidentState, policy_in_force, policy_is_recorded
from warroom.domain.timeparse import FUTURE_TOLERANCE
from warroom.domain.timesource import SystemTime, TimeSource
from warroom.domain.validation import instant_problem
from warroom.errors import WarroomError

if TYPE_CHECKING:
    from warroom.domain.clocks import Clock, EffectiveSeverity
    from warroom.store import IncidentRecord, Store

#: The command that writes each kind of entry about an earlier entry (for errors).
_VERBS: dict[type, str] = {CorrectionData: "/fix", KeyMarkData: "/mark", KeyUnmarkData: "/unmark"}


#: Longest idempotency key (``warroom log --once KEY``).
ONCE_KEY_MAX = 200


class SessionError(WarroomError, ValueError):
    """A request the session refuses; the message is one line meant for a person (exit 1)."""


class EntryError(ParseError):
    """An entry that parses but cannot be written (e.g. ``/fix`` of an unknown id).

    A subclass of :class:`ParseError`, so whoever shows parser errors inline shows
    these too. Nothing is written when it is raised. Unlike a parse error, exit 1.
    """

    exit_code = 1


class NoOpenIncidentError(SessionError):
    """No incident was named and none is open."""


class SeveralOpenIncidentsError(SessionError):
    """No incident was named and several are open; the message lists them."""


class IncidentSession:
    """One incident from one seat: timeline, state, clocks, and writing entries."""

    def __init__(
        self,
        store: Store,
        record: IncidentRecord,
        *,
        time: TimeSource | None = None,
        policy: Policy = DEFAULT_POLICY,
        tz: tzinfo = UTC,
        author: str = "scribe",
    ) -> None:
        self.store = store
        self.record = record
        self.time: TimeSource = time if time is not None else SystemTime()
        self.policy = policy
        self.tz = tz
        self.author = author
        self._projector = Projector()
        # Take the change baseline *before* reading, so a commit that lands between
        # the read and the first poll is still noticed.
        store.changed()
        # The whole incident, compactly: no Event object is kept per entry.
        self._timeline: EventLog = store.event_log(record.id)
        self._last_id = self._timeline.last_id
        self._projector.add(self._timeline)

    # ----------------------------------------------------------------- reading
    @property
    def incident_id(self) -> int:
        """The incident's id in the store."""
        return self.record.id

    @property
    def timeline(self) -> Sequence[Event]:
        """Every event in timeline order (event time, ties by id). Do not mutate.

        An :class:`~warroom.domain.eventlog.EventLog`: each item is built when read,
        so reading a few is cheap; :meth:`timeline_copy` hands the whole of it to
        another thread (e.g. the console's timeline) without building any.
        """
        return self._timeline

    def timeline_copy(self) -> EventLog:
        """A copy of the timeline that this session will not change (cheap: no events built)."""
        return self._timeline.copy()

    @property
    def state(self) -> IncidentState:
        """The incident's projected state."""
        return self._projector.state

    @property
    def last_id(self) -> int:
        """The highest event id this session has seen."""
        return self._last_id

    def event(self, event_id: int) -> Event | None:
        """The event with ``event_id``, if this session has seen it."""
        return self._timeline.get(event_id)

    def now(self) -> datetime:
        """The current instant from the injected time source."""
        return self.time.now()

    def display_text(self, event: Event) -> str:
        """The event's text as it should be shown: the latest correction wins."""
        return self.state.corrections.get(event.id, event.text)

    def is_corrected(self, event: Event) -> bool:
        """Whether a later correction supersedes the event's text."""
        return event.id in self.state.corrections

    def is_key(self, event: Event) -> bool:
        """Whether the event is a key event (flagged with ``!`` or marked later, not unmarked)."""
        return event.id in self.state.key_events

    def clocks(self, now: datetime | None = None) -> list[Clock]:
        """Every policy clock of the incident, most urgent first."""
        from warroom.domain.clocks import clocks

        return clocks(self.state, self.incident_policy, now if now is not None else self.now())

    def effective_severity(self, now: datetime | None = None) -> EffectiveSeverity:
        """The severity in force now (``SEV2 (default)`` once unclassified too long)."""
        from warroom.domain.clocks import effective_severity

        return effective_severity(
            self.state, self.incident_policy, now if now is not None else self.now()
        )

    @property
    def incident_policy(self) -> Policy:
        """The policy in force for the incident: the latest one its record holds.

        Every seat computes the same clocks from it; only a record that holds none
        (written before policies were recorded) falls back to this seat's ``policy``.
        """
        return policy_in_force(self.state, self.policy)

    @property
    def policy_recorded(self) -> bool:
        """Whether the incident's record holds its policy (else the seat's is used)."""
        return policy_is_recorded(self.state)

    def set_policy(self, policy: Policy, author: str | None = None) -> Event:
        """Append a ``policy_set`` entry making ``policy`` the incident's policy."""
        from warroom.domain.policy_record import policy_set_event

        self.refresh()  # diff against the latest policy, whoever wrote it
        new = policy_set_event(self.incident_policy, policy, at=self.now(),
                               author=author or self.author)
        return self.append(new)

    # ----------------------------------------------------------------- writing
    def parse(self, line: str, author: str | None = None, at: datetime | None = None) -> NewEvent:
        """Parse and validate ``line`` without writing it (raises ParseError/EntryError).

        ``at`` is the entry's "now" (``--at``); a leading ``@TIME`` in ``line`` is read
        relative to it.
        """
        now = self.now()
        entry_now = now if at is None else at.astimezone(UTC)
        new = parse_entry(line, now=entry_now, tz=self.tz, author=author or self.author)
        self.validate(new, now=now)
        return new

    def log(self, line: str, author: str | None = None, at: datetime | None = None,
            once: str | None = None) -> Event:
        """Parse ``line`` in the scribe command language, validate it and append it.

        Returns the stored event (after COMMIT). Raises :class:`ParseError` or
        :class:`EntryError` with nothing written. ``once`` is an idempotency key: if
        the incident already holds the entry written with it, nothing is stored and
        that entry is returned (before the line is checked again, so a retried
        ``/mark`` is not an error; the store checks once more inside the append).
        """
        if once is not None:
            if not 1 <= len(once) <= ONCE_KEY_MAX or not once.isprintable():
                raise SessionError(
                    f"--once: the key must be 1–{ONCE_KEY_MAX} printable characters"
                )
            earlier = self.store.once_event(self.record.id, once)
            if earlier is not None:
                return earlier
        new = self.parse(line, author=author, at=at)
        if once is not None:
            new = new.model_copy(update={"once": once})
        return self.append(new)

    def validate(self, new: NewEvent, now: datetime | None = None) -> None:
        """Check that ``new`` makes sense in this incident; raise :class:`EntryError`."""
        now = now if now is not None else self.now()
        problem = instant_problem(new.occurred_at, now, FUTURE_TOLERANCE)
        if problem:
            raise EntryError(f"the entry's time {problem}")
        data = new.data
        if isinstance(data, CorrectionData | KeyMarkData | KeyUnmarkData):
            verb = _VERBS[type(data)]
            if not self._timeline.has_id(data.target):
                self.refresh()  # another seat may have written it a moment ago
            if not self._timeline.has_id(data.target):
                raise EntryError(
                    f"{verb}: there is no entry #{data.target} in incident "
                    f"{self.record.slug} (last is #{self._last_id})"
                )
            marked = data.target in self.state.key_events
            if isinstance(data, KeyMarkData) and marked:
                raise EntryError(f"/mark: #{data.target} is already a key event "
                                 f"(/unmark {data.target} takes the mark back)")
            if isinstance(data, KeyUnmarkData) and not marked:
                raise EntryError(f"/unmark: #{data.target} is not a key event")
        if isinstance(data, DeclaredData):
            raise EntryError("an incident is declared once; use 'warroom new' for another")
        unchanged = no_change_problem(self.state, new, now)
        if unchanged is not None:
            self.refresh()  # another seat's entry may be why: judge on the latest record
            unchanged = no_change_problem(self.state, new, now)
        if unchanged is not None:
            raise EntryError(unchanged)

    def append(self, new: NewEvent) -> Event:
        """Append an already-built event and return it as stored (after COMMIT)."""
        event = self.store.append(self.record.id, new)
        self._catch_up(event)
        return event

    def append_many(self, news: Iterable[NewEvent]) -> list[Event]:
        """Append several events in one transaction; all or nothing."""
        events = list(self.store.append_many(self.record.id, list(news)))
        for event in events:
            self._catch_up(event)
        return events

    def poll(self) -> list[Event]:
        """Events other seats wrote since the last look (cheap when nothing changed)."""
        if not self.store.changed():
            return []
        return self.refresh()

    def refresh(self) -> list[Event]:
        """Read every event after the last one seen, whatever ``changed()`` says."""
        return self._ingest(self.store.events_since(self.record.id, self._last_id))

    # ---------------------------------------------------------------- internals
    def _catch_up(self, written: Event) -> None:
        if written.id == self._last_id + 1:
            self._ingest([written])
        else:  # someone else wrote in between: read the gap too
            self.refresh()
            self._ingest([written])

    def _ingest(self, events: Iterable[Event]) -> list[Event]:
        timeline = self._timeline
        fresh: list[Event] = []
        for event in events:
            if not timeline.has_id(event.id):
                timeline.add(event)
                fresh.append(event)
                self._last_id = max(self._last_id, event.id)
        if fresh:
            self._projector.add(fresh)
        return fresh


# --------------------------------------------------------------------- helpers
def incident_state(store: Store, record: IncidentRecord) -> IncidentState:
    """Fold one incident's events (a full read: use for lists and one-shot commands).

    Reads the compact :class:`~warroom.domain.eventlog.EventLog`: only the events that
    change the state are built, so a 100k-event incident folds in a fraction of the
    time and memory of ``fold(store.events(...))``.
    """
    return fold(store.event_log(record.id))


def open_incident(store: Store, ref: str | int | None = None) -> IncidentRecord:
    """Resolve ``ref`` (id or slug); without one, the single open incident.

    Raises the store's not-found error for an unknown ``ref``,
    :class:`NoOpenIncidentError` when nothing is open and
    :class:`SeveralOpenIncidentsError` (listing them) when several are.
    """
    if ref is not None and str(ref).strip():
        from warroom.store import IncidentNotFoundError

        try:
            return store.incident(ref)
        except IncidentNotFoundError as error:
            meant = _slugs_meant(store, str(ref).strip())
            if not meant:
                raise
            raise IncidentNotFoundError(f"{error} (did you mean {' or '.join(meant)}?)") from None
    records = list(store.incidents())
    if not records:
        raise NoOpenIncidentError("there are no incidents yet; declare one with 'warroom new'")
    open_ones = [r for r in records if incident_state(store, r).is_open]
    if not open_ones:
        latest = records[0]  # the store lists newest first
        raise NoOpenIncidentError(
            f"no incident is open; name one by id or slug (latest: {latest.slug})"
        )
    if len(open_ones) > 1:
        listing = ", ".join(f"{r.slug} (#{r.id})" for r in open_ones)
        raise SeveralOpenIncidentsError(
            f"{len(open_ones)} incidents are open, name one: {listing}"
        )
    return open_ones[0]


def _slugs_meant(store: Store, ref: str) -> list[str]:
    """Slugs ``ref`` may have meant: ones ending in it (without the date), else close ones."""
    import difflib

    if ref.isdigit():
        return []
    slugs = [record.slug for record in store.incidents()]
    ending = [slug for slug in slugs if slug.endswith(f"-{ref}")]
    return (ending or difflib.get_close_matches(ref, slugs, n=2, cutoff=0.75))[:2]


def declared_event(
    title: str,
    *,
    severity: Severity | int | None,
    services: Iterable[str] = (),
    at: datetime,
    author: str,
    policy: Policy | None = None,
) -> NewEvent:
    """The first event of a new incident; ``policy`` (the declaring seat's) is recorded in it."""
    from warroom.domain.sanitize import one_line

    clean_title = one_line(title).strip()
    if not clean_title:
        raise SessionError("an incident needs a title")
    names = tuple(dict.fromkeys(one_line(s).strip() for s in services if one_line(s).strip()))
    clean_author = " ".join(one_line(author).split())  # as parse_entry does for entries
    if not clean_author:
        raise SessionError("the author is empty")
    sev = Severity(severity) if severity is not None else None
    return NewEvent(
        occurred_at=at,
        author=clean_author,
        text=clean_title,
        data=DeclaredData(
            title=clean_title, severity=sev, services=names,
            policy=policy.model_dump(mode="json") if policy is not None else None,
        ),
    )


def declare_incident(
    store: Store,
    title: str,
    *,
    severity: Severity | int | None = None,
    services: Iterable[str] = (),
    at: datetime,
    author: str,
    slug: str | None = None,
    policy: Policy | None = None,
) -> IncidentRecord:
    """Declare a new incident (severity ``None`` = unclassified) and return its record.

    ``policy`` is the declaring seat's policy, recorded in the declaration: the policy
    in force for the incident until a ``policy_set`` entry changes it.
    """
    new = declared_event(title, severity=severity, services=services, at=at, author=author,
                         policy=policy)
    record, _event = store.create_incident(new, slug=slug)
    return record
