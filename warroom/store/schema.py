"""The database schema: DDL, forward migrations and the file-header checks.

The schema version lives in ``PRAGMA user_version``; ``PRAGMA application_id``
marks the file as a warroom database. :data:`MIGRATIONS` is an ordered list of
forward steps; a database whose version is newer than :data:`SCHEMA_VERSION` is
refused untouched.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from warroom.store.errors import NotADatabaseError, SchemaTooNewError
from warroom.store.schema_constants import (
    APPLICATION_ID,
    INCIDENTS_TABLE,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
)

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "Migration",
    "check_header",
    "inspect",
    "migrate",
    "too_new_message",
]

#: A stored instant: UTC ISO 8601 with microseconds, e.g. ``2026-11-27T14:00:00.000000+00:00``.
#: Fixed width, so text order is time order.
_TS_GLOB = (
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
    ".[0-9][0-9][0-9][0-9][0-9][0-9]+00:00'"
)


@dataclass(frozen=True)
class Migration:
    """One forward step of the schema: run ``statements`` to go to ``version``."""

    version: int
    description: str
    statements: tuple[str, ...]


_V1 = (
    f"""
    CREATE TABLE incidents (
        id          INTEGER PRIMARY KEY,
        slug        TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL,
        created_at  TEXT NOT NULL CHECK (created_at GLOB {_TS_GLOB})
    )
    """,
    f"""
    CREATE TABLE events (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        seq         INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq >= 1),
        kind        TEXT NOT NULL,
        occurred_at TEXT NOT NULL CHECK (occurred_at GLOB {_TS_GLOB}),
        recorded_at TEXT NOT NULL CHECK (recorded_at GLOB {_TS_GLOB}),
        author      TEXT NOT NULL,
        text        TEXT NOT NULL,
        key         INTEGER NOT NULL CHECK (key IN (0, 1)),
        data        TEXT NOT NULL CHECK (json_valid(data) AND json_extract(data, '$.kind') = kind),
        PRIMARY KEY (incident_id, seq)  -- unique per incident; the clustered order
    ) WITHOUT ROWID
    """,
    "CREATE INDEX events_by_kind ON events (incident_id, kind)",
    """
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed'); END
    """,
    """
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed'); END
    """,
    """
    CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
    BEGIN SELECT RAISE(ABORT, 'incidents cannot be deleted'); END
    """,
)

#: Entries written with ``log --once KEY``: the key, checked inside the append.
_V3 = (
    """
    CREATE TABLE once_keys (
        incident_id INTEGER NOT NULL,
        key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        seq         INTEGER NOT NULL,
        PRIMARY KEY (incident_id, key),  -- one entry per key and incident
        FOREIGN KEY (incident_id, seq) REFERENCES events (incident_id, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER once_keys_no_update BEFORE UPDATE ON once_keys
    BEGIN SELECT RAISE(ABORT, 'once keys are append-only: UPDATE is not allowed'); END
    """,
    """
    CREATE TRIGGER once_keys_no_delete BEFORE DELETE ON once_keys
    BEGIN SELECT RAISE(ABORT, 'once keys are append-only: DELETE is not allowed'); END
    """,
)

#: Page entries (alerts received) are looked up by alert group and by idempotency key
#: inside the write transaction (``warroom/store/pages.py``): partial indexes keep that
#: one index probe however many pages the database holds.
_V2 = (
    "CREATE INDEX events_page_group ON events (json_extract(data, '$.group'), incident_id)"
    " WHERE kind = 'page'",
    "CREATE INDEX events_page_key ON events (json_extract(data, '$.key')) WHERE kind = 'page'",
)

#: Every schema step, oldest first; version N is reached by running steps 1..N.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "incidents and append-only events", _V1),
    Migration(2, "indexes on page entries (alert group, idempotency key)", _V2),
    Migration(3, "idempotency keys of entries written with 'log --once'", _V3),
)

if [m.version for m in MIGRATIONS] != list(range(1, SCHEMA_VERSION + 1)):
    # A step added without raising SCHEMA_VERSION (or the reverse): fail on import.
    raise RuntimeError("MIGRATIONS must hold one step per version up to SCHEMA_VERSION")


def too_new_message(path: Path, version: int) -> str:
    """The one-line refusal for a database from a newer warroom."""
    return (
        f"{path} was written by a newer warroom (schema version {version}, this one "
        f"understands up to {SCHEMA_VERSION}); upgrade warroom to open it. "
        "The file was not changed."
    )


#: How many times :func:`check_header` looks again at a file that seems cut short.
_TRUNCATION_LOOKS = 5


def _look(path: Path) -> tuple[int, bytes]:
    """The file's size and its first 100 bytes (the SQLite header).

    Opened without blocking and checked on the open descriptor, so a FIFO or a
    device swapped in for the file is refused instead of read.
    """
    extra = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    with open(path, "rb", opener=lambda name, flags: os.open(name, flags | extra)) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotADatabaseError(f"{path} is not a regular file; refused")
        header = handle.read(100)
    return info.st_size, header


def _wal_pending(path: Path) -> bool:
    """Whether a non-empty ``-wal`` file sits beside ``path``."""
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 0
    except FileNotFoundError:
        return False


def _cut_short(size: int, header: bytes, page_size: int) -> int | None:
    """The size the header claims when it is larger than ``size`` (else ``None``)."""
    pages = int.from_bytes(header[28:32], "big")
    pages_valid = header[24:28] == header[92:96]
    if pages_valid and pages * page_size > size:
        return pages * page_size
    return None


def check_header(path: Path) -> bool:
    """Check the raw file header before SQLite touches the file.

    Returns True if the file is empty (a new database to initialise). Raises
    :class:`NotADatabaseError` for a non-SQLite, truncated or foreign file and
    :class:`SchemaTooNewError` for a newer schema (as far as the header tells).

    Another process may be checkpointing the file meanwhile: SQLite writes page 1
    (with the new page count) before the pages that grow the file, and the last
    connection to close then deletes the WAL. A look in between sees a header larger
    than the file and no WAL, so "truncated" is said only when a second look finds
    the file unchanged (a file really cut short does not move; one being checkpointed
    has grown by then).
    """
    size, header = _look(path)
    if size == 0:
        return True
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotADatabaseError(f"{path} is not a warroom database (not an SQLite file); refused")
    page_size = int.from_bytes(header[16:18], "big")
    if page_size == 1:
        page_size = 65536
    if page_size < 512 or page_size & (page_size - 1):
        raise NotADatabaseError(f"{path} has a corrupt SQLite header; refused")
    if size % page_size:
        raise NotADatabaseError(f"{path} is truncated (not a whole number of pages); refused")
    for _ in range(_TRUNCATION_LOOKS):
        claimed = _cut_short(size, header, page_size)
        if claimed is None or _wal_pending(path):
            break
        again = _look(path)
        if again == (size, header):
            raise NotADatabaseError(
                f"{path} is truncated ({size} bytes, its header says {claimed}); refused"
            )
        size, header = again  # the file moved under us: judge the newer look
    version = int.from_bytes(header[60:64], "big")
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(too_new_message(path, version))
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise NotADatabaseError(f"{path} is an SQLite database of another program; refused")
    return False


def inspect(conn: sqlite3.Connection, path: Path) -> None:
    """Vet an existing database through a read-only connection.

    Runs ``PRAGMA quick_check`` and checks the schema version and owner; raises
    :class:`NotADatabaseError` or :class:`SchemaTooNewError` on refusal.
    """
    result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if result != ["ok"]:
        raise NotADatabaseError(f"{path} is corrupt ({result[0]}); refused")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(too_new_message(path, version))
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table'"
        )}
        if version < 1 or not {INCIDENTS_TABLE, "events"} <= tables:
            raise NotADatabaseError(
                f"{path} has a warroom header but not its tables; refused (it was not changed)"
            )
        return
    objects = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if app_id != 0 or version != 0 or objects:
        raise NotADatabaseError(f"{path} is an SQLite database of another program; refused")


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION` in one ``BEGIN IMMEDIATE`` transaction.

    Returns the version found. Safe when several processes open a new file at
    once: the write lock serialises them and the version is re-read inside it.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(too_new_message(path, version))
        if version < SCHEMA_VERSION:
            for migration in MIGRATIONS:
                if migration.version > version:
                    for statement in migration.statements:
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        else:
            conn.execute("ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version
