"""SQLite-only store behaviour: the connection's settings, the store's own clock, raw rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.store import SqliteStore, Store, StoreError, codec


def test_open_gives_the_sqlite_backend_for_a_path(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert isinstance(store, SqliteStore) and isinstance(store, Store)
        assert store.location == str(db_path) and store.server_author is None


def test_connection_settings(store: SqliteStore) -> None:
    conn = store._conn
    assert conn is not None
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.isolation_level is None


class _PlusFiveClock:
    """A clock that answers in +05:00 instead of UTC."""

    def now(self) -> datetime:
        return T0.astimezone(timezone(timedelta(hours=5)))


def test_times_from_a_non_utc_clock_are_stored_and_returned_in_utc(db_path: Path) -> None:
    with Store.open(db_path, clock=_PlusFiveClock()) as store:
        record, event = store.create_incident(declared())
        assert event.recorded_at.tzinfo is UTC and record.created_at.tzinfo is UTC
        assert event.recorded_at == T0
        assert store.events(record.id) == [event]


def test_the_author_is_what_the_seat_says(store: SqliteStore) -> None:
    record, event = store.create_incident(declared())
    assert event.author == "alice"
    assert store.append(record.id, note("hi", author="zoe")).author == "zoe"


def test_event_log_names_an_unreadable_row(
    db_path: Path, store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, _ = store.create_incident(declared())
    store.append_many(record.id, [note(f"n{i}") for i in range(6)])
    conn = sqlite3.connect(db_path)
    row = list(conn.execute("SELECT * FROM events WHERE seq = 2").fetchone())
    row[1], row[8] = 8, '{"kind": "note", "unexpected": 1}'
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()
    monkeypatch.setattr(codec, "CHUNK_ROWS", 3)  # the bad row is inside the third chunk
    with pytest.raises(StoreError, match=r"event 8 .* cannot be read"):
        store.event_log(record.id)


