"""Rows to events and back.

Writing goes through the validated domain models. Reading is the hot path (a
100k-event incident must open in well under a second), so rows are turned into
events without re-running pydantic on the envelope: the schema's CHECK
constraints already guarantee its shape (fixed-format UTC timestamps, integer
ids, ``key`` in 0/1), and every distinct payload is still validated by pydantic
once per read and shared between the (immutable) events that carry it.

:func:`decode_rows` gives :class:`Event` objects (about 1 KB each);
:func:`decode_log` gives an :class:`EventLog` (columns, about 110 bytes per event
plus its text), reading the cursor in chunks so the raw rows of a big incident are
never all in memory at once.
"""

from __future__ import annotations

import gc
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import Event, EventData, NewEvent
from warroom.store.errors import StoreError

_PAYLOAD = TypeAdapter(EventData)
_parse_ts = datetime.fromisoformat

#: Rows fetched at a time by :func:`decode_log`.
CHUNK_ROWS = 4096

#: The columns :func:`decode_rows` expects, in order.
EVENT_COLUMNS = "seq, occurred_at, recorded_at, author, text, key, data"

#: An event row minus incident id, seq and recorded time:
#: (kind, occurred_at, author, text, key, data).
Encoded = tuple[str, str, str, str, int, str]


def ts(value: datetime) -> str:
    """A stored instant: UTC ISO 8601 with microseconds (fixed width, sortable)."""
    if value.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(text: str) -> datetime:
    """The inverse of :func:`ts`."""
    return _parse_ts(text)


def _check_text(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError(
            f"the entry's {what} contains characters that cannot be stored "
            f"(e.g. a lone surrogate at position {exc.start}); nothing was written"
        ) from None


def encode(new: NewEvent | Event) -> Encoded:
    """Everything of an event that does not depend on the write transaction."""
    _check_text(new.author, "author")
    _check_text(new.text, "text")
    try:
        data = new.data.model_dump_json()
        data.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        raise StoreError(
            f"the entry's data cannot be stored ({type(exc).__name__}); nothing was written"
        ) from None
    return (new.kind.value, ts(new.occurred_at), new.author, new.text, int(new.key), data)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects.

    Creating 100k events otherwise triggers dozens of full generation scans for
    objects that hold no cycles; pausing roughly halves the load time. The
    previous state is restored (the collector is process-wide).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decode_rows(rows: Iterable[tuple[Any, ...]], incident_id: int) -> list[Event]:
    """Turn rows of :data:`EVENT_COLUMNS` into events, validating each distinct payload once."""
    payloads: dict[str, Any] = {}
    out: list[Event] = []
    append = out.append
    seq = 0
    try:
        for seq, occurred, recorded, author, text, key, data in rows:
            payload = payloads.get(data)
            if payload is None:
                payload = payloads[data] = _PAYLOAD.validate_json(data)
            append(
                trusted_event(
                    seq, _parse_ts(occurred), _parse_ts(recorded), author, text, key == 1, payload
                )
            )
    except (ValidationError, ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0]
        raise StoreError(
            f"event {seq} of incident {incident_id} cannot be read ({first}); "
            "the database may be damaged"
        ) from None
    return out


class _Payloads(dict[str, Any]):
    """Payload JSON -> validated payload, each distinct one validated once."""

    def __missing__(self, data: str) -> Any:
        payload = self[data] = _PAYLOAD.validate_json(data)
        return payload


def decode_log(cursor: sqlite3.Cursor, incident_id: int) -> EventLog:
    """Read a cursor over :data:`EVENT_COLUMNS` (ordered by seq) into an :class:`EventLog`.

    Rows are fetched :data:`CHUNK_ROWS` at a time and turned into columns; equal
    authors and payloads are shared. A bad row raises the same :class:`StoreError`
    as :func:`decode_rows`, naming the event.
    """
    ids: array[int] = array("q")
    occurred: list[datetime] = []
    recorded: list[datetime] = []
    authors: list[str] = []
    texts: list[str] = []
    keys = bytearray()
    data: list[Any] = []
    names: dict[str, str] = {}
    payloads = _Payloads()
    while rows := cursor.fetchmany(CHUNK_ROWS):
        try:
            seqs, occ, rec, who, what, key, raw = zip(*rows, strict=True)
            ids.extend(seqs)
            occurred.extend(map(_parse_ts, occ))
            recorded.extend(map(_parse_ts, rec))
            authors.extend(map(names.setdefault, who, who))
            texts.extend(what)
            keys.extend(key)
            data.extend(map(payloads.__getitem__, raw))
        except (ValidationError, ValueError, TypeError) as exc:
            decode_rows(rows, incident_id)  # raises, naming the row
            first = str(exc).splitlines()[0]
            raise StoreError(
                f"incident {incident_id} cannot be read ({first}); the database may be damaged"
            ) from None
    # ORDER BY seq over the (incident_id, seq) primary key: the ids rise strictly.
    return EventLog.from_columns(
        ids, occurred, recorded, authors, texts, keys, data, rising_ids=True
    )
