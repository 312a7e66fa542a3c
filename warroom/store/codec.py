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

Opening an incident reads :data:`FAST_COLUMNS` with :func:`decode_log_fast` first:
the same rows in two cells fewer. Cells are what a read costs: the ``sqlite3``
module releases and retakes the GIL around every cell's type check and SQLite takes
its connection mutex for every column call (together about a fifth of a 100k-event
read, measured with callgrind). The event ids are not read but inferred from the id
span, and the key flag and the payload share one cell in which the commonest case (a
plain note) is a small integer. Anything that path cannot vouch for (a gap in the
ids, an odd value, a bad row) makes it give up, and the caller reads
:data:`EVENT_COLUMNS` with :func:`decode_log`, the reference path, which names a bad
row.
"""

from __future__ import annotations

import gc
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import Event, EventData, NewEvent, NoteData
from warroom.store.errors import StoreError


@cache
def payload_adapter() -> TypeAdapter[EventData]:
    """The validator of stored payloads (the event payloads' discriminated union).

    Built on the first read, not at import: a command that only writes (``new``)
    or reads no payload does not pay for building it.
    """
    return TypeAdapter(EventData)


_parse_ts = datetime.fromisoformat

#: Rows fetched at a time by :func:`decode_log` and :func:`decode_log_fast`. Small
#: enough that a chunk's raw rows (about 450 bytes each) stay in a core's L2 cache
#: while they are turned into columns: 512 reads a 100k-event incident ~20% faster
#: than 4096 here.
CHUNK_ROWS = 512

#: The columns :func:`decode_rows` expects, in order.
EVENT_COLUMNS = "seq, occurred_at, recorded_at, author, text, key, data"

#: A plain note's payload as :func:`encode` stores it: what most events carry.
NOTE_JSON = NoteData().model_dump_json()

#: The columns :func:`decode_log_fast` reads (bind ``:note`` to :data:`NOTE_JSON`).
#:
#: The last cell holds the key flag and the payload: ``0``/``1`` for a plain note
#: whose key is 0/1, else ``'0'``/``'1'`` followed by the payload JSON, and NULL when
#: the key is not the integer 0 or 1 or the id is not an integer (the row is then
#: left to the reference path). ``key`` and ``seq`` have INTEGER affinity, so a
#: stored value equal to an integer *is* that integer (SQLite stores ``1.0`` and
#: ``'1'`` as ``1``); ``CASE data WHEN :note`` compares bytes (BINARY collation).
FAST_COLUMNS = (
    "occurred_at, recorded_at, author, text, "
    "CASE WHEN seq = CAST(seq AS INTEGER) THEN (CASE key "
    "WHEN 0 THEN (CASE data WHEN :note THEN 0 ELSE '0' || data END) "
    "WHEN 1 THEN (CASE data WHEN :note THEN 1 ELSE '1' || data END) END) END"
)

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
                payload = payloads[data] = payload_adapter().validate_json(data)
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
        payload = self[data] = payload_adapter().validate_json(data)
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
    try:
        # ORDER BY seq over the (incident_id, seq) primary key: the ids rise strictly.
        return EventLog.from_columns(
            ids, occurred, recorded, authors, texts, keys, data, rising_ids=True
        )
    except TypeError as exc:  # instants without a zone beside ones with it: unordered
        raise StoreError(
            f"incident {incident_id} cannot be read ({exc}); the database may be damaged"
        ) from None


class _Interned(dict[Any, Any]):
    """Each distinct value -> its first copy, so that equal authors share one string."""

    def __missing__(self, value: Any) -> Any:
        self[value] = value
        return value


class _NotFast(Exception):
    """A row :func:`decode_log_fast` leaves to the reference path."""


class _KeyOf(dict[Any, int]):
    """The key flag of a :data:`FAST_COLUMNS` key-and-payload cell."""

    def __init__(self) -> None:
        super().__init__({0: 0, 1: 1})

    def __missing__(self, cell: Any) -> int:
        if not isinstance(cell, str):
            raise _NotFast
        key = self[cell] = 1 if cell[0] == "1" else 0
        return key


class _PayloadOf(dict[Any, Any]):
    """The validated payload of a :data:`FAST_COLUMNS` key-and-payload cell."""

    def __init__(self, payloads: _Payloads) -> None:
        note = payloads[NOTE_JSON]
        super().__init__({0: note, 1: note})
        self._payloads = payloads

    def __missing__(self, cell: Any) -> Any:
        if not isinstance(cell, str):
            raise _NotFast
        payload = self[cell] = self._payloads[cell[1:]]
        return payload


def decode_log_fast(cursor: sqlite3.Cursor, first: int, last: int) -> EventLog | None:
    """Read a cursor over :data:`FAST_COLUMNS` into an :class:`EventLog`, or give up (``None``).

    The cursor must select the incident's rows with ``0 < seq <= last`` ordered by
    seq, where ``first`` and ``last`` are the least and greatest positive seq read
    before it (in the same connection, so no row below ``last`` appears since: events
    are only appended). The ids are then ``first..last`` exactly when every seq read
    is an integer (the cell is not NULL) and there are ``last - first + 1`` rows, as
    the primary key makes them distinct. ``None`` for anything else: an odd value, a
    bad payload, a database error; the reference path then reads the incident.
    """
    occurred: list[datetime] = []
    recorded: list[datetime] = []
    authors: list[str] = []
    texts: list[str] = []
    keys = bytearray()
    data: list[Any] = []
    payloads = _Payloads()
    parse, intern = _parse_ts, _Interned().__getitem__
    key_of, payload_of = _KeyOf().__getitem__, _PayloadOf(payloads).__getitem__
    try:
        while rows := cursor.fetchmany(CHUNK_ROWS):
            occ, rec, who, what, cells = zip(*rows, strict=True)
            occurred += map(parse, occ)
            recorded += map(parse, rec)
            authors += map(intern, who)
            texts += what
            keys.extend(map(key_of, cells))
            data += map(payload_of, cells)
    except (_NotFast, ValidationError, ValueError, TypeError, sqlite3.Error):
        return None
    if len(texts) != last - first + 1:
        return None
    try:
        return EventLog.from_columns(
            array("q", range(first, last + 1)),
            occurred,
            recorded,
            authors,
            texts,
            keys,
            data,
            rising_ids=True,
        )
    except TypeError:  # instants that cannot be ordered: the reference path reports it
        return None

