"""The status composer in the war room: everything visible at 200×50, usable at 120×40 and 80×24.

Driven on the demo incident (five affected components, a three-line update), the
largest composer the console shows by default.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from warroom.demo import build_demo
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui.panes.composer.pane import StatusComposerPane
from warroom.tui.panes.composer.parts import ComponentRow, PreviewBox
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, open_war_room, settle

#: Every part of the composer the user works with, top to bottom.
PARTS = (
    "#composer-due",
    "#composer-phase",
    "#composer-text",
    "#composer-preview-box",
    "#composer-warnings",
    "#composer-post",
    "#composer-copy",
    "#composer-refill",
)


@pytest.fixture
def demo(store: Store, frozen_time: FrozenTime) -> IncidentRecord:
    """The demo incident, live at the frozen clock's now."""
    return build_demo(store, now=frozen_time.now())


def _composer(screen: WarRoomScreen) -> StatusComposerPane:
    return screen.query_one("#composer", StatusComposerPane)


def _parts(composer: StatusComposerPane) -> list[Widget]:
    parts = [composer.query_one(selector, Widget) for selector in PARTS]
    rows = list(composer.query(ComponentRow))
    assert len(rows) == 5  # the demo's components
    return parts + rows


async def _war_room(pilot: Pilot[Any]) -> WarRoomScreen:
    screen = await open_war_room(pilot)
    await settle(pilot)
    return screen


async def test_everything_visible_without_scrolling_at_200x50(
    app_factory: AppFactory, demo: IncidentRecord
) -> None:
    app = app_factory(incident_ref=demo.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _war_room(pilot)
        whole = Region(0, 0, 200, 50)
        composer = _composer(screen)
        assert composer.has_class("-split")  # the text beside its preview
        assert composer.body.max_scroll_y == 0
        inside = composer.content_region
        for part in _parts(composer):
            assert part.region.area, f"{part} is not shown"
            assert inside.contains_region(part.region), f"{part} is cut off: {part.region}"
        preview = composer.query_one(PreviewBox)
        assert preview.max_scroll_y == 0  # the whole preview, no scrolling inside it either
        text = composer.query_one("#composer-text", Widget)
        assert preview.region.x >= text.region.right and preview.region.y == text.region.y
        # The other panes are whole too, and the timeline keeps its wide rows.
        for selector in ("#roster", "#countdowns", "#timeline", "#scribe-input"):
            region = screen.query_one(selector, Widget).region
            assert region.area and whole.contains_region(region), selector
        assert screen.timeline.scrollable_content_region.width >= 100
        # All of the preview is on screen: Tab goes from the text straight to Post.
        await pilot.press("f5", "tab")
        await settle(pilot)
        assert app.focused is composer.query_one("#composer-post")


async def test_usable_at_120x40_text_then_preview_in_view_and_buttons_always(
    app_factory: AppFactory, demo: IncidentRecord
) -> None:
    app = app_factory(incident_ref=demo.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _war_room(pilot)
        whole = Region(0, 0, 120, 40)
        composer = _composer(screen)
        assert not composer.has_class("-split")  # too narrow: stacked, the pane scrolls
        inside = composer.content_region
        for part in _parts(composer):  # nothing cut off on the right
            region = part.region
            assert region.x >= inside.x and region.right <= inside.right, part
        for selector in ("#composer-warnings", "#composer-post", "#composer-refill"):
            region = composer.query_one(selector, Widget).region
            assert region.area and inside.contains_region(region), selector
        await pilot.press("f5")
        await settle(pilot)
        text = composer.query_one("#composer-text", Widget)
        assert app.focused is text and screen.can_view_entire(text)
        # While it is the active pane the composer has the column to itself: the
        # preview is in view at once (Tab would bring it into view otherwise).
        preview = composer.query_one(PreviewBox)
        view = composer.body.scrollable_content_region
        assert view.contains(preview.region.x, preview.region.y)
        for _ in range(2):
            await pilot.press("tab")
            await settle(pilot)
            if app.focused is composer.query_one("#composer-post"):
                break
        assert app.focused is composer.query_one("#composer-post")
        assert whole.contains_region(app.focused.region)


async def test_status_tab_at_80x24_shows_every_part_without_scrolling_the_pane(
    app_factory: AppFactory, demo: IncidentRecord
) -> None:
    app = app_factory(incident_ref=demo.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _war_room(pilot)
        await pilot.press("f5")
        await settle(pilot)
        composer = _composer(screen)
        assert composer.has_class("-split")
        assert composer.body.max_scroll_y == 0
        inside = composer.content_region
        for part in _parts(composer):
            assert part.region.area and inside.contains_region(part.region), part
        # A preview longer than its box scrolls inside it, and is a Tab stop then.
        preview = composer.query_one(PreviewBox)
        assert preview.max_scroll_y > 0
        assert app.focused is composer.query_one("#composer-text")
        await pilot.press("tab", "end")
        await settle(pilot)
        assert app.focused is preview
        assert preview.scroll_y == preview.max_scroll_y


async def test_f5_on_a_short_terminal_scrolls_the_text_into_view(
    app_factory: AppFactory, demo: IncidentRecord
) -> None:
    app = app_factory(incident_ref=demo.id)
    async with app.run_test(size=(80, 18)) as pilot:
        screen = await _war_room(pilot)
        await pilot.press("f5")  # shows the tab and focuses the text in one go
        await settle(pilot)
        text = _composer(screen).query_one("#composer-text", Widget)
        assert app.focused is text
        assert screen.can_view_entire(text)
