"""The report's policy (thresholds, week boundary, working hours, zone) and hostile text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.cli.conftest import Cli
from tests.report import scenario
from warroom.domain.oncall_policy import OncallPolicy
from warroom.report.weeks import is_after_hours, week_start, weeks_between

ARGS = ("report", "--since", scenario.SINCE, "--until", scenario.UNTIL, "--format", "json")


def _metric(report: dict, metric_id: str) -> dict:
    return next(m for m in report["metrics"] if m["id"] == metric_id)


def test_thresholds_and_hours_come_from_the_policy_file(cli: Cli, tmp_path: Path) -> None:
    scenario.build(cli)
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[oncall]\nwork_start = "01:00"\nwork_end = "23:00"\n'
        'work_days = ["monday","tuesday","wednesday","thursday","friday","saturday"]\n'
        "[oncall.mtta_sev2_minutes]\nhealthy = 16\nunhealthy = 30\n", encoding="utf-8")
    report = json.loads(cli.ok(*ARGS, "--policy", str(policy)))
    # B (Wed 02:00) and C (Saturday 11:00) are now working hours; E (Thu 23:30) is not.
    assert [w["after_hours_pages"] for w in report["weeks"]] == [0, 0, 1, 0]
    assert _metric(report, "mtta_sev2")["verdict"] == "healthy"  # 15 < 16
    bad = tmp_path / "bad.toml"
    bad.write_text('[oncall]\nwork_start = "9am"\n', encoding="utf-8")
    result = cli(*ARGS, "--policy", str(bad))
    assert result.code == 1 and "oncall.work_start" in result.err and len(result.err_lines) == 1


def test_week_boundary_follows_the_zone_and_hand_off() -> None:
    policy = OncallPolicy(zone="Europe/Berlin", week_starts="wednesday", handoff="10:00")
    # Wednesday 2026-11-04 08:30 UTC is 09:30 in Berlin: still the week before.
    start = week_start(datetime(2026, 11, 4, 8, 30, tzinfo=UTC), policy)
    assert start.isoformat() == "2026-10-28T10:00:00+01:00"
    later = week_start(datetime(2026, 11, 4, 9, 0, tzinfo=UTC), policy)
    assert later.isoformat() == "2026-11-04T10:00:00+01:00"
    # Across the end of summer time the hand-off stays at 10:00 local.
    weeks = weeks_between(datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC),
                          policy)
    assert [w.isoformat() for w in weeks] == [
        "2026-10-14T10:00:00+02:00", "2026-10-21T10:00:00+02:00", "2026-10-28T10:00:00+01:00"]
    assert is_after_hours(datetime(2026, 11, 4, 17, 30, tzinfo=UTC), policy)  # 18:30 Berlin
    assert not is_after_hours(datetime(2026, 11, 4, 16, 30, tzinfo=UTC), policy)
    assert is_after_hours(datetime(2026, 11, 7, 12, 0, tzinfo=UTC), policy)  # Saturday


def test_user_text_is_data_in_every_format(cli: Cli) -> None:
    hostile = "[bold red]x[/] | <script>alert(1)</script> \x1b]0;title\x07\x1b[2J *y*"
    slug = cli.ok("new", hostile, "--sev", "1", "--service", "[link=file:///etc]svc[/link]",
                  "--at", "2026-11-03T14:00Z", "--slug", "hostile").strip()
    cli.ok("log", slug, "/detected alert", "--at", "2026-11-03T14:00Z")
    cli.ok("log", slug, f"/action @bob {hostile} due 2026-11-04", "--at", "2026-11-03T14:10Z")
    period = ("--since", scenario.SINCE, "--until", scenario.UNTIL)
    text = cli.ok("report", *period)
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold red]x[/]" in text  # shown as typed, not interpreted
    md = cli.ok("report", *period, "--format", "md")
    assert "<script>" not in md and "\\<script\\>" in md and "\\| " in md
    data = json.loads(cli.ok("report", *period, "--format", "json"))
    assert data["longest"][0]["title"].startswith("[bold red]x[/] | <script>")


def test_one_incident_and_one_page_are_counted_in_the_singular(cli: Cli) -> None:
    slug = cli.ok("new", "Checkout errors", "--sev", "2", "--at", "2026-11-03T14:00Z").strip()
    cli.ok("log", slug, "/detected alert", "--at", "2026-11-03T14:00Z")  # counts one page
    period = ("--since", scenario.SINCE, "--until", scenario.UNTIL)
    text = cli.ok("report", *period)
    md = cli.ok("report", *period, "--format", "md")
    assert "1 incident, 1 page" in text and "1 incidents" not in text
    assert "\n1 incident, 1 page. Pages are counted" in md and "1 pages" not in md
