"""Alert intake on both backends: declare, replay, resolve (the receiver's core path)."""

from __future__ import annotations

from warroom.alerts.intake import AlertIntake
from warroom.alerts.payloads import parse_alertmanager
from warroom.domain.events import EventKind, Severity
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import Store

from ..alerts.conftest import payload


def test_alerts_declare_once_and_resolve_with_a_note(store: Store, frozen_time: FrozenTime) -> None:
    intake = AlertIntake(store, time=frozen_time)
    first = intake.receive(parse_alertmanager(payload("alertmanager_firing")))
    assert first.created and first.incident
    again = intake.receive(parse_alertmanager(payload("alertmanager_firing")))
    assert again.written == 0 and again.duplicates == 2 and again.incident == first.incident
    resolved = payload("alertmanager_firing")
    resolved["status"] = "resolved"
    for alert in resolved["alerts"]:
        alert.update(status="resolved", endsAt="2026-11-27T13:58:00Z")
    frozen_time.advance(minutes=2)
    assert intake.receive(parse_alertmanager(resolved)).written == 3  # two resolves, the note
    assert intake.receive(parse_alertmanager(resolved)).written == 0
    session = IncidentSession(store, store.incident(first.incident))
    assert session.state.severity is Severity.SEV2 and session.state.is_open
    kinds = [e.kind for e in session.timeline]
    assert kinds.count(EventKind.PAGE) == 4 and kinds.count(EventKind.NOTE) == 1
    assert len(store.incidents()) == 1
