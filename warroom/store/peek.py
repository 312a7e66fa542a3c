"""Incident rows read with the standard library only, for the console's first frame.

The war room's first frame needs the incident's title, id and slug, nothing else;
the incident list's first frame needs nothing from the database at all, only the
knowledge that the store will open it. Reading through :class:`warroom.store.Store`
would import pydantic and the domain models first (a few hundred milliseconds);
the functions here read the file with :mod:`sqlite3` on a read-only connection
instead, with the schema's version, application id and queries from
:mod:`warroom.store.schema_constants` (standard library only, shared with the store).
The store is opened (and the file vetted) right after, in a worker, and replaces
what was peeked.

Only a file whose header says "SQLite 3, application warroom" is opened — or, while
its header page is still in the write-ahead log (a fresh database), one whose
``-wal`` file exists already — so a foreign or damaged file is left to the store,
which refuses it untouched, and a peek never creates a file next to it. So is a
file the store would refuse at once: one it cannot write (or whose folder it cannot
write), or one of another schema version. Anything unexpected (no file, no such
incident, another schema) gives ``None`` (or ``False``): the caller then takes the
ordinary path through the store, which reports the problem in one line.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from warroom.domain.slugs import is_id_ref
from warroom.store.schema_constants import (
    APPLICATION_ID,
    INCIDENT_COLUMNS,
    INCIDENTS_TABLE,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    free_slug,
)

__all__ = ["RecordPeek", "database_ready", "peek_incident", "peek_new_incident"]

#: The application id as bytes 68-71 of the header hold it (big-endian).
_WARROOM_ID = APPLICATION_ID.to_bytes(4, "big")
_NO_ID = bytes(4)


@dataclass(frozen=True, slots=True)
class RecordPeek:
    """The incident's row as read by :func:`peek_incident` (the fields of an IncidentRecord)."""

    id: int
    slug: str
    title: str
    created_at: datetime


def _connect(db_path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a warroom database the store would open as it is, or ``None``.

    May raise (``sqlite3.Error``, ``OSError``…) on a strange file: callers turn that
    into their "no" too.
    """
    path = Path(db_path)
    if not path.is_file():
        return None
    with open(path, "rb") as file:
        header = file.read(100)
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    fresh = header[68:72] == _NO_ID and Path(f"{path}-wal").is_file()
    if header[:16] != SQLITE_MAGIC or not writable or (
        header[68:72] != _WARROOM_ID and not fresh
    ):
        return None
    uri = f"file:{quote(str(path))}?mode=ro"
    # A short wait: a busy file is left to the ordinary path.
    conn = sqlite3.connect(uri, uri=True, timeout=0.25, isolation_level=None,
                           check_same_thread=False)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise
    if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
        conn.close()
        return None
    return conn


def database_ready(db_path: Path) -> bool:
    """Whether the store will most likely open ``db_path`` as it is (a quick look, no pydantic).

    True for an existing, writable warroom database of this schema version whose
    incidents can be read; its integrity is still checked by the store when it opens.
    """
    try:
        conn = _connect(db_path)
        if conn is None:
            return False
        try:
            conn.execute(f"SELECT count(*) FROM {INCIDENTS_TABLE}").fetchone()
        finally:
            conn.close()
    except Exception:  # best effort: anything odd goes the ordinary way
        return False
    return True


def peek_new_incident(db_path: Path, base_slug: str) -> tuple[int, str] | None:
    """The id and the free slug (``base_slug``, ``base_slug-2``…) the next incident would get.

    For a database that does not exist yet (in a writable folder): ``(1, base_slug)``.
    ``None`` when the file is anything but a database the store would open as it is.
    Another process may declare an incident meanwhile: whoever imports must check.
    """
    path = Path(db_path)
    try:
        if not os.path.lexists(path):
            folder = path.parent
            if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK):
                return 1, base_slug
            return None
        conn = _connect(path)
        if conn is None:
            return None
        try:
            last = conn.execute(f"SELECT max(id) FROM {INCIDENTS_TABLE}").fetchone()[0]
            slug = free_slug(conn, base_slug)
        finally:
            conn.close()
    except Exception:  # best effort: anything odd goes the ordinary way
        return None
    return (last or 0) + 1, slug


def peek_incident(db_path: Path, ref: str | int) -> RecordPeek | None:
    """The incident ``ref`` (an id or a slug) of the database at ``db_path``, or ``None``."""
    if isinstance(ref, bool):
        return None
    text = ref if isinstance(ref, int) else str(ref).strip()
    arg: int | str
    if isinstance(text, int) or is_id_ref(text):
        query, arg = "id = ?", int(text)
    else:
        query, arg = "slug = ?", text
    try:
        conn = _connect(db_path)
        if conn is None:
            return None
        try:
            row = conn.execute(
                f"SELECT {INCIDENT_COLUMNS} FROM {INCIDENTS_TABLE} WHERE {query}", (arg,)
            ).fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        ident, slug, title, created = row
        if not (isinstance(ident, int) and isinstance(slug, str) and isinstance(title, str)):
            return None
        return RecordPeek(ident, slug, title, datetime.fromisoformat(created))
    except Exception:  # best effort: anything odd goes the ordinary way
        return None
