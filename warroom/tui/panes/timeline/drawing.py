"""How the timeline draws: an entry's lines (cached), a screen line, queued entries.

:class:`TimelineDrawing` is a base of :class:`~warroom.tui.panes.timeline.pane.Timeline`:
``render_line`` takes screen line *y* from the widget's plan of the screen (the
entries from the top line down, each drawn once per look and width and cached) or,
past the last entry, draws a queued entry or the "no entries" note. The row layout
itself is :mod:`warroom.tui.panes.timeline.rows`.

User text reaches the screen as :class:`rich.segment.Segment` text run through
:func:`~warroom.domain.sanitize.one_line` — never as markup, never with a control
character.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from warroom.tui.panes.timeline.rows import render_entry, render_queued, row_styles

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.tui.panes.timeline.pane import Timeline

__all__ = ["TimelineDrawing"]


class TimelineDrawing:
    """The timeline's drawing (see the module docstring)."""

    @property
    def _timeline(self) -> Timeline:
        # Only ever mixed into the timeline.
        return cast("Timeline", self)

    def _style_map(self) -> dict[str, Style]:
        timeline = self._timeline
        if timeline._styles is None:
            timeline._styles = row_styles(timeline)
        return timeline._styles

    def _draw(self, index: int) -> tuple[Strip, ...]:
        """The lines of the entry at ``index`` of the rows shown (drawn on demand, cached)."""
        timeline = self._timeline
        rows = timeline._rows
        assert not isinstance(rows, tuple), "drawn only once there are rows"
        width, most = timeline._lines_for
        event_id = rows.id_at(index)
        selected = index == timeline.cursor and timeline.has_focus
        look = 2 if event_id == timeline.flashed else int(selected)
        key = (event_id, width, most, look)
        strips = timeline._cache.get(key)
        if strips is None:  # a cached strip already carries the base style
            strips = self._render_entry(rows[index], width, look, timeline.rich_style, most)
            timeline._cache[key] = strips
        return strips

    def _render_entry(self, event: Event, width: int, look: int, base: Style,
                      most: int) -> tuple[Strip, ...]:
        timeline = self._timeline
        return render_entry(
            event,
            width,
            look,
            base,
            styles=self._style_map(),
            tz=timeline.tz,
            id_cells=timeline._id_cells,
            text=timeline.display_text(event),
            is_key=timeline.is_key(event),
            corrected=event.id in timeline._corrections,
            max_lines=most,
        )

    def render_line(self, y: int) -> Strip:
        """Render screen line ``y``: a line of an entry, a queued entry, or a note."""
        timeline = self._timeline
        view = timeline._frame_view
        if view is None:  # a line asked for outside a frame
            view = timeline._plan()
        if y < len(view):
            return view[y]
        width = timeline.scrollable_content_region.width
        index = round(timeline.scroll_y) + y
        base = timeline.rich_style
        queued = timeline._queued
        waiting = index - timeline._lines.total
        if 0 <= waiting < len(queued) and index >= 0:
            return self._render_queued(queued[waiting], width, base)
        if index == 0 and not timeline.rows:
            if not timeline._loaded:
                note = "loading the timeline…"
            elif timeline.filter.active:
                note = "no entries match the filter"
            else:
                note = "no entries yet"
            # One component style, not the whole map (the first frame draws this).
            style = base + timeline.get_component_rich_style("timeline--empty", partial=True)
            return Strip([Segment(f"  {note}", style)]).extend_cell_length(width, base)
        return Strip.blank(width, base)

    def _render_queued(self, row: tuple[datetime, str, str], width: int, base: Style) -> Strip:
        """A row for an entry waiting on this seat (see :func:`render_queued`)."""
        timeline = self._timeline
        return render_queued(
            row, width, base, styles=self._style_map(), tz=timeline.tz,
            id_cells=timeline._id_cells,
        )
