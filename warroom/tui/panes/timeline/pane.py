"""The timeline: every event as one styled line, virtual and fast at 100,000 events.

A :class:`Timeline` is a Line API widget (a :class:`~textual.scroll_view.ScrollView`
with ``render_line``): it keeps the events in timeline order in a compact
:class:`~warroom.domain.eventlog.EventLog` (columns, no object per event) and the
log of those the filter lets through, and formats only the rows on screen, caching
their strips. Nothing per event is measured or mounted, so loading 100k events is a
copy of a few arrays and an append costs the same at 100 or 100k events.

User text reaches the screen as :class:`rich.segment.Segment` text run through
:func:`~warroom.domain.sanitize.one_line` — never as markup, never with a control
character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from warroom.domain.sanitize import one_line
from warroom.tui.panes.timeline import messages as timeline_messages
from warroom.tui.panes.timeline.filter import TimelineFilterBar
from warroom.tui.panes.timeline.rows import (
    ROW_COMPONENTS,
    render_queued,
    render_row,
    row_styles,
)
from warroom.tui.panes.timeline.text import (
    KIND_FILTERS,
    KIND_LABELS,
    MILESTONE_KINDS,
    TIMELINE_HELP,
    TimelineFilter,
    describe,
)
from warroom.tui.widgets.pane_support import rebound_scroll, set_subtitle

if TYPE_CHECKING:
    from warroom.domain.eventlog import EventLog
    from warroom.domain.events import Event
    from warroom.domain.state import IncidentState

__all__ = [
    "KIND_FILTERS",
    "KIND_LABELS",
    "MILESTONE_KINDS",
    "Timeline",
    "TimelineFilter",
    "TimelineFilterBar",
    "describe",
]

#: How long an entry the scribe just logged stays highlighted (seconds).
FLASH_SECONDS = 2.0


class Timeline(ScrollView, can_focus=True):
    """A virtual, line-based view of an incident's events (one line per event)."""

    BINDINGS: ClassVar[list[BindingType]] = list(timeline_messages.TIMELINE_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROW_COMPONENTS)

    HELP = TIMELINE_HELP

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)
    """Index of the selected row in the visible rows (-1: none yet)."""

    EntrySelected: TypeAlias = timeline_messages.EntrySelected
    KeyMarkRequested: TypeAlias = timeline_messages.KeyMarkRequested
    CorrectRequested: TypeAlias = timeline_messages.CorrectRequested

    def __init__(
        self,
        *,
        tz: tzinfo = UTC,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an empty timeline showing times in ``tz``."""
        super().__init__(name=name, id=id, classes=classes)
        self.tz = tz
        self._all: EventLog | tuple[()] = ()  # an EventLog from the first load or add
        self._rows: EventLog | tuple[()] = self._all
        self._filter = TimelineFilter()
        self._corrections: dict[int, str] = {}
        self._key_ids: frozenset[int] = frozenset()
        #: Rendered rows by (event id, width, look: 0 plain, 1 selected, 2 just logged).
        self._cache: LRUCache[tuple[int, int, int], Strip] = LRUCache(1024)
        self._flash_id: int | None = None
        self._flash_timer: Timer | None = None
        self._styles: dict[str, Style] | None = None
        self._id_cells = 4
        self._unseen = 0
        self._loaded = False
        self._follow = True
        #: Where printable keys typed in the list go (the screen sets the scribe input).
        self.typing_target: Widget | None = None
        #: Entries waiting on this seat (server out of reach): (typed at, author, text),
        #: shown after the last entry, marked "queued".
        self._queued: tuple[tuple[datetime, str, str], ...] = ()

    # ------------------------------------------------------------------ data
    @property
    def rows(self) -> Sequence[Event]:
        """The events shown (after the filter), in timeline order."""
        return self._rows

    @property
    def event_count(self) -> int:
        """How many events the timeline holds (before the filter)."""
        return len(self._all)

    @property
    def filter(self) -> TimelineFilter:
        """The filter in force."""
        return self._filter

    @property
    def following(self) -> bool:
        """Whether the view sticks to the newest entry (until the user scrolls up)."""
        return self._follow

    @property
    def selected(self) -> Event | None:
        """The selected event, if any."""
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def load(self, events: Iterable[Event], state: IncidentState | None = None) -> None:
        """Replace the content with ``events`` (kept in timeline order).

        An :class:`~warroom.domain.eventlog.EventLog` (e.g. a session's ``timeline``)
        is copied without building any event.
        """
        from warroom.domain.eventlog import EventLog

        self._all = EventLog(events)
        self._loaded = True
        self._cache.clear()  # rows are cached by event id: another log may reuse ids
        if state is not None:
            self._take_state(state)
        self._id_cells = max(4, len(str(self._all.id_at(-1))) + 1 if self._all else 4)
        self._apply_filter()
        self._cursor_to_end()
        self._resize_virtual()
        self.refresh()  # a short log may leave the virtual size as it was: repaint anyway
        if self.container_size.height:  # laid out: the frame that draws the rows ends there
            self._scroll_to_end()
        else:
            self.call_after_refresh(self._scroll_to_end)

    def add(self, new_events: Iterable[Event], state: IncidentState | None = None,
            *, reveal: int | None = None) -> None:
        """Add events (any order; back-dated ones land where they belong).

        ``reveal`` is the id of an entry this seat just logged: it is scrolled to and
        highlighted for a moment wherever the view was (others' entries count as new).
        """
        at_end = self._follow
        cursor_at_end = self.cursor >= len(self._rows) - 1
        added = 0
        log = self._all
        if isinstance(log, tuple):  # nothing loaded yet: start an empty log
            from warroom.domain.eventlog import EventLog

            log = self._all = self._rows = EventLog()
        id_cells = self._id_cells
        rows = self._rows
        filtered = None if rows is log or isinstance(rows, tuple) else rows
        for event in new_events:
            log.add(event)
            if filtered is not None and self._matches(event):
                filtered.add(event)
            added += 1
            self._id_cells = max(self._id_cells, len(str(event.id)) + 1)
        if state is not None:
            self._take_state(state)
        if not added:
            return
        # Cached rows are keyed by event id: they stay right when rows are added,
        # unless the id column widened (corrections and key marks clear in _take_state).
        if self._id_cells != id_cells:
            self._cache.clear()
        self._resize_virtual()
        position = None
        if reveal is not None and not isinstance(self._rows, tuple):
            position = self._rows.position_of(reveal)
        if cursor_at_end:
            self._cursor_to_end()
        if at_end:
            self._scroll_to_end()
        else:
            self._unseen += added - (position is not None)
            self._update_subtitle()
        if position is not None:
            self._show_logged(reveal, position)
        self.refresh()

    def update_state(self, state: IncidentState) -> None:
        """Take corrections and key marks from ``state`` (re-renders changed rows)."""
        self._take_state(state)

    def _take_state(self, state: IncidentState) -> None:
        if state.corrections != self._corrections or state.key_events != self._key_ids:
            self._corrections = dict(state.corrections)
            self._key_ids = state.key_events
            self._cache.clear()
            if self._filter.text.strip():
                self._apply_filter()
                self._resize_virtual()
            self.refresh()

    def set_filter(self, flt: TimelineFilter) -> None:
        """Show only the events ``flt`` lets through (the view goes to the newest)."""
        if flt == self._filter:
            return
        self._filter = flt
        self._apply_filter()
        self._cache.clear()
        self._cursor_to_end()
        self._resize_virtual()
        self._scroll_to_end()
        self._update_subtitle()
        self.refresh()

    def display_text(self, event: Event) -> str:
        """The event's shown text (corrected if corrected), one line, cleaned."""
        return describe(event, self._corrections)

    def is_key(self, event: Event) -> bool:
        """Whether ``event`` is a key event."""
        return event.id in self._key_ids

    # --------------------------------------------------------------- filter
    def _matches(self, event: Event) -> bool:
        return self._filter.matches(event, self._corrections, self._key_ids)

    def _apply_filter(self) -> None:
        if not self._filter.active or isinstance(self._all, tuple):
            self._rows = self._all
        else:
            self._rows = self._all.select(self._matches)

    def set_queued(self, queued: Sequence[tuple[datetime, str, str]]) -> None:
        """Show entries waiting to be sent (typed at, author, text) after the last entry."""
        fresh = tuple(queued)
        if fresh == self._queued:
            return
        self._queued = fresh
        self._resize_virtual()
        if self._follow:
            self._scroll_to_end()
        self.refresh()

    # ------------------------------------------------------------- scrolling
    def _resize_virtual(self) -> None:
        """Set the scrollable size to the rows shown, without a screen layout if possible.

        The size is set quietly and the scroll re-bounded in place (see
        :func:`~warroom.tui.widgets.pane_support.rebound_scroll`).
        """
        size = Size(self.scrollable_content_region.width, len(self._rows) + len(self._queued))
        if size == self.virtual_size:
            return
        self.set_reactive(Timeline.virtual_size, size)
        rebound_scroll(self, size)

    def _scroll_to_end(self) -> None:
        self._follow = True
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._unseen = 0
        self._update_subtitle()

    def _show_logged(self, event_id: int | None, position: int) -> None:
        """Scroll to the row at ``position`` and highlight it for :data:`FLASH_SECONDS`."""
        self._flash_id = event_id
        self._cache.clear()
        self.scroll_to_region_y(position)  # the selection stays where the user left it
        self.refresh()
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash_id = None
        self._cache.clear()
        self.refresh()

    @property
    def flashed(self) -> int | None:
        """The id of the entry highlighted as just logged, if any."""
        return self._flash_id

    def _cursor_to_end(self) -> None:
        self.set_reactive(Timeline.cursor, len(self._rows) - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Keep the scrollbar in step; reaching the end clears the "new entries" note."""
        super().watch_scroll_y(old_value, new_value)
        self._follow = self.is_vertical_scroll_end
        if self._unseen and self._follow:
            self._unseen = 0
            self._update_subtitle()

    def _update_subtitle(self) -> None:
        parts = []
        if self._filter.active:
            parts.append(f"{len(self._rows):,} of {len(self._all):,} shown")
        if self._unseen:
            parts.append(f"▼ {self._unseen} new — End to follow")
        set_subtitle(self, " · ".join(parts))

    def on_resize(self, event: events.Resize) -> None:
        """A new size: re-render rows at that width; keep following the newest."""
        self._cache.clear()
        self._resize_virtual()
        if self._follow:
            self.call_after_refresh(self._scroll_to_end)

    # -------------------------------------------------------------- cursor
    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the selected row on screen."""
        self._cache.clear()
        if 0 <= new < len(self._rows):
            self.scroll_to_region_y(new)
        self.refresh()

    def scroll_to_region_y(self, row: int) -> None:
        """Scroll the least needed to show ``row``."""
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if not self._rows:
            return
        start = self.cursor if self.cursor >= 0 else len(self._rows) - 1
        self.cursor = max(0, min(len(self._rows) - 1, start + delta))

    def action_cursor(self, delta: int) -> None:
        """Move the selection by ``delta`` rows."""
        self._move(delta)

    def action_page(self, direction: int) -> None:
        """Move the selection by a page."""
        self._move(direction * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        """Select the oldest entry."""
        if self._rows:
            self.cursor = 0

    def action_last(self) -> None:
        """Select the newest entry and follow new ones again."""
        if self._rows:
            self.cursor = len(self._rows) - 1
        self._scroll_to_end()

    def action_open_entry(self) -> None:
        """Ask the screen to show the selected entry."""
        if (event := self.selected) is not None:
            self.post_message(self.EntrySelected(event))

    def action_mark_key(self) -> None:
        """Ask the screen to mark the selected entry as key, or to take its mark back.

        The screen asks for a confirmation before anything is written.
        """
        if (event := self.selected) is not None:
            self.post_message(self.KeyMarkRequested(event, self.is_key(event)))

    def on_key(self, event: events.Key) -> None:
        """A printable key goes to the scribe input (:attr:`typing_target`), focused.

        So a note typed while the list has the focus is a note, not a string of
        commands. Keys of the same burst that reached the list before the focus moved
        follow the first one there, in order (Enter included).
        """
        target = self.typing_target
        if target is None:
            return
        handed_over = self.screen.focused is target
        if not (event.is_printable or handed_over):
            return
        event.stop()
        event.prevent_default()
        if not handed_over:
            self.screen.set_focus(target)
        target.post_message(events.Key(event.key, event.character))

    def action_correct(self) -> None:
        """Ask the screen to start a ``/fix`` of the selected entry."""
        if (event := self.selected) is not None:
            text = one_line(self._corrections.get(event.id, event.text))
            self.post_message(self.CorrectRequested(event, text))

    def on_click(self, event: events.Click) -> None:
        """Select the clicked row (a second click on it opens it)."""
        row = round(self.scroll_y) + event.y
        if 0 <= row < len(self._rows):
            if row == self.cursor and event.chain >= 2:
                self.action_open_entry()
            self.cursor = row

    def on_focus(self) -> None:
        """Show the selection."""
        if self.cursor < 0 or self.cursor >= len(self._rows):
            self._cursor_to_end()
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        """Hide the selection."""
        self._cache.clear()
        self.refresh()

    # ------------------------------------------------------------- rendering
    def notify_style_update(self) -> None:
        """Theme or CSS changed: forget cached styles and strips."""
        super().notify_style_update()
        self._styles = None
        self._cache.clear()

    def _style_map(self) -> dict[str, Style]:
        if self._styles is None:
            self._styles = row_styles(self)
        return self._styles

    def render_line(self, y: int) -> Strip:
        """Render the row at screen line ``y`` (formatted on demand, cached)."""
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        rows = self._rows
        if isinstance(rows, tuple) or not 0 <= index < len(rows):
            base = self.rich_style
            waiting = index - (0 if isinstance(rows, tuple) else len(rows))
            if 0 <= waiting < len(self._queued) and index >= 0:
                return self._render_queued(self._queued[waiting], width, base)
            if index == 0:
                if not self._loaded:
                    note = "loading the timeline…"
                elif self._filter.active:
                    note = "no entries match the filter"
                else:
                    note = "no entries yet"
                # One component style, not the whole map (the first frame draws this).
                style = base + self.get_component_rich_style("timeline--empty", partial=True)
                return Strip([Segment(f"  {note}", style)]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        event_id = rows.id_at(index)
        look = 2 if event_id == self._flash_id else int(index == self.cursor and self.has_focus)
        key = (event_id, width, look)
        strip = self._cache.get(key)
        if strip is None:  # a cached strip already carries the base style
            strip = self._render_row(rows[index], width, look, self.rich_style)
            self._cache[key] = strip
        return strip

    def _render_queued(self, row: tuple[datetime, str, str], width: int, base: Style) -> Strip:
        """A row for an entry waiting on this seat (see :func:`render_queued`)."""
        return render_queued(
            row, width, base, styles=self._style_map(), tz=self.tz, id_cells=self._id_cells
        )

    def _render_row(self, event: Event, width: int, look: int, base: Style) -> Strip:
        return render_row(
            event,
            width,
            look,
            base,
            styles=self._style_map(),
            tz=self.tz,
            id_cells=self._id_cells,
            text=self.display_text(event),
            is_key=self.is_key(event),
            corrected=event.id in self._corrections,
        )
