"""The SQLite schema's identity and the queries read before the store is loaded.

Standard library only: :mod:`warroom.store.schema` (the DDL and migrations, used by
:class:`~warroom.store.store.SqliteStore`) and :mod:`warroom.store.peek` (the
console's first-frame reader, which must not import pydantic) both take these
names from here, so there is one schema version, one application id and one
free-slug query.
"""

from __future__ import annotations

import sqlite3

from warroom.domain.slugs import first_free_slug

__all__ = [
    "APPLICATION_ID",
    "INCIDENTS_TABLE",
    "INCIDENT_COLUMNS",
    "SCHEMA_VERSION",
    "SLUG_TAKEN",
    "SQLITE_MAGIC",
    "free_slug",
]

#: The schema version this code writes and understands (``PRAGMA user_version``);
#: :data:`warroom.store.schema.MIGRATIONS` holds one step per version up to it.
SCHEMA_VERSION = 3

#: ``PRAGMA application_id`` of a warroom database ("WRM1"; bytes 68-71 of the header).
APPLICATION_ID = int.from_bytes(b"WRM1", "big")

#: The 16-byte magic string every SQLite 3 database starts with.
SQLITE_MAGIC = b"SQLite format 3\x00"

#: The table of incidents (one row per incident: its identity, not its state).
INCIDENTS_TABLE = "incidents"

#: The columns of an incident row, in the order an ``IncidentRecord`` takes them.
INCIDENT_COLUMNS = "id, slug, title, created_at"

#: Whether a slug is taken (a row, or none).
SLUG_TAKEN = f"SELECT 1 FROM {INCIDENTS_TABLE} WHERE slug = ?"


def free_slug(conn: sqlite3.Connection, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… the first slug no incident of ``conn`` has."""
    return first_free_slug(
        base, lambda slug: conn.execute(SLUG_TAKEN, (slug,)).fetchone() is not None
    )
