"""The status composer's unsent update survives a closed (or killed) console, like the
scribe's line, and is cleared once it is posted."""

from __future__ import annotations

from warroom.store import IncidentRecord, Store
from warroom.tui.draft import draft_for
from warroom.tui.panes.composer.pane import StatusComposerPane
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, settle, wait_for


def test_the_status_draft_has_its_own_file_beside_the_scribes(store: Store) -> None:
    scribe = draft_for(store.path, 3, "sam")
    status = draft_for(store.path, 3, "sam", "status")
    assert scribe is not None and status is not None
    assert status.path.parent == scribe.path.parent and status.path != scribe.path


async def test_an_unsent_update_is_saved_restored_and_cleared_when_posted(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    draft = draft_for(store.path, incident.id, "sam", "status")
    assert draft is not None
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5", *" Card payments recover")
        await settle(pilot)
        composer = app.screen.query_one(StatusComposerPane)
        assert composer.edited and "Card payments recover" in composer.text
        written = composer.text
        assert await wait_for(pilot, lambda: draft.load() == written)
    # Closed without posting: the next console puts the update back, and says so.
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        composer = screen.query_one(StatusComposerPane)
        assert composer.text == written and composer.edited
        notes = [str(n.message) for n in app._notifications]
        assert any("unsent status update is back" in note for note in notes), notes
        before = len(store.events(incident.id))
        await pilot.press("f5", "ctrl+s")
        await settle(pilot)
        posted = store.events(incident.id)[before:]
        assert [e.kind.value for e in posted] == ["status_update"]
        assert "Card payments recover" in posted[0].text
        assert await wait_for(pilot, lambda: not draft.path.exists())


async def test_an_untouched_template_is_not_kept(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    draft = draft_for(store.path, incident.id, "sam", "status")
    assert draft is not None
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert not app.screen.query_one(StatusComposerPane).edited
    assert not draft.path.exists()
