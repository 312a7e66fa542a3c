"""The console on PostgreSQL: another seat's entry arrives through LISTEN/NOTIFY."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC

import pytest

from tests.support.entries import note as note_event
from tests.support.incidents import seed_incident
from tests.tui.conftest import screen_text, settle, timeline_lines
from warroom.config import Config
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import Store
from warroom.store.postgres import PgStore
from warroom.tui.factory import make_app
from warroom.tui.screens.war_room import WarRoomScreen

LIVENESS_SECONDS = 30.0


@pytest.fixture(autouse=True)
def _own_config(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARROOM_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def pg_store(pg_dsn: str, frozen_time: FrozenTime) -> Iterator[PgStore]:
    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        yield store


async def test_another_seats_entry_arrives_by_notify(
    pg_dsn: str, pg_store: PgStore, frozen_time: FrozenTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = seed_incident(pg_store, frozen_time)
    answers: list[bool] = []
    real_changed = PgStore.changed

    def spy(self: PgStore) -> bool:
        answer = real_changed(self)
        answers.append(answer)
        return answer

    monkeypatch.setattr(PgStore, "changed", spy)
    app = make_app(store=pg_store, clock=frozen_time, policy=DEFAULT_POLICY, config=Config(),
                   tz=UTC, author="sam", live=True, incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        await pilot.pause(0.6)
        assert True not in answers, "no change before anyone wrote"
        own = screen.session.log("my own entry") if screen.session else None
        assert own is not None
        await pilot.pause(0.6)
        assert True not in answers, "the console's own commit is not another seat's"
        with Store.open(pg_dsn) as other:
            written = IncidentSession(other, incident, time=frozen_time, tz=UTC).log(
                "/decision fail over to eu-west-2")
        deadline = time.monotonic() + LIVENESS_SECONDS
        while not any(e.id == written.id for e in screen.timeline.rows):
            assert time.monotonic() < deadline, f"not shown after {LIVENESS_SECONDS:g}s"
            await pilot.pause(0.05)
        await settle(pilot)
        assert any("fail over to eu-west-2" in line for line in timeline_lines(screen.timeline))
        assert True in answers


@pytest.mark.slow
async def test_the_header_says_reconnecting_and_the_console_catches_up(
    pg_dsn: str, pg_store: PgStore, frozen_time: FrozenTime
) -> None:
    from tests.postgres.test_pg_reconnect import _data_dir, _pg_ctl, _start

    _data_dir()
    incident = seed_incident(pg_store, frozen_time)
    app = make_app(store=pg_store, clock=frozen_time, policy=DEFAULT_POLICY, config=Config(),
                   tz=UTC, author="sam", live=True, incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        _pg_ctl("-m", "fast", "-w", "stop")
        try:
            deadline = time.monotonic() + LIVENESS_SECONDS
            while "reconnecting since 14:" not in screen_text(app):
                assert time.monotonic() < deadline, "the header never said it was offline"
                await pilot.pause(0.1)
            # 14:0x: the frozen clock's time of the first failed look
        finally:
            _start(pg_dsn)
        with Store.open(pg_dsn) as other:
            written = other.append(incident.id, note_event("written after the restart"))
        deadline = time.monotonic() + LIVENESS_SECONDS
        while not any(e.id == written.id for e in screen.timeline.rows):
            assert time.monotonic() < deadline, "the console did not catch up"
            await pilot.pause(0.1)
        await settle(pilot)
        assert "reconnecting" not in screen_text(app)
