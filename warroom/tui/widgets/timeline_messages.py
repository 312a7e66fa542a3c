"""What the timeline asks of its screen: show an entry, mark it key, correct it.

The messages are posted by :class:`~warroom.tui.widgets.timeline.Timeline` and
reachable as its attributes (``Timeline.EntrySelected`` …); their handler names
are those of messages nested in the widget (``on_timeline_entry_selected`` …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from warroom.domain.events import Event

__all__ = ["CorrectRequested", "EntrySelected", "KeyMarkRequested"]


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
