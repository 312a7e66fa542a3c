"""Hostile times: back-dated, future, across DST changes, in other zones, malformed.

Back-dates before the incident are allowed (and shown where they belong); the
future is an error; a wall-clock time a DST change skips or repeats is an error,
never a guess; explicit offsets always work; malformed times are errors. An error
writes nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

from .conftest import Env, assert_clean_failure


def _incident(env: Env, at: datetime) -> None:
    result = env.cli("new", "Time drill", "--sev", "2", time=FrozenTime(at))
    assert result.code == 0, result.err


def _stored(env: Env) -> list[datetime]:
    with Store.open(env.db, create=False) as store:
        return [e.occurred_at for e in store.events(1)]


def _log(env: Env, now: datetime, text: str, *options: str) -> datetime:
    result = env.cli("log", "--json", *options, "1", text, time=FrozenTime(now))
    assert result.code == 0, result.err
    return datetime.fromisoformat(json.loads(result.out)["occurred_at"])


def test_back_dates_before_the_incident_are_allowed_and_shown_in_order(env: Env) -> None:
    _incident(env, T0)
    now = T0 + timedelta(minutes=10)
    assert _log(env, now, "@13:30 /started") == datetime(2026, 11, 27, 13, 30, tzinfo=UTC)
    assert _log(env, now, "@-2h first customer ticket") == now - timedelta(hours=2)
    assert _log(env, now, "/detected alert", "--at", "-20m") == now - timedelta(minutes=20)
    export = env.cli("export", "1", "--format", "json", time=FrozenTime(now))
    document = json.loads(export.out)
    assert document["metrics"]["time_to_detect"] == 20 * 60  # impact 13:30 → detected 13:50
    md = env.cli("export", "1", "--format", "md", time=FrozenTime(now))
    assert md.code == 0
    timeline = md.out.split("\n## Timeline", 1)[1].split("\n## ", 1)[0]
    # The timeline lists the back-dated entries first, at their own times.
    assert timeline.index("12:10") < timeline.index("13:30") < timeline.index("13:50")
    assert timeline.index("13:50") < timeline.index("14:00")


def test_the_future_is_an_error_and_nothing_is_written(env: Env) -> None:
    _incident(env, T0)
    now = T0 + timedelta(minutes=10)
    before = _stored(env)
    for argv in (("1", "@14:30 not yet"), ("1", "@2026-11-28T09:00Z tomorrow"),
                 ("--at", "2026-11-27T15:00Z", "1", "later"), ("--at", "+5m", "1", "later"),
                 ("1", "@+1h later")):
        line = assert_clean_failure(env.cli("log", *argv, time=FrozenTime(now)))
        assert "future" in line or "past" in line or "+" in line, line
    assert _stored(env) == before
    # A minute of clock skew between seats is tolerated.
    assert _log(env, now, "skewed", "--at", "2026-11-27T14:10:30Z") > now


@pytest.mark.parametrize(
    "argv",
    [
        ("@25:00 x",), ("@14:0 x",), ("@14:60 x",), ("@yesterday x",), ("@2026-11-27T14:02 x",),
        ("@2026-13-01T10:00Z x",), ("@-5x x",), ("@ x",), ("@--5m x",),
        ("--at", "tomorrow", "1", "x"), ("--at", "14:61", "1", "x"),
        ("--at", "2026-11-27", "1", "x"), ("--at", "", "1", "x"),
    ],
)
def test_malformed_times_are_errors_not_guesses(env: Env, argv: tuple[str, ...]) -> None:
    _incident(env, T0)
    before = _stored(env)
    if argv[0] != "--at":
        argv = ("1", *argv)
    result = env.cli("log", *argv, time=FrozenTime(T0 + timedelta(minutes=10)))
    assert_clean_failure(result, (2,))
    assert _stored(env) == before


def _berlin(env: Env) -> None:
    env.config.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")


def test_spring_forward_skipped_time_is_an_error_neighbours_are_exact(env: Env) -> None:
    _berlin(env)
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # 01:00 CET; at 02:00 clocks jump to 03:00
    _incident(env, start)
    now = datetime(2026, 3, 29, 2, 30, tzinfo=UTC)  # 04:30 CEST
    assert _log(env, now, "@01:30 before the jump") == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert _log(env, now, "@03:30 after the jump") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    before = _stored(env)
    line = assert_clean_failure(env.cli("log", "1", "@02:30 never happened",
                                        time=FrozenTime(now)), (2,))
    assert "02:30" in line
    assert _stored(env) == before


def test_fall_back_repeated_time_is_an_error_unless_the_offset_is_given(env: Env) -> None:
    _berlin(env)
    start = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    _incident(env, start)
    now = datetime(2026, 10, 25, 3, 0, tzinfo=UTC)  # 04:00 CET; 02:00-03:00 happened twice
    before = _stored(env)
    assert_clean_failure(env.cli("log", "1", "@02:30 which one?", time=FrozenTime(now)), (2,))
    assert _stored(env) == before
    first = _log(env, now, "@2026-10-25T02:30+02:00 the first 02:30")
    second = _log(env, now, "@2026-10-25T02:30+01:00 the second 02:30")
    assert second - first == timedelta(hours=1)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_other_zones_explicit_offsets_and_tz_environment(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    _incident(env, T0)
    now = T0 + timedelta(minutes=30)
    expected = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    assert _log(env, now, "@2026-11-27T09:05-05:00 from New York") == expected
    assert _log(env, now, "from Berlin", "--at", "2026-11-27T15:05+01:00") == expected
    assert _log(env, now, "@2026-11-27T23:05+09:00 from Tokyo") == expected
    monkeypatch.setenv("TZ", "America/New_York")
    assert _log(env, now, "@09:05 local New York time") == expected
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    assert _log(env, now, "@19:35 local Kolkata time") == expected
    stored = _stored(env)
    assert all(t.utcoffset() == timedelta(0) for t in stored)  # stored in UTC
