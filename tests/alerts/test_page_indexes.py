"""SQLite: the page lookups are index searches, and a version-1 database gains the indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from warroom.store import SCHEMA_VERSION, Store
from warroom.store import pages as page_queries
from warroom.store.schema import MIGRATIONS


def _plan(conn: sqlite3.Connection, query: str, arg: str) -> str:
    return " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}", (arg,)))


def test_the_page_lookups_use_the_partial_indexes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        owner = _plan(conn, page_queries._GROUP_OWNER, "g")
        keys = _plan(conn, page_queries._RECORDED_KEYS, '["k"]')
    assert "USING INDEX events_page_group" in owner
    assert "USING INDEX events_page_key" in keys


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {int.from_bytes(b'WRM1', 'big')}")
    conn.close()
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
    assert {"events_page_group", "events_page_key"} <= names
