"""Time parsing: absolute, wall-clock and relative forms; DST gaps and overlaps are errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.grammars import Reach, TimeCase, time_expressions
from tests.support.times import T0
from warroom.domain.timeparse import (
    TimeParseError,
    format_offset,
    local_to_utc,
    parse_time,
    resolve_tz,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = T0  # 15:00 in Berlin (+01:00)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-27T13:02Z", at(2026, 11, 27, 13, 2)),
        ("2026-11-27t13:02z", at(2026, 11, 27, 13, 2)),
        ("2026-11-27T13:02:30Z", at(2026, 11, 27, 13, 2, 30)),
        ("2026-11-27T14:02+01:00", at(2026, 11, 27, 13, 2)),
        ("2026-11-27T14:02+0100", at(2026, 11, 27, 13, 2)),
        ("2026-11-27T08:02-05:00", at(2026, 11, 27, 13, 2)),
        ("2026-11-27 13:02Z", at(2026, 11, 27, 13, 2)),
        ("2026-11-26T23:59:59.5Z", datetime(2026, 11, 26, 23, 59, 59, 500000, tzinfo=UTC)),
    ],
)
def test_iso_with_zone(text: str, expected: datetime) -> None:
    result = parse_time(text, NOW, BERLIN)
    assert result == expected
    assert result.tzinfo is UTC


def test_iso_without_zone_names_the_fix() -> None:
    with pytest.raises(TimeParseError, match=r"no time zone.*2026-11-27T13:02\+01:00"):
        parse_time("2026-11-27T13:02", NOW, BERLIN)


def test_iso_date_only_is_an_error() -> None:
    with pytest.raises(TimeParseError, match="date without a time"):
        parse_time("2026-11-27", NOW, BERLIN)


def test_iso_invalid_date() -> None:
    with pytest.raises(TimeParseError, match="not a valid date"):
        parse_time("2026-02-30T10:00Z", NOW, BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:02", at(2026, 11, 27, 13, 2)),
        ("9:05", at(2026, 11, 27, 8, 5)),
        ("14:02:30", at(2026, 11, 27, 13, 2, 30)),
        ("00:00", at(2026, 11, 26, 23, 0)),
        ("15:00", at(2026, 11, 27, 14, 0)),  # exactly now
        ("15:01", at(2026, 11, 27, 14, 1)),  # within the 60 s skew allowance
    ],
)
def test_wall_clock_today_in_zone(text: str, expected: datetime) -> None:
    assert parse_time(text, NOW, BERLIN) == expected


def test_wall_clock_uses_the_zone_date_not_utc_date() -> None:
    # 23:30 UTC on the 27th is already the 28th in Berlin.
    now = at(2026, 11, 27, 23, 30)
    assert parse_time("00:10", now, BERLIN) == at(2026, 11, 27, 23, 10)


def test_zone_given_by_name_and_by_pendulum() -> None:
    assert parse_time("14:02", NOW, "Europe/Berlin") == at(2026, 11, 27, 13, 2)
    assert parse_time("14:02", NOW, pendulum.timezone("Europe/Berlin")) == at(2026, 11, 27, 13, 2)
    assert parse_time("08:02", NOW, timezone(timedelta(hours=-5))) == at(2026, 11, 27, 13, 2)


def test_unknown_zone_name() -> None:
    with pytest.raises(TimeParseError, match="unknown time zone"):
        resolve_tz("Mars/Olympus_Mons")


def test_wall_clock_in_the_future_suggests_the_full_date() -> None:
    with pytest.raises(TimeParseError, match=r"'15:30' is in the future.*2026-11-26T15:30\+01:00"):
        parse_time("15:30", NOW, BERLIN)


@pytest.mark.parametrize("text", ["24:00", "12:60", "12:00:60", "99:99"])
def test_wall_clock_out_of_range(text: str) -> None:
    with pytest.raises(TimeParseError, match="not a valid time of day"):
        parse_time(text, NOW, BERLIN)


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("-5m", timedelta(minutes=5)),
        ("-90s", timedelta(seconds=90)),
        ("-2h", timedelta(hours=2)),
        ("-1h30m", timedelta(hours=1, minutes=30)),
        ("-1H30M", timedelta(hours=1, minutes=30)),
        ("-1h2m3s", timedelta(hours=1, minutes=2, seconds=3)),
        ("-0m", timedelta(0)),
    ],
)
def test_relative(text: str, delta: timedelta) -> None:
    assert parse_time(text, NOW, BERLIN) == NOW - delta


def test_relative_forward_is_an_error() -> None:
    with pytest.raises(TimeParseError, match=r"'\+5m' is in the future.*-5m"):
        parse_time("+5m", NOW, BERLIN)


def test_relative_too_far_back() -> None:
    with pytest.raises(TimeParseError, match="too far back"):
        parse_time("-99999999999h", NOW, BERLIN)


def test_future_absolute_is_an_error_beyond_60_seconds() -> None:
    assert parse_time("2026-11-27T14:01:00Z", NOW, BERLIN) == at(2026, 11, 27, 14, 1)
    with pytest.raises(TimeParseError, match="is in the future"):
        parse_time("2026-11-27T14:01:01Z", NOW, BERLIN)


@pytest.mark.parametrize(
    "text",
    ["", "  ", "yesterday", "14h", "1402", "-5", "-m", "--5m", "14:2", "-5m5h", "١٤:٠٢", "x" * 500],
)
def test_malformed_names_the_input(text: str) -> None:
    with pytest.raises(TimeParseError) as info:
        parse_time(text, NOW, BERLIN)
    if text.strip():
        assert repr(text[:40])[:-1] in str(info.value)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_time("14:00", datetime(2026, 11, 27, 14, 0), BERLIN)


# --- daylight-saving changes -------------------------------------------------


def test_spring_forward_gap_is_an_error_berlin() -> None:
    now = at(2026, 3, 29, 12, 0)  # 2026-03-29 02:00 → 03:00 in Berlin
    with pytest.raises(
        TimeParseError, match=r"02:30 does not exist in Europe/Berlin.*\+01:00.*\+02:00"
    ):
        parse_time("02:30", now, BERLIN)


def test_fall_back_overlap_is_an_error_berlin() -> None:
    now = at(2026, 10, 25, 12, 0)  # 2026-10-25 03:00 → 02:00 in Berlin
    with pytest.raises(TimeParseError, match=r"02:30 happened twice in Europe/Berlin"):
        parse_time("02:30", now, BERLIN)


def test_dst_day_unambiguous_times_are_exact() -> None:
    now = at(2026, 3, 29, 12, 0)
    assert parse_time("01:59", now, BERLIN) == at(2026, 3, 29, 0, 59)  # +01:00
    assert parse_time("03:00", now, BERLIN) == at(2026, 3, 29, 1, 0)  # +02:00
    now = at(2026, 10, 25, 12, 0)
    assert parse_time("01:59", now, BERLIN) == at(2026, 10, 24, 23, 59)  # +02:00
    assert parse_time("03:00", now, BERLIN) == at(2026, 10, 25, 2, 0)  # +01:00


def test_new_york_gap_and_overlap() -> None:
    with pytest.raises(TimeParseError, match="does not exist in America/New_York"):
        parse_time("02:15", at(2026, 3, 8, 15, 0), NEW_YORK)
    with pytest.raises(TimeParseError, match="happened twice in America/New_York"):
        parse_time("01:15", at(2026, 11, 1, 15, 0), NEW_YORK)


def test_offset_suggested_for_an_overlap_parses() -> None:
    """The fix the overlap message suggests is itself accepted."""
    now = at(2026, 10, 25, 12, 0)
    with pytest.raises(TimeParseError) as info:
        parse_time("02:30", now, BERLIN)
    suggestions = [
        w.rstrip(".,") for w in str(info.value).split() if w.startswith("2026-10-25T") and "+" in w
    ]
    results = {parse_time(s, now, BERLIN) for s in suggestions}
    assert results == {at(2026, 10, 25, 0, 30), at(2026, 10, 25, 1, 30)}


def test_relative_across_dst_is_exact_elapsed_time() -> None:
    now = at(2026, 3, 29, 1, 30)  # 03:30 CEST, 30 min after the jump
    assert parse_time("-1h", now, BERLIN) == at(2026, 3, 29, 0, 30)


def test_local_to_utc_rejects_aware_input() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_to_utc(NOW, BERLIN)


def test_format_offset() -> None:
    assert format_offset(None) == "Z"
    assert format_offset(timedelta(0)) == "Z"
    assert format_offset(timedelta(hours=5, minutes=30)) == "+05:30"
    assert format_offset(timedelta(hours=-4)) == "-04:00"


def test_time_expressions_mean_what_they_say() -> None:
    """Times built from the grammar parse to the instant an independent model gives."""
    reach = Reach()

    @settings(max_examples=300)
    @given(time_expressions(NOW, BERLIN))
    def check(case: TimeCase) -> None:
        reach.example()
        if case.expected is None:
            with pytest.raises(TimeParseError):
                parse_time(case.text, NOW, BERLIN)
            reach.hit("refused")
            return
        result = parse_time(case.text, NOW, BERLIN)
        assert result == case.expected, case
        assert result.tzinfo is UTC
        reach.hit("parsed")
        reach.hit(f"parsed {case.form}")

    check()
    reach.at_least("parsed", 0.5)
    reach.at_least("refused", 0.1)
    for form in ("relative", "clock", "iso"):
        reach.at_least(f"parsed {form}", 0.05)


def _garbled(case: TimeCase, noise: str, where: int) -> str:
    at = where % (len(case.text) + 1)
    return case.text[:at] + noise + case.text[at:]


def test_never_raises_anything_else() -> None:
    """Times, times with noise inserted and random text: a UTC instant or TimeParseError."""
    reach = Reach()
    times = time_expressions(NOW, BERLIN)
    inputs = st.one_of(
        st.text(max_size=80),
        times.map(lambda case: case.text),
        st.builds(_garbled, times, st.text(max_size=3), st.integers(0, 80)),
    )

    @settings(max_examples=300)
    @given(inputs)
    def check(s: str) -> None:
        reach.example()
        try:
            result = parse_time(s, NOW, BERLIN)
        except TimeParseError:
            return
        assert result.tzinfo is UTC
        assert result <= NOW + timedelta(seconds=60)
        reach.hit("parsed")

    check()
    reach.at_least("parsed", 0.3)


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_wall_clock_round_trips(hour: int, minute: int) -> None:
    try:
        result = parse_time(f"{hour:02d}:{minute:02d}", NOW, BERLIN)
    except TimeParseError as exc:
        assert "in the future" in str(exc)
        return
    local = result.astimezone(BERLIN)
    assert (local.date(), local.hour, local.minute) == (NOW.astimezone(BERLIN).date(), hour, minute)
