"""The entry selected in the timeline's list stays selected while entries arrive.

Ctrl+K and Ctrl+E act on the selected entry: if an arriving entry (this seat's own
mark, or another seat's line, back-dated or not) moved the selection, the next key
would act on the wrong entry.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import IncidentRecord, Store
from warroom.tui.screens.confirm import ConfirmScreen

from .conftest import AppFactory, open_war_room, settle


async def test_marking_the_newest_entry_keeps_it_selected_for_the_next_key(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f2")  # into the list: the newest entry is selected
        await settle(pilot)
        target = screen.timeline.selected
        assert target is not None and target.id == store.events(incident.id)[-1].id
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        # The mark (or, on a key entry, its reversal) arrived below it.
        assert store.events(incident.id)[-1].kind.value in ("key_mark", "key_unmark")
        selected = screen.timeline.selected
        assert selected is not None and selected.id == target.id
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert screen.scribe_input.value.startswith(f"/fix {target.id} ")


async def test_other_seats_entries_do_not_move_the_selection(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, db_path: Path,
    frozen_time: FrozenTime,
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f2", "up", "up")
        await settle(pilot)
        target = screen.timeline.selected
        assert target is not None
        newest = screen.timeline.cursor == screen.timeline.event_count - 1
        assert not newest
        other = Store.open(db_path, clock=frozen_time)
        try:
            session = IncidentSession(other, incident, time=frozen_time, tz=UTC, author="bot")
            session.log("error rate back under 1%")  # at the end
            session.log("first page went out", at=target.occurred_at - timedelta(seconds=1))
        finally:
            other.close()
        screen.poll()
        await settle(pilot)
        selected = screen.timeline.selected
        assert selected is not None and selected.id == target.id
        # Following the newest while the scribe types (the list not in use) still holds.
        await pilot.press("f2")  # back to the input
        await settle(pilot)
        assert screen.scribe_input.has_focus
