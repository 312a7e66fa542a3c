"""SVG snapshots of the console at fixed sizes with a fixed clock (no timers, no blink).

Regenerate after a deliberate visual change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.support.incidents import seed_incident
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store

from .conftest import AppFactory, settle

#: A mid-incident record: roles, a decision, a production command, a status update.
RICH_LINES: tuple[str, ...] = (
    "@-3m /started",
    "/detected customer support tickets about failed payments",
    "/ack",
    "/ic alice",
    "/tech bob",
    "/decision roll back checkout to v41 [/] (markup stays literal)",
    "/cmd kubectl rollout undo deploy/checkout",
    "/status investigating We are investigating failed payments at checkout.",
    "! error rate back under 1% after the rollback",
    "a long note: " + "the ledger replica lagged behind the primary by several minutes " * 3,
    "/fix 4 page acknowledged by bob (corrected)",
)


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot, rounds=6)


def _war_room(store: Store, clock: FrozenTime) -> IncidentRecord:
    record = seed_incident(store, clock, title="Checkout payments failing in EU",
                           lines=RICH_LINES, severity=2)
    clock.advance(minutes=4, seconds=12)
    return record


def test_war_room_80x24(snap_compare: Any, app_factory: AppFactory, store: Store,
                        frozen_time: FrozenTime) -> None:
    """Narrow: header, the pane tabs, the timeline tail, the scribe input, a compact footer.

    The roster, clocks and status composer are behind the tabs (F3-F5).
    """
    record = _war_room(store, frozen_time)
    app = app_factory(incident_ref=record.id)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled)


def test_war_room_80x24_clocks_tab(snap_compare: Any, app_factory: AppFactory, store: Store,
                                   frozen_time: FrozenTime) -> None:
    """Narrow, F4: the countdowns fill the body, most urgent first, coloured by state."""
    record = _war_room(store, frozen_time)
    app = app_factory(incident_ref=record.id)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("f4")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_war_room_120x40(snap_compare: Any, app_factory: AppFactory, store: Store,
                         frozen_time: FrozenTime) -> None:
    """Wide: timeline and scribe on the left; roster, countdowns and composer on the right."""
    record = _war_room(store, frozen_time)
    app = app_factory(incident_ref=record.id)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)


def test_war_room_filtered_120x40(snap_compare: Any, app_factory: AppFactory, store: Store,
                                  frozen_time: FrozenTime) -> None:
    """Ctrl+F and "roll": the filter bar is open and only matching entries are listed."""
    record = _war_room(store, frozen_time)
    app = app_factory(incident_ref=record.id)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("ctrl+f", *"roll")
        await pilot.pause(0.3)
        await _settled(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def _incidents(store: Store, clock: FrozenTime) -> None:
    from datetime import UTC

    from warroom.service import IncidentSession

    old = seed_incident(store, clock, title="DNS resolution errors", severity=3,
                        lines=("/tech bob",))
    IncidentSession(store, old, time=clock, tz=UTC).log("/resolved")
    clock.advance(minutes=20)
    seed_incident(store, clock, title="Search results slow", severity=None, lines=())
    clock.advance(minutes=7)
    seed_incident(store, clock, title="Checkout payments failing in EU", severity=1,
                  lines=("/ic alice", "/tech bob"))
    clock.advance(minutes=9)


def test_incident_list_80x24(snap_compare: Any, app_factory: AppFactory, store: Store,
                             frozen_time: FrozenTime) -> None:
    """The list: the open SEV1 first, then the unclassified one, then the resolved SEV3."""
    _incidents(store, frozen_time)
    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=_settled)


def test_incident_list_120x40(snap_compare: Any, app_factory: AppFactory, store: Store,
                              frozen_time: FrozenTime) -> None:
    """The list, wide: every column (severity, title, phase, duration, most urgent clock)."""
    _incidents(store, frozen_time)
    assert snap_compare(app_factory(), terminal_size=(120, 40), run_before=_settled)


def test_new_incident_modal_80x24(snap_compare: Any, app_factory: AppFactory) -> None:
    """``n`` on the list: the declare form over the (empty) list."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press("n")
        await _settled(pilot)

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=run_before)
