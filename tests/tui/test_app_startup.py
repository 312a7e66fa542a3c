"""The console's start-up path: the first screen is drawn before the models and the store load.

``make_app(db=…, incident_ref=…)`` peeks the incident's row with the standard
library, draws the war room, and only then (in the session's worker) imports
pydantic and the domain models, opens the store and reads the events.
``make_app(db=…)`` draws the incident list (with a "loading" line) and fills it
from its worker; ``make_app(db=…, demo=plan)`` draws the demo's war room from the
plan and imports the demo in the worker. A database that cannot be opened then
ends the app with the error (``start_error``, return code 1).
"""

from __future__ import annotations

import gc
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.notifications import Notify
from textual.strip import Strip
from textual.widget import Widget

from warroom.config import Config
from warroom.demo import LIVE_LAG, DemoPlan, plan_demo
from warroom.domain.timesource import FrozenTime
from warroom.store import SCHEMA_VERSION, IncidentRecord, Store, peek
from warroom.store.peek import RecordPeek, database_ready, peek_incident, peek_new_incident
from warroom.tui import make_app
from warroom.tui.app import WarroomApp
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.screens.incident_list import LOADING, IncidentListScreen
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.widgets.footer import QuietFooter
from warroom.tui.widgets.side_panes import SidePanes

from .conftest import screen_text, settle, timeline_lines


def _app_on(db_path: Path, clock: FrozenTime, ref: str | int) -> WarroomApp:
    return make_app(db=db_path, clock=clock, config=Config(), incident_ref=ref, tz=UTC,
                    author="sam", live=False)


def test_the_first_frame_needs_no_pydantic_and_no_store() -> None:
    """What the console imports up to its first frame leaves pydantic and the store out.

    All of the store but its first-frame reader and the schema constants it reads.

    Either first screen (war room, incident list), and the demo's plan.
    """
    code = (
        "import sys\n"
        "from warroom.config import Config\n"
        "from warroom.domain.timesource import FrozenTime\n"
        "import warroom.tui.app, warroom.tui.screens.war_room\n"
        "import warroom.tui.screens.incident_list, warroom.demo\n"
        "from datetime import datetime, UTC\n"
        "from pathlib import Path\n"
        "warroom.demo.plan_demo(Path('no-such-dir') / 'demo.db', now=datetime.now(UTC))\n"
        "Config()\n"
        "light = ('warroom.store', 'warroom.store.peek', 'warroom.store.schema_constants')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'\n"
        "               or (m.split('.')[:2] == ['warroom', 'store'] and m not in light)\n"
        "               or m in ('warroom.domain.events', 'warroom.service',\n"
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
        assert not app.screen.query_one(QuietFooter).items  # keys come with the incident
        release.set()
        await settle(pilot)
        assert isinstance(screen.record, IncidentRecord) and screen.record.id == incident.id
        assert app.store_is_open and app.owns_store
        assert screen.timeline.event_count == 8
        assert any("roll back checkout" in line for line in timeline_lines(screen.timeline))
        assert "f1 Help" in screen_text(app).replace("F1", "f1")
    assert "closed" in repr(app.store)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_incident_is_drawn_before_the_side_panes_are_built(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int],
) -> None:
    """One frame shows the timeline at its newest entry and the header; then the panes."""
    store.close()
    drawn: set[str] = set()  # widgets drawn since the timeline was loaded
    at_mount: list[tuple[set[str], bool]] = []
    render_lines, load, mount = Widget.render_lines, Timeline.load, SidePanes.mount_panes

    def recording(self: Widget, crop: Any) -> list[Strip]:
        if self.id:
            drawn.add(self.id)
        return render_lines(self, crop)

    def loading(self: Timeline, *args: Any, **kwargs: Any) -> None:
        load(self, *args, **kwargs)
        drawn.clear()

    async def mounting(self: SidePanes) -> None:
        timeline = self.screen.query_one(Timeline)
        lines = range(timeline.scrollable_content_region.height)
        at_newest = len(timeline.rows) - 1 in {timeline.entry_at(y) for y in lines}
        at_mount.append((set(drawn), at_newest))
        await mount(self)

    monkeypatch.setattr(Widget, "render_lines", recording)
    monkeypatch.setattr(Timeline, "load", loading)
    monkeypatch.setattr(SidePanes, "mount_panes", mounting)
    app = _app_on(db_path, frozen_time, incident.id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen) and screen.session is not None
        assert screen.pane("roster") is not None  # the panes did come
    assert len(at_mount) == 1
    before_panes, at_newest = at_mount[0]
    assert at_newest
    assert {"timeline", "header-sev", "header-urgent"} <= before_panes


async def test_leaving_the_war_room_before_its_panes_come_builds_none(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Back to the list as the incident is shown: no pane is built into a screen that left."""
    store.close()
    load, mount = Timeline.load, SidePanes.mount_panes
    mounted: list[bool] = []

    def loading(self: Timeline, *args: Any, **kwargs: Any) -> None:
        load(self, *args, **kwargs)
        self.app.call_later(self.app.show_incidents)  # before the panes' turn

    async def mounting(self: SidePanes) -> None:
        mounted.append(self.is_attached)
        await mount(self)

    monkeypatch.setattr(Timeline, "load", loading)
    monkeypatch.setattr(SidePanes, "mount_panes", mounting)
    app = _app_on(db_path, frozen_time, incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert app.return_code is None
    assert mounted == []


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


def test_database_ready_only_for_a_database_the_store_opens_as_it_is(
    store: Store, incident: IncidentRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert database_ready(store.path)
    assert not database_ready(tmp_path / "missing.db")
    assert not database_ready(tmp_path)
    text = tmp_path / "notes.db"
    text.write_text("hello\n" * 40, encoding="utf-8")
    assert not database_ready(text)
    newer = tmp_path / "newer.db"
    with Store.open(newer) as other:
        pass
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert not database_ready(newer)
    monkeypatch.setattr(peek.os, "access", lambda *_args, **_kw: False)
    assert not database_ready(store.path), "a file the store could not write"
    assert "closed" in repr(other)


def test_peek_new_incident_gives_the_next_id_and_a_free_slug(
    store: Store, incident: IncidentRecord, tmp_path: Path
) -> None:
    assert peek_new_incident(tmp_path / "new.db", "demo") == (1, "demo")
    assert peek_new_incident(tmp_path / "nope" / "new.db", "demo") is None
    assert peek_new_incident(store.path, "other") == (incident.id + 1, "other")
    assert peek_new_incident(store.path, incident.slug) == (incident.id + 1,
                                                            f"{incident.slug}-2")
    text = tmp_path / "notes.db"
    text.write_text("hello\n" * 40, encoding="utf-8")
    assert peek_new_incident(text, "demo") is None


def _slow_store(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold ``WarroomApp.open_store`` until the returned event is set."""
    release = threading.Event()
    opened = WarroomApp.open_store

    def slow_open(self: WarroomApp) -> Any:
        release.wait(5)
        return opened(self)

    monkeypatch.setattr(WarroomApp, "open_store", slow_open)
    return release


async def test_the_list_is_drawn_before_the_store_opens(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Heading, columns and a "loading" line first; the rows once the store is read."""
    store.close()
    release = _slow_store(monkeypatch)
    app = make_app(db=db_path, clock=frozen_time, config=Config(), tz=UTC, author="sam",
                   live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentListScreen) and not app.store_is_open
        text = screen_text(app)
        assert "Incidents" in text and "Sev" in text and "Title" in text and LOADING in text
        assert "Checkout errors" not in text
        await pilot.press("enter")  # the "loading" row opens nothing
        await pilot.pause()
        assert app.screen is screen
        release.set()
        await settle(pilot)
        assert app.store_is_open and app.owns_store and screen.store is app.store
        text = screen_text(app)
        assert "Checkout errors" in text and "1 open" in text and LOADING not in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen) and app.screen.record.id == incident.id
    assert not app.return_code and app.start_error is None


async def test_a_list_that_cannot_be_read_says_so(
    app_factory: Any, store: Store, incident: IncidentRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is open but the read fails: the row and a notification say so; r retries."""
    from warroom.store import SqliteStore, StoreBusyError

    real = SqliteStore.incidents

    def busy(self: Store) -> Any:
        raise StoreBusyError("warroom.db stayed locked by another process")

    monkeypatch.setattr(SqliteStore, "incidents", busy)
    messages: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            messages.append(message.notification.message)

    app = app_factory()
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        assert "Not read: press r" in screen_text(app)
        assert any("Cannot read the incidents" in m and "locked" in m for m in messages)
        monkeypatch.setattr(SqliteStore, "incidents", real)
        await pilot.press("r")
        await settle(pilot)
        assert "Checkout errors" in screen_text(app) and "Not read" not in screen_text(app)


async def test_a_database_that_cannot_be_opened_ends_the_app_with_its_error(
    db_path: Path, store: Store, incident: IncidentRecord, frozen_time: FrozenTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list was drawn, then the store refused the file: the app exits with the error."""
    from warroom.store import NotADatabaseError

    store.close()

    def refuse(self: WarroomApp) -> Any:
        raise NotADatabaseError(f"{self.db_path} is corrupt (page 2); refused")

    monkeypatch.setattr(WarroomApp, "_open_database", refuse)
    app = make_app(db=db_path, clock=frozen_time, config=Config(), tz=UTC, author="sam",
                   live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until_exit(pilot)
    assert app.return_code == 1
    assert app.start_error == f"{db_path} is corrupt (page 2); refused"


async def _until_exit(pilot: Any) -> None:
    """Wait (up to 5 s) for the app to exit by itself (its workers are then cancelled)."""
    for _ in range(100):
        if pilot.app.return_code is not None:
            return
        await pilot.pause(0.05)


def _demo_plan(tmp_path: Path, now: datetime) -> DemoPlan:
    plan = plan_demo(tmp_path / "demo.db", now=now)
    assert plan is not None
    return plan


async def test_the_demo_war_room_is_drawn_before_the_demo_is_imported(
    tmp_path: Path, frozen_time: FrozenTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = _slow_store(monkeypatch)
    plan = _demo_plan(tmp_path, frozen_time.now())
    app = make_app(db=plan.db_path, demo=plan, clock=frozen_time, config=Config(), tz=UTC,
                   author="sam", live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WarRoomScreen) and screen.record == plan.record
        assert not plan.db_path.exists() and not app.store_is_open
        text = screen_text(app)
        assert "card payments failing" in text and "loading the timeline" in text
        release.set()
        await settle(pilot)
        assert isinstance(screen.record, IncidentRecord) and screen.record.id == 1
        assert screen.record.slug == "checkout-card-payments"
        assert screen.timeline.event_count == 53
        newest = max(screen.session.timeline, key=lambda e: (e.occurred_at, e.id))
        assert newest.occurred_at == frozen_time.now() - LIVE_LAG
    assert app.start_error is None


async def test_a_demo_that_lost_its_id_to_another_incident_ends_the_app(
    tmp_path: Path, frozen_time: FrozenTime
) -> None:
    """Another process declared an incident between the plan and the import: one line."""
    plan = _demo_plan(tmp_path, frozen_time.now())
    with Store.open(plan.db_path, clock=frozen_time) as other:
        from warroom.service import declare_incident

        declare_incident(other, "Meanwhile", severity=3, services=(), at=frozen_time.now(),
                         author="bob")
    app = make_app(db=plan.db_path, demo=plan, clock=frozen_time, config=Config(), tz=UTC,
                   author="sam", live=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until_exit(pilot)
    assert app.return_code == 1 and app.start_error is not None
    assert "another incident was declared" in app.start_error
    with Store.open(plan.db_path) as after:  # the demo is there, as incident 2
        assert sorted((r.id, r.slug) for r in after.incidents()) == [
            (1, "2026-11-27-meanwhile"), (2, "checkout-card-payments")]
