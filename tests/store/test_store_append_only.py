"""The events table is append-only, enforced by SQLite triggers and by the code."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

import warroom.store
from tests.support.entries import declared, note
from warroom.store import Store, StoreError


@pytest.fixture
def filled(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        record, _ = store.create_incident(declared())
        store.append(record.id, note("original"))
    return db_path


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("UPDATE events SET text = 'rewritten' WHERE seq = 2", "UPDATE is not allowed"),
        ("DELETE FROM events WHERE seq = 2", "DELETE is not allowed"),
        ("DELETE FROM events", "DELETE is not allowed"),
        ("DELETE FROM incidents", "incidents cannot be deleted"),
    ],
)
def test_triggers_abort_updates_and_deletes(filled: Path, statement: str, message: str) -> None:
    conn = sqlite3.connect(filled)
    with pytest.raises(sqlite3.IntegrityError, match=message):
        conn.execute(statement)
    conn.close()
    with Store.open(filled) as store:
        assert [e.text for e in store.events(1)] == ["", "original"]


def test_duplicate_id_is_rejected_by_the_schema(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    row = conn.execute("SELECT * FROM events WHERE seq = 2").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    conn.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("occurred_at", "2026-11-27 14:00"),
        ("recorded_at", "2026-11-27T14:00:00.000000+01:00"),
        ("key", 2),
        ("data", '{"kind": "decision"}'),
        ("data", "not json"),
    ],
)
def test_schema_checks_reject_malformed_rows(filled: Path, column: str, value: object) -> None:
    conn = sqlite3.connect(filled)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM events WHERE seq = 2").fetchone())
    row.update(seq=3, **{column: value})
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            f"INSERT INTO events ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    conn.close()


def test_unreadable_payload_is_a_store_error(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    row = list(conn.execute("SELECT * FROM events WHERE seq = 2").fetchone())
    row[1], row[8] = 3, '{"kind": "note", "unexpected": 1}'
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()
    with Store.open(filled) as store, pytest.raises(StoreError, match=r"event 3 .* cannot be read"):
        store.events(1)


def test_store_code_has_no_update_or_delete_of_events() -> None:
    package = Path(warroom.store.__file__).parent
    pattern = re.compile(r"\b(UPDATE\s+events|DELETE\s+FROM\s+events)\b", re.IGNORECASE)
    offenders = [
        f"{path.name}: {match.group(0)}"
        for path in package.glob("*.py")
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []
