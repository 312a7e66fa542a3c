"""The timeline's filter bar: search text and a kind choice (Ctrl+F shows it, Esc clears it)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Select

from warroom.tui.panes.timeline.text import KIND_FILTERS, TimelineFilter

__all__ = ["TimelineFilterBar"]


class TimelineFilterBar(Horizontal):
    """Search text and a kind choice for the timeline (Ctrl+F shows it, Esc clears it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Clear filter",
            id="timeline_filter.close",
            tooltip="Clear the filter and go back to the scribe input",
        ),
    ]

    HELP = """\
## Timeline filter

Type to search the entries' text and authors; pick a kind to show only those
entries ("Key events & milestones" shows the highlights). **Esc** clears the
filter and hides this bar.
"""

    class Changed(Message):
        """The filter changed."""

        def __init__(self, value: TimelineFilter) -> None:
            """Carry the new filter."""
            super().__init__()
            self.value = value

    class Closed(Message):
        """The bar was closed (the filter is cleared)."""

    def __init__(self, *, id: str | None = None) -> None:
        """Create the (hidden) bar."""
        super().__init__(id=id)
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        """Nothing until first opened (keeps the war room's first frame light)."""
        return iter(())

    @property
    def value(self) -> TimelineFilter:
        """The filter the bar describes."""
        if not self.query("#timeline-search"):
            return TimelineFilter()
        kind = self.query_one("#timeline-kind", Select).value
        text = self.query_one("#timeline-search", Input).value
        return TimelineFilter(kind=kind if isinstance(kind, str) else "all", text=text)

    async def open(self) -> None:
        """Show the bar (building it the first time) and focus the search box."""
        if not self.query("#timeline-search"):
            await self.mount_all([
                Input(placeholder="search text or author…", id="timeline-search"),
                Select(
                    [(label, key) for key, (label, _) in KIND_FILTERS.items()],
                    value="all",
                    allow_blank=False,
                    id="timeline-kind",
                ),
            ])
        self.add_class("-visible")
        self.query_one("#timeline-search", Input).focus()

    def action_close(self) -> None:
        """Clear and hide the bar."""
        if self.query("#timeline-search"):
            self.query_one("#timeline-search", Input).value = ""
            self.query_one("#timeline-kind", Select).value = "all"
        self.remove_class("-visible")
        self.post_message(self.Changed(TimelineFilter()))
        self.post_message(self.Closed())

    @on(Input.Changed, "#timeline-search")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.15, self._emit)

    @on(Input.Submitted, "#timeline-search")
    def _text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._emit()

    @on(Select.Changed, "#timeline-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._emit()

    def _emit(self) -> None:
        self.post_message(self.Changed(self.value))
