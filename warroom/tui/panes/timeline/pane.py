"""The timeline: every event as styled lines, virtual and fast at 100,000 events.

A :class:`Timeline` is a Line API widget (a :class:`~textual.scroll_view.ScrollView`
with ``render_line``): it keeps the events in timeline order in a compact
:class:`~warroom.domain.eventlog.EventLog` (columns, no object per event) and the
log of those the filter lets through, and formats only the entries on screen,
caching their strips. A long entry wraps onto continuation lines under its text
(up to a few lines, then an ellipsis: Enter shows it whole); where each entry starts
is kept by a :class:`~warroom.tui.panes.timeline.lines.LineMap`, which learns an
entry's height when the entry is first drawn. Nothing per event is measured up
front or mounted, so loading 100k events is a copy of a few arrays and an append
costs the same at 100 or 100k events. The drawing is in
:mod:`~warroom.tui.panes.timeline.drawing`, the keys and clicks in
:mod:`~warroom.tui.panes.timeline.navigation` (both mixed in).

User text reaches the screen as :class:`rich.segment.Segment` text run through
:func:`~warroom.domain.sanitize.one_line` — never as markup, never with a control
character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from warroom.tui.panes.timeline import messages as timeline_messages
from warroom.tui.panes.timeline.drawing import TimelineDrawing
from warroom.tui.panes.timeline.filter import TimelineFilterBar
from warroom.tui.panes.timeline.lines import LineMap
from warroom.tui.panes.timeline.navigation import TimelineNavigation
from warroom.tui.panes.timeline.rows import (
    ROW_COMPONENTS,
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


def max_entry_lines(height: int) -> int:
    """The most lines one entry may take in a view ``height`` lines high (4 to 12).

    A third of the view, so a screen always shows a few entries: at 80×24 an entry
    shows about 250 characters, at 120×40 350, at 200×50 900; Enter shows the whole
    entry.
    """
    return max(4, min(12, height // 3))


class Timeline(TimelineNavigation, TimelineDrawing, ScrollView, can_focus=True):
    """A virtual, line-based view of an incident's events (long ones wrap)."""

    BINDINGS: ClassVar[list[BindingType]] = list(timeline_messages.TIMELINE_BINDINGS)

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROW_COMPONENTS)

    HELP = TIMELINE_HELP

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)
    """Index of the selected entry in the entries shown (-1: none yet)."""

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
        #: Drawn entries by (event id, width, most lines, look: 0 plain, 1 selected,
        #: 2 just logged): an entry's lines. A new selection or highlight is a new key,
        #: so moving them draws only the entries whose look changed.
        self._cache: LRUCache[tuple[int, int, int, int], tuple[Strip, ...]] = LRUCache(1024)
        #: Where each entry shown starts, for the (width, most lines) in ``_lines_for``.
        self._lines = LineMap()
        self._lines_for = (0, 0)
        #: The strips on screen (``_view``) and what they were made for (``_view_for``).
        self._view: list[Strip] = []
        self._view_for: tuple[object, ...] = ()
        self._frame_view: list[Strip] | None = None  # the plan while a frame is drawn
        #: Counts the times drawn entries were forgotten (see :meth:`_forget`).
        self._epoch = 0
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
        self._forget()  # rows are cached by event id: another log may reuse ids
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
        # The entry selected in the list (Ctrl+K/E act on it) stays selected whatever
        # arrives; unfocused, the cursor follows the newest (where the list starts).
        kept = self.selected.id if self.has_focus and self.selected is not None else None
        added = 0
        log = self._all
        if isinstance(log, tuple):  # nothing loaded yet: start an empty log
            from warroom.domain.eventlog import EventLog

            log = self._all = self._rows = EventLog()
        id_cells = self._id_cells
        rows = self._rows
        if isinstance(rows, tuple):
            rows = self._rows = log
        filtered = None if rows is log else rows
        lines = self._line_map()
        for event in new_events:
            log.add(event)
            if filtered is None or self._matches(event):
                if filtered is not None:
                    filtered.add(event)
                # Where it landed: at the end, or (back-dated) above.
                last = len(rows) - 1
                at = last if rows.id_at(last) == event.id else rows.position_of(event.id)
                lines.insert(last if at is None else at)
            added += 1
            self._id_cells = max(self._id_cells, len(str(event.id)) + 1)
        if state is not None:
            self._take_state(state)
        if not added:
            return
        # Cached rows are keyed by event id: they stay right when rows are added,
        # unless the id column widened (corrections and key marks clear in _take_state).
        if self._id_cells != id_cells:
            self._forget()
        if len(lines) != len(rows):  # never expected: start the heights afresh
            self._new_line_map()
        self._resize_virtual()
        position = None
        if reveal is not None and not isinstance(self._rows, tuple):
            position = self._rows.position_of(reveal)
            if position is not None:  # drawn once, highlighted, wherever it is measured
                self._flash_id = reveal
        if kept is not None and (kept_at := rows.position_of(kept)) is not None:
            self.set_reactive(Timeline.cursor, kept_at)
        elif cursor_at_end:
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
            self._forget()
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
        self._forget()
        self._cursor_to_end()
        self._resize_virtual()
        self._scroll_to_end()
        self._update_subtitle()
        self.refresh()

    def display_text(self, event: Event) -> str:
        """The event's shown text (corrected if corrected), one line, cleaned."""
        return describe(event, self._corrections)

    def corrected_text(self, event: Event) -> str:
        """The event's text as corrected (its own text if never corrected), uncleaned."""
        return self._corrections.get(event.id, event.text)

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
        self._new_line_map()

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

    # ------------------------------------------------------------- lines
    def _layout(self) -> tuple[int, int]:
        """The (width, most lines per entry) entries are drawn at now."""
        region = self.scrollable_content_region
        return (region.width, max_entry_lines(region.height))

    def _new_line_map(self) -> None:
        """Start the heights afresh (new rows or a new width): every entry one line."""
        self._lines = LineMap(len(self._rows))
        self._lines_for = self._layout()

    def _line_map(self) -> LineMap:
        """The line map for the current width (a new width starts it afresh)."""
        if self._lines_for != self._layout():
            self._new_line_map()
        return self._lines

    def _forget(self) -> None:
        """Forget the drawn entries (they are drawn again when next shown)."""
        self._cache.clear()
        self._epoch += 1

    def entry_at(self, y: int) -> int | None:
        """The index (in :attr:`rows`) of the entry drawn on screen line ``y``, if any."""
        index, _ = self._line_map().locate(round(self.scroll_y) + y)
        return index if 0 <= index < len(self._rows) else None

    # ------------------------------------------------------------- scrolling
    def _resize_virtual(self) -> None:
        """Set the scrollable size to the lines shown, without a screen layout if possible.

        The size is set quietly and the scroll re-bounded in place (see
        :func:`~warroom.tui.widgets.pane_support.rebound_scroll`).
        """
        height = self._line_map().total + len(self._queued)
        size = Size(self.scrollable_content_region.width, height)
        if size == self.virtual_size:
            return
        self.set_reactive(Timeline.virtual_size, size)
        rebound_scroll(self, size)

    def _scroll_to_end(self) -> None:
        self._follow = True
        if not isinstance(self._rows, tuple):  # measure the last screenful first
            room = self.scrollable_content_region.height - len(self._queued)
            lines = self._line_map()
            changes = lines.changes
            lines.measure_up(len(self._rows) - 1, room, self._draw)
            if lines.changes != changes:  # entries moved: repaint even if the scroll stays
                self.refresh()
        self._resize_virtual()
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._unseen = 0
        self._update_subtitle()

    def _show_logged(self, event_id: int | None, position: int) -> None:
        """Scroll to the entry at ``position`` and highlight it for :data:`FLASH_SECONDS`."""
        self._flash_id = event_id
        self.scroll_to_entry(position)  # the selection stays where the user left it
        self.refresh()
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self._flash_id = None
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
        """A new size: re-draw entries at that width; keep following the newest.

        Not following, the entry at the top stays at the top.
        """
        top, _ = self._lines.locate(round(self.scroll_y))
        self._forget()
        self._line_map()
        if self._follow:
            self._scroll_to_end()
            self.call_after_refresh(self._scroll_to_end)
            return
        self._resize_virtual()
        if 0 <= top < len(self._rows):
            self.scroll_to(y=self._lines.start(top), animate=False, immediate=True)

    # -------------------------------------------------------------- cursor
    def scroll_to_entry(self, index: int) -> None:
        """Scroll the least needed to show the entry at ``index`` (all its lines if they fit)."""
        lines = self._line_map()
        height = self.scrollable_content_region.height
        size = len(lines.measure(index, self._draw))
        top = round(self.scroll_y)
        start = lines.start(index)
        if start < top:
            self._resize_virtual()
            self.scroll_to(y=start, animate=False, immediate=True)
        elif start + size > top + height:
            # Measure the entries above it that will share the screen, then align its end.
            lines.measure_up(index - 1, height - size, self._draw)
            self.refresh()
            self._resize_virtual()
            start = lines.start(index)
            self.scroll_to(y=min(start, start + size - height), animate=False, immediate=True)

    # ------------------------------------------------------------- rendering
    def notify_style_update(self) -> None:
        """Theme or CSS changed: forget cached styles and strips."""
        super().notify_style_update()
        self._styles = None
        self._forget()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Lay out the entries on screen (see :meth:`_plan`) once for the frame, then draw."""
        self._frame_view = self._plan()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_view = None

    def _plan(self) -> list[Strip]:
        """The strips of the entries on screen, from the top line down (measured as drawn).

        Made again only when something it depends on changed. Drawing an entry for
        the first time tells its height (and a new width starts the heights afresh):
        when the lines no longer add up to the scroll size, it is set right after
        the frame.
        """
        lines = self._line_map()
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        state = (top, height, self._lines_for, id(lines), id(self._rows), self.cursor,
                 self.has_focus, self._flash_id, self._epoch)
        if (state, lines.changes) == self._view_for:
            return self._view
        self._view = lines.window(top, height, self._draw) if self._rows else []
        self._view_for = (state, lines.changes)  # what drawing it measured included
        if lines.total + len(self._queued) != self.virtual_size.height:
            self.call_later(self._measured)
        return self._view

    def _measured(self) -> None:
        """The entries take another number of lines than counted: update the scroll size."""
        if self._follow:
            self._scroll_to_end()
        else:
            self._resize_virtual()
