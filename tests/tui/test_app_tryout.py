"""What a first tryout at 80×24, 120×40 and 200×50 found: keys that explain, text that fits."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

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


async def test_a_long_error_is_shown_whole_at_80x24(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press(*"/status investigating", "enter")
        await settle(pilot)
        message = screen.query_one("#scribe-message")
        error = str(message.render())
        assert error.startswith("✗") and len(error) > 78, error
        shown = " ".join(screen_text(app).split())
        assert " ".join(error.split()) in shown, "the whole error is on screen"
        assert message.size.height >= 2


async def test_the_status_composer_has_the_column_at_120x40(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f5")
        await settle(pilot)
        composer = screen.query_one("#composer")
        assert not screen.query_one("#roster").display
        assert composer.size.height >= 30
        text = screen_text(app)
        assert "Phase" in text and "Preview" in text and "Update (posted verbatim)" in text
        await pilot.press("f3")
        await settle(pilot)
        assert screen.query_one("#roster").display


async def test_scribe_history_survives_leaving_and_reopening_the_war_room(
    app_factory: AppFactory, incident: IncidentRecord, tmp_path: Path
) -> None:
    from warroom.tui.screens.war_room import WarRoomScreen

    folder = tmp_path / "history"
    app = app_factory(incident_ref=incident.id, history_dir=folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press(*"first line", "enter", *"second line", "enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert not isinstance(app.screen, WarRoomScreen)
        await pilot.press("enter")
        screen = await open_war_room(pilot)
        assert screen.scribe_input.value == ""
        await pilot.press("up")
        assert screen.scribe_input.value == "second line"
        await pilot.press("up")
        assert screen.scribe_input.value == "first line"
    files = list(folder.iterdir())
    assert len(files) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    # A new app (a restart) reads it back too.
    again = app_factory(incident_ref=incident.id, history_dir=folder)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("up")
        assert screen.scribe_input.value == "second line"


def test_a_history_file_that_is_not_ours_is_ignored(tmp_path: Path) -> None:
    from warroom.tui.panes.scribe.history import HistoryFile, history_for

    assert history_for(None, tmp_path / "x.db", 1, "sam") is None
    target = history_for(tmp_path / "h", tmp_path / "x.db", 1, "sam")
    assert target is not None and target.load() == []
    target.path.parent.mkdir()
    target.path.write_text('{"not": "a list"}')
    assert target.load() == []
    target.path.write_text('["ok", 3, "", "fine"]')
    assert target.load() == ["ok", "fine"]
    os.mkfifo(tmp_path / "fifo")
    assert HistoryFile(tmp_path / "fifo").load() == [], "never blocks on a FIFO"


async def test_a_long_entry_wraps_at_80x24_instead_of_being_cut(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    from tests.support.incidents import seed_incident

    record = seed_incident(store, frozen_time, lines=(LONG_ENTRY, "short one after"))
    app = app_factory(incident_ref=record.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        lines = _entry_lines(screen.timeline, "eu-west-1")
        assert len(lines) >= 3
        text = _whole_text(lines, "the processor")
        assert "…" not in text and text == LONG_ENTRY
        assert all(len(line) <= screen.timeline.scrollable_content_region.width
                   for line in lines)
        assert "short one after" in screen_text(app), "the next entry is still on screen"


async def test_the_header_says_who_you_write_as(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    from warroom.config import Config

    app = app_factory(incident_ref=incident.id, config=Config(author="Priya Nair"), author=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_war_room(pilot)
        assert "✎ Priya Nair" in screen_text(app).splitlines()[0]


def _entry_lines(timeline: Any, needle: str) -> list[str]:
    """The screen lines of the entry whose first line holds ``needle``."""
    height = timeline.scrollable_content_region.height
    lines = [(timeline.entry_at(y), timeline.render_line(y).text.rstrip())
             for y in range(height)]
    index = next(i for i, line in lines if needle in line)
    return [line for i, line in lines if i == index]


def _whole_text(lines: list[str], start: str) -> str:
    """The text of an entry's lines, from ``start`` on its first line and under it."""
    column = lines[0].index(start)
    assert all(not line[:column].strip() for line in lines[1:]), "continued under the text"
    return " ".join(line[column:].strip() for line in lines)


LONG_ENTRY = ("the processor's eu-west-1 endpoint answers in 9.8 s at p99 while the pool to "
              "it is exhausted; every retry opens a new source port on the NAT gateway, so "
              "ports are not freed fast enough and card payments time out for half of the "
              "checkouts")


async def test_the_timeline_uses_the_width_at_200x50(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    from tests.support.incidents import SEED_LINES, seed_incident

    people = ("/tech tomas.herrera", "/scribe dana.whitfield")
    record = seed_incident(store, frozen_time, lines=(*SEED_LINES, *people, LONG_ENTRY))
    app = app_factory(incident_ref=record.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        assert screen.timeline.size.width >= 118
        lines = _entry_lines(screen.timeline, "eu-west-1")
        assert _whole_text(lines, "the processor") == LONG_ENTRY, "the whole text, readable"
        assert len(lines) <= 4 and max(len(line) for line in lines) >= 110, "the width is used"
        # The side panes keep what they need: every holder line whole (the zone,
        # stated by the header, goes), the countdowns and the composer's split.
        text = screen_text(app)
        holders = [line for line in text.splitlines() if " · since " in line]
        assert holders
        for line in holders:
            detail = line[line.index(" · since "):]
            assert re.match(r" · since \d\d:\d\d \(\d+m\)│", detail), line
        assert "dana.whitfield · since" in text
        for clock in screen.query("ClockRow"):
            name_and_value = str(clock.render()).splitlines()[0]
            assert "…" not in name_and_value, name_and_value
        assert screen.query_one("#composer").has_class("-split")
