"""The intake: declare, feed, resolve, replay, named targets and the severity table."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.times import frozen_clock
from warroom.alerts.intake import AlertIntake
from warroom.alerts.payloads import parse_alertmanager, parse_grafana, parse_pagerduty
from warroom.domain.events import (
    DeclaredData,
    DetectionSource,
    EventKind,
    PageData,
    PageStatus,
    Phase,
    Severity,
)
from warroom.domain.links import linked_runbook
from warroom.domain.policy import policy_from_toml
from warroom.domain.timesource import FrozenTime
from warroom.report.health import page_times
from warroom.service import IncidentSession
from warroom.store import Store

from .conftest import counts, payload


def _session(store: Store, ref: str) -> IncidentSession:
    return IncidentSession(store, store.incident(ref))


def _pages(session: IncidentSession) -> list[PageData]:
    return [e.data for e in session.timeline if isinstance(e.data, PageData)]


def _resolved(document: dict, *fingerprints: str, ends: str = "2026-11-27T13:58:00Z") -> dict:
    for alert in document["alerts"]:
        if alert["fingerprint"] in fingerprints:
            alert["status"] = "resolved"
            alert["endsAt"] = ends
    if all(a["status"] == "resolved" for a in document["alerts"]):
        document["status"] = "resolved"
    return document


def test_a_firing_group_declares_an_incident(intake: AlertIntake, store: Store) -> None:
    outcome = intake.receive(parse_alertmanager(payload("alertmanager_firing")))
    assert outcome.created and outcome.written == 5 and outcome.incident
    session = _session(store, outcome.incident)
    state = session.state
    assert state.title == "Checkout 5xx above 5%"  # names its service already
    assert state.severity is Severity.SEV2  # severity: critical → SEV2 by default
    assert state.services == ("checkout",)
    assert state.declared_by == "alertmanager"
    # Detected is back-dated to the earliest startsAt (nanoseconds cut to microseconds).
    assert state.detected_at == datetime(2026, 11, 27, 13, 52, 30, 123456, tzinfo=UTC)
    assert state.detection_source is DetectionSource.ALERT
    pages = _pages(session)
    assert [p.fingerprint for p in pages] == ["1c2b5a7e9d3f4a60", "8f0e6d4c2b1a3957"]
    assert all(p.status is PageStatus.FIRING and p.source == "alertmanager" for p in pages)
    assert pages[0].severity == "critical" and pages[0].alert == "HighErrorRate"
    assert pages[0].started_at == datetime(2026, 11, 27, 13, 52, 30, 123456, tzinfo=UTC)
    page_events = [e for e in session.timeline if e.kind is EventKind.PAGE]
    assert all(e.key for e in page_events)  # key events listing labels and annotations
    text = page_events[0].text
    assert "instance=web-1" in text and "summary=Checkout 5xx above 5%" in text
    assert "runbook: https://runbooks.example.com/checkout-5xx" in text
    # The runbook annotation is linked once, as /runbook would (the report counts it).
    assert linked_runbook(session.timeline) == "https://runbooks.example.com/checkout-5xx"
    assert sum(e.kind is EventKind.RUNBOOK for e in session.timeline) == 1
    # Only firing pages count as pages for the on-call report.
    assert len(page_times(state, list(session.timeline))) == 2


def test_the_same_notification_twice_is_recorded_once(intake: AlertIntake, store: Store) -> None:
    first = intake.receive(parse_alertmanager(payload("alertmanager_firing")))
    before = counts(store)
    again = intake.receive(parse_alertmanager(payload("alertmanager_firing")))
    assert again.written == 0 and again.duplicates == 2 and not again.created
    assert again.incident == first.incident
    assert counts(store) == before == (1, 5)


def test_later_notifications_add_only_what_changed(
    intake: AlertIntake, store: Store, frozen_time: FrozenTime
) -> None:
    slug = intake.receive(parse_alertmanager(payload("alertmanager_firing"))).incident
    assert slug is not None
    frozen_time.advance(minutes=5)
    document = _resolved(payload("alertmanager_firing"), "1c2b5a7e9d3f4a60")
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.written == 1 and outcome.duplicates == 1  # web-2 still fires: known
    session = _session(store, slug)
    latest = max((e for e in session.timeline if e.kind is EventKind.PAGE), key=lambda e: e.id)
    assert isinstance(latest.data, PageData)
    assert latest.data.fingerprint == "1c2b5a7e9d3f4a60"
    assert latest.data.status is PageStatus.RESOLVED
    assert latest.occurred_at == datetime(2026, 11, 27, 13, 58, tzinfo=UTC)  # its endsAt
    assert not [e for e in session.timeline if e.kind is EventKind.NOTE]

    frozen_time.advance(minutes=5)
    document = _resolved(payload("alertmanager_firing"), "1c2b5a7e9d3f4a60", "8f0e6d4c2b1a3957")
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.written == 2  # the second resolve and the note; web-1's resolve is known
    session = _session(store, slug)
    notes = [e for e in session.timeline if e.kind is EventKind.NOTE]
    assert len(notes) == 1 and notes[0].key
    assert "Every alert of this group has resolved" in notes[0].text and "IC" in notes[0].text
    assert session.state.phase is not Phase.RESOLVED and session.state.is_open
    # A repeat of the resolved notification adds nothing, not even a second note.
    assert intake.receive(parse_alertmanager(document)).written == 0
    assert counts(store) == (1, 8)
    assert len(page_times(session.state, list(session.timeline))) == 2  # firing pages only


def test_a_new_alert_of_the_group_feeds_the_same_incident(
    intake: AlertIntake, store: Store
) -> None:
    slug = intake.receive(parse_alertmanager(payload("alertmanager_firing"))).incident
    document = payload("alertmanager_firing")
    extra = dict(document["alerts"][0], fingerprint="77aa", startsAt="2026-11-27T13:59:00Z")
    extra["labels"] = dict(extra["labels"], instance="web-3")
    document["alerts"].append(extra)
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.incident == slug and outcome.written == 1 and not outcome.created
    assert counts(store) == (1, 6)


def test_after_the_incident_is_resolved_a_new_firing_declares_a_new_one(
    intake: AlertIntake, store: Store, frozen_time: FrozenTime
) -> None:
    first = intake.receive(parse_alertmanager(payload("alertmanager_firing"))).incident
    assert first is not None
    _session(store, first).log("/resolved")
    frozen_time.advance(minutes=30)
    # Alertmanager re-sends the old notification (repeat_interval): nothing new.
    assert intake.receive(parse_alertmanager(payload("alertmanager_firing"))).written == 0
    assert len(store.incidents()) == 1
    document = payload("alertmanager_firing")
    for alert in document["alerts"]:
        alert["startsAt"] = "2026-11-27T14:20:00Z"  # fired again
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.created and outcome.incident != first
    assert len(store.incidents()) == 2


def test_the_incident_label_targets_an_existing_incident(intake: AlertIntake, store: Store) -> None:
    record = store.incident(_declare(store, "Payments are down"))
    document = payload("alertmanager_firing")
    document["commonLabels"]["warroom_incident"] = record.slug
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.incident == record.slug and not outcome.created
    assert len(store.incidents()) == 1
    session = _session(store, record.slug)
    assert len(_pages(session)) == 2 and session.state.detected_at is not None


def test_an_unknown_incident_label_falls_back_to_the_group(
    intake: AlertIntake, store: Store
) -> None:
    document = payload("alertmanager_firing")
    document["commonLabels"]["warroom_incident"] = "no-such-incident"
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.created and "no-such-incident" in outcome.warning


def _declare(store: Store, title: str) -> str:
    from warroom.service import declare_incident

    return declare_incident(
        store, title, at=datetime(2026, 11, 27, 13, 0, tzinfo=UTC), author="priya"
    ).slug


def test_the_severity_table_comes_from_the_policy(store: Store, frozen_time: FrozenTime) -> None:
    policy = policy_from_toml(
        '[alerts.severity]\nCritical = 1\n[alerts]\nservice_labels = ["instance"]\n'
    )
    intake = AlertIntake(store, policy=policy, time=frozen_time)
    slug = intake.receive(parse_alertmanager(payload("alertmanager_firing"))).incident
    state = _session(store, slug or "").state
    assert state.severity is Severity.SEV1
    assert state.services == ("web-1", "web-2")


def test_an_unknown_severity_leaves_the_incident_unclassified(
    intake: AlertIntake, store: Store
) -> None:
    document = payload("alertmanager_firing")
    for alert in document["alerts"]:
        alert["labels"]["severity"] = "catastrophic"
    slug = intake.receive(parse_alertmanager(document)).incident
    assert _session(store, slug or "").state.severity is None


def test_a_resolved_only_group_with_no_incident_writes_nothing(
    intake: AlertIntake, store: Store
) -> None:
    document = _resolved(payload("alertmanager_firing"), "1c2b5a7e9d3f4a60", "8f0e6d4c2b1a3957")
    outcome = intake.receive(parse_alertmanager(document))
    assert outcome.ignored and counts(store) == (0, 0)


def test_grafana_fixture(intake: AlertIntake, store: Store) -> None:
    outcome = intake.receive(parse_grafana(payload("grafana_firing")))
    state = _session(store, outcome.incident or "").state
    assert state.title == "Memory above 90% in zone us-1 (ledger)"
    assert state.severity is Severity.SEV2  # the worst of warning (SEV3) and critical (SEV2)
    assert state.detected_at == datetime(2026, 11, 27, 12, 51, 3, 157076, tzinfo=UTC)
    assert [p.source for p in _pages(_session(store, outcome.incident or ""))] == ["grafana"] * 2


def test_pagerduty_triggered_acknowledged_resolved(intake: AlertIntake, store: Store) -> None:
    triggered = intake.receive(parse_pagerduty(payload("pagerduty_triggered")))
    assert triggered.created
    slug = triggered.incident or ""
    state = _session(store, slug).state
    assert state.severity is Severity.SEV1  # priority P1
    assert state.services == ("API Service",)
    assert state.detected_at == datetime(2026, 11, 27, 13, 58, 21, tzinfo=UTC)
    acked = intake.receive(parse_pagerduty(payload("pagerduty_acknowledged")))
    assert acked.incident == slug
    state = _session(store, slug).state
    assert state.acknowledged_at == datetime(2026, 11, 27, 13, 59, 40, tzinfo=UTC)
    resolved = intake.receive(parse_pagerduty(payload("pagerduty_resolved")))
    assert resolved.incident == slug
    session = _session(store, slug)
    assert [p.status for p in _pages(session)] == [
        PageStatus.FIRING, PageStatus.ACKNOWLEDGED, PageStatus.RESOLVED]
    assert any(e.kind is EventKind.NOTE and e.key for e in session.timeline)
    assert session.state.is_open
    before = counts(store)
    for name in ("pagerduty_triggered", "pagerduty_acknowledged", "pagerduty_resolved"):
        assert intake.receive(parse_pagerduty(payload(name))).written == 0  # replayed event ids
    assert counts(store) == before
    ignored = intake.receive(parse_pagerduty(payload("pagerduty_annotated")))
    assert ignored.ignored and counts(store) == before


def test_hostile_label_text_is_stored_clean(intake: AlertIntake, store: Store) -> None:
    document = payload("alertmanager_firing")
    hostile = (
        "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 [bold red]boom[/] \u202egnp.exe\x1b[2J"
    )
    document["alerts"][0]["labels"]["instance"] = hostile
    document["alerts"][0]["annotations"]["summary"] = hostile
    document["commonAnnotations"]["summary"] = hostile
    slug = intake.receive(parse_alertmanager(document)).incident or ""
    session = _session(store, slug)
    texts = [e.text for e in session.timeline] + [session.state.title]
    assert all("\x1b" not in t and "\x07" not in t and "\u202e" not in t for t in texts)
    assert any("[bold red]boom[/]" in t for t in texts)  # markup is kept as plain text
    declared = session.event(1)
    assert declared is not None and isinstance(declared.data, DeclaredData)
    assert "click" in declared.data.title and "\x1b" not in declared.data.title


@pytest.mark.slow
def test_two_receivers_on_one_database_declare_one_incident(tmp_path: Path) -> None:
    """Racing writers (a retry and its first try, or two receivers) record a group once."""
    path = tmp_path / "race.db"
    Store.open(path).close()
    clock = frozen_clock()
    stores = [Store.open(path, clock=clock) for _ in range(4)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def deliver(store: Store) -> None:
        intake = AlertIntake(store, time=clock)
        barrier.wait()
        try:
            for _ in range(5):
                intake.receive(parse_alertmanager(payload("alertmanager_firing")))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert not errors
        assert counts(stores[0]) == (1, 5)
    finally:
        for store in stores:
            store.close()


def _burst() -> list:
    notifications = []
    for group in range(5):
        for alert in range(3):
            document = payload("alertmanager_firing")
            document["groupKey"] = f"group-{group}"
            document["alerts"] = [dict(document["alerts"][0], fingerprint=f"{group}-{alert}")]
            notifications.append(parse_alertmanager(document))
    notifications.append(notifications[0])  # a replay inside the burst
    named = payload("alertmanager_firing")  # into group 0's incident, by its label
    named["groupKey"] = "named"
    named["commonLabels"]["warroom_incident"] = "2026-11-27-checkout-5xx-above-5"
    named["alerts"] = [dict(named["alerts"][0], fingerprint="named-0")]
    notifications.insert(7, parse_alertmanager(named))
    notifications.append(parse_pagerduty(payload("pagerduty_annotated")))  # ignored
    return notifications


def test_a_burst_is_recorded_as_one_by_one_would(tmp_path: Path, frozen_time: FrozenTime) -> None:
    with Store.open(tmp_path / "one.db", clock=frozen_time) as one, \
            Store.open(tmp_path / "many.db", clock=frozen_time) as many:
        singly = [AlertIntake(one, time=frozen_time).receive(n) for n in _burst()]
        commits = []
        real = many.append_pages_many

        def counting(requests):
            commits.append(len(requests))
            return real(requests)

        many.append_pages_many = counting  # type: ignore[method-assign]
        together = AlertIntake(many, time=frozen_time).receive_many(_burst())
        assert together == singly
        # Per group: declared, detected, page, runbook, then one page for each later alert;
        # the named notification adds one page to group 0's incident.
        assert counts(one) == counts(many) == (5, 5 * (4 + 2) + 1)
        assert any(r.incident == "2026-11-27-checkout-5xx-above-5" and r.written == 1
                   for r in together if not isinstance(r, Exception))
        # Distinct groups go together, in order; the named one is written alone.
        assert sum(commits) == 17 and max(commits) > 1 and len(commits) < 17


def test_a_burst_with_a_named_incident_and_a_stale_group(
    intake: AlertIntake, store: Store, frozen_time: FrozenTime
) -> None:
    slug = _declare(store, "Payments are down")
    named = payload("alertmanager_firing")
    named["groupKey"] = "named"
    named["commonLabels"]["warroom_incident"] = slug
    first = payload("alertmanager_firing")
    # Another receiver declares the group's incident after this one planned: stale, re-planned.
    other = AlertIntake(store, time=frozen_time)
    real_plan = intake._plan

    def plan_then_race(notification):
        planned = real_plan(notification)
        if notification.group == parse_alertmanager(first).group and not store.page_group_owner(
                notification.group):
            other.receive(notification)
        return planned

    intake._plan = plan_then_race  # type: ignore[method-assign]
    results = intake.receive_many([parse_alertmanager(first), parse_alertmanager(named)])
    assert [getattr(r, "incident", None) for r in results][1] == slug
    assert results[0].written == 0 and results[0].duplicates == 2  # the other got there first
    assert len(store.incidents()) == 2
