"""Metrics of docs/rules.md §7, checked against numbers computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.export.incident import NOW, RECORD, declared, demo_events, entry, number
from warroom.domain.clocks import ClockState, clocks
from warroom.domain.events import Phase, Severity, StatusPhase
from warroom.domain.fold import fold
from warroom.domain.metrics import METRIC_NAMES, compute_metrics
from warroom.domain.policy import DEFAULT_POLICY, policy_from_mapping
from warroom.export.markdown import render_postmortem

MIN = 60.0


def _at(hh: int, mm: int) -> datetime:
    return datetime(2026, 11, 27, hh, mm, tzinfo=UTC)


def test_demo_incident_metrics_match_the_hand_computation() -> None:
    metrics = compute_metrics(fold(demo_events()), DEFAULT_POLICY, NOW)
    # impact 13:52 → detected 13:55 → acknowledged 13:58
    assert metrics.time_to_detect == 3 * MIN
    assert metrics.time_to_acknowledge == 3 * MIN
    # detected 13:55 → declared 14:00
    assert metrics.time_to_declare == 5 * MIN
    assert metrics.sources["time_to_declare"].events == (1, 3)
    # impact 13:52 → mitigated 14:20 (28 min), re-opened 14:40 → mitigated 14:50 (10 min)
    assert metrics.time_to_mitigate == (28 + 10) * MIN
    # never resolved before the re-opening: one window 13:52 → 15:20
    assert metrics.time_to_resolve == 88 * MIN
    assert metrics.duration == 88 * MIN
    assert metrics.ongoing is False
    assert metrics.reopen_count == 1
    assert metrics.sources["time_to_detect"].events == (2, 3)
    assert metrics.sources["time_to_acknowledge"].events == (3, 4)
    assert metrics.sources["time_to_mitigate"].events == (2, 13, 14, 17)
    assert metrics.sources["time_to_resolve"].events == (2, 18)
    phases = {p.phase: (p.seconds, p.entries, p.current) for p in metrics.phases}
    assert phases == {
        Phase.DETECTED: (6 * MIN, 1, False),  # detected 13:55 (before the declaration) → 14:01
        Phase.TRIAGED: (1 * MIN, 1, False),  # 14:01 → 14:02
        Phase.RESPONDING: ((18 + 10) * MIN, 2, False),  # 14:02 → 14:20, 14:40 → 14:50
        Phase.MITIGATED: ((20 + 30) * MIN, 2, False),  # 14:20 → 14:40, 14:50 → 15:20
        Phase.RESOLVED: (40 * MIN, 1, True),  # 15:20 → now (16:00)
    }
    cadence = metrics.status_updates
    assert cadence.count == 3
    assert cadence.largest_gap_seconds == 40 * MIN  # 14:05 → 14:45
    assert cadence.largest_gap_events == (9, 16)
    assert cadence.largest_gap_phase is StatusPhase.INVESTIGATING
    assert cadence.cadence_minutes == 30
    assert cadence.exceeded is True
    assert cadence.gaps_over_cadence == 2  # 40 min > 30, 35 min (identified) > 30


def test_missing_milestones_are_none_never_a_guess() -> None:
    events = number([declared(), entry("@14:05 a note")])
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, NOW)
    for name in ("time_to_detect", "time_to_acknowledge", "time_to_mitigate", "time_to_resolve"):
        assert metrics.seconds(name) is None, name
        assert metrics.sources[name].events == ()
    # duration falls back to the declaration and runs to now, marked ongoing
    assert metrics.duration == 2 * 3600
    assert metrics.ongoing is True
    assert metrics.sources["duration"].events == (1,)


def test_missing_milestones_say_not_recorded_in_markdown_and_null_up_front() -> None:
    events = number([declared(), entry("@14:05 a note")])
    text = render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW)
    front = text.split("---\n")[1]
    for name in METRIC_NAMES[:5]:
        assert f"{name}_seconds: null\n" in front
    assert "duration_seconds: 7200.0\n" in front and "ongoing: true\n" in front
    rows = [line for line in text.splitlines() if line.startswith("| Time to ")]
    assert len(rows) == 5
    for row in rows:
        assert "| not recorded | — |" in row, row
    assert "| Total duration | 2h (ongoing) | 7200 |" in text


def test_detection_without_impact_start_gives_ack_but_no_detect() -> None:
    events = number([declared(), entry("@13:55 /detected customer"), entry("@14:09 /ack")])
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, NOW)
    assert metrics.time_to_detect is None
    assert metrics.time_to_acknowledge == 14 * MIN


def test_reopened_incident_counts_both_mitigation_windows() -> None:
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:30 /mitigated rollback"),
            entry("@11:00 /reopen errors are back"),
            entry("@11:20 /mitigated feature flag off"),
            entry("@11:40 /resolved"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, NOW)
    assert metrics.time_to_mitigate == (30 + 20) * MIN
    windows = metrics.sources["time_to_mitigate"].windows
    assert [(w.start_event, w.end_event, w.seconds) for w in windows] == [
        (2, 3, 30 * MIN),
        (4, 5, 20 * MIN),
    ]
    assert metrics.time_to_resolve == 100 * MIN  # never resolved before: 10:00 → 11:40
    assert metrics.duration == 100 * MIN


def test_reopened_after_resolution_adds_the_resolution_spans() -> None:
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:20 /mitigated"),
            entry("@10:30 /resolved"),
            entry("@12:00 /reopen it came back"),
            entry("@12:10 /mitigated"),
            entry("@12:25 /resolved"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, NOW)
    assert metrics.time_to_mitigate == (20 + 10) * MIN
    assert metrics.time_to_resolve == (30 + 25) * MIN
    assert metrics.duration == (30 + 25) * MIN  # the 90 resolved minutes do not count
    assert metrics.ongoing is False


def test_reopened_and_not_mitigated_again_is_not_recorded_and_ongoing() -> None:
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:30 /mitigated"),
            entry("@11:00 /reopen"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, _at(12, 0))
    assert metrics.time_to_mitigate is None
    assert metrics.sources["time_to_mitigate"].windows[-1].open is True
    assert metrics.time_to_resolve is None
    assert metrics.duration == 2 * 3600  # 10:00 → now, still open
    assert metrics.ongoing is True


def test_a_failed_mitigation_without_the_reopen_flag_is_a_reopening() -> None:
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:30 /mitigated"),
            entry("@11:00 /phase responding did not hold"),
            entry("@11:20 /mitigated"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, _at(12, 0))
    assert metrics.time_to_mitigate == (30 + 20) * MIN


def test_resolved_without_mitigation_leaves_time_to_mitigate_not_recorded() -> None:
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:30 /resolved"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, _at(12, 0))
    assert metrics.time_to_mitigate is None
    assert metrics.time_to_resolve == 30 * MIN
    assert metrics.sources["time_to_mitigate"].windows[0].missing is True


def test_phase_time_adds_reentered_phases_and_runs_the_last_to_now() -> None:
    events = number(
        [
            declared(_at(10, 0)),
            entry("@10:10 /ic alice"),
            entry("@10:40 /mitigated"),
            entry("@10:50 /reopen"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, _at(11, 5))
    seconds = {p.phase: p.seconds for p in metrics.phases}
    assert seconds == {
        Phase.DETECTED: 10 * MIN,
        Phase.RESPONDING: (30 + 15) * MIN,
        Phase.MITIGATED: 10 * MIN,
    }
    assert [p.phase for p in metrics.phases if p.current] == [Phase.RESPONDING]


def test_status_gap_uses_the_cadence_of_the_earlier_update() -> None:
    policy = policy_from_mapping({"status_cadence_minutes": {"monitoring": 20}})
    events = number(
        [
            declared(_at(10, 0)),
            entry("@10:05 /status investigating Customers see errors"),
            entry("@10:20 /status monitoring Customers no longer see errors"),
            entry("@10:45 /status resolved All good"),
        ]
    )
    metrics = compute_metrics(fold(events), policy, _at(11, 0))
    cadence = metrics.status_updates
    assert cadence.largest_gap_seconds == 25 * MIN
    assert cadence.largest_gap_phase is StatusPhase.MONITORING
    assert (cadence.cadence_minutes, cadence.exceeded, cadence.gaps_over_cadence) == (20, True, 1)
    default = compute_metrics(fold(events), DEFAULT_POLICY, _at(11, 0)).status_updates
    assert (default.cadence_minutes, default.exceeded, default.gaps_over_cadence) == (60, False, 0)


def test_one_status_update_has_no_gap() -> None:
    events = number([declared(_at(10, 0)), entry("@10:05 /status investigating x")])
    cadence = compute_metrics(fold(events), DEFAULT_POLICY, _at(11, 0)).status_updates
    assert cadence.count == 1
    assert cadence.largest_gap_seconds is None and cadence.exceeded is None


def test_a_window_closes_at_the_last_entry_into_the_target_phase() -> None:
    # Resolved too early at 10:30, taken back to mitigated at 10:40, resolved for good
    # at 11:00: the post-mortem counts the resolution that held.
    events = number(
        [
            declared(_at(10, 5)),
            entry("@10:00 /started"),
            entry("@10:20 /mitigated"),
            entry("@10:30 /resolved"),
            entry("@10:40 /phase mitigated errors came back briefly"),
            entry("@11:00 /resolved"),
        ]
    )
    metrics = compute_metrics(fold(events), DEFAULT_POLICY, _at(12, 0))
    assert metrics.time_to_resolve == 60 * MIN
    assert metrics.duration == 60 * MIN
    assert metrics.time_to_mitigate == 40 * MIN  # the last entry into mitigated, 10:40
    text = render_postmortem(RECORD, events, DEFAULT_POLICY, now=_at(12, 0))
    assert "| Time to resolve | 1h | 3600 |" in text


def test_status_updates_exactly_on_cadence_are_within_it() -> None:
    # 30 min after investigating, 30 after identified, 60 after monitoring: each one
    # on the minute it was due. The console does not call them late, nor may the draft.
    lines = [
        "@10:05 /status investigating Customers see errors at checkout.",
        "@10:35 /status identified We found the cause.",
        "@11:05 /status monitoring A fix is out; we are watching.",
        "@12:05 /status resolved Checkout works again since 11:00 UTC.",
    ]
    events = number([declared(_at(10, 0), severity=Severity.SEV2), *map(entry, lines)])
    now = _at(12, 30)
    cadence = compute_metrics(fold(events), DEFAULT_POLICY, now).status_updates
    assert cadence.largest_gap_seconds == 60 * MIN
    assert (cadence.cadence_minutes, cadence.exceeded, cadence.gaps_over_cadence) == (60, False, 0)
    text = render_postmortem(RECORD, events, DEFAULT_POLICY, now=now)
    assert "within the 60 min cadence" in text
    assert "- Gaps over their cadence: 0" in text
    assert "exceeded" not in text
    for posted in range(2, len(events)):  # the console, the minute each update was due
        due = events[posted].occurred_at
        (status_clock,) = [
            c for c in clocks(fold(events[:posted]), DEFAULT_POLICY, due) if c.id == "status_update"
        ]
        assert status_clock.state is not ClockState.OVERDUE, (posted, status_clock)
