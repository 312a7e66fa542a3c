"""The war room for one incident: header, timeline, scribe input and the three panes.

The screen is presentation: layout, focus and panes, and what the scribe sees. Its
:class:`~warroom.tui.incident_link.IncidentLink` owns the
:class:`~warroom.service.IncidentSession` and does every read and write in a
worker, off the UI thread; results come back as messages. State flows down: on
every change and on the one-second tick the screen builds an
:class:`~warroom.tui.messages.IncidentView` and hands it to the header and each
pane (``show(view)``). Requests flow up: panes post
:class:`~warroom.tui.messages.SubmitEvent` / :class:`~warroom.tui.messages.SubmitLine`
and the screen has them written. The header and tab row are a
:class:`~warroom.tui.screens.war_room_frame.WarRoomFrame`. Its keys, help and
palette entries are in :mod:`warroom.tui.screens.war_room_keys`, what the keys do
(the ``action_*`` methods) in :mod:`warroom.tui.screens.war_room_actions`; the unsent draft
is kept by a :class:`~warroom.tui.draft_keeper.DraftKeeper`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from warroom.domain.timesource import TimeSource
from warroom.live import POLL_SECONDS as LIVE_POLL_SECONDS
from warroom.store.peek import RecordPeek
from warroom.tui.console import console_of
from warroom.tui.draft import draft_for
from warroom.tui.draft_keeper import DraftKeeper
from warroom.tui.incident_link import IncidentLink
from warroom.tui.messages import (
    EventsAppended,
    IncidentView,
    SubmitEvent,
    SubmitLine,
    WriteFailed,
)
from warroom.tui.panes.scribe.history import HistoryKeeper, history_for
from warroom.tui.panes.scribe.pane import ScribeBox, ScribeInput
from warroom.tui.panes.timeline.pane import Timeline, TimelineFilterBar
from warroom.tui.review import ReviewWatcher
from warroom.tui.screens.war_room_actions import WarRoomActions
from warroom.tui.screens.war_room_export import ExportDesk
from warroom.tui.screens.war_room_frame import WarRoomFrame
from warroom.tui.screens.war_room_keys import (
    BINDINGS,
    HELP,
    PANES,
    breakpoint_class,
    palette_commands,
)
from warroom.tui.screens.war_room_scribe import ScribeDesk
from warroom.tui.status_draft import StatusComposerLike, StatusDraft
from warroom.tui.widgets.footer import QuietFooter, shown_key
from warroom.tui.widgets.pane_tabs import PaneTabs
from warroom.tui.widgets.side_panes import SidePanes

if TYPE_CHECKING:
    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store
    from warroom.tui.panes import Pane

__all__ = ["PANES", "WarRoomScreen"]


#: How often other seats' entries are looked for (seconds; the live session's cadence).
POLL_SECONDS = LIVE_POLL_SECONDS


class WarRoomScreen(WarRoomActions, Screen[None]):
    """One incident's war room (see the module docstring)."""

    CSS_PATH = "war_room.tcss"
    #: The scribe input has the focus from the first frame.
    AUTO_FOCUS = "#scribe-input"
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [  # noqa: RUF012 (Textual's type)
        (0, "-narrow"), (120, "-wide"), (160, "-xwide"), (190, "-xxwide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = BINDINGS

    HELP = HELP

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
        history_dir: Path | None = None,
    ) -> None:
        """A war room for ``record``; ``live=False`` runs no timers (snapshots, tests).

        ``store`` and ``policy`` may be given as functions: they are then called in
        the worker that opens the session, after the first frame (the app opens the
        database and resolves the policy there, so the window is drawn first).
        ``record`` may be the row peeked with the standard library
        (:class:`~warroom.store.peek.RecordPeek`); the worker replaces it with
        the store's record. ``history_dir`` keeps the scribe's sent lines per
        incident (``None``: for this visit only).
        """
        # The breakpoint class from the start (Textual sets it at the first resize):
        # styles are then right the first time, with no re-style before the first frame.
        try:
            width = self.app.size.width
        except Exception:  # built outside a running app
            width = 0
        classes = f"-pane-timeline {breakpoint_class(self.HORIZONTAL_BREAKPOINTS or [], width)}"
        super().__init__(name=f"incident-{record.id}", classes=classes)
        #: The database (``None`` until the session's worker has opened it).
        self.store: Store | None = None if callable(store) else store
        #: The policy in force (``None`` until the session's worker has resolved it).
        self.policy: Policy | None = None if callable(policy) else policy
        self.record = record
        self.clock = clock
        self.tz = tz
        self.author = author
        self.live = live
        self.state: IncidentState | None = None
        self._link = IncidentLink(self, store=store, record=record, clock=clock, policy=policy,
                                  tz=tz, author=author)
        self._lock = self._link.lock  # the session's lock (the review watcher reads under it)
        self._review = ReviewWatcher(self)  # runbook link, post-mortem verdict (roster)
        self._frame = WarRoomFrame(self)
        where = db_path if db_path is not None else getattr(self.store, "path", None)
        self._drafts = DraftKeeper(self, draft_for(where, record.id, author),
                                   lambda: self.scribe_input.value)
        self._status_draft = StatusDraft(self, where, record.id, author)
        self._history = HistoryKeeper(self, history_for(history_dir, where, record.id, author))
        self._desk = ScribeDesk(self)
        self._exports = ExportDesk(self)
        self._live_timers: list[Timer] = []
        self._view: IncidentView | None = None
        self._escalation_offered = False
        self._keys: dict[str, str] = {}
        self._shown_once = False

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        """Header, tabs (narrow terminals), timeline + scribe, the panes, footer.

        The right-hand panes are mounted once the session is read and the frame
        that shows its timeline is drawn (:meth:`SidePanes.mount_panes`): nothing
        competes with the reading worker for the interpreter meanwhile, and the
        incident's newest entries are not held back by the panes' first layout.
        """
        yield from self._frame.compose()
        with Horizontal(id="body"):
            with Vertical(id="left"):
                self._timeline = Timeline(tz=self.tz, id="timeline")
                self._timeline.border_title = f"Timeline · {self._frame.zone_title()}"
                yield self._timeline
                self._filter_bar = TimelineFilterBar(id="filter-bar")
                yield self._filter_bar
                self._scribe_box = ScribeBox(self._names, id="scribe")
                self._timeline.typing_target = self._scribe_box.input
                yield self._scribe_box
            self._side = SidePanes(id="side")
            yield self._side
        # The keys appear with the incident (F7 is offered only when it is due).
        self._footer = QuietFooter(held=True)
        yield self._footer

    def key_for(self, action: str) -> str:
        """The key that runs the screen's ``action`` as shown to the user ("F7"), or ``""``.

        Follows the user's keymap (the config's ``keybindings``, by binding id).
        """
        if action not in self._keys:
            self._keys[action] = shown_key(self.app, self.BINDINGS, action)
        return self._keys[action]

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
        # After the first frame (the screen's first paint comes before this callback
        # runs): started earlier, the reading thread would compete for the GIL with
        # the first frame. Not after the later frames of start-up (Textual lays the
        # screen out again as sizes settle, 20–30 ms): the worker reads meanwhile.
        self.call_later(self._open_session)

    def on_resize(self) -> None:
        """The breakpoint may have changed: move the wall clock to where it fits."""
        self.call_after_refresh(self.refresh_view)

    def pane(self, pane_id: str) -> Pane | None:
        """A right-hand pane, or ``None`` before the panes are mounted."""
        return self._side.pane(pane_id)

    def on_unmount(self) -> None:
        """Write the draft one last time (once it was loaded: never over it)."""
        if self.session is not None:
            self._drafts.flush()
            self._status_draft.flush()

    @property
    def scribe_input(self) -> ScribeInput:
        """The scribe's input line."""
        return self._scribe_box.input

    @property
    def scribe_box(self) -> ScribeBox:
        """The scribe input with its message line."""
        return self._scribe_box

    @property
    def link(self) -> IncidentLink:
        """The link to the incident (reads and writes off the UI thread)."""
        return self._link

    @property
    def timeline(self) -> Timeline:
        """The timeline widget."""
        return self._timeline

    def _names(self) -> tuple[str, ...]:
        return self.state.people if self.state is not None else ()

    # ------------------------------------------------------------ opening
    @property
    def session(self) -> IncidentSession | None:
        """The incident's session (``None`` until it is open and its timeline shown)."""
        return self._link.session

    def _open_session(self) -> None:
        self._link.open(self._drafts.draft)

    @on(IncidentLink.SessionOpened)
    async def _session_opened(self, message: IncidentLink.SessionOpened) -> None:
        # One batch: the timeline, the header and the keys land in one frame, which
        # shows the incident. The side panes (beside the timeline, or behind their
        # tabs) are built after that frame is drawn (:meth:`_mount_panes`).
        with self.app.batch_update():
            # The session is published only with its timeline loaded (others wait on it).
            self.store = message.store
            self.policy = message.policy
            self.record = message.session.record
            self.state = message.state
            self.timeline.load(message.events, message.state)
            self._link.session = message.session
            if message.draft:
                self._desk.restore_draft(message.draft)
            self.scribe_input.history[:0] = self._history.load()
            self.refresh_view()
            self._footer.release()
        # The panes come after the frame that shows all that. The widgets just changed
        # tell the screen so when they are next idle: let them run first, then ask for
        # the frame (the screen runs "after refresh" callbacks at once when it knows of
        # nothing to draw).
        await asyncio.sleep(0)
        self.refresh()
        self.call_after_refresh(self._mount_panes)
        if self.live:
            self._live_timers = [
                self.set_interval(1.0, self.refresh_view, name="tick"),
                self.set_interval(POLL_SECONDS, self.poll, name="poll"),
            ]

    async def _mount_panes(self) -> None:
        """The roster, countdowns and composer, with the current view (one frame)."""
        if self._here():  # not into a war room that was left meanwhile
            with self.app.batch_update():
                await self._side.mount_panes()
                if self._view is not None and self._here():
                    self._side.show(self._view)
                    await self._side.settle()
            composer = self.pane("composer")
            if isinstance(composer, StatusComposerLike) and self._status_draft.attach(composer):
                self.notify("Your unsent status update is back in the composer (F5).",
                            title="Draft restored", markup=False)
            # A pane asked for (F3-F5) before it existed gets the focus now.
            target = self.pane(self._frame.active_pane)
            if target is not None and self._here() and self.scribe_input.has_focus:
                target.take_focus()
        console = console_of(self.app)
        if console is not None:
            self.call_after_refresh(console.startup_finished)

    def _here(self) -> bool:
        """Whether the war room is still open (in the app's screens, shown or under a modal)."""
        return self.is_attached and self in self.app.screen_stack

    @on(IncidentLink.OpenFailed)
    async def _open_failed(self, message: IncidentLink.OpenFailed) -> None:
        console = console_of(self.app)
        if console is not None:
            console.startup_finished()
        await self._side.mount_panes()
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
        keys = {"escalate": self.key_for("escalate"), "checkpoint": self.key_for("checkpoint")}
        return IncidentView.at(self.clock.now(), self.state, self.policy, tz=self.tz,
                               record_title=self.record.title, keys=keys,
                               review=self._review.check_and_get(), author=self.author)

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
            self._frame.show_link(view, narrow=narrow)
            self._side.show(view)
            self._frame.show_overdue(view)
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
        if action == "escalation_not_due":
            return not self.escalation_due
        return True

    # ------------------------------------------------------------ reading
    def poll(self) -> None:
        """Look for other seats' entries (in a worker; skipped while one runs)."""
        self._link.poll()

    @on(IncidentLink.ConnectionChanged)
    def _connection_changed(self) -> None:
        self.refresh_view()

    @on(IncidentLink.QueueChanged)
    def _queue_changed(self, message: IncidentLink.QueueChanged) -> None:
        """Entries wait on this seat (shown "queued" after the timeline), or were sent."""
        self._frame.queue_changed(message)
        self.refresh_view()

    @on(EventsAppended)
    def _events_appended(self, message: EventsAppended) -> None:
        state = message.state if message.state is not None else self.state
        self.timeline.add(message.events, state, reveal=message.own)
        if state is not None:
            self.state = state
        self.refresh_view()
        if message.own is not None:
            self._desk.written()

    # ------------------------------------------------------------ writing
    def submit_line(self, line: str, *, from_scribe: bool = False) -> bool:
        """Parse ``line`` and write it; a parse error is shown and ``False`` returned.

        ``/help`` opens the help screen and ``/checkpoint`` alone the checkpoint form;
        neither is logged.
        """
        return self._desk.submit_line(line, from_scribe=from_scribe)

    def submit_lines(self, lines: Sequence[str]) -> bool:
        """Log every line as one entry, in order — or none, if a line is refused."""
        return self._desk.submit_lines(lines)

    def history_changed(self) -> None:
        """Keep the scribe's sent lines for the next visit (saved in a worker)."""
        self._history.save(self.scribe_input.history)

    @on(ScribeInput.Entered)
    def _scribe_entered(self, message: ScribeInput.Entered) -> None:
        message.stop()
        self._desk.entered(message.line)
        self.history_changed()

    @on(ScribeInput.PastedLines)
    def _pasted_lines(self, message: ScribeInput.PastedLines) -> None:
        message.stop()
        self._desk.pasted(message.lines)

    @on(SubmitLine)
    def _submit_line(self, message: SubmitLine) -> None:
        message.stop()
        self.submit_line(message.line)

    @on(SubmitEvent)
    def _submit_event(self, message: SubmitEvent) -> None:
        message.stop()
        self._link.write(message.new_event)

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        if message.line is not None:
            self._desk.give_back(message.line, message.error)
            self._desk.written()
        else:
            self.notify(message.error, severity="error", timeout=8, markup=False)

    def on_text_area_changed(self, event: events.Event) -> None:
        """The status composer's text changed: keep it (see :mod:`warroom.tui.status_draft`)."""
        self._status_draft.changed()

    @on(Input.Changed, "#scribe-input")
    def _scribe_changed(self, event: Input.Changed) -> None:
        if self._desk.changed(event.value):
            self._drafts.schedule()

    # ------------------------------------------------------------ timeline
    @on(Timeline.EntrySelected)
    def _entry_selected(self, message: Timeline.EntrySelected) -> None:
        self._desk.show_entry(message.event)

    @on(Timeline.KeyMarkRequested)
    def _key_mark_requested(self, message: Timeline.KeyMarkRequested) -> None:
        self._desk.ask_key_mark(message.event, marked=message.marked)

    @on(Timeline.CorrectRequested)
    def _correct_requested(self, message: Timeline.CorrectRequested) -> None:
        self._desk.start_fix(message.event, message.text)

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
        self._frame.show_pane(pane)

    # ------------------------------------------------------------ export
    @on(IncidentLink.ExportExists)
    def _export_exists(self, message: IncidentLink.ExportExists) -> None:
        self._exports.exists(message.request)

    @on(IncidentLink.ExportFinished)
    def _export_finished(self, message: IncidentLink.ExportFinished) -> None:
        self._exports.finished(message)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The war room's commands for the command palette."""
        return palette_commands(self)
