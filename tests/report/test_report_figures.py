"""The report's figures on a month of back-dated incidents, each computed by hand here."""

from __future__ import annotations

import json
from statistics import median

import pytest

from tests.cli.conftest import Cli
from tests.report import scenario


@pytest.fixture
def report(cli: Cli) -> dict:
    scenario.build(cli)
    out = cli.ok("report", "--since", scenario.SINCE, "--until", scenario.UNTIL,
                 "--format", "json")
    return json.loads(out)


def _metric(report: dict, metric_id: str) -> dict:
    return next(m for m in report["metrics"] if m["id"] == metric_id)


def test_pages_per_week_and_after_hours(report: dict) -> None:
    # Pages: A (Tue 14:00, day), B (Wed 02:00, night) in week 1; C (Saturday) in
    # week 2; E (Thu 23:30) in week 3; none in week 4. D was a customer report; G
    # is before the period.
    weeks = report["weeks"]
    assert [w["start"][:16] for w in weeks] == [
        "2026-11-02T09:00", "2026-11-09T09:00", "2026-11-16T09:00", "2026-11-23T09:00"]
    assert [w["pages"] for w in weeks] == [2, 1, 1, 0]
    assert [w["after_hours_pages"] for w in weeks] == [1, 1, 1, 0]
    assert [w["incidents"] for w in weeks] == [2, 1, 2, 0]
    assert report["pages"] == 4 and report["incidents"] == 5
    pages = _metric(report, "pages_per_week")
    assert (pages["value"], pages["n"], pages["verdict"]) == (4 / 4, 4, "healthy")
    after = _metric(report, "after_hours_pages_per_week")
    assert (after["value"], after["n"], after["verdict"]) == (3 / 4, 4, "healthy")


def test_time_to_ack_by_severity(report: dict) -> None:
    sev1 = _metric(report, "mtta_sev1")
    assert (sev1["value"], sev1["n"], sev1["verdict"]) == (3.0, 1, "healthy")  # A: 3 min
    # B 20 min, C 10 min: mean 15, which is not < 15 (healthy) nor > 30: watch. C's
    # later "/sev 1" is after --until and does not count.
    sev2 = _metric(report, "mtta_sev2")
    assert (sev2["value"], sev2["n"], sev2["verdict"]) == ((20 + 10) / 2, 2, "watch")


def test_runbook_coverage(report: dict) -> None:
    coverage = _metric(report, "runbook_coverage")  # A and C of A, B, C, E
    assert (coverage["value"], coverage["n"], coverage["verdict"]) == (50.0, 4, "watch")


def test_per_severity_response_times(report: dict) -> None:
    rows = {r["severity"]: r for r in report["severities"]}
    sev1, sev2, sev3 = rows["SEV1"], rows["SEV2"], rows["SEV3"]
    assert sev1["incidents"] == 1
    assert sev1["mtta"] == {"mean": 180.0, "median": 180.0, "n": 1}
    assert sev1["mttm"] == {"mean": 35 * 60.0, "median": 35 * 60.0, "n": 1}  # 13:55 → 14:30
    assert sev1["mttr"] == {"mean": 65 * 60.0, "median": 65 * 60.0, "n": 1}  # 13:55 → 15:00
    assert sev2["incidents"] == 2
    assert sev2["mtta"] == {"mean": 900.0, "median": median([1200.0, 600.0]), "n": 2}
    # C recorded no impact start: its mitigate/resolve times are not recorded.
    assert sev2["mttm"] == {"mean": 3600.0, "median": 3600.0, "n": 1}
    assert sev2["mttr"] == {"mean": 7200.0, "median": 7200.0, "n": 1}
    assert sev3["incidents"] == 2
    assert sev3["mtta"] == {"mean": None, "median": None, "n": 0}


def test_services_longest_and_past_due(report: dict) -> None:
    assert report["by_service"] == [
        {"service": "checkout", "incidents": 2},
        {"service": "search", "incidents": 2},
        {"service": "payments", "incidents": 1},
    ]
    # B 120 min, A 65, C 60 (declared → resolved), E 40, D 30.
    assert [(r["slug"], r["duration_seconds"]) for r in report["longest"]] == [
        ("inc-b", 7200.0), ("inc-a", 3900.0), ("inc-c", 3600.0), ("inc-e", 2400.0),
        ("inc-d", 1800.0)]
    # A's item is on a closed incident; B's was due 2026-11-20, 10 days before --until.
    assert [(i["slug"], i["due"], i["days_late"], i["owner"]) for i in report["past_due"]] == [
        ("inc-b", "2026-11-20", 10, "carol")]


def test_postmortems_required(report: dict) -> None:
    rows = {r["slug"]: r for r in report["postmortems"]}
    assert sorted(rows) == ["inc-a", "inc-b", "inc-d", "inc-e"]  # not C: SEV2, no impact
    assert rows["inc-a"]["reasons"] == ["SEV1: every SEV1 needs one"]
    assert rows["inc-a"]["owner"] == "alice" and rows["inc-a"]["schedule"] == "kept"
    assert rows["inc-b"]["reasons"] == ["SEV2 with customer impact"]
    assert rows["inc-b"]["schedule"] == (
        "owner not named within 1 h; not closed within 5 days")
    assert rows["inc-d"]["reasons"] == [
        "recurring SEV3: cause 'disk-full' also in inc-e within 30 days"]
    assert rows["inc-e"]["reasons"] == [
        "recurring SEV3: cause 'disk-full' also in inc-d within 30 days"]


def test_service_filter_and_empty_period(cli: Cli) -> None:
    scenario.build(cli)
    out = json.loads(cli.ok("report", "--since", scenario.SINCE, "--until", scenario.UNTIL,
                            "--service", "search", "--format", "json"))
    assert out["incidents"] == 2 and out["pages"] == 1
    assert _metric(out, "mtta_sev1")["verdict"] == "not enough data"
    assert _metric(out, "mtta_sev1")["value"] is None
    empty = json.loads(cli.ok("report", "--since", "2025-01-06", "--until", "2025-02-03",
                              "--format", "json"))
    assert empty["incidents"] == 0
    assert _metric(empty, "runbook_coverage")["verdict"] == "not enough data"
    assert _metric(empty, "pages_per_week")["value"] == 0  # four weeks, no page: a real 0


def test_bad_period_is_one_line(cli: Cli) -> None:
    scenario.build(cli)
    result = cli("report", "--since", "2026-11-30", "--until", "2026-11-02")
    assert result.code == 2 and len(result.err_lines) == 1
    result = cli("report", "--until", "2026-02-30")
    assert result.code == 2 and "not a real date" in result.err


def test_page_events_count_instead_of_the_detection() -> None:
    from datetime import timedelta

    from tests.support.events import Incident
    from tests.support.times import T0
    from warroom.domain.events import PageData, PageStatus
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.report.health import IncidentInput, build_report

    paged = Incident().declared(0, severity=2).detected(0)
    paged.add(0, PageData(source="alertmanager", alert="HighErrorRate"))
    paged.add(30, PageData(source="alertmanager", alert="HighErrorRate"))
    paged.add(40, PageData(source="alertmanager", status=PageStatus.RESOLVED))
    by_hand = Incident().declared(60, severity=3).detected(60)  # /detected alert: one page
    report = build_report(
        [IncidentInput("paged", paged.events), IncidentInput("by-hand", by_hand.events)],
        DEFAULT_POLICY, since=T0 - timedelta(days=1), until=T0 + timedelta(days=1),
    )
    assert report.pages == 2 + 1
