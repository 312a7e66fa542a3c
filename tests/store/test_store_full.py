"""A full disk (simulated with PRAGMA max_page_count): clear error, nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from warroom.store import Store, StoreFullError


def _fill_to_limit(store: Store) -> None:
    """Cap the database at its current size (the pragma is per connection)."""
    conn = store._conn
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_append_is_refused_and_earlier_record_intact(db_path: Path) -> None:
    with Store.open(db_path) as store:
        record, _ = store.create_incident(declared())
        before = store.events(record.id) + store.append_many(
            record.id, [note(f"n{i}") for i in range(20)]
        )
        _fill_to_limit(store)
        with pytest.raises(StoreFullError, match=r"disk is full.*nothing was written") as info:
            store.append_many(record.id, [note("small"), note("big " + "x" * 200_000)])
        assert "\n" not in str(info.value)
        assert store.events(record.id) == before
        with pytest.raises(StoreFullError):
            store.create_incident(declared("Another " + "t" * 200_000))
        assert len(store.incidents()) == 1
        # Space comes back: the store keeps working on the same connection.
        assert store._conn is not None
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        assert store.append(record.id, note("after")).id == len(before) + 1
    with Store.open(db_path) as again:
        assert again.events(record.id)[: len(before)] == before
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
