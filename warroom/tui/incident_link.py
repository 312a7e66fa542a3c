"""The war room's link to its incident: one session, read and written off the UI thread.

An :class:`IncidentLink` owns the war room's
:class:`~warroom.service.IncidentSession`. Every session call runs in a thread
worker of the screen under one lock, so the UI thread never waits on the
database; results come back to the screen as messages (:class:`IncidentLink.SessionOpened`,
:class:`~warroom.tui.messages.EventsAppended`, :class:`~warroom.tui.messages.WriteFailed`,
:class:`IncidentLink.ExportFinished` …). Writes are applied in the order they were
asked for, whatever order their threads get the lock in.

The write queue, the live feed and reconnects are the non-UI
:class:`~warroom.live.LiveSession`'s; this link runs it in workers and turns its
results into messages. Other seats' entries arrive through :meth:`IncidentLink.poll`
(the screen calls it every 0.25 s): on SQLite one cheap ``PRAGMA data_version``
check, on PostgreSQL a wait woken by each NOTIFY; then only the new rows. While the
database is out of reach, :attr:`IncidentLink.down_since` says since when.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from warroom.domain.sanitize import one_line
from warroom.domain.timesource import TimeSource
from warroom.store.peek import RecordPeek
from warroom.tui.messages import EventsAppended, WriteFailed

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from warroom.domain.events import Event, NewEvent
    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState
    from warroom.live import Delivery, LiveSession
    from warroom.outbox.box import Entry
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store
    from warroom.tui.draft import DraftFile
    from warroom.tui.exporting import ExportRequest

__all__ = ["IncidentLink"]


class IncidentLink:
    """One incident's session for one war-room screen (see the module docstring)."""

    class SessionOpened(Message):
        """The session finished loading (in a worker)."""

        def __init__(self, session: IncidentSession, events: Sequence[Event], state: IncidentState,
                     draft: str, store: Store, policy: Policy) -> None:
            """Carry the session, its timeline, its state, the saved draft, store and policy."""
            super().__init__()
            self.session = session
            self.events = events
            self.state = state
            self.draft = draft
            self.store = store
            self.policy = policy

    class ConnectionChanged(Message):
        """The database went out of reach, or came back (see :attr:`IncidentLink.down_since`)."""

    class QueueChanged(Message):
        """Entries wait in this seat's outbox (``entries``: all of them now, in the order
        typed), or were sent; ``refused``: queued entries the server refused (one line each)."""

        def __init__(self, entries: Sequence[Entry], refused: Sequence[str] = ()) -> None:
            """Carry the queued entries and the refusals."""
            super().__init__()
            self.entries = entries
            self.refused = refused

    class OpenFailed(Message):
        """The incident could not be opened; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            """Carry the error."""
            super().__init__()
            self.error = error

    class ExportFinished(Message):
        """An export was written (``path``) or failed (``error``, one line)."""

        def __init__(self, request: ExportRequest, *, path: Path | None = None,
                     error: str | None = None) -> None:
            """Carry the request and its outcome."""
            super().__init__()
            self.request = request
            self.path = path
            self.error = error

    class ExportExists(Message):
        """The export's target exists: the user is asked before it is replaced."""

        def __init__(self, request: ExportRequest) -> None:
            """Carry the request that was refused."""
            super().__init__()
            self.request = request

    def __init__(
        self,
        owner: DOMNode,
        *,
        store: Store | Callable[[], Store],
        record: IncidentRecord | RecordPeek,
        clock: TimeSource,
        policy: Policy | Callable[[], Policy],
        tz: tzinfo,
        author: str,
    ) -> None:
        """A link for ``owner`` (the screen: it runs the workers and gets the messages).

        ``store`` and ``policy`` may be functions, called in the worker that opens
        the session; ``record`` may be the row peeked with the standard library.
        """
        self._owner = owner
        self._store_source = store
        self._policy_source = policy
        self._record = record
        self.clock = clock
        self.tz = tz
        self.author = author
        #: The session, once the screen has published it (its timeline is shown).
        self.session: IncidentSession | None = None
        self.lock = threading.Lock()
        #: The live session (write queue in ticket order, live feed, reconnects).
        self.live: LiveSession | None = None
        self._polling = False
        #: The read error last shown (each is shown once, not at every poll).
        self._read_error: str | None = None

    @property
    def down_since(self) -> datetime | None:
        """Since when the database cannot be reached (``None``: it can)."""
        return self.live.down_since if self.live is not None else None

    def _post(self, message: Message) -> None:
        self._owner.post_message(message)

    def _run(self, work: Callable[[], None], group: str) -> None:
        self._owner.run_worker(work, thread=True, group=group, exit_on_error=False)

    # ------------------------------------------------------------ opening
    def open(self, draft: DraftFile | None) -> None:
        """Open the session in a worker; posts :class:`SessionOpened` or :class:`OpenFailed`."""
        self._run(lambda: self._open(draft), "db")

    def _open(self, draft_file: DraftFile | None) -> None:
        from warroom.live import LiveSession
        from warroom.service import IncidentSession

        try:
            with self.lock:
                source = self._store_source
                store = source() if callable(source) else source
                record = self._record
                if isinstance(record, RecordPeek):  # the first frame's row: now the real one
                    record = store.incident(record.id)
                policy = (self._policy_source() if callable(self._policy_source)
                          else self._policy_source)
                session = IncidentSession(
                    store, record, time=self.clock, policy=policy, tz=self.tz,
                    author=self.author,
                )
                events = session.timeline_copy()  # compact: no Event built per entry
                state = session.state
                self.live = LiveSession(session, lock=self.lock)
                from warroom.outbox.seat import SeatOutbox

                # PostgreSQL: what cannot be written while the server is away waits here.
                self.live.outbox = SeatOutbox.for_store(store, record.id, time=self.clock,
                                                        tz=self.tz)
            # The events live as long as the war room and hold no reference cycles:
            # keep the cyclic collector from re-scanning 100k of them on every pass.
            gc.freeze()
            draft = draft_file.load() if draft_file is not None else ""
        except Exception as error:  # any failure: one line, never a traceback
            self._post(self.OpenFailed(one_line(str(error)) or type(error).__name__))
            return
        self._post(self.SessionOpened(session, events, state, draft, store, policy))

    # ------------------------------------------------------------ reading
    def poll(self) -> None:
        """Look for other seats' entries (in a worker; skipped while one runs)."""
        if self.session is None or self._polling:
            return
        self._polling = True
        self._run(self._poll, "poll")

    def _poll(self) -> None:
        from warroom.live import POLL_SECONDS

        try:
            if self.live is not None:
                # PostgreSQL: woken by each NOTIFY for most of a poll interval, so another
                # seat's entry is shown as soon as it commits; SQLite: one look.
                self.live.follow(POLL_SECONDS * 0.8, self._look)
        finally:
            self._polling = False

    def _look(self) -> None:
        """Post what the live session has that the UI has not shown (worker thread)."""
        live = self.live
        if live is None:
            return
        was_down = live.down_since
        try:
            delivery = live.poll()  # None while a write runs: it delivers what is new
        except Exception as error:
            # Shown once: the poll runs four times a second and would pile them up.
            message = f"cannot read the database: {one_line(str(error))}"
            if message != self._read_error:
                self._read_error = message
                self._post(WriteFailed(message))
            return
        if delivery is not None or live.down_since is not None:
            self._read_error = None  # read again, or out of reach (shown in the header)
        if delivery is not None and delivery.events:
            self._post(EventsAppended(list(delivery.events), delivery.state))
        self._post_queue(delivery)
        if live.down_since != was_down:
            self._post(self.ConnectionChanged())

    # ------------------------------------------------------------ writing
    def write(self, new: NewEvent, line: str | None = None) -> None:
        """Write ``new`` in a worker, after every write asked for before it.

        Posts :class:`~warroom.tui.messages.EventsAppended` (with ``own`` set) or
        :class:`~warroom.tui.messages.WriteFailed` carrying ``line`` (the scribe's
        text, given back to the input).
        """
        live = self.live if self.session is not None else None
        ticket = live.take_ticket() if live is not None else -1
        self._run(lambda: self._write(new, line, ticket), "db")

    def _write(self, new: NewEvent, line: str | None, ticket: int) -> None:
        from warroom.domain.parser import ParseError

        live = self.live
        was_down = live.down_since if live is not None else None
        try:
            if live is None or ticket < 0:
                raise ParseError("the incident is still loading; try again")
            delivery = live.write(new, ticket, line)
        except ParseError as error:
            self._post(WriteFailed(one_line(str(error)), line))
            return
        except Exception as error:
            reason = one_line(str(error)) or type(error).__name__
            self._post(WriteFailed(f"not saved: {reason}", line))
            return
        finally:
            if live is not None and live.down_since != was_down:
                self._post(self.ConnectionChanged())
        if delivery.written is not None or delivery.events:
            self._post(EventsAppended(list(delivery.events), delivery.state,
                                      own=delivery.written))
        self._post_queue(delivery)

    def _post_queue(self, delivery: Delivery | None) -> None:
        if delivery is not None and delivery.queued is not None:
            self._post(self.QueueChanged(list(delivery.queued), list(delivery.refused)))

    # ------------------------------------------------------------ export
    def export(self, request: ExportRequest, *, force: bool = False) -> None:
        """Render and write an export in a worker; posts :class:`ExportFinished` or
        :class:`ExportExists` (the target exists and ``force`` is not set)."""
        self._run(lambda: self._export(request, force), "export")

    def _export(self, request: ExportRequest, force: bool) -> None:
        from warroom.export.atomic import OutputExistsError
        from warroom.report.source import postmortem_context
        from warroom.tui.exporting import render_export, write_export

        try:
            with self.lock:
                session = self.session
                if session is None:
                    raise RuntimeError("the incident is still loading")
                snapshot = session.timeline_copy()
                state = session.state
                record = session.record
                policy = session.incident_policy
                review = postmortem_context(session)  # other causes, runbook lint
            # The compact log itself: the exporters read its columns (no Event per entry).
            text = render_export(
                request.fmt, record, snapshot, policy, state=state, now=self.clock.now(),
                tz=self.tz, review=review,
            )
            path = write_export(request.path, text, force=force)
        except OutputExistsError:
            self._post(self.ExportExists(request))
        except Exception as error:
            reason = one_line(str(error)) or type(error).__name__
            self._post(self.ExportFinished(request, error=reason))
        else:
            self._post(self.ExportFinished(request, path=path))
