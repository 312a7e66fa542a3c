"""Pages in the store: which incident holds an alert group, which idempotency keys exist.

Both are read inside the write transaction of :meth:`Store.append_pages
<warroom.store.store.Store.append_pages>`, so two receivers (or a retry racing the first
try) can never record the same page twice or declare two incidents for one group.

The keys live in the page entries themselves (``data.key`` and ``data.group`` of each
*page* event): no second table to keep in step. Two partial expression indexes (schema
version 2) make each lookup one index search.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from warroom.domain.events import Event, NewEvent
from warroom.store.errors import StoreError
from warroom.store.records import IncidentRecord

#: Both queries match the partial indexes of schema version 2 (same expressions, same
#: ``kind = 'page'``), so each is one index search.
_GROUP_OWNER = (
    "SELECT max(incident_id) FROM events"
    " WHERE kind = 'page' AND json_extract(data, '$.group') = ?"
)
_RECORDED_KEYS = (
    "SELECT DISTINCT json_extract(data, '$.key') FROM events"
    " WHERE kind = 'page' AND json_extract(data, '$.key') IN (SELECT value FROM json_each(?))"
)


class StaleGroupError(StoreError):
    """Another writer recorded a page of the group meanwhile; plan again and retry."""


class PageBatch(NamedTuple):
    """Entries written together or not at all, under one idempotency key."""

    key: str
    events: Sequence[NewEvent]


class PageRequest(NamedTuple):
    """One notification's write: its batches, its alert group and where they go.

    ``incident_id`` None means a new incident declared by ``declared``; ``owner`` is the
    incident the caller saw holding ``group`` when it planned the batches.
    """

    batches: Sequence[PageBatch]
    group: str
    owner: int | None
    incident_id: int | None = None
    declared: NewEvent | None = None

    def check(self) -> None:
        """Refuse a request that names neither an incident nor a declaration."""
        from warroom.domain.events import DeclaredData

        data = getattr(self.declared, "data", None)
        if self.incident_id is None and not isinstance(data, DeclaredData):
            raise ValueError("a page request needs an incident id or a declared event")


class PagesWritten(NamedTuple):
    """What :meth:`Store.append_pages` did."""

    #: The incident written to (None when every batch was already recorded).
    record: IncidentRecord | None
    #: The events written, in id order (empty for a replay).
    events: list[Event]
    #: Whether the incident was declared by this write.
    created: bool
    #: How many batches were skipped because their key was already recorded.
    duplicates: int


def group_owner(conn: sqlite3.Connection, group: str) -> int | None:
    """The latest incident holding a page of alert group ``group``."""
    row = conn.execute(_GROUP_OWNER, (group,)).fetchone()
    return row[0] if row and row[0] is not None else None


def recorded_keys(conn: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` some page entry already holds."""
    if not keys:
        return set()
    rows = conn.execute(_RECORDED_KEYS, (json.dumps(list(keys)),)).fetchall()
    return {row[0] for row in rows}
