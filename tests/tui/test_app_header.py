"""The war-room header: the most urgent clock always in view, UTC and local time."""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from textual.widgets import Static

from tests.support.events import IncidentEvents
from tests.support.times import T0
from warroom.domain.clocks import ClockState, format_remaining
from warroom.domain.events import Severity
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord
from warroom.tui.screens.war_room import WarRoomScreen
from warroom.tui.widgets.header import (
    MIN_TITLE_CELLS,
    IncidentHeader,
    header_texts,
    urgent_clock,
)

from .conftest import AppFactory, screen_text, settle
from .panehost import make_view

BERLIN = ZoneInfo("Europe/Berlin")


def _sev2_without_roles() -> IncidentEvents:
    return IncidentEvents("Checkout failing", severity=Severity.SEV2)


def test_urgent_clock_is_the_first_running_due_or_overdue_one() -> None:
    view = make_view(_sev2_without_roles().events, T0 + timedelta(minutes=7), author="")
    clock = urgent_clock(view.clocks)
    assert clock is not None and clock.state == ClockState.OVERDUE
    assert clock == next(c for c in view.clocks if c.state == ClockState.OVERDUE)


def test_header_names_the_urgent_clock_and_its_remaining_time() -> None:
    view = make_view(_sev2_without_roles().events, T0 + timedelta(minutes=7), author="")
    clock = urgent_clock(view.clocks)
    assert clock is not None
    texts = header_texts(view, 0)
    assert texts.urgent.startswith("▲ " + clock.name)
    assert texts.urgent.split(" (+")[0] == f"▲ {clock.name} {format_remaining(clock.remaining)}"
    others = sum(1 for c in view.clocks if c.state == ClockState.OVERDUE) - 1
    if others:
        assert f"(+{others} overdue)" in texts.urgent


def test_local_time_next_to_utc_only_when_the_zone_differs() -> None:
    events = _sev2_without_roles().events
    utc = header_texts(make_view(events, T0, tz=UTC, author=""), 0)
    assert utc.clock == "14:00:00 UTC"
    berlin = header_texts(make_view(events, T0, tz=BERLIN, author=""), 0)
    assert berlin.clock == "14:00:00 UTC · 15:00 CET"


def test_narrow_header_gives_up_detail_but_keeps_the_urgent_clock() -> None:
    view = make_view(_sev2_without_roles().events, T0 + timedelta(minutes=7), tz=BERLIN,
                     author="")
    wide = header_texts(view, 200)
    narrow = header_texts(view, 80)
    assert wide.clock == "14:07:00 UTC · 15:07 CET" and wide.elapsed
    assert narrow.urgent.startswith("▲ ")
    assert narrow.severity.strip() == "SEV2"
    used = sum(len(p) + 2 for p in (narrow.severity, narrow.phase, narrow.urgent,
                                     narrow.elapsed, narrow.clock) if p)
    assert 80 - used - 1 >= MIN_TITLE_CELLS, narrow
    without_clock = header_texts(view, 80, with_clock=False)
    assert without_clock.clock == "" and without_clock.elapsed


async def test_80x24_shows_the_urgent_clock_on_the_timeline_tab_coloured_by_state(
    app_factory: AppFactory, incident: IncidentRecord, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id, tz=BERLIN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        frozen_time.advance(minutes=30)  # Comms is still missing: the roles clock is overdue
        screen.refresh_view()
        await settle(pilot)
        view = screen.build_view()
        assert view is not None
        clock = urgent_clock(view.clocks)
        assert clock is not None and clock.state == ClockState.OVERDUE
        header = screen.query_one(IncidentHeader)
        urgent = header.query_one("#header-urgent", Static)
        assert urgent.display and urgent.region.right <= 80
        assert str(urgent.content).startswith(f"▲ {clock.name} ")
        assert " overdue" in str(urgent.content) and " -" not in str(urgent.content)
        assert urgent.has_class("-overdue") and not urgent.has_class("-running")
        assert screen.query_one("#timeline").display  # still on the timeline tab
        lines = screen_text(app)
        assert clock.name in lines
        # Narrow: UTC and local time sit on the tab row, where there is room for both.
        now = frozen_time.now()
        tab_clock = str(screen.query_one("#tab-clock", Static).content)
        local = now.astimezone(BERLIN)
        assert tab_clock == f"{now:%H:%M:%S} UTC · {local:%H:%M} CET"


async def test_wide_header_shows_utc_and_local_time(
    app_factory: AppFactory, incident: IncidentRecord, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id, tz=BERLIN)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        header = screen.query_one(IncidentHeader)
        now = frozen_time.now()
        clock = str(header.query_one("#header-clock", Static).content)
        assert clock == f"{now:%H:%M:%S} UTC · {now.astimezone(BERLIN):%H:%M} CET"
        assert not screen.query_one("#tab-row").display
