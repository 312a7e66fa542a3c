"""The command line and the console say the same about the same record.

``warroom show``/``list`` (their render functions) and the console's panes (the
roster's rows, the countdowns' values, the incident list's rows) read one record
at one instant: the required roles, the order of the incidents and every clock's
remaining time must be the same words.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from warroom.cli.render import incident_rows, show_json, show_text
from warroom.domain.clocks import ClockState
from warroom.domain.events import Role
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timefmt import format_span
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession, declare_incident, incident_state
from warroom.store import IncidentRecord, Store
from warroom.tui.messages import IncidentView
from warroom.tui.panes.countdowns.rows import clock_value
from warroom.tui.panes.roster.pane import role_lines
from warroom.tui.screens.incident_list import order, summarize
from warroom.tui.widgets.header import header_texts

_ACTIVE = {ClockState.RUNNING, ClockState.DUE_SOON, ClockState.OVERDUE}


def _incident(store: Store, clock: FrozenTime, title: str, severity: int | None,
              *lines: str) -> IncidentRecord:
    record = declare_incident(store, title, severity=severity, services=("checkout",),
                              at=clock.now(), author="alice", policy=DEFAULT_POLICY)
    session = IncidentSession(store, record, time=clock, tz=UTC, author="alice")
    for line in lines:
        clock.advance(minutes=1)
        session.log(line)
    return record


def _records(store: Store, clock: FrozenTime) -> list[IncidentRecord]:
    records = [
        _incident(store, clock, "DNS errors", 3, "/tech bob", "/resolved"),
        _incident(store, clock, "Search slow", None),
        _incident(store, clock, "Checkout down", 1, "@-20m /started", "/ic alice", "/tech bob"),
        _incident(store, clock, "Login flaky", 2, "/comms carol", "/mitigated"),
    ]
    clock.advance(minutes=23, seconds=7)
    return records


def _cli_requirements(text: str) -> dict[str, str]:
    """Role label -> "required"/"optional", from the Roles block of ``warroom show``."""
    block = text.split("\nRoles\n", 1)[1].split("\nClocks", 1)[0]
    found = {}
    for role in Role:
        match = re.search(rf"^  {re.escape(role.label)} .*\((required|optional)\)$", block, re.M)
        assert match, (role, block)
        found[role.label] = match.group(1)
    return found


def test_show_and_the_console_panes_agree(store: Store, frozen_time: FrozenTime) -> None:
    for record in _records(store, frozen_time):
        session = IncidentSession(store, record, time=frozen_time, tz=UTC)
        now = session.now()
        view = IncidentView.at(now, session.state, DEFAULT_POLICY, tz=UTC,
                               record_title=record.title, keys={})
        # required roles: the roster's rows and `warroom show`
        roster = {line.role.label: line.requirement for line in role_lines(view)}
        assert roster == _cli_requirements(show_text(session)), record.title
        # durations: every running clock's remaining time, in the same words
        shown = {c["id"]: c["remaining_text"] for c in show_json(session)["clocks"]
                 if c["state"] in _ACTIVE}
        console = {c.id: clock_value(c, now, UTC) for c in view.clocks if c.state in _ACTIVE}
        assert shown and shown == console, record.title
        text = show_text(session)
        assert all(f" {value}  " in text for value in console.values()), text


def test_list_and_the_console_list_agree(store: Store, frozen_time: FrozenTime) -> None:
    records = _records(store, frozen_time)
    now = frozen_time.now()
    rows = incident_rows(store, DEFAULT_POLICY, now)
    summaries = order([summarize(r, incident_state(store, r), DEFAULT_POLICY, now)
                       for r in records], policy=DEFAULT_POLICY)
    # one order: the open SEV1; the SEV2 and the unclassified one (run as SEV2), newest
    # first; the resolved one last
    assert [row["slug"] for row in rows] == [s.record.slug for s in summaries]
    assert [s.record.title for s in summaries] == [
        "Checkout down", "Login flaky", "Search slow", "DNS errors"]
    for row, summary in zip(rows, summaries, strict=True):
        assert row["effective_severity"] == summary.severity_label
        urgent = row["most_urgent_clock"]
        assert (urgent or {}).get("id") == (summary.urgent.id if summary.urgent else None)
        if summary.urgent is not None:
            assert urgent["remaining_text"] == clock_value(summary.urgent, now, UTC)


def test_the_header_and_the_list_give_one_duration(store: Store, frozen_time: FrozenTime) -> None:
    """The war room's ⏱ and the list's Duration are the same number, counted from the
    impact start when one is recorded (here 20 minutes before the declaration)."""
    records = _records(store, frozen_time)
    now = frozen_time.now()
    for record in records:
        state = incident_state(store, record)
        summary = summarize(record, state, DEFAULT_POLICY, now)
        view = IncidentView.at(now, state, DEFAULT_POLICY, tz=UTC, record_title=record.title,
                               keys={})
        assert summary.duration is not None
        listed = format_span(timedelta(seconds=summary.duration))
        assert header_texts(view, 0).elapsed == f"⏱ {listed}", record.title
    checkout = next(r for r in records if r.title == "Checkout down")
    state = incident_state(store, checkout)
    assert state.declared_at is not None and state.impact_started_at is not None
    assert state.impact_started_at < state.declared_at
