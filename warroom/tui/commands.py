"""The command palette's provider: every action of the current screen, by name.

A screen (or pane) that wants its actions in the palette has a
``palette_commands()`` method yielding
:class:`~warroom.tui.widgets.pane_support.PaletteCommand` entries; the war room
gathers its own, the timeline's and each pane's. Themes are offered too.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from warroom.tui.widgets.pane_support import PaletteCommand

__all__ = ["WarroomCommands", "screen_commands"]


def screen_commands(provider: Provider) -> Iterator[PaletteCommand]:
    """The commands of the screen the palette was opened from, then the app's."""
    getter = getattr(provider.screen, "palette_commands", None)
    if getter is not None:
        yield from getter()
    app_getter = getattr(provider.app, "palette_commands", None)
    if app_getter is not None:
        yield from app_getter()


class WarroomCommands(Provider):
    """Offers the current screen's actions and the console's themes."""

    def _commands(self) -> list[PaletteCommand]:
        seen: set[str] = set()
        commands = []
        for command in screen_commands(self):
            if command.title not in seen:
                seen.add(command.title)
                commands.append(command)
        return commands

    async def discover(self) -> Hits:
        """Everything, for the empty palette."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help or None)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    partial(command.callback),
                    help=command.help or None,
                )
