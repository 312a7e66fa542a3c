"""The timeline's keys, and what it asks of its screen: show an entry, mark it key, correct it.

:data:`TIMELINE_BINDINGS` are the list's keys (moving the selection, and the three
requests below). The messages are posted by
:class:`~warroom.tui.panes.timeline.pane.Timeline` and reachable as its attributes
(``Timeline.EntrySelected`` …); their handler names are those of messages nested
in the widget (``on_timeline_entry_selected`` …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.message import Message

if TYPE_CHECKING:
    from warroom.domain.events import Event

__all__ = ["TIMELINE_BINDINGS", "CorrectRequested", "EntrySelected", "KeyMarkRequested"]

#: The timeline's keys (remappable by id from the config's ``keybindings``).
TIMELINE_BINDINGS: tuple[BindingType, ...] = (
    Binding("up", "cursor(-1)", "Up", show=False, id="timeline.up"),
    Binding("down", "cursor(1)", "Down", show=False, id="timeline.down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="timeline.page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="timeline.page_down"),
    Binding("home", "first", "First", show=False, id="timeline.first"),
    Binding("end", "last", "Last (follow)", show=False, id="timeline.last"),
    Binding(
        "enter",
        "open_entry",
        "Details",
        id="timeline.details",
        tooltip="Show the whole entry, with both times and its history",
    ),
    # No printable key: letters typed here go to the scribe input (see Timeline.on_key).
    Binding(
        "ctrl+k",
        "mark_key",
        "Key ★",
        id="timeline.mark_key",
        tooltip="Mark the selected entry as a key event, or take the mark back (asks first)",
    ),
    Binding(
        "ctrl+e",
        "correct",
        "Correct",
        id="timeline.correct",
        tooltip="Correct the selected entry's text (/fix) in the scribe input",
    ),
)


class EntrySelected(Message, namespace="timeline"):
    """Enter on a row: the screen shows the entry's details."""

    def __init__(self, event: Event) -> None:
        """Carry the selected event."""
        super().__init__()
        self.event = event


class KeyMarkRequested(Message, namespace="timeline"):
    """The user wants to mark ``event`` as key (or, when ``marked``, take the mark back)."""

    def __init__(self, event: Event, marked: bool) -> None:
        """Carry the event and whether it is a key event now."""
        super().__init__()
        self.event = event
        self.marked = marked


class CorrectRequested(Message, namespace="timeline"):
    """The user wants to correct an entry: the screen pre-fills ``/fix ID``."""

    def __init__(self, event: Event, text: str) -> None:
        """Carry the event and its current (display) text."""
        super().__init__()
        self.event = event
        self.text = text
