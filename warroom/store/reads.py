"""The SQLite store's read path: an incident's events as rows or as an :class:`EventLog`.

:class:`~warroom.store.store.SqliteStore` holds the lock and checks the incident exists;
the functions here only run the queries on the connection it hands over, and pick the
fast decoder (:func:`~warroom.store.codec.decode_log_fast`) when the ids have no gap.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from warroom.domain.eventlog import EventLog
from warroom.store.codec import EVENT_COLUMNS, FAST_COLUMNS, NOTE_JSON, decode_log, decode_log_fast

_SELECT_SINCE = f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq > ? ORDER BY seq"
_SELECT_FAST = (
    f"SELECT {FAST_COLUMNS} FROM events"
    " WHERE incident_id = :incident AND seq > 0 AND seq <= :last ORDER BY seq"
)
#: The least and greatest positive event id of an incident (two primary-key lookups).
_ID_SPAN = (
    "SELECT (SELECT min(seq) FROM events WHERE incident_id = :incident AND seq > 0),"
    " (SELECT max(seq) FROM events WHERE incident_id = :incident AND seq > 0)"
)


def select_since(
    conn: sqlite3.Connection, incident_id: int, last_id: int
) -> list[tuple[Any, ...]]:
    """The raw rows of the incident's events with an id greater than ``last_id``, by id."""
    return conn.execute(_SELECT_SINCE, (incident_id, last_id)).fetchall()


def read_log(conn: sqlite3.Connection, incident_id: int) -> EventLog:
    """Every event of the incident as an :class:`EventLog`, by the fast path when it can.

    The caller holds the store's lock (and pauses the garbage collector); the rows are
    decoded in chunks straight from the cursor.
    """
    # No read transaction is needed between the two queries: rows are only
    # ever appended above the greatest id, so the rows up to ``last`` stay put.
    first, last = conn.execute(_ID_SPAN, {"incident": incident_id}).fetchone()
    if type(first) is int and type(last) is int:
        cursor = conn.execute(
            _SELECT_FAST, {"incident": incident_id, "last": last, "note": NOTE_JSON}
        )
        try:
            log = decode_log_fast(cursor, first, last)
        finally:
            cursor.close()
        if log is not None:
            return log
    cursor = conn.execute(_SELECT_SINCE, (incident_id, 0))
    try:
        return decode_log(cursor, incident_id)
    finally:
        cursor.close()
