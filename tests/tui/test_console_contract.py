"""What the screens ask of the app, and the war room of its panes: declared, not probed."""

from __future__ import annotations

from textual.app import App

from warroom.store import IncidentRecord
from warroom.tui.console import console_of
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, settle


def test_the_console_app_is_what_its_screens_take_it_for(app_factory: AppFactory) -> None:
    app = app_factory()
    assert console_of(app) is app
    assert console_of(App()) is None, "another app is not taken for the console"


async def test_each_side_pane_takes_the_focus_its_key_gives(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        for key, pane_id, focused_id in (("f3", "roster", "roster"),
                                         ("f4", "countdowns", "countdowns"),
                                         ("f5", "composer", "composer-text")):
            assert screen.pane(pane_id) is not None
            await pilot.press(key)
            await settle(pilot)
            assert screen.focused is not None and screen.focused.id == focused_id, key
