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
        assert row.startswith(" ⏎ Export tab Next field esc Cancel"), row
        dialog.query_one("#export-cancel", Button).focus()
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Cancel tab Next field esc Cancel")
        dialog.query_one("#export-format", Select).focus()
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Choose format tab Next field esc Cancel")
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
        assert _bottom_row(app).startswith(" ⏎ Declare tab Next field esc Cancel ^s Declare")
        await pilot.press("tab")
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Declare tab Next field")
        await pilot.press("tab")
        await settle(pilot)
        assert _bottom_row(app).startswith(" ⏎ Cancel tab Next field esc Cancel")
