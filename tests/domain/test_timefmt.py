"""The one duration style and the one instant style (domain/timefmt.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from warroom.domain.timefmt import (
    format_seconds,
    format_span,
    format_zoned,
    stamp_utc,
    zone_label,
)

AT = datetime(2026, 11, 27, 14, 2, 10, tzinfo=UTC)


@pytest.mark.parametrize(("span", "text"), [
    (timedelta(seconds=45), "45s"),
    (timedelta(minutes=4), "4m"),
    (timedelta(minutes=4, seconds=3), "4m 03s"),
    (timedelta(hours=1), "1h"),
    (timedelta(hours=1, minutes=2, seconds=59), "1h 02m"),
    (timedelta(days=2, hours=3, minutes=30), "2d 03h"),
    (timedelta(days=30), "30d"),
    (-timedelta(minutes=4, seconds=3), "4m 03s"),
])
def test_a_duration_is_its_two_largest_units(span: timedelta, text: str) -> None:
    assert format_span(span) == text


def test_seconds_read_the_same_way_and_none_is_said() -> None:
    assert format_seconds(5280) == "1h 28m"
    assert format_seconds(179.6) == "3m"
    assert format_seconds(-90) == "-1m 30s"
    assert format_seconds(None) == "not recorded"
    assert format_seconds(None, "—") == "—"


def test_an_instant_names_its_zone() -> None:
    assert stamp_utc(AT) == "2026-11-27 14:02:10 UTC"
    paris = ZoneInfo("Europe/Paris")
    assert format_zoned(AT, paris) == "15:02 CET"
    assert format_zoned(AT, paris, now=AT + timedelta(days=1)) == "27 Nov 15:02 CET"
    india = timezone(timedelta(hours=5, minutes=30))
    assert zone_label(AT, india) == "UTC+05:30"
    assert zone_label(AT, timezone(timedelta(0))) == "UTC"
