"""Other seats' entries reach the war room through the store's cheap change check."""

from __future__ import annotations

import time
from datetime import UTC
from pathlib import Path

from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import IncidentRecord, Store
from warroom.tui.screens.war_room import POLL_SECONDS, WarRoomScreen

from .conftest import AppFactory, settle, timeline_lines

#: Liveness only, not a speed check (a loaded machine may take seconds): the half
#: second the README promises is the poll interval, checked against POLL_SECONDS.
LIVENESS_SECONDS = 30.0


async def test_entry_from_another_connection_appears_without_a_reload(
    app_factory: AppFactory, incident: IncidentRecord, db_path: Path, frozen_time: FrozenTime
) -> None:
    """The live poll timer, not the test, brings another seat's entry in."""
    app = app_factory(incident_ref=incident.id, live=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        other = Store.open(db_path, clock=frozen_time)
        try:
            written = IncidentSession(other, incident, time=frozen_time, tz=UTC,
                                      author="pager").log("/decision fail over to eu-west-2")
        finally:
            other.close()
        deadline = time.monotonic() + LIVENESS_SECONDS
        while not any(e.id == written.id for e in screen.timeline.rows):
            assert time.monotonic() < deadline, f"not shown after {LIVENESS_SECONDS:g}s"
            await pilot.pause(0.05)
        await settle(pilot)
        assert any("fail over to eu-west-2" in line for line in timeline_lines(screen.timeline))
        assert "pager" in (screen.state.people if screen.state else ())
    assert POLL_SECONDS <= 0.25  # two polls fit in the half second the README promises


async def test_poll_reads_only_new_rows_and_updates_state(
    app_factory: AppFactory, incident: IncidentRecord, db_path: Path, frozen_time: FrozenTime
) -> None:
    """Without timers (live=False) a direct poll delivers exactly the new events."""
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        before = screen.timeline.event_count
        other = Store.open(db_path, clock=frozen_time)
        try:
            session = IncidentSession(other, incident, time=frozen_time, tz=UTC, author="bot")
            session.log("/comms carol")
            session.log("status page draft ready")
        finally:
            other.close()
        screen.poll()
        await settle(pilot)
        assert screen.timeline.event_count == before + 2
        from warroom.domain.events import Role

        assert screen.state is not None and screen.state.holder(Role.COMMS) == "carol"
        screen.poll()  # nothing new: nothing added
        await settle(pilot)
        assert screen.timeline.event_count == before + 2


async def test_tick_moves_the_clocks_with_the_injected_time(
    app_factory: AppFactory, incident: IncidentRecord, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        first = screen.build_view()
        assert first is not None
        frozen_time.advance(minutes=30)
        screen.refresh_view()
        await pilot.pause()
        second = screen.build_view()
        assert second is not None and second.now - first.now == (frozen_time.now() - first.now)
        from warroom.tui.widgets.header import IncidentHeader

        header = screen.query_one(IncidentHeader)
        from textual.widgets import Static

        elapsed = str(header.query_one("#header-elapsed", Static).content)
        assert "39m" in elapsed, elapsed
