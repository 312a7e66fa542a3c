"""Layout at 200×50 (all four panes) and 80×24 (tabs), and F1 help for the focused pane."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget

from tests.support.incidents import seed_incident
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.widgets.help import HelpScreen

from .conftest import AppFactory, screen_text, settle, timeline_lines

PANE_IDS = ("#timeline", "#scribe-input", "#roster", "#countdowns", "#composer")


def _visible(screen: WarRoomScreen, selector: str) -> Region:
    widget = screen.query_one(selector, Widget)
    region = widget.region
    return region if widget.display and region.area else Region(0, 0, 0, 0)


async def test_all_four_panes_visible_at_200x50(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        whole = Region(0, 0, 200, 50)
        for selector in PANE_IDS:
            region = _visible(screen, selector)
            assert region.area, f"{selector} is not visible"
            assert whole.contains_region(region), f"{selector} is cut off: {region}"
        assert not screen.query_one("#pane-tabs").display
        assert _visible(screen, "#roster").x > _visible(screen, "#timeline").right - 1


async def test_narrow_terminal_tabs_the_panes(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        whole = Region(0, 0, 80, 24)
        assert screen.query_one("#pane-tabs").display
        for selector in ("#timeline", "#scribe-input"):
            assert whole.contains_region(_visible(screen, selector))
        for selector in ("#roster", "#countdowns", "#composer"):
            assert not _visible(screen, selector).area
        for key, selector in (("f3", "#roster"), ("f4", "#countdowns"), ("f5", "#composer")):
            await pilot.press(key)
            await settle(pilot)
            region = _visible(screen, selector)
            assert region.area and whole.contains_region(region), selector
            assert not _visible(screen, "#timeline").area
        await pilot.press("escape")
        await settle(pilot)
        assert _visible(screen, "#timeline").area
        assert screen.focused is screen.scribe_input


async def test_clicking_a_tab_switches_the_pane(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        assert screen.query_one("#tab-timeline").has_class("-active")
        await pilot.click("#tab-roster")
        await settle(pilot)
        assert _visible(screen, "#roster").area
        assert screen.query_one("#tab-roster").has_class("-active")
        assert not screen.query_one("#tab-timeline").has_class("-active")
        await pilot.press("f4")  # the keys move the active tab too
        await settle(pilot)
        assert screen.query_one("#tab-countdowns").has_class("-active")


async def test_f1_shows_help_for_the_focused_pane(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Scribe input" in text and "back-dates" in text
        await pilot.press("escape", "f2", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Timeline" in screen_text(app) and "key event" in screen_text(app)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen)


async def test_f1_right_after_a_pane_key_shows_that_panes_help(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    from textual import events

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # F4 then F1 in one burst (typed faster than the console draws).
        app.post_message(events.Key("f4", None))
        app.post_message(events.Key("f1", None))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Countdowns" in text and "Scribe input" not in text


async def test_authors_get_more_room_on_a_very_wide_terminal(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    record = seed_incident(store, frozen_time, author="margaret.hamilton")
    app = app_factory(incident_ref=record.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        narrow = "\n".join(timeline_lines(screen.timeline))
        assert "margaret.h " in narrow  # legible at 80x24: ten cells
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert screen.has_class("-xwide")
        wide = "\n".join(timeline_lines(screen.timeline))
        assert "margaret.hamilt" in wide
        for selector in ("#roster", "#countdowns", "#composer"):
            assert _visible(screen, selector).width >= 56


async def test_roster_hand_offs_wrap_where_the_roster_has_room(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    lines = ("/ic priya.nair", "/comms dana.whitfield", "/tech tomas.herrera",
             "/ic marcus.okafor", "/comms aisha.rahman")
    record = seed_incident(store, frozen_time, lines=lines)
    heights = {}
    for size in ((120, 40), (200, 50)):
        app = app_factory(incident_ref=record.id)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            history = app.screen.query_one("#roster-history", Widget)
            assert "priya.nair → marcus.okafor" in str(history.render())
            heights[size] = history.size.height
    # Stacked with the countdowns and composer: one line; beside the countdowns at
    # 200 columns the roster has the height to show them whole.
    assert heights[(120, 40)] == 1 and heights[(200, 50)] > 1
