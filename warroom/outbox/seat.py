"""The console's outbox: entries typed while the server is out of reach, for one incident.

A :class:`SeatOutbox` belongs to one open war room on PostgreSQL (the live session
holds it). :meth:`SeatOutbox.queue` keeps an entry that could not be written
(fsync'd, with the client id the write used, so a write that did commit is not
stored twice); :meth:`SeatOutbox.flush` sends what is queued once the server answers
again; :attr:`SeatOutbox.queued` is what the screen shows as "queued" (this
incident's entries, in the order typed). Not thread-safe on its own: the live
session calls it under its lock.
"""

from __future__ import annotations

import uuid
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warroom.outbox.box import Entry, Outbox, default_outbox_path

if TYPE_CHECKING:
    from warroom.domain.events import NewEvent
    from warroom.domain.timesource import TimeSource
    from warroom.outbox.flush import FlushReport
    from warroom.store.postgres import PgStore

__all__ = ["SeatOutbox"]


class SeatOutbox:
    """The outbox as one war room uses it (see the module docstring)."""

    def __init__(self, store: PgStore, incident_id: int, *, time: TimeSource, tz: tzinfo,
                 path: Path | None = None) -> None:
        """For ``incident_id`` in ``store``'s database; the file is opened when needed."""
        self.store = store
        self.incident_id = incident_id
        self.time = time
        self.tz = tz
        self.path = path if path is not None else default_outbox_path()
        self.identity: str | None = None
        #: This incident's queued entries, in the order typed (what the screen shows).
        self.queued: list[Entry] = []

    @classmethod
    def for_store(cls, store: Any, incident_id: int, *, time: TimeSource,
                  tz: tzinfo) -> SeatOutbox | None:
        """One for a PostgreSQL store; ``None`` for SQLite (written directly, never queued)."""
        if not hasattr(store, "database_identity"):
            return None
        return cls(store, incident_id, time=time, tz=tz)

    @staticmethod
    def with_client_id(new: NewEvent) -> NewEvent:
        """``new`` with a client id of its own (the idempotency key the server checks)."""
        return new if new.once else new.model_copy(update={"once": uuid.uuid4().hex})

    def queue(self, new: NewEvent, line: str) -> Entry:
        """Keep ``new`` (written as ``line``) until the server is back; on disk when it returns.

        Raises :class:`~warroom.outbox.OutboxError` when the outbox cannot be used.
        """
        entry = self.keep(new, line)
        self.queued.append(entry)
        return entry

    def keep(self, new: NewEvent, line: str) -> Entry:
        """Put ``new`` on disk before it is sent (not shown as queued; see :meth:`sent`).

        So an entry whose send hangs (a slow or silent server) survives the seat being
        closed or killed: the next run sends it, once (its client id). Raises
        :class:`~warroom.outbox.OutboxError` when the outbox cannot be used.
        """
        box = Outbox.open(self.path, create=True)
        assert box is not None
        with box:
            known = box.identity_of(self.store.location)
            identity = self.identity or (known[0] if known else None)
            return box.add(
                location=self.store.location, database_id=identity, incident_ref=None,
                incident_id=self.incident_id, line=line, event=new,
                author=self.store.server_author, typed_at=self.time.now(),
                client_id=f"once:{new.once}" if new.once else None,
            )

    def hold(self, entry: Entry) -> None:
        """``entry`` (kept) could not be sent: it waits with the queued ones (once)."""
        if all(waiting.seq != entry.seq for waiting in self.queued):
            self.queued.append(entry)

    def sent(self, entry: Entry) -> None:
        """``entry`` (kept) was stored, or refused with an error the user sees: drop it.

        Raises :class:`~warroom.outbox.OutboxError` when the outbox cannot be used
        (a copy left behind is harmless: the server knows its client id).
        """
        box = Outbox.open(self.path, create=False)
        if box is not None:
            with box:
                box.landed(entry.seq)

    def flush(self) -> FlushReport | None:
        """Send what is queued for this database (``None`` if nothing ever was queued).

        Raises the store's :class:`~warroom.store.StoreUnavailableError` if the server
        is still out of reach.
        """
        from warroom.outbox.flush import flush

        if not self.path.exists():
            return None
        box = Outbox.open(self.path, create=False)
        if box is None:
            return None
        with box:
            self.identity = self.store.database_identity()
            report = flush(self.store, box, time=self.time, tz=self.tz,
                           author=self.store.server_author, wait=0.5)
            self.queued = [e for e in box.pending(self.identity, limit=10_000,
                                                  author=self.store.server_author)
                           if e.incident_id == self.incident_id]
        return report
