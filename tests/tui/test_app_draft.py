"""The scribe's unsent draft survives a closed (or killed) console and is cleared on send."""

from __future__ import annotations

from pathlib import Path

from warroom.store import IncidentRecord, Store
from warroom.tui.draft import DraftFile, draft_for
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, screen_text, settle, wait_for


def test_draft_file_is_written_atomically_and_removed_when_empty(tmp_path: Path) -> None:
    draft = DraftFile(tmp_path / "drafts" / "1-sam.txt")
    assert draft.load() == ""
    draft.save("half a thought [/] \u202e")
    assert draft.load() == "half a thought [/] \u202e"
    assert [p.name for p in draft.path.parent.iterdir()] == ["1-sam.txt"], "no temp file left"
    draft.save("")
    assert not draft.path.exists()
    draft.clear()  # no error when there is none


def test_draft_lives_beside_the_database(tmp_path: Path) -> None:
    draft = draft_for(tmp_path / "w.db", 7, "Sam O'Neil/../x")
    assert draft is not None
    assert draft.path.parent == tmp_path / "w.db.drafts"
    assert draft.path.name.startswith("7-") and "/" not in draft.path.name[2:]
    assert draft_for(":memory:", 1, "sam") is None


async def test_unsent_text_is_saved_restored_and_cleared(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    draft = draft_for(store.path, incident.id, "sam")
    assert draft is not None
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"rollback of checkout")
        assert await wait_for(pilot, lambda: draft.load() == "rollback of checkout")
    # Closed without sending: the next console offers the draft again.
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        assert screen.scribe_input.value == "rollback of checkout"
        assert "Restored your unsent draft" in screen_text(app)
        await pilot.press(*" started", "enter")
        await settle(pilot)
        assert store.events(incident.id)[-1].text == "rollback of checkout started"
        assert await wait_for(pilot, lambda: not draft.path.exists())


async def test_a_failed_write_keeps_the_draft(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    draft = draft_for(store.path, incident.id, "sam")
    assert draft is not None
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        screen.scribe_input.value = "/mark 4242"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.scribe_input.value == "/mark 4242"
        assert await wait_for(pilot, lambda: draft.load() == "/mark 4242")
