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
  up with everything written meanwhile.

Every method is thread-safe; the UI calls them from worker threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warroom.domain.events import Event, NewEvent
    from warroom.domain.state import IncidentState
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
        self._delivered = session.last_id
        self._down_since: datetime | None = None

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

    def write(self, new: NewEvent, ticket: int) -> Delivery:
        """Validate and append ``new`` once every earlier ticket is done; what is new after it.

        Raises what the session raises (``ParseError``/``EntryError``, a store error);
        the queue moves on either way.
        """
        from warroom.store import StoreUnavailableError

        with self._turn:
            self._turn.wait_for(lambda: self._serving == ticket)
            try:
                self.session.validate(new)
                try:
                    event = self.session.append(new)
                except StoreUnavailableError:
                    self._went_down()
                    raise
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
            try:
                if self._down_since is not None:
                    self.session.refresh()  # notifications were missed while down
                else:
                    self.session.poll()
            except StoreUnavailableError:
                self._went_down()
                return None
            self._down_since = None
            return self._collect()
        finally:
            self.lock.release()

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
