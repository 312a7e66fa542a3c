"""The console application (built by :func:`warroom.tui.factory.make_app`, the one factory
the CLI, demo and tests use).

The app is small on purpose: it registers the themes (before CSS is parsed), applies
the user's keymap, shows the incident list and opens war rooms. Everything else
lives in ``screens/`` and ``widgets/``.

Start-up is kept short (see :func:`~warroom.tui.factory.make_app`): given a database path and an
incident, the war room is drawn from one read of the incident's row (standard
library only) before pydantic, the domain models, the store and the policy are
imported and the events read, all in a worker after the first frame. Given a path
and no incident, the incident list is drawn at once and filled by its worker; given
a demo plan, the demo's war room is drawn from the plan while its worker imports
the demo incident. If the database then cannot be opened, the app exits with that
error (:attr:`WarroomApp.start_error`, which the CLI prints as its one line). The
stylesheets of the main screens are read with the app's, so they are parsed once,
with the chosen theme's variables, when the app starts.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer

from warroom.domain.sanitize import one_line
from warroom.domain.timesource import TimeSource
from warroom.store.peek import RecordPeek, peek_incident
from warroom.tui.commands import ConsoleCommands, palette_entries, theme_commands
from warroom.tui.draft import stand_in_path
from warroom.tui.messages import OpenIncident
from warroom.tui.themes import (
    DEFAULT_THEME,
    THEMES_DIR,
    VARIABLE_DEFAULTS,
    load_themes,
    user_themes_dir,
)

if TYPE_CHECKING:
    from warroom.config import Config
    from warroom.demo import DemoPlan
    from warroom.domain.policy import Policy
    from warroom.store import IncidentRecord, Store
    from warroom.tui.console import Console

__all__ = ["WarroomApp"]

#: How long after the first screen has its data the garbage collector resumes.
GC_RESUME_SECONDS = 1.0


class WarroomApp(App[None]):
    """The warroom console: the incident list and one war room at a time."""

    TITLE = "warroom"
    #: Every stylesheet of the app and its two main screens, read and parsed together
    #: at start-up (a screen's own ``CSS_PATH`` would re-parse all CSS when pushed).
    CSS_PATH: ClassVar[list[str | Path]] = [  # type: ignore[misc,assignment]
        "app.tcss",
        "panes/timeline/timeline.tcss",
        "screens/war_room.tcss",
        "screens/incident_list.tcss",
    ]
    COMMANDS: ClassVar = {ConsoleCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not in the war room's footer (no room at 80 columns): F1 and the list show it.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False,
                tooltip="Quit (an unsent draft is kept)"),
        # Not ctrl+t: the status composer uses it to copy the update.
        Binding("f9", "next_theme", "Theme", id="app.theme", show=False,
                tooltip="Switch to the next warroom theme (the choice is saved)"),
    ]

    class RecordResolved(Message):
        """An incident reference was resolved (or not) by a worker."""

        def __init__(self, record: IncidentRecord | None, error: str | None = None) -> None:
            """Carry the record or the error line."""
            super().__init__()
            self.record = record
            self.error = error

    class StartFailed(Message):
        """The database could not be opened: the app exits with ``error`` (one line)."""

        def __init__(self, error: str) -> None:
            """Carry the error line."""
            super().__init__()
            self.error = error

    def __init__(
        self,
        *,
        store: Store | None,
        clock: TimeSource,
        policy: Policy | None,
        config: Config,
        incident_ref: str | int | None = None,
        tz: tzinfo | None = None,
        author: str | None = None,
        live: bool = True,
        config_path: Path | None = None,
        themes_dir: Path | None = None,
        db_path: Path | None = None,
        demo: DemoPlan | None = None,
        history_dir: Path | None = None,
    ) -> None:
        """See :func:`~warroom.tui.factory.make_app` (``store=None`` needs ``db_path``:
        opened when first needed)."""
        super().__init__()
        if store is None and db_path is None:
            raise TypeError("WarroomApp needs a store or a db_path")
        if demo is not None and store is not None:
            raise TypeError("a demo plan goes with a db_path, not a store")
        self._demo = demo
        #: Why the app exited at start-up (its database could not be opened), or ``None``.
        self.start_error: str | None = None
        self._store: Store | None = store
        # A PostgreSQL store has no file: a stand-in path in the user data folder, which
        # the SQLite-only first-frame peeks never find and beside which drafts are kept.
        file = getattr(store, "path", None) if store is not None else db_path
        if store is not None and file is None:
            file = stand_in_path(store.location)
        self.db_path: Path = Path(file or "")
        self.clock = clock
        self._policy = policy
        self._opening = threading.Lock()
        self.config = config
        self.incident_ref = incident_ref
        self.tz: tzinfo = tz if tz is not None else config.tz()
        self.author = author or config.author_name()
        self.live = live
        #: Where the scribe's sent lines are kept per incident (``None``: not kept).
        self.history_dir = history_dir
        self._config_path = config_path
        self._notes: list[tuple[str, str]] = []
        loaded = load_themes(
            THEMES_DIR, themes_dir, user_themes_dir(config.source), trusted=THEMES_DIR
        )
        self.warroom_themes: list[str] = []
        for theme in loaded.themes:
            self.register_theme(theme)
            self.warroom_themes.append(theme.name)
        self._notes.extend((f"Theme file skipped: {e}", "warning") for e in loaded.errors)
        wanted = config.theme or DEFAULT_THEME
        # The theme is chosen before the app runs: see refresh_css.
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
            self.theme = fallback
            note = f"Unknown theme {one_line(wanted)!r}: using {fallback}."
            self._notes.append((note, "warning"))
        self._saved_theme = self.theme
        # Parse the stylesheet with the chosen theme's variables from the start.
        self.stylesheet.set_variables(self.get_css_variables())
        self._started = False
        #: Whether the app opened the store itself (and closes it on exit).
        self.owns_store = False
        self._gc_paused = False
        self._gc_timer: Timer | None = None
        if config.keybindings:
            keymap = dict(config.keybindings)
            if "war_room.escalate" in keymap:  # F7 says why, on whichever key escalates
                keymap.setdefault("war_room.escalation_not_due", keymap["war_room.escalate"])
            self.set_keymap(keymap)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Fallbacks for the console's own colour variables (any theme renders)."""
        return dict(VARIABLE_DEFAULTS)

    def refresh_css(self, animate: bool = True) -> None:
        """Re-read the stylesheet with the current theme's variables.

        The theme chosen in ``__init__`` asks for this too, before anything is styled:
        the stylesheet already has that theme's variables (see ``__init__``) and is
        parsed once, with them, when the first widgets mount; re-parsing it then
        would only double the start-up's CSS work.
        """
        if not self._started:
            return
        super().refresh_css(animate)

    # ------------------------------------------------------------ resources
    @property
    def policy(self) -> Policy:
        """The policy in force (the configuration's, resolved when first needed)."""
        if self._policy is None:
            with self._opening:
                if self._policy is None:
                    self._policy = self.config.load_policy()
        return self._policy

    @property
    def store(self) -> Store:
        """The database (opened here on first use when the app was given a path)."""
        return self.open_store()

    @property
    def store_is_open(self) -> bool:
        """Whether the database has been opened yet."""
        return self._store is not None

    def open_store(self) -> Store:
        """The database, opened on first use (thread-safe: the first screen's worker calls it).

        With a demo plan, the database is created and the demo imported first. If
        that fails, the error is raised to the caller and the app exits with it
        (:class:`StartFailed`): nothing works without the database.
        """
        if self._store is None:
            with self._opening:
                if self._store is None:
                    try:
                        self._store = self._open_database()
                    except Exception as error:
                        line = one_line(" ".join(str(error).split()))
                        self.post_message(self.StartFailed(line or type(error).__name__))
                        raise
                    self.owns_store = True
        return self._store

    def _open_database(self) -> Store:
        from warroom.store import Store as _Store

        if self._demo is None:
            return _Store.open(self.db_path, clock=self.clock)
        store = _Store.open(self.db_path, clock=self.clock, create=True)
        try:
            self._demo.build(store)
        except BaseException:
            store.close()
            raise
        return store

    @on(StartFailed)
    def _start_failed(self, message: StartFailed) -> None:
        if self.start_error is None:
            self.start_error = message.error
            self.exit(return_code=1)

    def on_load(self) -> None:
        """Start-up: pause the cyclic garbage collector until the first screen has its data.

        Start-up allocates many long-lived objects (widgets, styles, the events) and
        next to no garbage: collecting while they pile up only re-scans them.
        :meth:`startup_finished` turns the collector back on.
        """
        if gc.isenabled():
            gc.disable()
            self._gc_paused = True

    def on_mount(self) -> None:
        """Open the named incident's war room, else show the incident list."""
        self._started = True
        for text, severity in self._notes:
            self.notify(text, severity=severity, timeout=8, markup=False)  # type: ignore[arg-type]
        if getattr(self._store, "read_only", False):  # a database this user cannot write
            self.notify(f"{one_line(str(self.db_path or 'The database'))} is read-only here: "
                        "you can read it, but nothing you type is saved.",
                        title="Read-only", severity="warning", timeout=15, markup=False)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # After the start-up batch: a screen composed during it has its first frame
        # dropped, and painted only at the next refresh (after the work queued for
        # "after the first frame" has run).
        self.call_later(self._show_first_screen)

    def _show_first_screen(self) -> None:
        if self._demo is not None:
            # The demo's row as it will be imported (by the war room's worker).
            self.push_screen(self._war_room(self._demo.record))
            return
        if self.incident_ref is not None:
            record: IncidentRecord | RecordPeek | None = None
            if self._store is None:
                # The incident's row, read with the standard library: the war room is
                # drawn before the store (and pydantic) is loaded in its worker.
                record = peek_incident(self.db_path, self.incident_ref)
            try:
                if record is None:
                    record = self.open_store().incident(str(self.incident_ref))
            except Exception as error:
                self.notify(
                    f"Cannot open: {one_line(str(error))}", severity="error", timeout=8,
                    markup=False,
                )
            else:
                self.push_screen(self._war_room(record))
                return
        self.show_incidents()

    def startup_finished(self) -> None:
        """The first screen has its data: the collector resumes once the app is idle.

        It resumes a moment later (:data:`GC_RESUME_SECONDS`), not in the middle of
        the first full frames: its first pass after start-up is the expensive one.
        """
        if self._gc_paused and self._gc_timer is None:
            self._gc_timer = self.set_timer(GC_RESUME_SECONDS, self._resume_gc, name="gc")

    def _resume_gc(self, *, freeze: bool = True) -> None:
        """Turn the collector back on (after collecting the young garbage).

        With ``freeze``, the objects alive now (the screen, its widgets, the events)
        are then set aside (``gc.freeze``): they live as long as the app, and later
        collections no longer walk them.
        """
        if self._gc_paused:
            self._gc_paused = False
            if freeze:
                gc.collect(1)
                gc.freeze()
            gc.enable()

    def show_incidents(self) -> None:
        """Show the incident list (going back to it if it is already open)."""
        from warroom.tui.screens.incident_list import IncidentListScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, IncidentListScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        # The store and the policy are resolved in the list's worker, after its first frame.
        screen = IncidentListScreen(
            store=self.open_store, clock=self.clock, policy=lambda: self.policy,
            author=self.author, live=self.live, tz=self.tz,
        )
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _war_room(self, record: IncidentRecord | RecordPeek) -> Screen[None]:
        from warroom.tui.screens.war_room import WarRoomScreen

        return WarRoomScreen(
            store=self.open_store, record=record, clock=self.clock,
            policy=lambda: self.policy, tz=self.tz, author=self.author, live=self.live,
            db_path=self.db_path, history_dir=self.history_dir,
        )

    def on_unmount(self) -> None:
        """Close the store if the app opened it."""
        self._resume_gc(freeze=False)
        if self.owns_store and self._store is not None:
            self._store.close()

    # ------------------------------------------------------------ incidents
    def open_incident(self, ref: str | int) -> None:
        """Open the war room of incident ``ref`` (id or slug)."""
        self._resolve(str(ref))

    @on(OpenIncident)
    def _open_requested(self, message: OpenIncident) -> None:
        self.open_incident(message.ref)

    @work(thread=True, group="resolve", exit_on_error=False)
    def _resolve(self, ref: str) -> None:
        try:
            record = self.open_store().incident(ref)
        except Exception as error:
            self.post_message(self.RecordResolved(None, one_line(str(error))))
            return
        self.post_message(self.RecordResolved(record))

    @on(RecordResolved)
    def _record_resolved(self, message: RecordResolved) -> None:
        if message.record is None:
            self.notify(f"Cannot open: {message.error}", severity="error", timeout=8, markup=False)
            return
        self.push_screen(self._war_room(message.record))

    # ------------------------------------------------------------ themes
    def action_next_theme(self) -> None:
        """Cycle through the warroom themes."""
        names = self.warroom_themes or [self.theme]
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2, markup=False)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self._saved_theme and self.live:
            self._saved_theme = theme.name
            self._save_theme(theme.name)

    @work(thread=True, group="config", exit_on_error=False)
    def _save_theme(self, name: str) -> None:
        from warroom.config import save_setting

        path = self._config_path or self.config.source
        try:
            save_setting("theme", name, path=path)
        except Exception as error:
            self.call_from_thread(
                self.notify, f"Theme not saved: {one_line(str(error))}", severity="warning",
                markup=False,
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterator[SystemCommand]:
        """The palette: the screen's actions, the console's themes, then Textual's commands.

        Textual's own "Theme" picker is left out: it offers themes that are not the
        console's, and the console lists its own ("Theme: NAME", F9).
        """
        themes = theme_commands(self, self.warroom_themes)
        system = (command for command in super().get_system_commands(screen)
                  if command.callback != self.action_change_theme)
        return palette_entries(screen, themes, system)

    # ------------------------------------------------------------ snapshots
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Without timers (snapshots), inputs (Input, TextArea) do not blink."""
        if not self.live and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


if TYPE_CHECKING:
    _IS_A_CONSOLE: type[Console] = WarroomApp  # what its screens take it for (checked by mypy)
