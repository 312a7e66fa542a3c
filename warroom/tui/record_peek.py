"""One incident's row read with the standard library only, for the war room's first frame.

The war room's first frame needs the incident's title, id and slug, nothing else.
Reading them through :class:`warroom.store.Store` would import pydantic and the
domain models first (a few hundred milliseconds); :func:`peek_incident` reads the
row with :mod:`sqlite3` on a read-only connection instead. The store is opened
(and the file vetted) right after, in the war room's worker, which replaces the
peeked row with the store's :class:`~warroom.store.IncidentRecord`.

Only a file whose header says "SQLite 3, application warroom" is opened — or, while
its header page is still in the write-ahead log (a fresh database), one whose
``-wal`` file exists already — so a foreign or damaged file is left to the store,
which refuses it untouched, and the peek never creates a file next to it. Anything
unexpected (no file, no such incident, another schema) gives ``None``: the caller
then takes the ordinary path through the store, which reports the problem.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

__all__ = ["RecordPeek", "peek_incident"]

#: The first 16 bytes of every SQLite 3 database.
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of a warroom database, as stored at offset 68 of the header.
_WARROOM_ID = b"WRM1"
_NO_ID = b"\x00\x00\x00\x00"


@dataclass(frozen=True, slots=True)
class RecordPeek:
    """The incident's row as read by :func:`peek_incident` (the fields of an IncidentRecord)."""

    id: int
    slug: str
    title: str
    created_at: datetime


def _is_id(ref: str) -> bool:
    """Whether ``ref`` names an incident by id (ASCII digits only, as the store reads it)."""
    return bool(ref) and all("0" <= c <= "9" for c in ref)


def peek_incident(db_path: Path, ref: str | int) -> RecordPeek | None:
    """The incident ``ref`` (an id or a slug) of the database at ``db_path``, or ``None``."""
    if isinstance(ref, bool):
        return None
    text = ref if isinstance(ref, int) else str(ref).strip()
    if isinstance(text, int) or _is_id(text):
        query, arg = "id = ?", int(text)
    else:
        query, arg = "slug = ?", text
    try:
        with open(db_path, "rb") as file:
            header = file.read(100)
        if header[:16] != _SQLITE_MAGIC:
            return None
        if header[68:72] != _WARROOM_ID and not (
            header[68:72] == _NO_ID and Path(f"{db_path}-wal").is_file()
        ):
            return None
        uri = f"file:{quote(str(db_path))}?mode=ro"
        # A short wait: a busy file is left to the ordinary path.
        conn = sqlite3.connect(uri, uri=True, timeout=0.25, isolation_level=None,
                               check_same_thread=False)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != int.from_bytes(_WARROOM_ID, "big"):
                return None
            row = conn.execute(
                f"SELECT id, slug, title, created_at FROM incidents WHERE {query}", (arg,)
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
