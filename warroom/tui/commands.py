"""The command palette: Textual's system commands, in the console's order.

Textual's palette lists what ``App.get_system_commands`` yields. The console's app
yields, through :func:`palette_entries`: the actions of the screen the palette was
opened from (a :class:`CommandSource`: the war room gathers its own, the timeline's
and each pane's; the incident list and the report theirs), one entry per console
theme, then Textual's own commands (keys, quit, screenshot; not its theme picker,
which offers themes that are not the console's); each title once.

What Textual's provider cannot do is keep that order: it lists the empty palette
sorted by title, which would put the war room's keys last. :class:`ConsoleCommands`
is that provider with the order kept; searching is Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hits
from textual.system_commands import SystemCommandsProvider

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

__all__ = ["CommandSource", "ConsoleCommands", "palette_entries", "theme_commands"]


@runtime_checkable
class CommandSource(Protocol):
    """A screen that offers its actions in the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's actions, as palette entries ("War room: …")."""
        ...


def theme_commands(app: App[Any], names: Iterable[str]) -> Iterator[SystemCommand]:
    """One entry per theme in ``names``: "Theme: NAME" switches ``app`` to it."""
    for name in names:
        def use(name: str = name) -> None:
            app.theme = name

        yield SystemCommand(f"Theme: {name}", f"Switch to the {name} theme", use)


def palette_entries(
    screen: Screen[Any], themes: Iterable[SystemCommand], system: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """``screen``'s actions, the ``themes``, then Textual's ``system`` commands; a title once."""
    seen: set[str] = set()
    actions = screen.palette_commands() if isinstance(screen, CommandSource) else ()
    for source in (actions, themes, system):
        for command in source:
            if command.title not in seen:
                seen.add(command.title)
                yield command


class ConsoleCommands(SystemCommandsProvider):
    """Textual's system-commands provider, listing the empty palette in the app's order."""

    async def discover(self) -> Hits:
        """Every command to show before anything is typed, in the order the app yields them."""
        for title, help_text, callback, discover in self.app.get_system_commands(self.screen):
            if discover:
                yield DiscoveryHit(title, callback, help=help_text)
