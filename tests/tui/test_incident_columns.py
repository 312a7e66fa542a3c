"""The incident list's columns: the title gets the room on a narrow terminal."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.support.incidents import seed_incident
from warroom.domain.timesource import FrozenTime
from warroom.store import Store
from warroom.tui.screens.incident_columns import (
    CLOCK_MAX,
    CLOCK_MIN,
    TITLE_MIN,
    compact_severity,
    plan_columns,
)
from warroom.tui.screens.incident_list import IncidentListScreen

from .conftest import AppFactory, settle

LONG = "Checkout payments failing for EU card holders"


def _total(width: int, sev_wide: int = 16, sev_compact: int = 7) -> int:
    """The cells a plan uses, padding included (must not exceed ``width``)."""
    plan = plan_columns(width, padding=2, sev_wide=sev_wide, sev_compact=sev_compact)
    cells = plan.severity + plan.title + plan.phase + plan.age + plan.clock
    return cells + 2 * len(plan.keys)


def test_wide_tables_keep_every_column_and_the_clock_its_full_width() -> None:
    plan = plan_columns(115, padding=2, sev_wide=16, sev_compact=7)  # a 120-column list
    assert plan.keys == ("sev", "title", "phase", "age", "clock") and not plan.compact
    assert (plan.severity, plan.clock, plan.title) == (16, CLOCK_MAX, 41)
    assert _total(115) == 115
    assert plan_columns(195, padding=2, sev_wide=16, sev_compact=7).title == 121


def test_narrow_tables_shorten_the_badge_then_drop_phase_then_duration_for_the_title() -> None:
    at_80 = plan_columns(75, padding=2, sev_wide=16, sev_compact=7)
    assert at_80.compact and at_80.keys == ("sev", "title", "age", "clock")
    assert at_80.title >= 32 and at_80.clock == CLOCK_MIN and _total(75) == 75
    narrower = plan_columns(62, padding=2, sev_wide=16, sev_compact=7)
    assert narrower.keys == ("sev", "title", "clock")
    assert narrower.title >= TITLE_MIN and _total(62) == 62
    tiny = plan_columns(50, padding=2, sev_wide=16, sev_compact=7)  # the title gets what is left
    assert tiny.keys == ("sev", "title", "clock") and tiny.title == 17 and _total(50) == 50
    # Short badges only when they buy the title its room.
    roomy = plan_columns(100, padding=2, sev_wide=8, sev_compact=6)
    assert not roomy.compact and roomy.phase and roomy.title >= TITLE_MIN


def test_compact_severity_labels() -> None:
    assert compact_severity("SEV2 (default)", 2, True) == "SEV2?"
    assert compact_severity("unclassified", None, False) == "SEV?"
    assert compact_severity("SEV1", 1, False) == "SEV1"


def _seed(store: Store, frozen_time: FrozenTime) -> None:
    seed_incident(store, frozen_time, title="Search results slow", severity=None, lines=())
    frozen_time.advance(minutes=12)  # unclassified for 12 min: "SEV2 (default)"
    seed_incident(store, frozen_time, title=LONG, severity=1, lines=("/ic alice",))
    frozen_time.advance(minutes=3)


async def test_the_title_gets_the_room_at_80x24_and_every_column_comes_back_wider(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    _seed(store, frozen_time)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IncidentListScreen)
        table = app.screen.query_one(DataTable)
        assert table.columns["title"].width >= 30  # type: ignore[index]  (was 15)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["Sev", "Title", "Duration", "Urgent clock"]
        assert str(table.get_row_at(0)[1]) == LONG
        assert [str(table.get_row_at(i)[0]).strip() for i in range(2)] == ["SEV1", "SEV2?"]
        table.move_cursor(row=1)
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["Severity", "Title", "Phase", "Duration", "Urgent clock"]
        assert str(table.get_row_at(1)[0]).strip() == "SEV2 (default)"
        assert table.cursor_row == 1  # the selected incident stays selected
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert len(table.columns) == 4 and table.cursor_row == 1
