"""A clock's hint (what to do, or its rule) is wrapped under its name, not cut."""

from __future__ import annotations

from typing import Any

from warroom.domain.timesource import FrozenTime
from warroom.store import Store
from warroom.tui.panes.countdowns.rows import (
    MAX_DETAIL_LINES,
    ClockRow,
    clock_detail,
    detail_lines,
)

from .conftest import AppFactory, open_war_room, settle
from .test_snapshots import _war_room


def test_a_hint_wraps_under_its_text() -> None:
    action = "→ press F6: Run the IC checkpoint: what do we know, what next, escalate?"
    lines = detail_lines(action, 34)
    assert lines[0].startswith("  → press F6")
    assert all(line.startswith("    ") and len(line) <= 34 for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == action
    rule = "SEV2: not mitigated within 60 min of becoming SEV2 → escalate to SEV1 procedures"
    assert all(line.startswith("  ") and len(line) <= 30 for line in detail_lines(rule, 30))
    assert len(detail_lines("word " * 100, 30)) == MAX_DETAIL_LINES
    assert detail_lines("word " * 100, 30)[-1].endswith("…")



def test_a_link_in_a_hint_folds_under_its_text_whole() -> None:
    url = "https://runbooks.example.com/payments/escalation?team=checkout&region=eu-west-1"
    lines = detail_lines(f"→ page the owner: {url}", 34)
    assert lines[0] == "  → page the owner:"
    assert all(line.startswith("    ") and len(line) <= 34 for line in lines[1:])
    assert "".join(line[4:] for line in lines[1:]) == url, "every character, none cut"


def _hints(screen: Any) -> dict[str, tuple[str, list[str]]]:
    """Per shown clock: its detail text and the lines drawn under its name."""
    hints = {}
    for row in screen.query(ClockRow):
        lines = row.render().plain.split("\n")
        if row.display and len(lines) > 1:
            hints[row.clock_id] = (clock_detail(row._clock, row._keys), lines[1:])
            assert row.size.height == len(lines), "the row is as tall as its lines"
    return hints


async def test_due_clocks_hints_are_whole_at_200x50_and_80x24(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    record = _war_room(store, frozen_time)  # escalation and roles overdue, checkpoint due
    for size in ((200, 50), (80, 24)):
        app = app_factory(incident_ref=record.id)
        async with app.run_test(size=size) as pilot:
            screen = await open_war_room(pilot)
            if size == (80, 24):
                await pilot.press("f4")
            await settle(pilot)
            hints = _hints(screen)
            assert {"escalation", "roles", "checkpoint"} <= set(hints), hints
            for detail, lines in hints.values():
                shown = " ".join(line.strip() for line in lines)
                if detail.startswith("→"):
                    assert shown == detail, (size, lines)
            checkpoint, _ = hints["checkpoint"]
            assert checkpoint.startswith("→ press F6: Run the IC checkpoint:")
            assert "(/checkpoint)" not in checkpoint, "the key stands for the command"
            if size == (200, 50):
                assert screen.query_one("#countdowns").max_scroll_y == 0, "every clock shown"
