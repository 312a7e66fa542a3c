"""The console while the server is out of reach: entries queued, shown, then sent once.

A headless console (``run_test``) reaches the test server through a proxy the test
takes down and brings back; another seat writes directly meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from tests.outbox.proxy import Proxy
from tests.outbox.test_outbox_team import _socket_of, _texts, through
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

WAIT_SECONDS = 30.0


@pytest.fixture
def proxy(pg_dsn: str) -> Iterator[Proxy]:
    """A proxy to the test server."""
    gate = Proxy(_socket_of(pg_dsn))
    yield gate
    gate.close()


async def _until(pilot: object, what: str, check: object) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"not within {WAIT_SECONDS:g}s: {what}"
        await pilot.pause(0.1)  # type: ignore[attr-defined]


async def test_entries_typed_while_unreachable_are_queued_shown_and_sent_once(
    pg_dsn: str, proxy: Proxy, frozen_time: FrozenTime, outbox_path: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WARROOM_CONFIG", str(tmp_path / "config.toml"))
    seat = through(proxy, pg_dsn)
    with PgStore.open(seat, clock=frozen_time) as store:
        incident = seed_incident(store, frozen_time)
        before = _texts(pg_dsn, incident.slug)
        app = make_app(store=store, clock=frozen_time, policy=DEFAULT_POLICY, config=Config(),
                       tz=UTC, author="sam", live=True, incident_ref=incident.id)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, WarRoomScreen)
            proxy.down()
            await _until(pilot, "the header says it is offline",
                         lambda: "reconnecting since 14:" in screen_text(app))
            assert "stale since 14:" in screen_text(app)
            assert screen.submit_line("rollback started")
            assert screen.submit_line("error rate falling")
            await _until(pilot, "two entries shown queued",
                         lambda: "2 queued — server unreachable since 14:" in screen_text(app))
            queued = [line for line in timeline_lines(screen.timeline) if "queued" in line]
            assert len(queued) == 2 and "rollback started" in queued[0]
            assert "error rate falling" in queued[1]
            assert _texts(pg_dsn, incident.slug) == before  # nothing reached the server
            with Store.open(pg_dsn) as other:  # another seat writes meanwhile
                IncidentSession(other, incident, time=frozen_time, tz=UTC).log(
                    "/decision fail over to eu-west-2")
            proxy.up()
            await _until(pilot, "the queue sent and the other seat's entry shown",
                         lambda: "queued" not in screen_text(app)
                         and len(screen.timeline.rows) == len(before) + 4)
            await settle(pilot)
            text = screen_text(app)
            assert "reconnecting" not in text and "stale" not in text
            lines = timeline_lines(screen.timeline)
            assert any("fail over to eu-west-2" in line for line in lines)
            assert any("rollback started" in line for line in lines)
    texts = _texts(pg_dsn, incident.slug)[len(before):]
    assert texts[1:] == ["rollback started", "error rate falling"]  # once each, in order
    assert "fail over to eu-west-2" in texts[0]


async def test_with_a_damaged_outbox_the_line_goes_back_to_the_input(
    pg_dsn: str, proxy: Proxy, frozen_time: FrozenTime, outbox_path: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WARROOM_CONFIG", str(tmp_path / "config.toml"))
    outbox_path.parent.mkdir(parents=True)
    outbox_path.write_bytes(b"not an outbox" * 100)
    seat = through(proxy, pg_dsn)
    with PgStore.open(seat, clock=frozen_time) as store:
        incident = seed_incident(store, frozen_time)
        app = make_app(store=store, clock=frozen_time, policy=DEFAULT_POLICY, config=Config(),
                       tz=UTC, author="sam", live=True, incident_ref=incident.id)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, WarRoomScreen)
            proxy.down()
            await _until(pilot, "the header says it is offline",
                         lambda: "reconnecting since 14:" in screen_text(app))
            screen.scribe_input.focus()
            screen.scribe_input.value = "rollback started"  # typed, then Enter
            await pilot.press("enter")
            await _until(pilot, "the line given back",
                         lambda: screen.scribe_input.value == "rollback started")
            await settle(pilot)
            assert "damaged" in screen_text(app) and "queued" not in screen_text(app)
    assert outbox_path.read_bytes() == b"not an outbox" * 100
