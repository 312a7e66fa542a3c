"""What one scribe entry costs the screen: no whole-screen layout for a keystroke or a row.

A layout re-arranges every widget of the screen (10-40 ms in the war room); typing a
character, clearing the input on Enter and adding a row to the timeline need only a
repaint of the widget that changed. Counted with the screen's layout signal, which
Textual publishes after every layout pass.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.support.times import T0
from warroom.domain.events import Event, NoteData
from warroom.tui.panes.scribe.pane import DEFAULT_HINT, ScribeBox, ScribeInput
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.themes import VARIABLE_DEFAULTS

TIMELINE_TCSS = Path(__file__).resolve().parents[2] / "warroom/tui/panes/timeline/timeline.tcss"


def notes(ids: range) -> list[Event]:
    """Notes with the given ids, ``id`` seconds after T0."""
    return [
        Event(id=i, occurred_at=T0 + timedelta(seconds=i), recorded_at=T0, author="alice",
              text=f"note {i}", data=NoteData())
        for i in ids
    ]


class Host(App[None]):
    """A timeline over a scribe box, as in the war room's left column."""

    CSS_PATH: ClassVar = [TIMELINE_TCSS]
    CSS = "Timeline { height: 1fr; } #scribe-message { height: 1; }"

    def __init__(self) -> None:
        super().__init__()
        self.layouts = 0

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static("header", id="header")
        yield Timeline(tz=UTC)
        yield ScribeBox(id="scribe")

    def count_layouts(self) -> None:
        """Count the screen's layout passes from now on."""
        self.layouts = 0

        def counted(_screen: object) -> None:
            self.layouts += 1

        self.screen.screen_layout_refresh_signal.subscribe(self, counted, immediate=True)

    def on_scribe_input_entered(self, message: ScribeInput.Entered) -> None:
        """What the war room does with a sent line: clear it and its message."""
        message.scribe.value = ""
        self.query_one(ScribeBox).clear_message()


def rows_text(timeline: Timeline) -> list[str]:
    height = timeline.scrollable_content_region.height
    return [timeline.render_line(y).text.rstrip() for y in range(height)]


async def test_a_new_row_is_painted_without_a_screen_layout() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load(notes(range(1, 60)))
        await pilot.pause()
        app.count_layouts()
        timeline.add(notes(range(60, 61)))
        await pilot.pause()
        assert app.layouts == 0
        assert "note 60" in rows_text(timeline)[-1]
        assert timeline.vertical_scrollbar.window_virtual_size == 60
        assert timeline.scroll_y == timeline.max_scroll_y  # still following the tail


async def test_a_scrollbar_that_appears_still_gets_its_layout() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load(notes(range(1, 3)))
        await pilot.pause()
        assert not timeline.show_vertical_scrollbar
        app.count_layouts()
        timeline.add(notes(range(3, 60)))
        await pilot.pause()
        assert timeline.show_vertical_scrollbar
        assert app.layouts >= 1  # the signal does count layouts
        assert "note 59" in rows_text(timeline)[-1]


async def test_rows_drawn_before_are_redrawn_when_the_id_column_widens() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load(notes(range(1, 999)))
        await pilot.pause()
        timeline.add(notes(range(999, 1000)))
        await pilot.pause()
        timeline.add(notes(range(1000, 1001)))  # "#1000" needs one more cell
        await pilot.pause()
        lines = rows_text(timeline)
        assert "note 999" in lines[-2] and "note 1000" in lines[-1]
        times = {re.search(r"\d\d:\d\d:\d\d", line).start() for line in lines}  # type: ignore[union-attr]
        assert len(times) == 1, "every row's time column lines up"


async def test_typing_and_sending_a_line_need_no_screen_layout() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        scribe = app.query_one(ScribeInput)
        scribe.focus()
        await pilot.pause()
        app.count_layouts()
        await pilot.press(*"payments error rate back under 1%")
        assert scribe.value == "payments error rate back under 1%"
        await pilot.press("enter")
        await pilot.pause()
        assert scribe.value == ""
        assert app.layouts == 0
        message = app.query_one("#scribe-message", Static)
        assert str(message.render()) == DEFAULT_HINT


async def test_a_line_wider_than_the_input_still_scrolls_to_the_cursor() -> None:
    app = Host()
    async with app.run_test(size=(60, 20)) as pilot:
        scribe = app.query_one(ScribeInput)
        scribe.focus()
        await pilot.pause()
        await pilot.press(*"payments error rate is back under one percent now, all good")
        assert scribe.scroll_x > 0
        assert scribe.cursor_screen_offset.x < scribe.region.right
        await pilot.press("home")
        assert scribe.scroll_x == 0
        await pilot.press("end")
        assert scribe.scroll_x > 0
        await pilot.press(*["backspace"] * 40)
        assert scribe.value == "payments error rate"
        assert scribe.scroll_x == 0
