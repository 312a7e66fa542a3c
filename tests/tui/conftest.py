"""Fixtures for driving the real console: a seeded incident, the app factory.

The temp store (``db_path``, ``store``) and the frozen clock come from ``tests/conftest.py``.

Every app here is built by :func:`warroom.tui.make_app` (the CLI's factory) with a
:class:`FrozenTime`, UTC as the viewer's zone and ``live=False`` (no tick, poll or
cursor-blink timers) unless a test asks for a live one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.incidents import seed_incident
from warroom.config import Config
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui import make_app
from warroom.tui.app import WarroomApp
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.screens.war_room import WarRoomScreen


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the user's real config file."""
    monkeypatch.setenv("WARROOM_CONFIG", str(tmp_path / "config.toml"))


@pytest.fixture
def incident(store: Store, frozen_time: FrozenTime) -> IncidentRecord:
    """A SEV2 with a few entries; the clock is left 2 minutes after the last one."""
    record = seed_incident(store, frozen_time)
    frozen_time.advance(minutes=2)
    return record


AppFactory = Callable[..., WarroomApp]


@pytest.fixture
def app_factory(store: Store, frozen_time: FrozenTime) -> AppFactory:
    """Build the real app the way the CLI does, deterministic by default."""

    def build(**options: Any) -> WarroomApp:
        settings: dict[str, Any] = {
            "store": store,
            "clock": frozen_time,
            "policy": DEFAULT_POLICY,
            "config": Config(),
            "tz": UTC,
            "author": "sam",
            "live": False,
        }
        settings.update(options)
        return make_app(**settings)

    return build


async def settle(pilot: Pilot[Any], rounds: int = 4) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_war_room(pilot: Pilot[Any]) -> WarRoomScreen:
    """The war room the app opened on, once its session has loaded."""
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WarRoomScreen) and screen.session is not None
    return screen


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], bool],
                   timeout: float = 2.0) -> bool:
    """Pause until ``predicate()`` holds (or ``timeout`` seconds pass)."""
    loop_time = 0.0
    while loop_time < timeout:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.02)
        if predicate():
            return True
        loop_time += 0.02
    return predicate()


def screen_text(app: WarroomApp) -> str:
    """Everything on screen as plain text (from the SVG screenshot, tags removed)."""
    svg = app.export_screenshot()
    chunks = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape("".join(chunks)).replace("\xa0", " ")


def timeline_lines(timeline: Timeline) -> list[str]:
    """The timeline's rows as shown, top to bottom."""
    height = timeline.scrollable_content_region.height
    return [timeline.render_line(y).text.rstrip() for y in range(height)]


