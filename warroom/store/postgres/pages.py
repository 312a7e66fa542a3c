"""Pages on PostgreSQL: the same contract as :mod:`warroom.store.pages`, in one transaction.

The transaction takes a transaction-scoped advisory lock on the alert group first, so
two receivers (or a retry and its first try) recording the same group queue up; then
it re-checks the group's owner and the idempotency keys and writes through the same
``warroom_declare`` / ``warroom_append`` functions as every other write (server author
and time, membership checks).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import psycopg

from warroom.domain.events import DeclaredData, Event
from warroom.store.codec import encode
from warroom.store.pages import PageRequest, PagesWritten, StaleGroupError
from warroom.store.records import IncidentRecord, base_slug

Conn = psycopg.Connection[tuple[Any, ...]]

GROUP_OWNER = (
    "SELECT max(incident_id) FROM events"
    " WHERE kind = 'page' AND (data::jsonb ->> 'group') = %s"
)
_RECORDED_KEYS = (
    "SELECT DISTINCT (data::jsonb ->> 'key') FROM events"
    " WHERE kind = 'page' AND (data::jsonb ->> 'key') = ANY (%s)"
)
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"
_DECLARE = (
    "SELECT o_id, o_slug, o_created, o_author"
    " FROM warroom_declare(%s, %s, %s, %s, %s, %s, %s, %s)"
)
_APPEND = "SELECT o_seq, o_recorded, o_author FROM warroom_append(%s, %s, %s, %s, %s, %s, %s)"
_INCIDENT = "SELECT id, slug, title, created_at FROM incidents WHERE id = %s"


def write_pages(conn: Conn, requests: Sequence[PageRequest]) -> list[PagesWritten]:
    """Do :meth:`Store.append_pages_many` on ``conn`` (autocommit) in one transaction.

    The groups are locked in sorted order, so two writers never wait on each other
    in a cycle.
    """
    with conn.transaction():
        for group in sorted({r.group for r in requests}):
            conn.execute(_LOCK, (f"warroom-page-group:{group}",))
        return [_write_one(conn, request) for request in requests]


def _write_one(conn: Conn, request: PageRequest) -> PagesWritten:
    row = conn.execute(GROUP_OWNER, (request.group,)).fetchone()
    if (row[0] if row else None) != request.owner:
        raise StaleGroupError("another writer recorded a page of this alert group")
    batches = request.batches
    keys = [b.key for b in batches]
    recorded = {r[0] for r in conn.execute(_RECORDED_KEYS, (keys,)).fetchall()}
    news = [n for b in batches if b.key not in recorded for n in b.events]
    duplicates = sum(1 for b in batches if b.key in recorded)
    if not news:
        return PagesWritten(None, [], False, duplicates)
    events: list[Event] = []
    declared = request.declared
    if request.incident_id is None:
        assert declared is not None and isinstance(declared.data, DeclaredData)
        kind, _occurred, _author, text, key, data = encode(declared)
        title = declared.data.title
        base = base_slug(title, declared.occurred_at)
        found = conn.execute(
            _DECLARE, (None, base, title, kind, declared.occurred_at, text, bool(key), data)
        ).fetchone()
        assert found is not None
        record = IncidentRecord(id=found[0], slug=found[1], title=title, created_at=found[2])
        events.append(Event.from_new(declared, id=1, recorded_at=found[2]).model_copy(
            update={"author": found[3]}))
    else:
        found = conn.execute(_INCIDENT, (request.incident_id,)).fetchone()
        if found is None:
            from warroom.store.errors import IncidentNotFoundError

            raise IncidentNotFoundError(f"no incident with id {request.incident_id}")
        record = IncidentRecord(id=found[0], slug=found[1], title=found[2],
                                created_at=found[3])
    encoded = [encode(new) for new in news]
    rows = conn.execute(_APPEND, (
        record.id,
        [e[0] for e in encoded],
        [new.occurred_at for new in news],
        [e[3] for e in encoded],
        [bool(e[4]) for e in encoded],
        [e[5] for e in encoded],
        [uuid.uuid4().hex for _ in encoded],
    )).fetchall()
    rows.sort()
    events += [
        Event.from_new(new, id=seq, recorded_at=recorded).model_copy(update={"author": who})
        for new, (seq, recorded, who) in zip(news, rows, strict=True)
    ]
    return PagesWritten(record, events, request.incident_id is None, duplicates)
