"""``render_incident``: the one export entry point of the CLI and the console."""

from __future__ import annotations

from datetime import UTC, timedelta

from tests.export.incident import NOW, RECORD, demo_events
from warroom.domain.fold import fold
from warroom.domain.policy import DEFAULT_POLICY
from warroom.export.json_export import export_json
from warroom.export.markdown import render_postmortem
from warroom.export.render import default_as_of, render_incident

LATER = NOW + timedelta(days=3)


def test_an_open_incident_is_exported_as_of_now() -> None:
    events = demo_events()[:17]  # mitigated, not resolved
    assert default_as_of(fold(events), events, LATER) == LATER


def test_a_resolved_incident_is_exported_as_of_its_last_recorded_instant() -> None:
    events = demo_events()
    last = max(max(e.occurred_at, e.recorded_at) for e in events)
    assert default_as_of(fold(events), events, LATER) == last
    assert default_as_of(fold(events), reversed(events), NOW + timedelta(days=30)) == last


def test_both_formats_match_the_exporters() -> None:
    events = demo_events()
    state = fold(events)
    at = default_as_of(state, events, LATER)
    common = {"state": state, "now": LATER, "tz": UTC}
    assert render_incident("md", RECORD, events, DEFAULT_POLICY, **common) == render_postmortem(
        RECORD, events, DEFAULT_POLICY, now=at, tz=UTC, state=state
    )
    assert render_incident("json", RECORD, events, DEFAULT_POLICY, **common) == export_json(
        RECORD, events, DEFAULT_POLICY, now=at, state=state
    )
    assert render_incident(
        "json", RECORD, events, DEFAULT_POLICY, as_of=NOW, **common
    ) == export_json(RECORD, events, DEFAULT_POLICY, now=NOW, state=state)
