"""The command palette's entries, served by Textual's own system-commands provider.

Textual lists whatever ``App.get_system_commands`` yields (its ``SystemCommandsProvider``
is in ``App.COMMANDS`` by default). The console's app yields, through
:func:`palette_entries`: Textual's commands (theme picker, keys, quit, screenshot),
the actions of the screen the palette was opened from (a :class:`CommandSource`:
the war room gathers its own, the timeline's and each pane's; the incident list and
the report theirs), then one entry per console theme. Each title appears once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.screen import Screen

__all__ = ["CommandSource", "palette_entries"]


@runtime_checkable
class CommandSource(Protocol):
    """A screen that offers its actions in the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's actions, as palette entries ("War room: …")."""
        ...


def palette_entries(
    system: Iterable[SystemCommand], screen: Screen[object], app_commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """Textual's ``system`` commands, then ``screen``'s, then the app's; each title once."""
    seen: set[str] = set()
    screen_commands = screen.palette_commands() if isinstance(screen, CommandSource) else ()
    for source in (system, screen_commands, app_commands):
        for command in source:
            if command.title not in seen:
                seen.add(command.title)
                yield command
