"""A modal's footer shows the keys that work in the modal, not the screen's underneath."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Button, Input, Select

from warroom.store import IncidentRecord
from warroom.tui.screens.export import ExportScreen

from .conftest import AppFactory, open_war_room, settle


def _bottom_row(app: App[Any]) -> str:
    """The terminal's last row as drawn (a modal over its screen, both composed)."""
    strips = app.screen._compositor.render_strips()
    return strips[-1].text


async def test_the_export_dialog_footer_shows_its_own_keys_for_the_focused_field(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        row = _bottom_row(app)
        print(repr(row))
        assert "F8 Export" not in row and "Checkpoint" not in row  # the war room's keys
        assert row.rstrip() == " ⏎ Export tab Next field esc Cancel", row  # ^s: Enter's twin
        dialog.query_one("#export-cancel", Button).focus()
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Cancel tab Next field esc Cancel")
        dialog.query_one("#export-format", Select).focus()
        await settle(pilot)
        row = _bottom_row(app)
        assert row.rstrip() == " ⏎ Choose format tab Next field esc Cancel ^s Export", row
        dialog.query_one("#export-path", Input).focus()
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Export tab Next field esc Cancel")
        await pilot.press("shift+tab", "enter")  # the format's list opens
        await settle(pilot)
        row = _bottom_row(app)
        assert row.startswith(" ⏎ Choose esc Close the list"), row
        assert "Cancel" not in row  # Esc closes the list, not the dialog
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog
        assert _bottom_row(app).startswith(" ⏎ Choose format tab Next field esc Cancel")


async def test_the_new_incident_form_footer_shows_its_own_keys(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        row = _bottom_row(app)
        assert "New incident" not in row and "Refresh" not in row  # the list's keys
        assert row.startswith(" ⏎ Next field esc Cancel ^s Declare"), row
        await pilot.press("tab", "tab")  # the services
        await settle(pilot)
        row = _bottom_row(app)  # Enter declares here: Ctrl+S is not shown twice
        assert row.rstrip() == " ⏎ Declare tab Next field esc Cancel", row
        await pilot.press("tab")
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Declare tab Next field")
        await pilot.press("tab")
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Cancel tab Next field esc Cancel")


async def test_the_war_rooms_other_modals_show_their_own_keys(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    """Checkpoint (F6), assign a role (roster a), a confirmation (F7 when due), help (F1)."""
    from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen
    from warroom.tui.panes.roster.assign_role import AssignRoleScreen
    from warroom.tui.screens.confirm import ConfirmScreen
    from warroom.tui.widgets.help import HelpScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        row = _bottom_row(app)
        assert row.rstrip() == " ⏎ Next question ^s Log checkpoint esc Cancel", row
        await pilot.press("tab", "tab", "tab")  # the last question: Enter logs
        await settle(pilot)
        row = _bottom_row(app)
        assert row.rstrip() == " ⏎ Log checkpoint tab Next field esc Cancel", row
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        app.push_screen(AssignRoleScreen())
        await settle(pilot)
        row = _bottom_row(app)
        assert row.rstrip() == " ⏎ Assign tab Next field esc Cancel", row
        await pilot.press("escape")
        await settle(pilot)

        app.push_screen(ConfirmScreen("Escalate?", "SEV2 → SEV1"))
        await settle(pilot)
        row = _bottom_row(app)
        assert row.startswith(" y Confirm n Cancel"), row
        await pilot.press("n")
        await settle(pilot)

        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        row = _bottom_row(app)
        assert row.startswith(" esc Close") and "Checkpoint" not in row, row


async def test_the_entry_detail_footer_shows_its_own_keys(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f2", "home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryDetailScreen)
        row = _bottom_row(app)
        assert "Close" in row, row
        assert "Checkpoint" not in row and "F8 Export" not in row, row  # the war room's keys
