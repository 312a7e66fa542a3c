"""Sending queued entries: each exactly once, in the order typed, to its own database.

:func:`flush` sends the outbox's queued entries for the database a store is
connected to that were typed as the role it connects as, one append per entry with
the entry's client id (so a send whose answer was lost can be repeated: the server
hands back what it stored). It stops at the first sign that the server is gone (the
rest stay queued); an entry the server refuses (not a member any more, no such
incident, a correction of an entry that is not there) is marked refused with the
reason and kept. Entries of other databases, and of other roles, are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from pydantic import ValidationError

from warroom.domain.events import CorrectionData, Event, KeyMarkData, KeyUnmarkData
from warroom.domain.parser import ParseError
from warroom.domain.policy import DEFAULT_POLICY, Policy
from warroom.domain.timesource import SystemTime, TimeSource
from warroom.outbox.box import Entry, Outbox
from warroom.store.errors import StoreError, StoreUnavailableError

if TYPE_CHECKING:
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord
    from warroom.store.postgres import PgStore

__all__ = ["FlushReport", "flush"]

#: Seconds to wait for another process that is sending the same outbox.
SEND_WAIT_S = 15.0


@dataclass
class FlushReport:
    """What one flush did."""

    sent: list[tuple[Entry, Event]] = field(default_factory=list)
    refused: list[tuple[Entry, str]] = field(default_factory=list)
    #: Entries still queued for this database (unreachable, or another process sending).
    left: int = 0
    #: Why sending stopped early (the server went away), else ``None``.
    unreachable: str | None = None
    #: Whether another process held the outbox for longer than the wait.
    busy: bool = False

    @property
    def anything(self) -> bool:
        """Whether there is something worth telling the user."""
        return bool(self.sent or self.refused or self.unreachable or self.busy or self.left)


class _Resolver:
    """Incidents and (for corrections and marks) sessions, looked up once per flush."""

    def __init__(self, store: PgStore, outbox: Outbox, *, time: TimeSource, policy: Policy,
                 tz: tzinfo, author: str) -> None:
        self.store, self.outbox = store, outbox
        self.time, self.policy, self.tz, self.author = time, policy, tz, author
        self.records: dict[object, IncidentRecord] = {}
        self.sessions: dict[int, IncidentSession] = {}

    def record(self, entry: Entry) -> IncidentRecord:
        from warroom.service import open_incident

        key: object = ("id", entry.incident_id) if entry.incident_id is not None else (
            "ref", entry.incident_ref)
        record = self.records.get(key)
        if record is None:
            if entry.incident_id is not None:
                record = self.store.incident(entry.incident_id)
            else:
                record = open_incident(self.store, entry.incident_ref)
            self.records[key] = record
        if entry.incident_id is None and entry.incident_ref is None:
            # "The open incident" may be another one by the next try: pin this one.
            # (A slug or an id always names the same incident.)
            self.outbox.set_incident(entry.seq, record.id)
        return record

    def session(self, record: IncidentRecord) -> IncidentSession:
        from warroom.service import IncidentSession

        session = self.sessions.get(record.id)
        if session is None:
            session = IncidentSession(self.store, record, time=self.time, policy=self.policy,
                                      tz=self.tz, author=self.author)
            self.sessions[record.id] = session
        return session


def _send(entry: Entry, resolver: _Resolver) -> Event:
    """Append one entry with its client id (raises StoreError, ParseError, ValueError)."""
    record = resolver.record(entry)
    new = entry.new_event()
    session = None
    if isinstance(new.data, CorrectionData | KeyMarkData | KeyUnmarkData):
        session = resolver.session(record)
        session.validate(new)  # the entry it names must be there (EntryError if not)
    event = resolver.store.append_many(record.id, [new], client_keys=[entry.client_id])[0]
    if session is not None:
        session.refresh()
    return event


def flush(
    store: PgStore,
    outbox: Outbox,
    *,
    time: TimeSource | None = None,
    policy: Policy = DEFAULT_POLICY,
    tz: tzinfo | None = None,
    author: str = "scribe",
    locked: bool = False,
    wait: float = SEND_WAIT_S,
) -> FlushReport:
    """Send the outbox's queued entries for ``store``'s database; see the module docstring.

    ``locked``: the caller already holds :meth:`Outbox.sending`. Raises
    :class:`StoreUnavailableError` only if the database cannot even be identified.
    """
    from datetime import UTC

    time = time if time is not None else SystemTime()
    report = FlushReport()
    identity = store.database_identity()
    outbox.remember(store.location, identity, store.server_author, time.now())
    if not locked:
        with outbox.sending(wait) as held:
            if not held:
                report.busy = True
                report.left = outbox.count(identity, author=store.server_author)
                return report
            return _flush_held(store, outbox, identity, report, time=time, policy=policy,
                               tz=tz or UTC, author=author)
    return _flush_held(store, outbox, identity, report, time=time, policy=policy,
                       tz=tz or UTC, author=author)


def _flush_held(store: PgStore, outbox: Outbox, identity: str, report: FlushReport, *,
                time: TimeSource, policy: Policy, tz: tzinfo, author: str) -> FlushReport:
    from warroom.domain.sanitize import one_line

    outbox.bind(store.location, identity)
    resolver = _Resolver(store, outbox, time=time, policy=policy, tz=tz, author=author)
    while True:
        batch = outbox.pending(identity, author=store.server_author)
        if not batch:
            break
        landed: list[int] = []
        try:
            for entry in batch:
                try:
                    event = _send(entry, resolver)
                except StoreUnavailableError as error:
                    report.unreachable = str(error)
                    break
                except (StoreError, ParseError, ValidationError, ValueError) as error:
                    reason = one_line(" ".join(str(error).split())) or type(error).__name__
                    outbox.refuse(entry.seq, reason, time.now())
                    report.refused.append((entry, reason))
                    continue
                landed.append(entry.seq)
                report.sent.append((entry, event))
        finally:
            # Removed a batch at a time: one sent again after a crash here is harmless
            # (the server recognises its client id and stores nothing).
            outbox.landed(*landed)
        if report.unreachable:
            break
    report.left = outbox.count(identity, author=store.server_author)
    return report


def typed_at_text(moment: datetime, tz: tzinfo) -> str:
    """``14:02:03`` in the viewer's zone (for messages)."""
    return moment.astimezone(tz).strftime("%H:%M:%S")
