"""Notifications built from user text or error messages are never parsed as markup."""

from __future__ import annotations

import ast
from pathlib import Path

from warroom.store import IncidentRecord
from warroom.tui.messages import WriteFailed
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, screen_text, settle

TUI = Path(__file__).resolve().parents[2] / "warroom" / "tui"


def _notify_calls(tree: ast.AST) -> list[ast.Call]:
    """``x.notify(...)`` calls and ``call_from_thread(x.notify, ...)`` calls."""
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        direct = isinstance(func, ast.Attribute) and func.attr == "notify"
        threaded = (isinstance(func, ast.Attribute) and func.attr == "call_from_thread"
                    and bool(node.args) and isinstance(node.args[0], ast.Attribute)
                    and node.args[0].attr == "notify")
        if direct or threaded:
            calls.append(node)
    return calls


def test_every_notification_in_the_console_turns_markup_off() -> None:
    missing = []
    files = sorted(TUI.rglob("*.py"))
    assert files
    total = 0
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _notify_calls(tree):
            total += 1
            markup = [k for k in call.keywords if k.arg == "markup"]
            if not (markup and isinstance(markup[0].value, ast.Constant)
                    and markup[0].value.value is False):
                missing.append(f"{path.relative_to(TUI)}:{call.lineno}")
    assert total > 10  # the scan finds the console's notifications
    assert not missing, "notify() without markup=False: " + ", ".join(missing)


async def test_an_error_with_markup_in_it_is_shown_literally(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    # notifications=True: toasts are really rendered (run_test leaves them out by default).
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        error = "disk [/] full [b]x"
        screen.post_message(WriteFailed(error))
        await settle(pilot)
        await pilot.pause(0.1)
        assert app.is_running and app.screen is screen
        assert error in screen_text(app)
