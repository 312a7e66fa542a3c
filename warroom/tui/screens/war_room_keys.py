"""The war room's keys, its help text and its command-palette entries.

Kept apart from the screen so the screen module holds layout and presentation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

if TYPE_CHECKING:

    from warroom.tui.screens.war_room import WarRoomScreen

__all__ = ["BINDINGS", "HELP", "PANES", "breakpoint_class", "palette_commands"]

#: The four panes, in tab order: id → tab label.
PANES: dict[str, str] = {
    "timeline": "Timeline",
    "roster": "Roster",
    "countdowns": "Clocks",
    "composer": "Status",
}

#: The war room's own keys (remappable by id from the config's ``keybindings``).
BINDINGS: list[BindingType] = [
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
    # The same key while the escalation is not due: says why (not in the footer).
    # Remapping war_room.escalate moves it too (see WarroomApp).
    Binding("f7", "escalation_not_due", "Why no escalation", id="war_room.escalation_not_due",
            show=False, priority=True,
            tooltip="Say why no SEV2 → SEV1 escalation is due yet, and when it will be"),
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

#: The war room's help (F1 shows it with the focused pane's).
HELP = """\
## War room

The timeline (left) is the record; the scribe input under it writes to it.
On the right: the **roster**, the **countdowns** and the **status composer**.
On a narrow terminal the panes are tabs: F2–F5 switch between them. F2 puts the
cursor in the scribe input; F2 again moves to the list of entries and back. In
the list, Ctrl+K marks the selected entry as key (or takes the mark back) after
asking, Ctrl+E corrects it; letters typed there go to the scribe input.
The header always shows the most urgent clock. F6 runs the IC checkpoint and
F7 confirms the SEV2 → SEV1 escalation when it is due, wherever the focus is;
F8 exports the post-mortem draft. Type `/help` in the scribe input for its
commands; Ctrl+P lists every action.
"""


def breakpoint_class(breakpoints: list[tuple[int, str]], width: int) -> str:
    """The class of the widest breakpoint ``width`` reaches (as Textual applies them)."""
    chosen = breakpoints[0][1]
    for minimum, name in breakpoints:
        if width >= minimum:
            chosen = name
    return chosen


def palette_commands(screen: WarRoomScreen) -> Iterator[SystemCommand]:
    """The war room's commands for the command palette."""
    for binding in BINDINGS:
        if isinstance(binding, Binding) and binding.description:
            action = binding.action

            def run(action: str = action) -> Any:
                return screen.run_action(action)

            key = screen.key_for(action)
            yield SystemCommand(
                f"War room: {binding.tooltip or binding.description}",
                f"{binding.description} · key {key}" if key else binding.description,
                run,
            )
    yield SystemCommand(
        "War room: Export the incident as JSON (events, state, metrics)",
        "Writes the JSON export that `warroom import` reads back",
        lambda: screen.action_export("json"),
    )
    yield from screen.timeline.palette_commands()
    for pane_id in ("roster", "countdowns", "composer"):
        pane = screen.pane(pane_id)
        if pane is not None:
            yield from pane.palette_commands()
