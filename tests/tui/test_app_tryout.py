"""What a first tryout at 80×24, 120×40 and 200×50 found: keys that explain, text that fits."""

from __future__ import annotations

from textual.pilot import Pilot

from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store

from .conftest import AppFactory, open_war_room, screen_text, settle


def _notices(pilot: Pilot[object]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_f7_before_the_escalation_is_due_says_why_and_when(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        assert "Escalate" not in screen_text(app), "not offered in the footer yet"
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen is screen
        notice = " ".join(_notices(pilot))
        assert "Not due yet" in notice and "offered at" in notice, notice
        assert len(store.events(incident.id)) == before
