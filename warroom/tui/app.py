"""The console application and :func:`make_app`, the one factory the CLI, demo and tests use.

The app is small on purpose: it registers the themes (before CSS is parsed), applies
the user's keymap, shows the incident list and opens war rooms. Everything else
lives in ``screens/`` and ``widgets/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Input, TextArea

from warroom.domain.policy import Policy
from warroom.domain.sanitize import one_line
from warroom.domain.timesource import TimeSource
from warroom.tui.commands import WarroomCommands
from warroom.tui.messages import OpenIncident
from warroom.tui.themes import DEFAULT_THEME, THEMES_DIR, VARIABLE_DEFAULTS, load_themes
from warroom.tui.widgets.pane_support import PaletteCommand

if TYPE_CHECKING:
    from warroom.config import Config
    from warroom.store import IncidentRecord, Store

__all__ = ["WarroomApp", "make_app"]


class WarroomApp(App[None]):
    """The warroom console: the incident list and one war room at a time."""

    TITLE = "warroom"
    CSS_PATH: ClassVar[list[str | Path]] = ["app.tcss", "widgets/timeline.tcss"]  # type: ignore[misc]
    COMMANDS: ClassVar = App.COMMANDS | {WarroomCommands}

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

    def __init__(
        self,
        *,
        store: Store,
        clock: TimeSource,
        policy: Policy,
        config: Config,
        incident_ref: str | int | None = None,
        tz: tzinfo | None = None,
        author: str | None = None,
        live: bool = True,
        config_path: Path | None = None,
        themes_dir: Path | None = None,
    ) -> None:
        """See :func:`make_app`."""
        super().__init__()
        self.store = store
        self.clock = clock
        self.policy = policy
        self.config = config
        self.incident_ref = incident_ref
        self.tz: tzinfo = tz if tz is not None else config.tz()
        self.author = author or config.author_name()
        self.live = live
        self._config_path = config_path
        self._notes: list[tuple[str, str]] = []
        loaded = load_themes(THEMES_DIR, themes_dir, _user_themes_dir(config))
        self.warroom_themes: list[str] = []
        for theme in loaded.themes:
            self.register_theme(theme)
            self.warroom_themes.append(theme.name)
        self._notes.extend((f"Theme file skipped: {e}", "warning") for e in loaded.errors)
        wanted = config.theme or DEFAULT_THEME
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            fallback = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
            self.theme = fallback
            note = f"Unknown theme {one_line(wanted)!r}: using {fallback}."
            self._notes.append((note, "warning"))
        self._saved_theme = self.theme
        #: Whether the app opened the store itself (and closes it on exit).
        self.owns_store = False
        if config.keybindings:
            self.set_keymap(dict(config.keybindings))

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Fallbacks for the console's own colour variables (any theme renders)."""
        return dict(VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        """Open the named incident's war room, else show the incident list."""
        for text, severity in self._notes:
            self.notify(text, severity=severity, timeout=8, markup=False)  # type: ignore[arg-type]
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.incident_ref is not None:
            try:
                # One indexed lookup: cheap enough for the first frame, and it lets the
                # war room be the first screen drawn (the list is built when asked for).
                record = self.store.incident(str(self.incident_ref))
            except Exception as error:
                self.notify(
                    f"Cannot open: {one_line(str(error))}", severity="error", timeout=8,
                    markup=False,
                )
            else:
                self.push_screen(self._war_room(record))
                return
        self.show_incidents()

    def show_incidents(self) -> None:
        """Show the incident list (going back to it if it is already open)."""
        from warroom.tui.screens.incident_list import IncidentListScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, IncidentListScreen):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        screen = IncidentListScreen(
            store=self.store, clock=self.clock, policy=self.policy, author=self.author,
            live=self.live,
        )
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _war_room(self, record: IncidentRecord) -> Screen[None]:
        from warroom.tui.screens.war_room import WarRoomScreen

        return WarRoomScreen(
            store=self.store, record=record, clock=self.clock, policy=self.policy,
            tz=self.tz, author=self.author, live=self.live,
        )

    def on_unmount(self) -> None:
        """Close the store if the app opened it."""
        if self.owns_store:
            self.store.close()

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
            record = self.store.incident(ref)
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

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """App-wide commands: one per warroom theme."""
        for name in self.warroom_themes:
            def use(name: str = name) -> None:
                self.theme = name

            yield PaletteCommand(f"Theme: {name}", f"Switch to the {name} theme", use)

    # ------------------------------------------------------------ snapshots
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Without timers (snapshots), inputs do not blink."""
        if not self.live and isinstance(event.widget, Input | TextArea):
            event.widget.cursor_blink = False


def _user_themes_dir(config: Config) -> Path | None:
    if config.source is not None:
        return config.source.parent / "themes"
    return None


def make_app(
    *,
    store: Store | None = None,
    clock: TimeSource,
    policy: Policy,
    config: Config,
    incident_ref: str | int | None = None,
    tz: tzinfo | None = None,
    author: str | None = None,
    live: bool = True,
    config_path: Path | None = None,
    db: str | Path | None = None,
    incident: str | int | None = None,
) -> WarroomApp:
    """Build the console — the one factory used by the CLI, the demo and the tests.

    Args:
        store: the open database (or pass ``db``, a path the app opens with ``clock``).
        clock: where ``now`` comes from (``SystemTime``, ``OffsetTime`` for the demo,
            ``FrozenTime`` in tests).
        policy: the rules in force.
        config: the user's configuration (theme, keybindings, author, time zone).
        incident_ref: open this incident's war room at once (id or slug);
            ``incident`` is accepted as another name for it.
        tz: the viewer's zone (default: ``config.tz()``).
        author: who writes entries (default: ``config.author_name()``).
        live: ``False`` runs no tick/poll timers and no cursor blink (snapshots, tests)
            and never writes the config file.
        config_path: where a theme change is saved (default: the config's file).
        db: a database path, when no ``store`` is given.
    """
    if store is None:
        if db is None:
            raise TypeError("make_app needs a store or a db path")
        from warroom.store import Store as _Store

        store = _Store.open(db, clock=clock)
        owns_store = True
    else:
        owns_store = False
    app = WarroomApp(
        store=store, clock=clock, policy=policy, config=config,
        incident_ref=incident_ref if incident_ref is not None else incident,
        tz=tz, author=author, live=live, config_path=config_path,
    )
    app.owns_store = owns_store
    return app
