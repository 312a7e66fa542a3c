"""The console's start-up path: the war room is drawn before the models and the store load.

``make_app(db=…, incident_ref=…)`` peeks the incident's row with the standard
library, draws the war room, and only then (in the session's worker) imports
pydantic and the domain models, opens the store and reads the events.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual.notifications import Notify

from warroom.config import Config
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui import make_app
from warroom.tui.app import WarroomApp
from warroom.tui.record_peek import RecordPeek, peek_incident
from warroom.tui.screens.incident_list import IncidentListScreen
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.widgets.footer import QuietFooter

from .conftest import screen_text, settle, timeline_lines


def _app_on(db_path: Path, clock: FrozenTime, ref: str | int) -> WarroomApp:
    return make_app(db=db_path, clock=clock, config=Config(), incident_ref=ref, tz=UTC,
                    author="sam", live=False)


def test_the_first_frame_needs_no_pydantic_and_no_store() -> None:
    """What the console imports up to its first frame leaves pydantic and the store out."""
    code = (
        "import sys\n"
        "from warroom.config import Config\n"
        "from warroom.domain.timesource import FrozenTime\n"
        "import warroom.tui.app, warroom.tui.screens.war_room\n"
        "Config()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'\n"
        "               or m in ('warroom.store', 'warroom.domain.events', 'warroom.service',\n"
        "                        'warroom.domain.parser', 'warroom.domain.clocks'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_peek_reads_the_row_by_id_or_slug(store: Store, incident: IncidentRecord) -> None:
    by_id = peek_incident(store.path, incident.id)
    assert by_id == RecordPeek(incident.id, incident.slug, incident.title, incident.created_at)
    assert peek_incident(store.path, str(incident.id)) == by_id
    assert peek_incident(store.path, f" {incident.slug} ") == by_id
    assert peek_incident(store.path, "no-such-incident") is None
    assert peek_incident(store.path, 999) is None


def test_peek_leaves_other_files_alone(tmp_path: Path) -> None:
    """A missing, foreign or non-warroom SQLite file gives None and is not touched."""
    assert peek_incident(tmp_path / "missing.db", 1) is None
    assert peek_incident(tmp_path, 1) is None  # a directory
    foreign = tmp_path / "notes.txt"
    foreign.write_text("SQLite format 3 but not really\n" * 10, encoding="utf-8")
    assert peek_incident(foreign, 1) is None
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE incidents (id INTEGER, slug TEXT, title TEXT, created_at TEXT)")
        conn.execute("INSERT INTO incidents VALUES (1, 'x', 'not ours', '2026-11-27T14:00Z')")
    conn.close()
    before = other.read_bytes()
    assert peek_incident(other, 1) is None  # no warroom application id
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "other.db"]


async def test_the_war_room_is_drawn_before_the_store_opens(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Title, timeline frame and scribe input first; the events once the store is open."""
    store.close()
    release = threading.Event()
    opened = WarroomApp.open_store

    def slow_open(self: WarroomApp) -> Any:
        release.wait(5)
        return opened(self)

    monkeypatch.setattr(WarroomApp, "open_store", slow_open)
    app = _app_on(db_path, frozen_time, incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        assert isinstance(screen.record, RecordPeek) and not app.store_is_open
        text = screen_text(app)
        assert "Checkout errors in EU" in text and "Timeline" in text
        assert "loading the timeline" in text
        assert screen.focused is screen.scribe_input
        assert not app.screen.query_one(QuietFooter).children  # keys come with the incident
        release.set()
        await settle(pilot)
        assert isinstance(screen.record, IncidentRecord) and screen.record.id == incident.id
        assert app.store_is_open and app.owns_store
        assert screen.timeline.event_count == 8
        assert any("roll back checkout" in line for line in timeline_lines(screen.timeline))
        assert "f1 Help" in screen_text(app).replace("F1", "f1")
    assert "closed" in repr(app.store)


async def test_an_unknown_incident_on_a_db_path_shows_the_list(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime
) -> None:
    store.close()
    app = _app_on(db_path, frozen_time, "no-such-incident")
    messages: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            messages.append(message.notification.message)

    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert any("Cannot open" in m and "no-such-incident" in m for m in messages)


async def test_the_garbage_collector_is_back_on_after_start_up(
    app_factory: Any, incident: IncidentRecord
) -> None:
    """Paused while the app starts; running again once it has its data (or exits)."""
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app._resume_gc()  # the idle timer's job, without waiting for it
        assert gc.isenabled()
    assert gc.isenabled()
