"""The war room for one incident: header, timeline, scribe input and the three panes.

The screen owns the :class:`~warroom.service.IncidentSession`. Every session call
runs in a thread worker under one lock, so the UI thread never waits on SQLite;
results come back as messages. State flows down: on every change and on the
one-second tick the screen builds an :class:`~warroom.tui.messages.IncidentView`
and hands it to the header and each pane (``show(view)``). Requests flow up:
panes post :class:`~warroom.tui.messages.SubmitEvent` /
:class:`~warroom.tui.messages.SubmitLine` and the screen writes them.

Other seats' entries arrive through :meth:`IncidentSession.poll` every 0.25 s:
one cheap ``PRAGMA data_version`` check, then only the new rows.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from warroom.domain.sanitize import one_line
from warroom.domain.timesource import TimeSource
from warroom.live import POLL_SECONDS
from warroom.tui.draft import DraftFile, draft_for
from warroom.tui.messages import (
    EventsAppended,
    IncidentView,
    SubmitEvent,
    SubmitLine,
    WriteFailed,
)
from warroom.tui.record_peek import RecordPeek
from warroom.tui.widgets.footer import QuietFooter, key_label
from warroom.tui.widgets.header import IncidentHeader, clock_text, zone_label
from warroom.tui.widgets.pane_support import PaletteCommand, set_text
from warroom.tui.widgets.pane_tabs import PaneTab, PaneTabs
from warroom.tui.widgets.scribe_input import ScribeBox, ScribeInput, is_help_request
from warroom.tui.widgets.timeline import Timeline, TimelineFilterBar

if TYPE_CHECKING:
    from warroom.domain.events import Event, NewEvent
    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState
    from warroom.live import LiveSession
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store
    from warroom.tui.exporting import ExportRequest

__all__ = [
    "PANES",
    "POLL_SECONDS",
    "WarRoomScreen",
]

#: The four panes, in tab order: id → tab label.
PANES: dict[str, str] = {
    "timeline": "Timeline",
    "roster": "Roster",
    "countdowns": "Clocks",
    "composer": "Status",
}

def _breakpoint(breakpoints: list[tuple[int, str]], width: int) -> str:
    """The class of the widest breakpoint ``width`` reaches (as Textual applies them)."""
    chosen = breakpoints[0][1]
    for minimum, name in breakpoints:
        if width >= minimum:
            chosen = name
    return chosen


#: How long the scribe may pause before the draft is written (seconds).
DRAFT_DEBOUNCE_SECONDS = 0.3


class WarRoomScreen(Screen[None]):
    """One incident's war room (see the module docstring)."""

    CSS_PATH = "war_room.tcss"
    #: The scribe input has the focus from the first frame.
    AUTO_FOCUS = "#scribe-input"
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012 (Textual's type)
        (0, "-narrow"), (120, "-wide"), (160, "-xwide"), (190, "-xxwide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        # Function keys are priority bindings: the composer's TextArea would otherwise
        # take F5-F7 (select word / line / all) while it has focus.
        Binding("f1", "help", "Help", id="war_room.help", priority=True,
                tooltip="Help for the focused pane (and the scribe's commands)"),
        Binding(
            "f2", "pane('timeline')", "Timeline", id="war_room.timeline", show=False,
            priority=True, tooltip="Show and focus the timeline",
        ),
        Binding(
            "f3", "pane('roster')", "Roster", id="war_room.roster", show=False, priority=True,
            tooltip="Show and focus the roster (assign and hand off roles)",
        ),
        Binding(
            "f4", "pane('countdowns')", "Clocks", id="war_room.countdowns", show=False,
            priority=True, tooltip="Show and focus the countdowns",
        ),
        Binding(
            "f5", "pane('composer')", "Status", id="war_room.composer", show=False,
            priority=True, tooltip="Show and focus the status-update composer",
        ),
        Binding(
            "f6", "checkpoint", "Checkpoint", id="war_room.checkpoint", priority=True,
            tooltip="Answer the IC checkpoint's four questions into the timeline",
        ),
        Binding(
            "f7", "escalate", "Escalate", id="war_room.escalate", priority=True,
            tooltip="Confirm the SEV2 → SEV1 escalation (offered when it is due)",
        ),
        Binding(
            "f8", "export('md')", "Export", id="war_room.export", priority=True,
            tooltip="Export the post-mortem draft (Markdown) or the JSON export to a file",
        ),
        Binding(
            "escape", "scribe", "Scribe", id="war_room.scribe", show=False,
            tooltip="Back to the scribe input",
        ),
        Binding(
            "ctrl+f", "filter", "Filter", id="war_room.filter",
            tooltip="Filter the timeline by kind or text",
        ),
        Binding(
            "ctrl+o", "incidents", "Incidents", id="war_room.incidents",
            tooltip="Back to the list of incidents",
        ),
    ]

    HELP = """\
## War room

The timeline (left) is the record; the scribe input under it writes to it.
On the right: the **roster**, the **countdowns** and the **status composer**.
On a narrow terminal the panes are tabs: F2–F5 switch between them. F2 puts the
cursor in the scribe input; F2 again moves to the list of entries (its one-letter
keys act on the selected entry) and back.
The header always shows the most urgent clock. F6 runs the IC checkpoint and
F7 confirms the SEV2 → SEV1 escalation when it is due, wherever the focus is;
F8 exports the post-mortem draft. Type `/help` in the scribe input for its
commands; Ctrl+P lists every action.
"""

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

    class ConnectionChanged(Message):
        """The database went out of reach, or came back (the header says which)."""

    class OpenFailed(Message):
        """The incident could not be opened; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            """Carry the error."""
            super().__init__()
            self.error = error

    def __init__(
        self,
        *,
        store: Store | Callable[[], Store],
        record: IncidentRecord | RecordPeek,
        clock: TimeSource,
        policy: Policy | Callable[[], Policy],
        tz: tzinfo,
        author: str,
        live: bool = True,
        db_path: Path | None = None,
    ) -> None:
        """A war room for ``record``; ``live=False`` runs no timers (snapshots, tests).

        ``store`` and ``policy`` may be given as functions: they are then called in
        the worker that opens the session, after the first frame (the app opens the
        database and resolves the policy there, so the window is drawn first).
        ``record`` may be the row peeked with the standard library
        (:class:`~warroom.tui.record_peek.RecordPeek`); the worker replaces it with
        the store's record.
        """
        # The breakpoint class from the start (Textual sets it at the first resize):
        # styles are then right the first time, with no re-style before the first frame.
        try:
            width = self.app.size.width
        except Exception:  # built outside a running app
            width = 0
        classes = f"-pane-timeline {_breakpoint(self.HORIZONTAL_BREAKPOINTS or [], width)}"
        super().__init__(name=f"incident-{record.id}", classes=classes)
        self._store_source = store
        self._policy_source = policy
        #: The database (``None`` until the session's worker has opened it).
        self.store: Store | None = None if callable(store) else store
        #: The policy in force (``None`` until the session's worker has resolved it).
        self.policy: Policy | None = None if callable(policy) else policy
        self.record = record
        self.clock = clock
        self.tz = tz
        self.author = author
        self.live = live
        self.session: IncidentSession | None = None
        self.state: IncidentState | None = None
        self._lock = threading.Lock()
        #: The live session (write queue, live feed, reconnects): set when the incident opens.
        self.live_session: LiveSession | None = None
        self._polling = False
        self._active_pane = "timeline"  # not ``_pane``: that is the pane-lookup method
        where = db_path if db_path is not None else getattr(self.store, "path", None)
        self._draft: DraftFile | None = draft_for(where, record.id, author)
        self._draft_timer: Timer | None = None
        self._draft_seq = 0
        self._draft_lock = threading.Lock()
        self._skip_draft = False
        self._error_value: str | None = None
        self._live_timers: list[Timer] = []
        self._view: IncidentView | None = None
        self._escalation_offered = False
        self._keys: dict[str, str] = {}
        self._overdue_label = ""
        self._mounting_panes = False
        self._panes: dict[str, Widget] = {}
        self._shown_once = False

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        """Header, tabs (narrow terminals), timeline + scribe, the panes, footer.

        The right-hand panes are mounted with the incident's first view, once the
        session is read (:meth:`_mount_panes`): one layout, and nothing competes
        with the reading worker for the interpreter meanwhile.
        """
        # Widgets used on every tick are kept here: a query walks the whole screen.
        self._header = IncidentHeader(id="header", title=self.record.title)
        yield self._header
        self._tab_widgets = {pane: PaneTab(self._tab_label(pane), id=f"tab-{pane}")
                             for pane in PANES}
        self._tabs = PaneTabs(*self._tab_widgets.values(), id="pane-tabs",
                              active=f"tab-{self._active_pane}")
        with Horizontal(id="tab-row"):
            yield self._tabs
            # Narrow terminals: the wall clock (UTC and local) sits here, where there is room.
            self._tab_clock = Static(clock_text(self.clock.now(), self.tz), id="tab-clock",
                                     markup=False)
            yield self._tab_clock
        with Horizontal(id="body"):
            with Vertical(id="left"):
                self._timeline = Timeline(tz=self.tz, id="timeline")
                self._timeline.border_title = f"Timeline · {self._zone_title()}"
                yield self._timeline
                self._filter_bar = TimelineFilterBar(id="filter-bar")
                yield self._filter_bar
                self._scribe_box = ScribeBox(self._names, id="scribe")
                yield self._scribe_box
            self._side = Vertical(id="side")
            yield self._side
        # The keys appear with the incident (F7 is offered only when it is due).
        self._footer = QuietFooter(held=True)
        yield self._footer

    def _tab_label(self, pane: str, extra: str = "") -> Text:
        """A tab's label: its key (dim, as remapped), its name and ``extra`` (e.g. "⚠2")."""
        key = self.key_for(f"pane('{pane}')")
        label = Text.assemble((f"{key} " if key else "", "dim"), PANES[pane])
        if extra:
            label.append(f" {extra}", style="bold")
        return label

    def key_for(self, action: str) -> str:
        """The key that runs the screen's ``action`` as shown to the user ("F7"), or ``""``.

        Follows the user's keymap (the config's ``keybindings``, by binding id).
        """
        if action not in self._keys:
            config = getattr(self.app, "config", None)
            keymap = dict(getattr(config, "keybindings", None) or {})
            shown = ""
            for binding in self.BINDINGS:
                if isinstance(binding, Binding) and binding.action == action:
                    key = keymap.get(binding.id or "", binding.key).split(",")[0].strip()
                    shown = key_label(self.app.get_key_display(replace(binding, key=key)))
                    break
            self._keys[action] = shown
        return self._keys[action]

    def _zone_title(self) -> str:
        return f"times in {zone_label(self.clock.now(), self.tz)}"

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown for the first time: its widgets were styled as they mounted.

        Textual re-styles every widget of a screen that is shown (for changes made
        while it was hidden); the first time there are none, so that pass is skipped.
        """
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        """Focus the scribe input; after the first frame, read the incident (a worker)."""
        self.scribe_input.focus()
        # First frame first: the reading thread would otherwise compete for the GIL.
        self.call_after_refresh(self._open_session)

    async def _mount_panes(self) -> None:
        """Mount the roster, countdowns and composer (once, when the session is open)."""
        if self._mounting_panes:
            return
        self._mounting_panes = True
        from warroom.tui.widgets.countdowns import CountdownsPane
        from warroom.tui.widgets.roster import RosterPane
        from warroom.tui.widgets.status_composer import StatusComposerPane

        panes: dict[str, Widget] = {
            "roster": RosterPane(id="roster"),
            "countdowns": CountdownsPane(id="countdowns"),
            "composer": StatusComposerPane(id="composer"),
        }
        await self._side.mount_all(panes.values())
        # Only now: a tick (or a resize) while they mount must not reach half-built panes.
        self._panes = panes

    def on_resize(self) -> None:
        """The breakpoint may have changed: move the wall clock to where it fits."""
        self.call_after_refresh(self.refresh_view)

    def _pane(self, pane_id: str) -> Widget | None:
        """A right-hand pane, or ``None`` before the panes are mounted."""
        return self._panes.get(pane_id)

    def on_unmount(self) -> None:
        """Write the draft one last time."""
        self._flush_draft()

    @property
    def scribe_input(self) -> ScribeInput:
        """The scribe's input line."""
        return self._scribe_box.input

    @property
    def timeline(self) -> Timeline:
        """The timeline widget."""
        return self._timeline

    def _names(self) -> tuple[str, ...]:
        return self.state.people if self.state is not None else ()

    # ------------------------------------------------------------ opening
    @work(thread=True, group="db", exit_on_error=False)
    def _open_session(self) -> None:
        from warroom.live import LiveSession
        from warroom.service import IncidentSession

        try:
            with self._lock:
                store = self._store_source() if callable(self._store_source) else self.store
                assert store is not None
                record = self.record
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
                self.live_session = LiveSession(session, lock=self._lock)
            # The events live as long as the war room and hold no reference cycles:
            # keep the cyclic collector from re-scanning 100k of them on every pass.
            gc.freeze()
            draft = self._draft.load() if self._draft is not None else ""
        except Exception as error:  # any failure: one line, never a traceback
            self.post_message(self.OpenFailed(one_line(str(error)) or type(error).__name__))
            return
        self.post_message(self.SessionOpened(session, events, state, draft, store, policy))

    @on(SessionOpened)
    async def _session_opened(self, message: SessionOpened) -> None:
        # One batch: the panes, the timeline and the first view land in one frame.
        with self.app.batch_update():
            await self._mount_panes()
            # The session is published only with its timeline loaded (others wait on it).
            self.store = message.store
            self.policy = message.policy
            self.record = message.session.record
            self.state = message.state
            self.timeline.load(message.events, message.state)
            self.session = message.session
            if message.draft and not self.scribe_input.value:
                self._skip_draft = True
                self.scribe_input.value = message.draft
                self.scribe_input.cursor_position = len(message.draft)
                self._scribe_box.show_hint("Restored your unsent draft.")
            self.refresh_view()
            self._footer.release()
            for pane_id in ("roster", "countdowns", "composer"):
                settle = getattr(self._pane(pane_id), "settle", None)
                if settle is not None:
                    await settle()
        finished = getattr(self.app, "startup_finished", None)
        if finished is not None:
            self.call_after_refresh(finished)
        if self.live:
            self._live_timers = [
                self.set_interval(1.0, self.refresh_view, name="tick"),
                self.set_interval(POLL_SECONDS, self.poll, name="poll"),
            ]

    @on(OpenFailed)
    async def _open_failed(self, message: OpenFailed) -> None:
        finished = getattr(self.app, "startup_finished", None)
        if finished is not None:
            finished()
        await self._mount_panes()
        self._footer.release()
        self.notify(
            f"Cannot open the incident: {message.error}", severity="error", timeout=10,
            markup=False,
        )

    # ------------------------------------------------------------ view
    def build_view(self) -> IncidentView | None:
        """The view of the incident now (``None`` until the session is open)."""
        if self.state is None or self.policy is None:
            return None
        from warroom.domain.clocks import clocks, effective_severity

        now = self.clock.now()
        return IncidentView(
            state=self.state,
            clocks=clocks(self.state, self.policy, now),
            now=now,
            severity=effective_severity(self.state, self.policy, now),
            policy=self.policy,
            tz=self.tz,
            record_title=self.record.title,
            keys={"escalate": self.key_for("escalate"), "checkpoint": self.key_for("checkpoint")},
        )

    def refresh_view(self) -> None:
        """Push a fresh view to the header and every pane (the one-second tick).

        One batch: the header and the panes update in the same frame, and widgets
        whose text did not change are not touched.
        """
        view = self.build_view()
        if view is None:
            return
        self._view = view
        narrow = self.has_class("-narrow")
        with self.app.batch_update():
            # Out of reach: "reconnecting since …" where the wall clock is.
            down = self.live_session.down_since if self.live_session is not None else None
            self._header.show_offline(None if narrow else down)
            self._header.show(view, with_clock=not narrow)
            if narrow:
                offline = f"reconnecting since {down:%H:%M:%S}" if down is not None else ""
                set_text(self._tab_clock, offline or clock_text(view.now, view.tz))
                self._tab_clock.set_class(bool(offline), "-offline")
            if self._panes:
                for pane_id in ("roster", "countdowns", "composer"):
                    show = getattr(self._pane(pane_id), "show", None)
                    if show is not None:
                        show(view)
            overdue = sum(1 for c in view.clocks if c.state == "overdue")
            extra = f"⚠{overdue}" if overdue else ""
            if extra != self._overdue_label:
                self._overdue_label = extra
                self._tab_widgets["countdowns"].label = self._tab_label("countdowns", extra)
        offered = self.escalation_due
        if offered != self._escalation_offered:
            self._escalation_offered = offered
            self.refresh_bindings()

    @property
    def escalation_due(self) -> bool:
        """Whether the SEV2 → SEV1 escalation clock is due soon or overdue."""
        view = self._view
        if view is None:
            return False
        clock = next((c for c in view.clocks if c.id == "sev2_escalation"), None)
        return clock is not None and clock.state in ("due_soon", "overdue")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F7 (escalate) is offered only while the SEV2 → SEV1 escalation is due."""
        if action == "escalate":
            return self.escalation_due
        return True

    # ------------------------------------------------------------ reading
    def poll(self) -> None:
        """Look for other seats' entries (in a worker; skipped while one runs)."""
        if self.live_session is None or self._polling:
            return
        self._polling = True
        self._poll_worker()

    @work(thread=True, group="poll", exit_on_error=False)
    def _poll_worker(self) -> None:
        try:
            live = self.live_session
            if self.live and live is not None:
                # PostgreSQL: woken by each NOTIFY for most of a poll interval, so another
                # seat's entry is shown as soon as it commits; SQLite: one look.
                live.follow(POLL_SECONDS * 0.8, self._deliver_news)
            else:
                self._deliver_news()
        finally:
            self._polling = False

    def _deliver_news(self) -> None:
        """Post what the live session has that the UI has not shown (worker thread)."""
        live = self.live_session
        if live is None:
            return
        was_down = live.down_since
        try:
            delivery = live.poll()
        except Exception as error:
            self.post_message(WriteFailed(f"cannot read the database: {one_line(str(error))}"))
            return
        if delivery is not None and delivery.events:
            self.post_message(EventsAppended(list(delivery.events), delivery.state))
        if live.down_since != was_down:
            self.post_message(self.ConnectionChanged())

    @on(ConnectionChanged)
    def _connection_changed(self) -> None:
        self.refresh_view()

    @on(EventsAppended)
    def _events_appended(self, message: EventsAppended) -> None:
        state = message.state if message.state is not None else self.state
        self.timeline.add(message.events, state)
        if state is not None:
            self.state = state
        self.refresh_view()

    # ------------------------------------------------------------ writing
    def _write(self, new: NewEvent, line: str | None = None) -> None:
        """Write ``new`` in a worker, after every write asked for before it."""
        live = self.live_session
        ticket = live.take_ticket() if live is not None else -1
        self._write_worker(new, line, ticket)

    @work(thread=True, group="db", exit_on_error=False)
    def _write_worker(self, new: NewEvent, line: str | None, ticket: int) -> None:
        from warroom.domain.parser import ParseError

        live = self.live_session
        try:
            if live is None or ticket < 0:
                raise ParseError("the incident is still loading; try again")
            delivery = live.write(new, ticket)
        except ParseError as error:
            self.post_message(WriteFailed(one_line(str(error)), line))
            return
        except Exception as error:
            reason = one_line(str(error)) or type(error).__name__
            self.post_message(WriteFailed(f"not saved: {reason}", line))
            if live is not None and live.down_since is not None:
                self.post_message(self.ConnectionChanged())
            return
        self.post_message(EventsAppended(list(delivery.events), delivery.state))

    def submit_line(self, line: str, *, from_scribe: bool = False) -> bool:
        """Parse ``line`` and write it; a parse error is shown and ``False`` returned.

        ``/help`` opens the help screen and ``/checkpoint`` alone the checkpoint form;
        neither is logged.
        """
        from warroom.domain.parser import ParseError, is_bare_checkpoint, parse_entry

        if is_help_request(line):
            self.call_later(self.action_help)
            return True
        if is_bare_checkpoint(line):
            self.call_later(self.action_checkpoint)
            return True
        try:
            new = parse_entry(line, now=self.clock.now(), tz=self.tz, author=self.author)
        except ParseError as error:
            if from_scribe:
                self._scribe_error(one_line(str(error)), line)
            else:
                self.notify(one_line(str(error)), severity="error", markup=False)
            return False
        self._write(new, line if from_scribe else None)
        return True

    @on(ScribeInput.Entered)
    def _scribe_entered(self, message: ScribeInput.Entered) -> None:
        message.stop()
        line = message.line
        if self.submit_line(line, from_scribe=True):
            scribe = message.scribe
            scribe.remember(line)
            self._skip_draft = True
            scribe.value = ""
            self._scribe_box.clear_message()

    @on(SubmitLine)
    def _submit_line(self, message: SubmitLine) -> None:
        message.stop()
        self.submit_line(message.line)

    @on(SubmitEvent)
    def _submit_event(self, message: SubmitEvent) -> None:
        message.stop()
        self._write(message.new_event)

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        if message.line is not None:
            scribe = self.scribe_input
            if not scribe.value:
                scribe.value = message.line
                scribe.cursor_position = len(message.line)
            self._scribe_error(message.error, scribe.value)
        else:
            self.notify(message.error, severity="error", timeout=8, markup=False)

    def _scribe_error(self, error: str, value: str) -> None:
        """Show ``error`` under the input until the line (``value``) is edited."""
        self._error_value = value
        self._scribe_box.show_error(error)

    # ------------------------------------------------------------ draft
    @on(Input.Changed, "#scribe-input")
    def _scribe_changed(self, event: Input.Changed) -> None:
        box = self._scribe_box
        if box.has_class("-error") and self.scribe_input.value != self._error_value:
            box.clear_message()
        if self._skip_draft:
            self._skip_draft = False
            if event.value:
                return
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DEBOUNCE_SECONDS, self._save_draft)

    def _save_draft(self) -> None:
        self._draft_seq += 1
        self._draft_worker(self.scribe_input.value, self._draft_seq)

    @work(thread=True, group="draft", exit_on_error=False)
    def _draft_worker(self, text: str, seq: int) -> None:
        with self._draft_lock:
            if seq != self._draft_seq or self._draft is None:
                return  # a newer draft is on its way
            try:
                self._draft.save(text)
            except OSError as error:
                self.post_message(WriteFailed(f"draft not saved: {one_line(str(error))}"))

    def _flush_draft(self) -> None:
        if self._draft is None or self.session is None:
            return
        try:
            value = self.scribe_input.value
        except Exception:
            return
        with self._draft_lock:
            self._draft_seq += 1
            with contextlib.suppress(OSError):
                self._draft.save(value)

    # ------------------------------------------------------------ timeline
    @on(Timeline.EntrySelected)
    def _entry_selected(self, message: Timeline.EntrySelected) -> None:
        from warroom.tui.screens.entry_detail import EntryDetailScreen

        timeline = self.timeline
        event = message.event
        corrections = self.state.corrections if self.state is not None else {}
        original = event.text if event.id in corrections else None
        self.app.push_screen(
            EntryDetailScreen(
                event,
                text=timeline.display_text(event),
                original=original,
                key=timeline.is_key(event),
                tz=self.tz,
            )
        )

    @on(Timeline.CorrectRequested)
    def _correct_requested(self, message: Timeline.CorrectRequested) -> None:
        scribe = self.scribe_input
        scribe.value = f"/fix {message.event.id} {message.text}"
        scribe.cursor_position = len(scribe.value)
        scribe.focus()

    @on(TimelineFilterBar.Changed)
    def _filter_changed(self, message: TimelineFilterBar.Changed) -> None:
        self.timeline.set_filter(message.value)

    @on(TimelineFilterBar.Closed)
    def _filter_closed(self) -> None:
        self.scribe_input.focus()

    # ------------------------------------------------------------ panes
    @on(PaneTabs.Clicked)
    def _tab_clicked(self, event: PaneTabs.Clicked) -> None:
        event.stop()
        if event.tab.id:
            self._show_pane(event.tab.id.removeprefix("tab-"))

    def _show_pane(self, pane: str) -> None:
        if pane not in PANES:
            return
        if pane != self._active_pane:
            self.remove_class(f"-pane-{self._active_pane}")
            self.add_class(f"-pane-{pane}")
        self._active_pane = pane
        self._tabs.active = f"tab-{pane}"

    def action_pane(self, pane: str) -> None:
        """Show ``pane`` (a tab on narrow terminals) and focus it.

        A pane with a ``default_focus`` widget (the composer's text) focuses that. The
        timeline pane focuses the scribe input first, its list on a second press.
        """
        if pane == "timeline":
            # Typing goes to the scribe input: F2 lands there, and F2 again moves to
            # the list (whose single-letter keys act on entries), and back.
            self._show_pane("timeline")
            if self.scribe_input.has_focus:
                self.timeline.focus()
            else:
                self.scribe_input.focus()
            return
        self._show_pane(pane)
        target = self._pane(pane)
        if target is None:
            return
        preferred = getattr(target, "default_focus", None)
        if isinstance(preferred, Widget) and preferred.focusable:
            preferred.focus()
        elif target.focusable:
            target.focus()
        else:
            for child in target.query("*"):
                if child.focusable:
                    child.focus()
                    break

    def action_scribe(self) -> None:
        """Focus the scribe input (showing the timeline pane)."""
        self._show_pane("timeline")
        self.scribe_input.focus()

    async def action_filter(self) -> None:
        """Show the timeline filter."""
        self._show_pane("timeline")
        await self._filter_bar.open()

    async def action_checkpoint(self) -> None:
        """Open the IC checkpoint form (its answers go into the timeline)."""
        countdowns = self._pane("countdowns")
        if countdowns is not None:
            await countdowns.run_action("checkpoint")

    async def action_escalate(self) -> None:
        """Confirm the SEV2 → SEV1 escalation (one key), when it is due."""
        countdowns = self._pane("countdowns")
        if countdowns is not None:
            await countdowns.run_action("confirm_escalation")

    # ------------------------------------------------------------ export
    def action_export(self, fmt: str = "md") -> None:
        """Ask where to write the post-mortem draft (or JSON export), then write it."""
        from warroom.tui.exporting import ExportFormat
        from warroom.tui.screens.export import ExportScreen

        if self.session is None:
            self.notify("The incident is still loading; try again.", severity="warning",
                        markup=False)
            return
        screen = ExportScreen(
            self.record.slug, fmt=ExportFormat(fmt), db_path=getattr(self.store, "path", None)
        )
        self.app.push_screen(screen, self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self._export_worker(request, False)

    @work(thread=True, group="export", exit_on_error=False)
    def _export_worker(self, request: ExportRequest, force: bool) -> None:
        from warroom.export.atomic import OutputExistsError
        from warroom.tui.exporting import render_export, write_export

        try:
            with self._lock:
                session = self.session
                if session is None:
                    raise RuntimeError("the incident is still loading")
                snapshot = session.timeline_copy()
                state = session.state
                record = session.record
                policy = session.policy
            # The compact log itself: the exporters read its columns (no Event per entry).
            text = render_export(
                request.fmt, record, snapshot, policy, state=state, now=self.clock.now(),
                tz=self.tz,
            )
            path = write_export(request.path, text, force=force)
        except OutputExistsError:
            self.post_message(self.ExportExists(request))
        except Exception as error:
            reason = one_line(str(error)) or type(error).__name__
            self.post_message(self.ExportFinished(request, error=reason))
        else:
            self.post_message(self.ExportFinished(request, path=path))

    @on(ExportExists)
    def _export_exists(self, message: ExportExists) -> None:
        from warroom.tui.screens.confirm import ConfirmScreen

        request = message.request

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                self._export_worker(request, True)
            else:
                self.notify(f"Not exported: {request.path} was kept as it is.",
                            severity="warning", markup=False)

        self.app.push_screen(
            ConfirmScreen(
                f"Replace {request.path.name}?",
                f"{request.path} already exists. Replace it with this export?",
                confirm_label="Replace (y)",
                cancel_label="Keep it (n)",
            ),
            answered,
        )

    @on(ExportFinished)
    def _export_finished(self, message: ExportFinished) -> None:
        what = message.request.fmt.label
        if message.error is not None:
            self.notify(f"{what} not written: {message.error}", severity="error", timeout=10,
                        markup=False)
        else:
            self.notify(f"{what} written to {message.path}", title="Exported", timeout=10,
                        markup=False)

    def action_incidents(self) -> None:
        """Go back to the incident list."""
        show = getattr(self.app, "show_incidents", None)
        if show is not None:
            show()
        else:
            self.app.pop_screen()

    def action_help(self) -> None:
        """Help for the focused pane and the keys active now."""
        from warroom.tui.widgets.help import HelpScreen, help_for, keys_markdown

        self.app.push_screen(HelpScreen(help_for(self.focused, self), keys_markdown(self)))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """The war room's commands for the command palette."""
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                action = binding.action

                def run(action: str = action) -> Any:
                    return self.run_action(action)

                key = self.key_for(action)
                yield PaletteCommand(
                    f"War room: {binding.tooltip or binding.description}",
                    f"{binding.description} · key {key}" if key else binding.description,
                    run,
                )
        yield PaletteCommand(
            "War room: Export the incident as JSON (events, state, metrics)",
            "Writes the JSON export that `warroom import` reads back",
            lambda: self.action_export("json"),
        )
        timeline = self.timeline
        for title, action, help_text in (
            ("Timeline: show entry details", "open_entry", "The whole selected entry"),
            ("Timeline: mark selected entry as key", "mark_key", "Logs /mark ID"),
            ("Timeline: correct selected entry", "correct", "Pre-fills /fix ID"),
            ("Timeline: follow newest entries", "last", "Jump to the end"),
        ):
            def run_timeline(action: str = action) -> Any:
                return timeline.run_action(action)

            yield PaletteCommand(title, help_text, run_timeline)
        for pane_id in ("roster", "countdowns", "composer"):
            pane = self._pane(pane_id)
            commands = getattr(pane, "palette_commands", None)
            if commands is not None:
                yield from commands()
