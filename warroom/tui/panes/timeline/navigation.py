"""How the timeline is moved through: its keys and clicks, mixed into the widget.

The selection shows while the timeline has the focus and moves by entry (an entry
may take several lines): up and down, a page of lines, the first and the last entry;
Enter, Ctrl+K and Ctrl+E ask the screen to open, mark or correct the selected entry;
a click selects the entry under it (any of its lines); a printable key goes to the
scribe input. :class:`TimelineNavigation` is a base of
:class:`~warroom.tui.panes.timeline.pane.Timeline`, so Textual finds these there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import SystemCommand

from warroom.domain.sanitize import one_line

if TYPE_CHECKING:
    from warroom.tui.panes.timeline.pane import Timeline

__all__ = ["PALETTE", "TimelineNavigation"]

#: The timeline's actions in the command palette: (title, action, help).
PALETTE: tuple[tuple[str, str, str], ...] = (
    ("Timeline: show entry details", "open_entry", "The whole selected entry"),
    ("Timeline: mark selected entry as key (or unmark it)", "mark_key",
     "Asks, then logs /mark ID or /unmark ID"),
    ("Timeline: correct selected entry", "correct", "Pre-fills /fix ID"),
    ("Timeline: follow newest entries", "last", "Jump to the end"),
)


class TimelineNavigation:
    """The timeline's key actions and click handling (see the module docstring)."""

    @property
    def _timeline(self) -> Timeline:
        # Only ever mixed into the timeline.
        return cast("Timeline", self)

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the selected entry on screen."""
        timeline = self._timeline
        if 0 <= new < len(timeline.rows):
            timeline.scroll_to_entry(new)
        timeline.refresh()

    def on_focus(self) -> None:
        """Show the selection (on the newest entry when there is none yet)."""
        timeline = self._timeline
        if timeline.cursor < 0 or timeline.cursor >= len(timeline.rows):
            timeline._cursor_to_end()
        timeline.refresh()

    def on_blur(self) -> None:
        """Hide the selection."""
        self._timeline.refresh()

    def _move(self, delta: int) -> None:
        timeline = self._timeline
        count = len(timeline.rows)
        if not count:
            return
        start = timeline.cursor if timeline.cursor >= 0 else count - 1
        timeline.cursor = max(0, min(count - 1, start + delta))

    def action_cursor(self, delta: int) -> None:
        """Move the selection by ``delta`` entries."""
        self._move(delta)

    def action_page(self, direction: int) -> None:
        """Move the selection by a page (of lines: to the entry a screen away)."""
        timeline = self._timeline
        count = len(timeline.rows)
        if not count:
            return
        lines = timeline._line_map()
        start = timeline.cursor if 0 <= timeline.cursor < count else count - 1
        page = max(1, timeline.scrollable_content_region.height - 1)
        # Measure the page of entries passed over first (not yet drawn, each counts one line).
        if direction < 0:
            lines.measure_up(start - 1, page, timeline._draw)
        else:
            lines.window(lines.start(start), page + 1, timeline._draw)
        line = max(0, min(lines.total - 1, lines.start(start) + direction * page))
        target, _ = lines.locate(line)
        if target == start:  # one entry taller than the screen: still move
            target += direction
        timeline.cursor = max(0, min(count - 1, target))

    def action_first(self) -> None:
        """Select the oldest entry."""
        timeline = self._timeline
        if timeline.rows:
            timeline.cursor = 0

    def action_last(self) -> None:
        """Select the newest entry and follow new ones again."""
        timeline = self._timeline
        if timeline.rows:
            timeline.cursor = len(timeline.rows) - 1
        timeline._scroll_to_end()

    def action_open_entry(self) -> None:
        """Ask the screen to show the selected entry."""
        timeline = self._timeline
        if (event := timeline.selected) is not None:
            timeline.post_message(timeline.EntrySelected(event))

    def action_mark_key(self) -> None:
        """Ask the screen to mark the selected entry as key, or to take its mark back.

        The screen asks for a confirmation before anything is written.
        """
        timeline = self._timeline
        if (event := timeline.selected) is not None:
            timeline.post_message(timeline.KeyMarkRequested(event, timeline.is_key(event)))

    def action_correct(self) -> None:
        """Ask the screen to start a ``/fix`` of the selected entry."""
        timeline = self._timeline
        if (event := timeline.selected) is not None:
            text = one_line(timeline.corrected_text(event))
            timeline.post_message(timeline.CorrectRequested(event, text))

    def on_key(self, event: events.Key) -> None:
        """A printable key goes to the scribe input (``typing_target``), focused.

        So a note typed while the list has the focus is a note, not a string of
        commands. Keys of the same burst that reached the list before the focus moved
        follow the first one there, in order (Enter included).
        """
        timeline = self._timeline
        target = timeline.typing_target
        if target is None:
            return
        handed_over = timeline.screen.focused is target
        if not (event.is_printable or handed_over):
            return
        event.stop()
        event.prevent_default()
        if not handed_over:
            timeline.screen.set_focus(target)
        target.post_message(events.Key(event.key, event.character))

    def on_click(self, event: events.Click) -> None:
        """Select the clicked entry, on any of its lines (a second click opens it)."""
        timeline = self._timeline
        row = timeline.entry_at(event.y)
        if row is not None:
            if row == timeline.cursor and event.chain >= 2:
                self.action_open_entry()
            timeline.cursor = row

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The timeline's actions for the command palette (the war room lists them)."""
        timeline = self._timeline
        for title, action, help_text in PALETTE:
            def run(action: str = action) -> Any:
                return timeline.run_action(action)

            yield SystemCommand(title, help_text, run)
