"""The SQLite store's connections: opening, vetting an existing file, error translation.

A read-write connection is configured for durability and concurrency (WAL,
``synchronous=FULL``, a busy timeout, foreign keys) and migrates the schema; a
read-only one never writes to the file, not even its ``-shm`` beside a database in a
folder the reader cannot write. Every ``sqlite3`` error becomes one
:class:`~warroom.store.errors.StoreError` line that names the file and what was being
done.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from warroom.store import schema
from warroom.store.errors import NotADatabaseError, StoreBusyError, StoreError, StoreFullError

__all__ = [
    "BUSY_TIMEOUT_S",
    "WAL_SIZE_LIMIT",
    "connect",
    "connect_read_only",
    "translate",
    "vet_existing",
]

#: How long a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_S = 10.0

#: After a checkpoint, the WAL file is truncated back to at most this many bytes.
WAL_SIZE_LIMIT = 16 * 1024 * 1024

# Primary SQLite result codes (extended codes carry them in the low byte).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26


def translate(exc: sqlite3.Error, path: Path, doing: str) -> StoreError:
    """Map an sqlite3 error to a one-line :class:`StoreError`."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    detail = str(exc).replace("\n", " ")
    if primary == _SQLITE_FULL:
        return StoreFullError(
            f"{path}: the disk is full (or the database reached its size limit) while "
            f"{doing}; nothing was written"
        )
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreBusyError(
            f"{path} stayed locked by another process for over {BUSY_TIMEOUT_S:g} s while "
            f"{doing}; nothing was written, try again"
        )
    if primary == _SQLITE_READONLY:
        return StoreError(f"{path} is read-only ({detail}); cannot {doing}")
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return NotADatabaseError(f"{path} is corrupt or not a database ({detail}); refused")
    if primary == _SQLITE_CANTOPEN:
        return StoreError(f"cannot open {path} ({detail}); is its directory writable?")
    if primary == _SQLITE_IOERR:
        return StoreError(f"I/O error on {path} while {doing} ({detail})")
    return StoreError(f"database error on {path} while {doing}: {detail}")


def vet_existing(path: Path) -> None:
    """Check an existing database through a read-only connection that never writes to it.

    On refusal, the empty ``-wal``/``-shm`` files SQLite made for that read-only
    look are removed again if they were not there before.
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in sidecars]
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        raise translate(exc, path, "opening it") from None
    try:
        try:
            schema.inspect(conn, path)
        except sqlite3.Error as exc:
            raise translate(exc, path, "checking it") from None
        finally:
            conn.close()
    except StoreError:
        wal = sidecars[0]
        if not any(existed) and (not wal.exists() or wal.stat().st_size == 0):
            for sidecar in sidecars:
                with contextlib.suppress(OSError):
                    sidecar.unlink()
        raise


def connect_read_only(path: Path, *, threads: bool = False) -> sqlite3.Connection:
    """A connection that can only read ``path`` and never writes to it.

    A write-ahead-log database normally needs its ``-shm`` file, which a reader
    creates if missing; in a folder the reader cannot write, with no ``-wal`` left
    (so no writer is active there), the file is opened as immutable instead.
    """
    uri = f"{path.as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                           check_same_thread=not threads)
    try:
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        wal = path.with_name(path.name + "-wal")
        if os.access(path.parent, os.W_OK) or wal.exists():
            raise
        conn = sqlite3.connect(f"{uri}&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None, check_same_thread=not threads)
    return conn


def connect(path: Path) -> sqlite3.Connection:
    """The store's read-write connection, configured for durability and concurrency."""
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            raise StoreError(f"cannot use write-ahead logging on {path} (journal mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        schema.migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn
