"""The SQLite store's append path: the clock it stamps with, unknown incidents, batches."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentNotFoundError, Store, StoreError


class _ZonedClock:
    """A clock that answers in a non-UTC zone (as a system clock might)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def test_a_clock_without_a_zone_is_refused_and_nothing_is_written(db_path: Path) -> None:
    with Store.open(db_path, clock=FrozenTime(T0)) as store:
        record, _ = store.create_incident(declared())
    naive = _ZonedClock(T0.replace(tzinfo=None))
    with Store.open(db_path, clock=naive) as store:
        with pytest.raises(ValueError, match=r"^the clock must return timezone-aware instants$"):
            store.append(record.id, note("never stored"))
        assert [e.id for e in store.events(record.id)] == [1]


def test_recorded_times_are_stored_in_utc_whatever_the_clocks_zone(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # a local zone that is not UTC either
    time.tzset()
    try:
        _check_utc_stamp(db_path)
    finally:
        monkeypatch.undo()
        time.tzset()


def _check_utc_stamp(db_path: Path) -> None:
    berlin_winter = timezone(timedelta(hours=1))
    clock = _ZonedClock(datetime(2026, 11, 27, 15, 30, tzinfo=berlin_winter))
    with Store.open(db_path, clock=clock) as store:
        record, _ = store.create_incident(declared())
        written = store.append(record.id, note("stamped"))
        assert written.recorded_at == datetime(2026, 11, 27, 14, 30, tzinfo=UTC)
        assert written.recorded_at.utcoffset() == timedelta(0)
        assert store.events(record.id)[-1] == written


def test_appending_to_an_unknown_incident_names_it(store: Store) -> None:
    with pytest.raises(IncidentNotFoundError, match="no incident with id 42"):
        store.append(42, note("lost"))
    with pytest.raises(IncidentNotFoundError, match="no incident with id 42"):
        store.append_many(42, [note("lost"), note("too")])


def test_a_batch_is_stamped_once_and_read_back_as_written(store: Store) -> None:
    record, _ = store.create_incident(declared())
    batch = store.append_many(record.id, [note("a", 2), note("b", 3), note("c", 4)])
    assert [e.text for e in batch] == ["a", "b", "c"]
    assert {e.recorded_at for e in batch} == {T0}
    assert store.events(record.id)[1:] == batch
    assert store.append_many(record.id, []) == []
    assert store.last_event_id(record.id) == 4


def test_a_database_error_while_appending_says_what_was_being_done(store: Store) -> None:
    record, _ = store.create_incident(declared())
    with sqlite3.connect(store.path) as other:  # the events table goes missing under it
        other.execute("DROP TABLE events")
    with pytest.raises(StoreError, match="while appending to the incident: no such table"):
        store.append(record.id, note("lost"))


def test_an_idempotency_key_is_refused_in_a_batch(store: Store) -> None:
    record, _ = store.create_incident(declared())
    keyed = note("alert fired").model_copy(update={"once": "alert-42"})
    with pytest.raises(ValueError) as info:
        store.append_many(record.id, [keyed, note("another")])
    assert str(info.value) == "an event with an idempotency key is appended on its own"
    assert store.last_event_id(record.id) == 1
