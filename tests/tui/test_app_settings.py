"""Themes (files, fallback, persistence), the keymap from the config, the command palette."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.notifications import Notify

from warroom.config import Config
from warroom.store import IncidentRecord
from warroom.tui.commands import ConsoleCommands
from warroom.tui.panes.timeline.pane import TimelineFilterBar
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.themes import (
    DEFAULT_THEME,
    THEMES_DIR,
    VARIABLE_DEFAULTS,
    ThemeFileError,
    load_themes,
    theme_from_mapping,
)

from .conftest import AppFactory, settle

HOUSE_THEMES = {"warroom-dark", "warroom-light", "warroom-high-contrast"}


def test_theme_files_load_with_every_console_variable() -> None:
    loaded = load_themes(THEMES_DIR)
    assert loaded.errors == []
    assert {t.name for t in loaded.themes} == HOUSE_THEMES
    for theme in loaded.themes:
        assert set(VARIABLE_DEFAULTS) <= set(theme.variables), theme.name


def test_a_broken_theme_file_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('name = "bad"\nprimary = "not a colour"\n')
    (tmp_path / "worse.toml").write_text("this is = = not toml")
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\n')
    loaded = load_themes(THEMES_DIR, tmp_path)
    assert "mine" in {t.name for t in loaded.themes}
    assert len(loaded.errors) == 2
    assert any("bad.toml" in e for e in loaded.errors)
    with pytest.raises(ThemeFileError, match="unknown key"):
        theme_from_mapping({"name": "x", "primary": "#fff", "colour": "red"})


async def test_house_themes_are_registered_and_dark_is_default(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert set(app.available_themes) >= HOUSE_THEMES
        assert app.theme == DEFAULT_THEME
        assert app.theme_variables["clock-overdue"]
        assert app.theme_variables["sev1"] != app.theme_variables["sev4"]


async def test_unknown_theme_falls_back_with_a_notification(app_factory: AppFactory) -> None:
    app = app_factory(config=Config(theme="no-such-theme"))
    messages: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            messages.append(message.notification.message)

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert any("no-such-theme" in m for m in messages)


async def test_theme_choice_is_saved_in_the_config(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    config_file = tmp_path / "my-config.toml"
    config_file.write_text('author = "sam"\n')
    app = app_factory(live=True, config_path=config_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.theme != DEFAULT_THEME
        chosen = app.theme
    saved = tomllib.loads(config_file.read_text())
    assert saved == {"author": "sam", "theme": chosen}


async def test_keybindings_from_the_config_remap_actions(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id,
                      config=Config(keybindings={"war_room.filter": "f12"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert app.screen.query_one(TimelineFilterBar).has_class("-visible")


def test_every_console_binding_has_an_id_and_the_described_ones_a_tooltip() -> None:
    from warroom.tui.app import WarroomApp
    from warroom.tui.panes.scribe.pane import ScribeInput
    from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen
    from warroom.tui.panes.timeline.pane import Timeline
    from warroom.tui.screens.incident_list import IncidentListScreen
    from warroom.tui.screens.new_incident import NewIncidentScreen
    from warroom.tui.widgets.help import HelpScreen

    ids: list[str] = []
    from warroom.tui.screens.export import ExportScreen

    for owner in (WarroomApp, WarRoomScreen, IncidentListScreen, NewIncidentScreen,
                  EntryDetailScreen, HelpScreen, Timeline, TimelineFilterBar, ScribeInput,
                  ExportScreen):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), owner
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"
            if binding.show:
                assert binding.tooltip, f"{owner.__name__}: {binding.key} has no tooltip"
            ids.append(binding.id)
    assert len(ids) == len(set(ids)), "binding ids are unique"


async def test_command_palette_offers_every_war_room_action(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        provider = ConsoleCommands(screen)
        titles = [hit.text async for hit in provider.discover()]
        for binding in WarRoomScreen.BINDINGS:
            assert isinstance(binding, Binding)
            names = [name for name in (binding.description, binding.tooltip) if name]
            assert names, f"{binding.key} has neither a description nor a tooltip"
            assert any(name in str(t) for name in names for t in titles), names
        assert any("Roster" in str(t) for t in titles)
        assert any("Countdowns" in str(t) for t in titles)
        assert any("Theme: warroom-light" in str(t) for t in titles)
        assert {"Quit", "Keys"} <= {str(t) for t in titles}, "Textual's own commands stay"
        assert "Theme" not in {str(t) for t in titles}, "Textual's picker offers other themes"
        assert not [c for c in app.get_system_commands(screen)
                    if c.callback == app.action_change_theme]
        assert len(titles) == len({str(t) for t in titles}), "each title once"
        assert str(titles[0]).startswith("War room: "), "the war room's keys come first"
        assert [str(t) for t in titles].index("Quit") > [str(t) for t in titles].index(
            "Theme: warroom-light"), "then the themes, then Textual's own"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"filter the timeline")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one(TimelineFilterBar).has_class("-visible")
