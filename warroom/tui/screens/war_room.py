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
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, Tab, Tabs

from warroom.domain.clocks import ClockState, clocks, effective_severity
from warroom.domain.events import Event, NewEvent
from warroom.domain.parser import ParseError, is_bare_checkpoint, parse_entry
from warroom.domain.policy import Policy
from warroom.domain.sanitize import one_line
from warroom.domain.state import IncidentState
from warroom.domain.timesource import TimeSource
from warroom.tui.draft import DraftFile, draft_for
from warroom.tui.messages import (
    EventsAppended,
    IncidentView,
    SubmitEvent,
    SubmitLine,
    WriteFailed,
)
from warroom.tui.widgets.header import IncidentHeader, clock_text
from warroom.tui.widgets.pane_support import PaletteCommand, set_text
from warroom.tui.widgets.scribe_input import ScribeBox, ScribeInput, is_help_request
from warroom.tui.widgets.timeline import Timeline, TimelineFilterBar

if TYPE_CHECKING:
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store
    from warroom.tui.exporting import ExportRequest

__all__ = ["PANES", "WarRoomScreen"]

#: The four panes, in tab order: id → tab label.
PANES: dict[str, str] = {
    "timeline": "Timeline",
    "roster": "Roster",
    "countdowns": "Clocks",
    "composer": "Status",
}

_FUNCTION_KEY = re.compile(r"f\d{1,2}")


def _key_display(shown: str) -> str:
    """``f7`` → ``F7`` (function keys read better in capitals); others unchanged."""
    return shown.upper() if _FUNCTION_KEY.fullmatch(shown) else shown


#: How often other seats' entries are looked for (seconds).
POLL_SECONDS = 0.25
#: How long the scribe may pause before the draft is written (seconds).
DRAFT_DEBOUNCE_SECONDS = 0.3


class WarRoomScreen(Screen[None]):
    """One incident's war room (see the module docstring)."""

    CSS_PATH = "war_room.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"), (120, "-wide"), (160, "-xwide"),
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
On a narrow terminal the panes are tabs: F2–F5 switch between them.
The header always shows the most urgent clock. F6 runs the IC checkpoint and
F7 confirms the SEV2 → SEV1 escalation when it is due, wherever the focus is;
F8 exports the post-mortem draft. Type `/help` in the scribe input for its
commands; Ctrl+P lists every action.
"""

    class SessionOpened(Message):
        """The session finished loading (in a worker)."""

        def __init__(self, session: IncidentSession, events: list[Event], state: IncidentState,
                     draft: str) -> None:
            """Carry the session, its timeline, its state and the saved draft."""
            super().__init__()
            self.session = session
            self.events = events
            self.state = state
            self.draft = draft

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

    class OpenFailed(Message):
        """The incident could not be opened; ``error`` is one line."""

        def __init__(self, error: str) -> None:
            """Carry the error."""
            super().__init__()
            self.error = error

    def __init__(
        self,
        *,
        store: Store,
        record: IncidentRecord,
        clock: TimeSource,
        policy: Policy,
        tz: tzinfo,
        author: str,
        live: bool = True,
    ) -> None:
        """A war room for ``record``; ``live=False`` runs no timers (snapshots, tests)."""
        super().__init__(name=f"incident-{record.id}", classes="-pane-timeline")
        self.store = store
        self.record = record
        self.clock = clock
        self.policy = policy
        self.tz = tz
        self.author = author
        self.live = live
        self.session: IncidentSession | None = None
        self.state: IncidentState | None = None
        self._lock = threading.Lock()
        # Writes are applied in the order they were asked for (tickets), whatever
        # order their worker threads get the lock in.
        self._turn = threading.Condition(self._lock)
        self._next_ticket = 0
        self._serving = 0
        self._delivered = 0
        self._polling = False
        self._active_pane = "timeline"  # not ``_pane``: that is the pane-lookup method
        self._draft: DraftFile | None = draft_for(getattr(store, "path", None), record.id, author)
        self._draft_timer: Timer | None = None
        self._draft_seq = 0
        self._draft_lock = threading.Lock()
        self._skip_draft = False
        self._error_value: str | None = None
        self._live_timers: list[Timer] = []
        self._view: IncidentView | None = None
        self._escalation_offered = False
        self._keys: dict[str, str] = {}

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        """Header, tabs (narrow terminals), timeline + scribe, the panes, footer."""
        yield IncidentHeader(id="header")
        tabs = Tabs(*(Tab(self._tab_label(pane), id=f"tab-{pane}") for pane in PANES),
                    id="pane-tabs")
        tabs.can_focus = False
        with Horizontal(id="tab-row"):
            yield tabs
            # Narrow terminals: the wall clock (UTC and local) sits here, where there is room.
            yield Static("", id="tab-clock", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                timeline = Timeline(tz=self.tz, id="timeline")
                timeline.border_title = f"Timeline · {self._zone_title()}"
                yield timeline
                yield TimelineFilterBar(id="filter-bar")
                yield ScribeBox(self._names, id="scribe")
            yield Vertical(id="side")
        yield Footer(compact=True)

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
                    shown = _key_display(self.app.get_key_display(replace(binding, key=key)))
                    break
            self._keys[action] = shown
        return self._keys[action]

    def _zone_title(self) -> str:
        from warroom.tui.widgets.header import zone_label

        return f"times in {zone_label(self.clock.now(), self.tz)}"

    def on_mount(self) -> None:
        """Open the session in a worker; focus the scribe input; panes after the first frame."""
        self.scribe_input.focus()
        # First frame first: the reading thread would otherwise compete for the GIL.
        self.call_after_refresh(self._open_session)
        self.call_after_refresh(self._mount_panes)

    async def _mount_panes(self) -> None:
        """Mount the roster, countdowns and composer (after the first frame is on screen)."""
        from warroom.tui.widgets.countdowns import CountdownsPane
        from warroom.tui.widgets.roster import RosterPane
        from warroom.tui.widgets.status_composer import StatusComposerPane

        side = self.query_one("#side", Vertical)
        await side.mount_all([
            RosterPane(id="roster"),
            CountdownsPane(id="countdowns"),
            StatusComposerPane(id="composer"),
        ])
        self.refresh_view()

    def on_resize(self) -> None:
        """The breakpoint may have changed: move the wall clock to where it fits."""
        self.call_after_refresh(self.refresh_view)

    def _pane(self, pane_id: str) -> Widget | None:
        """A right-hand pane, or ``None`` before the panes are mounted."""
        found = self.query(f"#side > #{pane_id}")
        return found.first() if found else None

    def on_unmount(self) -> None:
        """Write the draft one last time."""
        self._flush_draft()

    @property
    def scribe_input(self) -> ScribeInput:
        """The scribe's input line."""
        return self.query_one("#scribe-input", ScribeInput)

    @property
    def timeline(self) -> Timeline:
        """The timeline widget."""
        return self.query_one(Timeline)

    def _names(self) -> tuple[str, ...]:
        return self.state.people if self.state is not None else ()

    # ------------------------------------------------------------ opening
    @work(thread=True, group="db", exit_on_error=False)
    def _open_session(self) -> None:
        from warroom.service import IncidentSession

        try:
            with self._lock:
                session = IncidentSession(
                    self.store, self.record, time=self.clock, policy=self.policy,
                    tz=self.tz, author=self.author,
                )
                events = session.timeline_copy()  # compact: no Event built per entry
                state = session.state
                self._delivered = session.last_id
            # The events live as long as the war room and hold no reference cycles:
            # keep the cyclic collector from re-scanning 100k of them on every pass.
            gc.freeze()
            draft = self._draft.load() if self._draft is not None else ""
        except Exception as error:  # any failure: one line, never a traceback
            self.post_message(self.OpenFailed(one_line(str(error)) or type(error).__name__))
            return
        self.post_message(self.SessionOpened(session, events, state, draft))

    @on(SessionOpened)
    def _session_opened(self, message: SessionOpened) -> None:
        self.session = message.session
        self.state = message.state
        timeline = self.timeline
        timeline.load(message.events, message.state)
        if message.draft and not self.scribe_input.value:
            self._skip_draft = True
            self.scribe_input.value = message.draft
            self.scribe_input.cursor_position = len(message.draft)
            self.query_one(ScribeBox).show_hint("Restored your unsent draft.")
        self.refresh_view()
        if self.live:
            self._live_timers = [
                self.set_interval(1.0, self.refresh_view, name="tick"),
                self.set_interval(POLL_SECONDS, self.poll, name="poll"),
            ]

    @on(OpenFailed)
    def _open_failed(self, message: OpenFailed) -> None:
        self.notify(
            f"Cannot open the incident: {message.error}", severity="error", timeout=10,
            markup=False,
        )

    # ------------------------------------------------------------ view
    def build_view(self) -> IncidentView | None:
        """The view of the incident now (``None`` until the session is open)."""
        if self.state is None:
            return None
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
        """Push a fresh view to the header and every pane (the one-second tick)."""
        view = self.build_view()
        if view is None:
            return
        self._view = view
        narrow = self.has_class("-narrow")
        self.query_one(IncidentHeader).show(view, with_clock=not narrow)
        if narrow:
            set_text(self.query_one("#tab-clock", Static), clock_text(view.now, view.tz))
        for pane_id in ("roster", "countdowns", "composer"):
            pane = self._pane(pane_id)
            show = getattr(pane, "show", None)
            if show is not None:
                show(view)
        overdue = sum(1 for c in view.clocks if c.state == ClockState.OVERDUE)
        label = self._tab_label("countdowns", f"⚠{overdue}" if overdue else "")
        tab = self.query_one("#tab-countdowns", Tab)
        if tab.label.plain != label.plain:
            tab.label = label
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
        return clock is not None and clock.state in (ClockState.DUE_SOON, ClockState.OVERDUE)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F7 (escalate) is offered only while the SEV2 → SEV1 escalation is due."""
        if action == "escalate":
            return self.escalation_due
        return True

    # ------------------------------------------------------------ reading
    def poll(self) -> None:
        """Look for other seats' entries (in a worker; skipped while one runs)."""
        if self.session is None or self._polling:
            return
        self._polling = True
        self._poll_worker()

    @work(thread=True, group="poll", exit_on_error=False)
    def _poll_worker(self) -> None:
        try:
            if not self._lock.acquire(blocking=False):
                return  # a write is running; it delivers what is new
            try:
                assert self.session is not None
                self.session.poll()
                fresh, state = self._collect()
            finally:
                self._lock.release()
            if fresh:
                self.post_message(EventsAppended(fresh, state))
        except Exception as error:
            self.post_message(WriteFailed(f"cannot read the database: {one_line(str(error))}"))
        finally:
            self._polling = False

    def _collect(self) -> tuple[list[Event], IncidentState]:
        """Events the UI has not seen yet, and the state (call with the lock held)."""
        assert self.session is not None
        session = self.session
        fresh = [
            event
            for event_id in range(self._delivered + 1, session.last_id + 1)
            if (event := session.event(event_id)) is not None
        ]
        self._delivered = session.last_id
        return fresh, session.state

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
        ticket = self._next_ticket
        self._next_ticket += 1
        self._write_worker(new, line, ticket)

    @work(thread=True, group="db", exit_on_error=False)
    def _write_worker(self, new: NewEvent, line: str | None, ticket: int) -> None:
        session = self.session
        try:
            with self._turn:
                self._turn.wait_for(lambda: self._serving == ticket)
                try:
                    if session is None:
                        raise ParseError("the incident is still loading; try again")
                    session.validate(new)
                    session.append(new)
                    fresh, state = self._collect()
                finally:
                    self._serving += 1
                    self._turn.notify_all()
        except ParseError as error:
            self.post_message(WriteFailed(one_line(str(error)), line))
            return
        except Exception as error:
            reason = one_line(str(error)) or type(error).__name__
            self.post_message(WriteFailed(f"not saved: {reason}", line))
            return
        self.post_message(EventsAppended(fresh, state))

    def submit_line(self, line: str, *, from_scribe: bool = False) -> bool:
        """Parse ``line`` and write it; a parse error is shown and ``False`` returned.

        ``/help`` opens the help screen and ``/checkpoint`` alone the checkpoint form;
        neither is logged.
        """
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
            self.query_one(ScribeBox).clear_message()

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
        self.query_one(ScribeBox).show_error(error)

    # ------------------------------------------------------------ draft
    @on(Input.Changed, "#scribe-input")
    def _scribe_changed(self, event: Input.Changed) -> None:
        box = self.query_one(ScribeBox)
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
    @on(Tabs.TabActivated, "#pane-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
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
        tabs = self.query_one("#pane-tabs", Tabs)
        if tabs.active != f"tab-{pane}":
            tabs.active = f"tab-{pane}"

    def action_pane(self, pane: str) -> None:
        """Show ``pane`` (a tab on narrow terminals) and focus it.

        A pane with a ``default_focus`` widget (the composer's text) focuses that.
        """
        self._show_pane(pane)
        target = self.timeline if pane == "timeline" else self._pane(pane)
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
        await self.query_one(TimelineFilterBar).open()

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
            events = list(snapshot)
            text = render_export(
                request.fmt, record, events, self.policy, state=state, now=self.clock.now(),
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
