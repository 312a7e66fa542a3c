"""The fast timestamp formatters agree with isoformat and pydantic for every aware datetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pydantic_core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warroom.domain import timefmt
from warroom.domain.timefmt import json_instant, stamp_utc, utc_seconds

ZONES = [
    UTC,
    timezone(timedelta(0), "GMT"),  # offset 0, not the UTC singleton
    pydantic_core.TzInfo(0),  # what pydantic gives when it parses "...Z"
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=-9, minutes=-15, seconds=-7)),
    ZoneInfo("Europe/Paris"),
    ZoneInfo("America/St_Johns"),
    ZoneInfo("Pacific/Kiritimati"),
    ZoneInfo("Europe/London"),  # offset 0 in winter: not UTC, but pydantic writes "Z"
]

#: Aware datetimes whose UTC conversion stays within datetime's range.
aware = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.sampled_from(ZONES)
)


def reference_seconds(at: datetime) -> str:
    """What the exports wrote before :func:`utc_seconds`."""
    return at.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19]


@settings(max_examples=500, deadline=None)
@given(aware)
def test_utc_seconds_is_isoformat_of_the_instant_in_utc(at: datetime) -> None:
    assert utc_seconds(at) == reference_seconds(at)
    assert stamp_utc(at) == reference_seconds(at) + " UTC"


@settings(max_examples=500, deadline=None)
@given(aware)
def test_json_instant_is_what_pydantic_writes(at: datetime) -> None:
    assert json_instant(at) == pydantic_core.to_json(at).decode()[1:-1]


@pytest.mark.parametrize(
    ("at", "seconds", "json"),
    [
        (datetime(2026, 11, 27, 14, 2, 10, tzinfo=UTC), "2026-11-27 14:02:10",
         "2026-11-27T14:02:10Z"),
        (datetime(2026, 11, 27, 23, 59, 59, 999_999, tzinfo=UTC), "2026-11-27 23:59:59",
         "2026-11-27T23:59:59.999999Z"),
        (datetime(2026, 11, 28, 0, 30, 0, 120, tzinfo=ZoneInfo("Europe/Paris")),
         "2026-11-27 23:30:00", "2026-11-28T00:30:00.000120+01:00"),
        (datetime(1969, 12, 31, 23, 59, 59, 1, tzinfo=UTC), "1969-12-31 23:59:59",
         "1969-12-31T23:59:59.000001Z"),
        (datetime(9, 3, 4, 5, 6, 7, tzinfo=UTC), "0009-03-04 05:06:07", "0009-03-04T05:06:07Z"),
    ],
)
def test_examples(at: datetime, seconds: str, json: str) -> None:
    assert utc_seconds(at) == seconds
    assert json_instant(at) == json


def test_a_naive_datetime_is_refused_by_utc_seconds() -> None:
    with pytest.raises(TypeError):
        utc_seconds(datetime(2026, 11, 27, 14, 0))


def test_the_day_cache_is_bounded_and_stays_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timefmt._Days, "LIMIT", 3)
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(10):
        at = start + timedelta(days=day, seconds=day)
        assert utc_seconds(at) == reference_seconds(at)
        assert json_instant(at) == pydantic_core.to_json(at).decode()[1:-1]
        assert len(timefmt._DAYS_SPACE) <= 3 and len(timefmt._DAYS_T) <= 3
