"""Exporting from the console: F8 and the palette, the file dialog, overwrite, copy formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Button, Input, Select

from tests.support.incidents import seed_incident
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui.app import WarroomApp
from warroom.tui.commands import ConsoleCommands
from warroom.tui.exporting import (
    ExportFormat,
    beside_database,
    default_name,
    render_export,
    resolve_path,
)
from warroom.tui.panes.composer.pane import StatusComposerPane
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.screens.export import ExportScreen

from .conftest import AppFactory, open_war_room, settle

Note = tuple[str, str, str]


def _record_notes(app: WarroomApp) -> list[Note]:
    """Keep (title, message, severity) of every notification; markup must be off."""
    notes: list[Note] = []
    original = app.notify

    def notify(message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        assert markup is False, f"notification parsed as markup: {message!r}"
        notes.append((title, message, severity))
        original(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return notes


def test_default_names_and_paths(tmp_path: Path) -> None:
    assert default_name("2026-11-27-db", ExportFormat.MARKDOWN) == "2026-11-27-db-postmortem.md"
    assert default_name("2026-11-27-db", ExportFormat.JSON) == "2026-11-27-db.json"
    assert beside_database(tmp_path / "w.db", "s", ExportFormat.MARKDOWN) == (
        tmp_path.resolve() / "s-postmortem.md"
    )
    assert beside_database(":memory:", "s", ExportFormat.MARKDOWN) is None
    assert resolve_path("out/x.md", tmp_path) == tmp_path / "out/x.md"
    assert resolve_path(str(tmp_path / "y.md"), Path("/elsewhere")) == tmp_path / "y.md"


async def test_f8_writes_the_postmortem_draft_in_the_current_directory(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = app_factory(incident_ref=incident.id)
    notes = _record_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f8")  # from the scribe input
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        field = dialog.query_one("#export-path", Input)
        assert field.value == f"{incident.slug}-postmortem.md"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        target = work / f"{incident.slug}-postmortem.md"
        text = target.read_text(encoding="utf-8")
        assert text.startswith("---\n") and incident.title in text
        session = screen.session
        assert session is not None
        expected = render_export(
            ExportFormat.MARKDOWN, session.record, list(session.timeline), session.policy,
            state=session.state, now=frozen_time.now(), tz=screen.tz,
        )
        assert text == expected
        assert any(str(target) in message for _, message, _ in notes)
        assert not [p for p in work.iterdir() if p.name.startswith(".")]  # no temp file left


async def test_existing_file_is_kept_unless_replacing_is_confirmed(
    app_factory: AppFactory, incident: IncidentRecord, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / f"{incident.slug}-postmortem.md"
    target.write_text("my own notes\n", encoding="utf-8")
    app = app_factory(incident_ref=incident.id)
    notes = _record_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "my own notes\n"
        assert any("kept" in message for _, message, _ in notes)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8").startswith("---\n")


async def test_palette_exports_json_beside_the_database(
    app_factory: AppFactory, incident: IncidentRecord, db_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        titles = {str(hit.text): hit for hit in
                  [h async for h in ConsoleCommands(screen).discover()]}
        json_command = next(h for t, h in titles.items() if "as JSON" in t and "Export" in t)
        json_command.command()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#export-format", Select).value == ExportFormat.JSON
        assert dialog.query_one("#export-path", Input).value == f"{incident.slug}.json"
        dialog.query_one("#export-beside", Button).press()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        written = db_path.parent.resolve() / f"{incident.slug}.json"
        document = json.loads(written.read_text(encoding="utf-8"))
        assert document["incident"]["slug"] == incident.slug
        assert not (elsewhere / f"{incident.slug}.json").exists()


async def test_switching_format_follows_the_default_name(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format", Select).value = ExportFormat.JSON
        await settle(pilot)
        assert dialog.query_one("#export-path", Input).value == f"{incident.slug}.json"
        dialog.query_one("#export-path", Input).value = "mine.txt"
        dialog.query_one("#export-format", Select).value = ExportFormat.MARKDOWN
        await settle(pilot)
        assert dialog.query_one("#export-path", Input).value == "mine.txt"


async def test_an_export_that_cannot_be_written_is_one_literal_notification(
    app_factory: AppFactory, incident: IncidentRecord, tmp_path: Path
) -> None:
    app = app_factory(incident_ref=incident.id)
    notes = _record_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        missing = tmp_path / "no [/] such [b]dir" / "x.md"
        app.screen.query_one("#export-path", Input).value = str(missing)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and app.is_running
        errors = [m for _, m, severity in notes if severity == "error"]
        assert len(errors) == 1 and "[/]" in errors[0] and "not written" in errors[0]
        assert not missing.parent.exists()


async def test_copy_last_status_update_as_markdown_and_statuspage_json(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    record = seed_incident(store, frozen_time, lines=(
        "/status identified Payments fail for some customers since 14:00 UTC.",
    ))
    app = app_factory(incident_ref=record.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        commands = {str(h.text): h async for h in ConsoleCommands(screen).discover()}
        commands["Status: Copy last update as Markdown"].command()
        await settle(pilot)
        assert app.clipboard.startswith("### ")
        assert "**Identified**" in app.clipboard
        assert "Payments fail for some customers" in app.clipboard
        commands["Status: Copy last update as Statuspage JSON"].command()
        await settle(pilot)
        body = json.loads(app.clipboard)
        assert body["status"] == "identified"
        assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")


async def test_copy_as_markdown_without_an_update_says_so(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    notes = _record_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        composer = screen.query_one(StatusComposerPane)
        assert composer.last_update_as("markdown") == ""
        composer.action_copy_as("markdown")
        await pilot.pause()
        assert ("", "No status update has been posted yet.", "warning") in notes


async def test_typing_after_tab_still_edits_the_file_field_and_enter_writes_there(
    app_factory: AppFactory, incident: IncidentRecord, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 80x24: F8, Tab, Ctrl+U, a path, Enter writes the typed path, never the default."""
    work = tmp_path / "work"
    (tmp_path / "out").mkdir(parents=True)
    work.mkdir()
    monkeypatch.chdir(work)
    app = app_factory(incident_ref=incident.id)
    notes = _record_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        field = dialog.query_one("#export-path", Input)
        assert dialog.focused is field
        await pilot.press("tab")
        await pilot.press("ctrl+u")
        typed = str(tmp_path / "out" / "typed notes.md")
        await pilot.press(*typed)
        assert field.value == typed and dialog.focused is field
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (tmp_path / "out" / "typed notes.md").read_text(encoding="utf-8").startswith("---")
        assert list(work.iterdir()) == []
        assert any(typed in message for _, message, _ in notes)


async def test_the_file_field_looks_focused_when_it_is(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        field = dialog.query_one("#export-path", Input)
        focused_look = (field.styles.border_top, field.styles.background)
        dialog.query_one("#export-cancel", Button).focus()
        await settle(pilot)
        assert not field.has_focus
        assert (field.styles.border_top, field.styles.background) != focused_look
        assert field.styles.border_top[0] not in ("", "none")  # a field, even when not focused


async def test_a_burst_typed_after_tab_lands_whole_in_the_file_field(
    app_factory: AppFactory, incident: IncidentRecord, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Keys arriving in one burst (a fast typist, a remote terminal) are not lost on a button."""
    monkeypatch.chdir(tmp_path)
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        field = dialog.query_one("#export-path", Input)
        keys = [("tab", None), ("ctrl+u", None)] + [(c, c) for c in "out.md"]
        for key, character in keys:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert field.value == "out.md" and dialog.focused is field
        app.post_message(events.Key("enter", None))
        await settle(pilot)
        assert (tmp_path / "out.md").exists()
        assert not (tmp_path / f"{incident.slug}-postmortem.md").exists()
