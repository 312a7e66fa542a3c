"""The console runs an incident by the policy its record holds, not the seat's config."""

from __future__ import annotations

from datetime import UTC

from warroom.domain.policy import policy_from_mapping
from warroom.domain.state import SEAT_POLICY_MARKER
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession, declare_incident
from warroom.store import Store
from warroom.tui.panes.countdowns.pane import CountdownsPane

from .conftest import AppFactory, open_war_room, settle

TEN = policy_from_mapping({"checkpoint_minutes": 10})
TWENTY = policy_from_mapping({"checkpoint_minutes": 20})


def _declare(store: Store, clock: FrozenTime, policy: object) -> int:
    record = declare_incident(store, "Checkout errors", severity=1, services=("checkout",),
                              at=clock.now(), author="alice",
                              policy=TEN if policy is TEN else None)
    IncidentSession(store, record, time=clock, tz=UTC, author="alice").log("/ic alice")
    return record.id


async def test_the_war_room_uses_the_recorded_policy(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    incident = _declare(store, frozen_time, TEN)
    app = app_factory(incident_ref=incident, policy=TWENTY)  # this seat says 20
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        view = screen.build_view()
        assert view is not None and view.policy == TEN
        checkpoint = next(c for c in view.clocks if c.id == "checkpoint")
        assert "every 10 min" in checkpoint.rule
        pane = screen.query_one(CountdownsPane)
        assert pane.border_title == "Countdowns"


async def test_a_record_without_a_policy_says_it_uses_the_seats(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    incident = _declare(store, frozen_time, None)
    app = app_factory(incident_ref=incident, policy=TWENTY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await settle(pilot)
        view = screen.build_view()
        assert view is not None and view.policy == TWENTY
        pane = screen.query_one(CountdownsPane)
        assert pane.border_title == f"Countdowns {SEAT_POLICY_MARKER}"
