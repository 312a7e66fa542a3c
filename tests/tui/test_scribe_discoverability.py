"""The scribe's command language is discoverable: /help, F1, the hint line, quick Tab."""

from __future__ import annotations

from textual.widgets import Markdown, Static

from warroom.domain.commands import COMMANDS
from warroom.store import IncidentRecord, Store
from warroom.tui.panes.scribe.pane import (
    DEFAULT_HINT,
    command_hint,
    commands_markdown,
    is_help_request,
)
from warroom.tui.widgets.help import HelpScreen

from .conftest import AppFactory, open_war_room, settle


def test_help_requests() -> None:
    assert is_help_request("/help")
    assert is_help_request("  /HELP status ")
    assert is_help_request("/?")
    assert not is_help_request("help me")
    assert not is_help_request("//help")
    assert not is_help_request("/helpdesk is down")


def test_hint_follows_the_command_being_typed() -> None:
    assert command_hint("") == DEFAULT_HINT
    assert command_hint("plain note") == DEFAULT_HINT
    assert command_hint("/de") == f"{COMMANDS['decision'].usage} — {COMMANDS['decision'].help}"
    assert command_hint("@14:02 ! /ic al").startswith("/ic NAME")
    assert command_hint("/he").startswith("/help")
    assert command_hint("/nope").startswith("No command /nope")
    assert "/decision" in command_hint("/")


def test_command_table_lists_every_command_with_its_usage() -> None:
    table = commands_markdown()
    for spec in COMMANDS.values():
        assert spec.usage.replace("|", "\\|") in table
    assert "/help" in table


def _help_text(screen: HelpScreen) -> str:
    return screen.query_one(Markdown).source


async def test_slash_help_opens_the_help_and_logs_nothing(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        await pilot.press(*"/help", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app.screen)
        assert "/decision TEXT" in text and "/fix ID TEXT" in text
        assert len(store.events(incident.id)) == before
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.scribe_input.value == ""
        box = screen.query_one("#scribe-message", Static)
        assert "✗" not in str(box.content)


async def test_f1_on_the_scribe_lists_the_commands(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app.screen)
        assert "/status PHASE TEXT" in text and "back-dates" in text


async def test_hint_line_shows_usage_while_typing_and_errors_win(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        message = screen.query_one("#scribe-message", Static)
        assert str(message.content) == DEFAULT_HINT
        await pilot.press(*"/sev")
        await settle(pilot)
        assert str(message.content).startswith("/sev N")
        await pilot.press("space", *"9", "enter")
        await settle(pilot)
        assert str(message.content).startswith("✗")
        assert screen.scribe_input.value == "/sev 9"
        await pilot.press("backspace")
        await settle(pilot)
        assert str(message.content).startswith("/sev N")


async def test_a_quick_tab_completes_before_the_suggestion_arrives(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        scribe = screen.scribe_input
        scribe.suggester = None  # the greyed suggestion never arrives (a slow machine)
        scribe.value = "/he"
        scribe.cursor_position = 3
        await pilot.pause()
        await pilot.press("tab")
        assert scribe.value == "/help"
        assert app.focused is scribe
