"""Post-mortem metrics at their edges: zero-length spans, ties, boundaries, empty records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.export.incident import declared, entry, number
from warroom.domain.events import Phase, Severity
from warroom.domain.fold import fold
from warroom.domain.metrics import Metrics, compute_metrics
from warroom.domain.policy import DEFAULT_POLICY

MIN = 60.0


def _at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 11, 27, hh, mm, ss, tzinfo=UTC)


NOON = _at(12, 0)


def _metrics(
    lines: list[str], *, now: datetime = NOON, severity: Severity | None = None
) -> Metrics:
    events = number([declared(_at(10, 0), severity=severity), *map(entry, lines)])
    return compute_metrics(fold(events), DEFAULT_POLICY, now)


def test_an_unknown_metric_name_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="time_to_coffee"):
        _metrics([]).seconds("time_to_coffee")


def test_impact_stopped_the_minute_it_started_is_zero_not_missing() -> None:
    metrics = _metrics(["@10:00 /started", "@10:00 /mitigated", "@10:00 /resolved"])
    assert metrics.time_to_mitigate == 0.0
    assert metrics.time_to_resolve == 0.0
    assert metrics.duration == 0.0
    assert metrics.ongoing is False
    phases = {p.phase: p.seconds for p in metrics.phases}
    assert phases[Phase.MITIGATED] == 0.0


def test_impact_starting_after_the_declaration_opens_the_window_then() -> None:
    metrics = _metrics(["@10:05 /started", "@10:20 /mitigated", "@10:30 /resolved"])
    assert metrics.time_to_mitigate == 15 * MIN
    assert metrics.time_to_resolve == 25 * MIN
    assert metrics.duration == 25 * MIN


def test_a_window_without_its_end_still_names_its_start() -> None:
    metrics = _metrics(["@09:50 /started", "@10:30 /resolved"])
    (window,) = metrics.sources["time_to_mitigate"].windows
    assert (window.start_event, window.end_event, window.missing) == (2, None, True)
    assert metrics.sources["time_to_mitigate"].events == (2,)


def test_an_empty_record_has_no_metrics_and_nothing_ongoing() -> None:
    metrics = compute_metrics(fold([]), DEFAULT_POLICY, _at(12, 0))
    for name in ("time_to_detect", "time_to_acknowledge", "time_to_mitigate"):
        assert metrics.seconds(name) is None
    assert (metrics.duration, metrics.ongoing, metrics.phases) == (None, False, ())


def test_duration_at_the_moment_of_declaration_is_zero() -> None:
    metrics = _metrics([], now=_at(10, 0))
    assert (metrics.duration, metrics.ongoing) == (0.0, True)


@pytest.mark.parametrize("severity", [Severity.SEV2, None], ids=["classified", "unclassified"])
def test_duration_without_impact_start_runs_from_the_declaration_event(
    severity: Severity | None,
) -> None:
    # A back-dated severity (whose reason happens to read "declared") and phase change
    # before the declaration, a severity change at the same instant as it: the
    # duration still counts from the declaration (#1).
    metrics = _metrics(
        [
            "@09:50 /sev 2 declared",
            "@09:55 /phase triaged looked at it before declaring",
            "@10:00 /sev 1 worse",
            "@10:40 /resolved",
        ],
        severity=severity,
    )
    assert metrics.duration == 40 * MIN
    assert metrics.sources["duration"].events[0] == 1


def test_two_status_updates_have_one_gap() -> None:
    cadence = _metrics(
        ["@10:05 /status investigating a", "@10:45 /status identified b"]
    ).status_updates
    assert (cadence.count, cadence.largest_gap_seconds) == (2, 40 * MIN)
    assert cadence.largest_gap_events == (2, 3)
    assert (cadence.exceeded, cadence.gaps_over_cadence) == (True, 1)


def test_status_updates_at_the_same_minute_have_a_zero_gap_in_writing_order() -> None:
    cadence = _metrics(
        ["@10:05 /status investigating a", "@10:05 /status investigating b"]
    ).status_updates
    assert cadence.largest_gap_seconds == 0.0
    assert cadence.largest_gap_events == (2, 3)


def test_equal_gaps_report_the_first_one() -> None:
    cadence = _metrics(
        [
            "@10:05 /status investigating a",
            "@10:25 /status investigating b",
            "@10:45 /status investigating c",
        ]
    ).status_updates
    assert cadence.largest_gap_events == (2, 3)


def test_one_second_over_the_cadence_is_exceeded() -> None:
    cadence = _metrics(
        ["@10:05:00 /status investigating a", "@10:35:01 /status investigating b"]
    ).status_updates
    assert (cadence.exceeded, cadence.gaps_over_cadence) == (True, 1)


def test_the_gap_after_a_resolved_update_has_no_cadence() -> None:
    cadence = _metrics(
        [
            "@10:05 /status investigating a",
            "@10:10 /status resolved b",
            "@11:10 /reopen it is back",
            "@11:15 /status investigating c",
        ]
    ).status_updates
    assert cadence.largest_gap_seconds == 65 * MIN
    assert (cadence.cadence_minutes, cadence.exceeded, cadence.gaps_over_cadence) == (None, None, 0)


def test_windows_and_duration_name_the_events_they_run_between() -> None:
    metrics = _metrics(["@09:50 /started", "@10:20 /mitigated", "@10:30 /resolved"])
    (window,) = metrics.sources["time_to_mitigate"].windows
    assert (window.start, window.end) == (_at(9, 50), _at(10, 20))
    assert metrics.sources["duration"].events == (2, 4)


def test_a_detection_after_the_declaration_takes_no_time_to_declare() -> None:
    metrics = _metrics(["@10:10 /detected alert"])
    assert metrics.time_to_declare == 0.0
    assert _metrics(["@09:45 /detected alert"]).time_to_declare == 15 * MIN
