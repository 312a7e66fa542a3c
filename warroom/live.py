"""The live session of an open incident: ordered writes, other seats' entries, reconnects.

One :class:`LiveSession` per open war room, outside the UI: the screen hands it entries
to write and asks it what is new, then only presents. It keeps

- the **write queue**: entries are written one at a time in the order they were
  submitted (a ticket per entry, taken on the UI thread), each after COMMIT;
- the **live feed**: on PostgreSQL the store's LISTEN connection says when another
  seat committed (:meth:`wait_for_change` blocks on it), on SQLite ``PRAGMA
  data_version`` is polled; either way only events after the last one seen are read;
- the **connection state**: when the database cannot be reached, :attr:`down_since`
  says since when; the next successful look reconnects (the store does) and catches
  up with everything written meanwhile;
- on PostgreSQL, the **outbox** (:attr:`outbox`): an entry that cannot be written
  because the server is out of reach is queued on this seat instead (fsync'd, with
  its client id), and so is every entry after it until the queue is sent, which the
  first look that reaches the server again does (each exactly once, in order). Each
  entry is on disk in the outbox (in the order typed) from before it waits for its
  turn until it is stored, so one whose send hangs, and those typed behind it,
  survive the seat being closed or killed (the next run sends them, once each).

Every method is thread-safe; the UI calls them from worker threads.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warroom.domain.events import Event, NewEvent
    from warroom.domain.state import IncidentState
    from warroom.outbox.box import Entry
    from warroom.outbox.flush import FlushReport
    from warroom.outbox.seat import SeatOutbox
    from warroom.service import IncidentSession

#: How often the SQLite feed looks at ``data_version`` (and the PostgreSQL one re-checks).
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Delivery:
    """What the UI has not shown yet: new events (id order) and the state after them."""

    events: Sequence[Event]
    state: IncidentState
    #: The id of the entry this delivery's write stored (``None`` for a poll).
    written: int | None = None
    #: The entries queued on this seat now, when that changed (``None``: unchanged).
    queued: Sequence[Entry] | None = None
    #: Queued entries the server refused when they were sent (one line each).
    refused: Sequence[str] = ()


class LiveSession:
    """One open incident, live: see the module docstring."""

    def __init__(self, session: IncidentSession, *, lock: threading.Lock | None = None) -> None:
        """Wrap an open ``session``; ``lock`` guards it (shared with whoever else reads it)."""
        self.session = session
        self.lock = lock if lock is not None else threading.Lock()
        self._turn = threading.Condition(self.lock)
        self._next_ticket = 0
        self._serving = 0
        self._tickets = threading.Lock()
        self._keeping = threading.Condition()  # entries go to the outbox in ticket order
        self._kept_turn = 0
        self._delivered = session.last_id
        self._down_since: datetime | None = None
        #: Where entries wait while the server is out of reach (PostgreSQL; else None).
        self.outbox: SeatOutbox | None = None
        self._outbox_sent = False  # what an earlier run queued is sent at the first look

    # ------------------------------------------------------------ connection
    @property
    def down_since(self) -> datetime | None:
        """Since when the database cannot be reached (``None``: it can)."""
        return self._down_since

    def _went_down(self) -> None:
        if self._down_since is None:
            self._down_since = self.session.now()

    # ------------------------------------------------------------ writing
    def take_ticket(self) -> int:
        """A place in the write queue (take it on the thread that orders the entries)."""
        with self._tickets:
            ticket = self._next_ticket
            self._next_ticket += 1
        return ticket

    def write(self, new: NewEvent, ticket: int, line: str | None = None) -> Delivery:
        """Validate and append ``new`` once every earlier ticket is done; what is new after it.

        Raises what the session raises (``ParseError``/``EntryError``, a store error);
        the queue moves on either way. With an :attr:`outbox`, a server out of reach
        (or entries already waiting) queues ``new`` (written as ``line``) instead: the
        delivery's ``queued`` lists what waits.
        """
        from warroom.store import StoreUnavailableError

        outbox = self.outbox
        if outbox is not None:
            new = outbox.with_client_id(new)
        # On disk before waiting for its turn: entries typed behind a send that hangs
        # survive the seat being closed or killed, in the order typed.
        kept = self._keep_in_turn(new, line, ticket)
        with self._turn:
            self._turn.wait_for(lambda: self._serving == ticket)
            try:
                try:
                    self.session.validate(new)
                    if outbox is not None and (self._down_since is not None or outbox.queued):
                        return self._queue(new, line, kept)  # behind what waits: typed order
                    event = self.session.append(new)
                except StoreUnavailableError:
                    self._went_down()
                    if outbox is None:
                        raise
                    return self._queue(new, line, kept)
                except Exception:
                    self._forget(kept)  # refused: the user is told, the line given back
                    raise
                self._forget(kept)
                self._down_since = None
                fresh = self._collect()
                return Delivery(fresh.events, fresh.state, written=event.id)
            finally:
                self._serving += 1
                self._turn.notify_all()

    # ------------------------------------------------------------ reading
    def poll(self) -> Delivery | None:
        """Other seats' entries, if any (``None`` while a write holds the session: it
        delivers them). A database that cannot be reached sets :attr:`down_since`;
        the first look that reaches it again reads everything after the last id seen.
        """
        from warroom.store import StoreUnavailableError

        if not self.lock.acquire(blocking=False):
            return None
        try:
            sent = None
            try:
                was_down = self._down_since is not None
                if was_down:
                    self.session.refresh()  # notifications were missed while down
                else:
                    self.session.poll()
                outbox = self.outbox
                if outbox is not None and (was_down or outbox.queued or not self._outbox_sent):
                    sent = self._send_queued(outbox)
            except StoreUnavailableError:
                self._went_down()
                return None
            self._down_since = None
            delivery = self._collect()
            if sent is None or self.outbox is None:
                return delivery
            refused = tuple(f"{entry.line}: {reason}" for entry, reason in sent.refused)
            return Delivery(delivery.events, delivery.state, queued=tuple(self.outbox.queued),
                            refused=refused)
        finally:
            self.lock.release()

    def _send_queued(self, outbox: SeatOutbox) -> FlushReport | None:
        """Send what waits in the outbox, then read it back (lock held)."""
        from warroom.outbox.box import OutboxError
        from warroom.store import StoreError, StoreUnavailableError

        self._outbox_sent = True
        try:
            sent = outbox.flush()
        except StoreUnavailableError:
            raise
        except (OutboxError, StoreError):  # they stay queued; a write says what is wrong
            return None
        self.session.refresh()
        return sent

    def _keep_in_turn(self, new: NewEvent, line: str | None, ticket: int) -> Entry | None:
        """Put ``new`` in the outbox in ticket order (``None``: no outbox, or unusable:
        sending goes ahead, and a server out of reach then says what is wrong)."""
        from warroom.outbox.box import OutboxError

        with self._keeping:
            self._keeping.wait_for(lambda: self._kept_turn == ticket)
            try:
                if self.outbox is None:
                    return None
                return self.outbox.keep(new, line if line is not None else new.text)
            except OutboxError:
                return None
            finally:
                self._kept_turn += 1
                self._keeping.notify_all()

    def _forget(self, kept: Entry | None) -> None:
        """Take a kept entry out of the outbox (a copy left is harmless: its client id)."""
        from warroom.outbox.box import OutboxError

        if kept is not None and self.outbox is not None:
            with contextlib.suppress(OutboxError):
                self.outbox.sent(kept)

    def _queue(self, new: NewEvent, line: str | None, kept: Entry | None = None) -> Delivery:
        """Keep ``new`` in the outbox (call with the lock held, an outbox set); ``kept``:
        it is there already."""
        outbox = self.outbox
        assert outbox is not None
        if kept is not None:
            outbox.hold(kept)
        else:
            outbox.queue(new, line if line is not None else new.text)
        return Delivery((), self.session.state, queued=tuple(outbox.queued))

    def wait_for_change(self, timeout: float = POLL_SECONDS) -> None:
        """On PostgreSQL, block until another seat commits (a NOTIFY), at most ``timeout``.

        So a remote entry is read within milliseconds of its COMMIT. On SQLite, or
        while the database is out of reach, it returns at once: the caller's timer
        paces the ``data_version`` polls and the reconnect attempts.
        """
        wait = getattr(self.session.store, "wait_changed", None)
        if wait is None or self._down_since is not None:
            return
        try:
            wait(timeout)
        except Exception:  # the poll that follows finds out what is wrong
            return

    def follow(self, seconds: float, look: Callable[[], None]) -> None:
        """Call ``look`` (which polls and shows) whenever something may be new, for ``seconds``.

        On PostgreSQL each NOTIFY wakes it at once, so another seat's entry is shown
        within milliseconds; on SQLite, or while the database is out of reach, it looks
        once (the caller's timer paces the looks).
        """
        can_wait = hasattr(self.session.store, "wait_changed")
        end = time.monotonic() + seconds
        while True:
            waiting = can_wait and self._down_since is None
            if waiting:
                self.wait_for_change(max(0.0, end - time.monotonic()))
            look()
            if not waiting or time.monotonic() >= end:
                return

    def _collect(self) -> Delivery:
        """Events not delivered yet, and the state (call with the lock held)."""
        session = self.session
        fresh = [
            event
            for event_id in range(self._delivered + 1, session.last_id + 1)
            if (event := session.event(event_id)) is not None
        ]
        self._delivered = session.last_id
        return Delivery(fresh, session.state)
