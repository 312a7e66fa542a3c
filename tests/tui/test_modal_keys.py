"""Keys typed while a dialog closes: none lost, none sent to the closing dialog.

The answer (``y``, ``n``, Esc, Enter) and the keys after it are posted to the app
in ONE burst (see :func:`~tests.tui.test_app_no_accidents.burst`): the app routes
each key before the earlier ones have been handled, so a key routed while the
dialog is still the active screen would go to the dialog and be lost there. The
keys must do what they would do typed one by one: F4 moves to the clocks, text
lands in the scribe input, whole and in order.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select

from warroom.store import IncidentRecord, Store
from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen
from warroom.tui.panes.roster.assign_role import AssignRoleScreen
from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.screens.export import ExportScreen
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.widgets.help import HelpScreen

from .conftest import AppFactory, open_war_room, settle
from .test_app_no_accidents import burst

TYPED = "typed right after, every key"


def _kinds(store: Store, incident: IncidentRecord, after: int) -> list[str]:
    return [e.kind.value for e in store.events(incident.id)[after:]]


def _key(pilot: Pilot[Any], key: str) -> None:
    """Post one named key (``f4``, ``escape``, ``enter``) to the app, no pause."""
    pilot.app.post_message(events.Key(key, "\r" if key == "enter" else None))


async def _ask_key_mark(pilot: Pilot[Any], screen: WarRoomScreen) -> ConfirmScreen:
    """F2, select an entry that is not key, Ctrl+K: the confirm dialog is up."""
    await pilot.press("f2", "up", "up")
    target = screen.timeline.selected
    assert target is not None and not screen.timeline.is_key(target)
    await pilot.press("ctrl+k")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmScreen)
    return dialog


async def test_n_then_f4_moves_to_the_clocks(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await _ask_key_mark(pilot, screen)
        before = len(store.events(incident.id))
        burst(pilot, "n")
        _key(pilot, "f4")
        await settle(pilot)
        assert app.screen is screen
        clocks = screen.pane("countdowns")
        assert clocks is not None and app.focused is not None
        assert clocks in app.focused.ancestors_with_self, f"F4 lost: {app.focused!r} focused"
        assert _kinds(store, incident, before) == []


async def test_y_then_text_marks_and_every_key_reaches_the_scribe(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await _ask_key_mark(pilot, screen)
        before = len(store.events(incident.id))
        burst(pilot, "y" + TYPED)
        await settle(pilot)
        assert app.screen is screen
        assert _kinds(store, incident, before) == ["key_mark"]
        assert screen.scribe_input.value == TYPED


async def test_y_on_a_paste_then_text_logs_the_lines_and_keeps_the_text(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        app.post_message(events.Paste("first pasted\nsecond pasted\n"))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        burst(pilot, "y" + TYPED)
        await settle(pilot)
        assert [e.text for e in store.events(incident.id)[before:]] == [
            "first pasted", "second pasted",
        ]
        assert screen.scribe_input.value == TYPED


async def test_y_on_a_paste_then_f4_stays_on_the_clocks(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        app.post_message(events.Paste("first pasted\nsecond pasted\n"))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        burst(pilot, "y")
        _key(pilot, "f4")
        await settle(pilot)
        clocks = screen.pane("countdowns")
        assert clocks is not None and app.focused is not None
        assert clocks in app.focused.ancestors_with_self, f"focus at {app.focused!r}"


async def test_enter_on_the_confirm_button_then_text(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await _ask_key_mark(pilot, screen)
        before = len(store.events(incident.id))
        _key(pilot, "enter")
        burst(pilot, TYPED)
        await settle(pilot)
        assert _kinds(store, incident, before) == ["key_mark"]
        assert screen.scribe_input.value == TYPED


async def test_tab_then_enter_on_the_confirm_dialog_cancels(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    """Tab moves to Cancel before the Enter of the same burst presses a button."""
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await _ask_key_mark(pilot, screen)
        before = len(store.events(incident.id))
        burst(pilot, "\t\n" + TYPED)
        await settle(pilot)
        assert _kinds(store, incident, before) == []
        assert screen.scribe_input.value == TYPED


# Dialogs that Esc closes, each opened from the scribe input: (key, dialog class).
ESCAPABLE = [
    ("ctrl+k", ConfirmScreen),
    ("f6", CheckpointScreen),
    ("f8", ExportScreen),
    ("f1", HelpScreen),
    ("enter", EntryDetailScreen),
]


@pytest.mark.parametrize(("opener", "dialog"), ESCAPABLE,
                         ids=[cls.__name__ for _, cls in ESCAPABLE])
async def test_escape_then_text_reaches_the_scribe(
    app_factory: AppFactory, incident: IncidentRecord, store: Store,
    opener: str, dialog: type,
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        if opener in ("ctrl+k", "enter"):  # asked from the list of entries
            await pilot.press("f2", "up", "up")
        await pilot.press(opener)
        await settle(pilot)
        assert isinstance(app.screen, dialog)
        before = len(store.events(incident.id))
        _key(pilot, "escape")
        burst(pilot, TYPED)
        await settle(pilot)
        assert app.screen is screen
        assert _kinds(store, incident, before) == []
        assert screen.scribe_input.value == TYPED


async def test_enter_in_the_export_dialog_then_text(
    app_factory: AppFactory, incident: IncidentRecord, store: Store,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-path", Input).value = ""
        burst(pilot, "out.md\n" + TYPED)
        await settle(pilot)
        assert app.screen is screen
        assert sorted(p.name for p in work.iterdir()) == ["out.md"]
        assert screen.scribe_input.value == TYPED


async def test_enter_on_the_last_checkpoint_answer_then_text(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        before = len(store.events(incident.id))
        burst(pilot, "db pool\nroll back\n\nyes\n" + TYPED)
        await settle(pilot)
        assert app.screen is screen
        [checkpoint] = store.events(incident.id)[before:]
        assert checkpoint.kind.value == "checkpoint"
        assert "yes" in checkpoint.text and TYPED not in checkpoint.text
        assert screen.scribe_input.value == TYPED


async def test_enter_in_the_assign_dialog_then_f2_and_text(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f3", "a")
        await settle(pilot)
        assert isinstance(app.screen, AssignRoleScreen)
        before = len(store.events(incident.id))
        burst(pilot, "bob\n")
        _key(pilot, "f2")
        burst(pilot, TYPED)
        await settle(pilot)
        assert app.screen is screen
        [assigned] = store.events(incident.id)[before:]
        assert assigned.kind.value == "role_assigned"
        assert getattr(assigned.data, "person", None) == "bob"
        assert screen.scribe_input.value == TYPED


async def test_an_answer_handled_late_keeps_what_was_typed_after_it(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    """The war room takes a paste's answer after the scribe input has the next keys.

    The dialog's answer reaches the war room screen through its message queue; here
    the screen is held busy until the keys typed after ``y`` are in the input (as a
    loaded machine may order them). Logging the lines must not wipe those keys, nor
    take the focus from where they put it.
    """
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        app.post_message(events.Paste("first pasted\nsecond pasted\n"))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        gate = asyncio.Event()
        screen.call_next(gate.wait)  # the screen is busy until the gate opens
        try:
            burst(pilot, "y" + TYPED)
            for _ in range(500):  # until the input has every key (bounded, never timed)
                if screen.scribe_input.value == TYPED:
                    break
                await asyncio.sleep(0.01)
            assert screen.scribe_input.value == TYPED
        finally:
            gate.set()
        await settle(pilot)
        assert [e.text for e in store.events(incident.id)[before:]] == [
            "first pasted", "second pasted",
        ]
        assert screen.scribe_input.value == TYPED


async def test_escape_in_an_open_list_closes_the_list_not_the_dialog(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        select = dialog.query_one("#export-format", Select)
        select.focus()
        select.expanded = True
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog and not select.expanded
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not dialog


async def test_a_key_reaching_a_closed_dialog_is_handed_on(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    """A key still on its way to a dialog closed some other way (a click) is not lost."""
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await _ask_key_mark(pilot, screen)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        dialog.query_one("#confirm-no", Button).press()  # as a click does
        burst(pilot, "ok")  # routed to the dialog: it closes once Pressed is handled
        await settle(pilot)
        assert app.screen is screen
        assert screen.scribe_input.value == "ok"
