"""PostgreSQL rows to events: the server hands over typed values (aware datetimes, booleans).

The same checks as the SQLite codec: each distinct payload is validated by pydantic
once per read and shared; a bad row names the event.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import Event, NoteData
from warroom.store.codec import payload_adapter
from warroom.store.errors import StoreError

#: A plain note's payload as stored: what most events carry.
NOTE_JSON = NoteData().model_dump_json()


class _Payloads(dict[str, Any]):
    """Payload JSON -> validated payload, each distinct one validated once."""

    def __missing__(self, data: str) -> Any:
        payload = self[data] = payload_adapter().validate_json(data)
        return payload


def _utc(value: datetime) -> datetime:
    if value.tzinfo is UTC:
        return value
    if value.tzinfo is None:
        raise ValueError("a stored instant has no time zone")
    return value.astimezone(UTC)


def _damaged(incident_id: int, seq: object, exc: Exception) -> StoreError:
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StoreError(
        f"event {seq} of incident {incident_id} cannot be read ({first}); "
        "the database may be damaged"
    )


def decode_events(rows: Iterable[Sequence[Any]], incident_id: int) -> list[Event]:
    """Rows of ``seq, occurred_at, recorded_at, author, text, key, data`` as events."""
    payloads = _Payloads()
    out: list[Event] = []
    seq: Any = None
    try:
        for seq, occurred, recorded, author, text, key, data in rows:
            payload = payloads[data if data is not None else NOTE_JSON]
            out.append(trusted_event(int(seq), _utc(occurred), _utc(recorded), author, text,
                                     bool(key), payload))
    except (ValidationError, ValueError, TypeError, AttributeError) as exc:
        raise _damaged(incident_id, seq, exc) from None
    return out


def decode_log(rows: Sequence[Sequence[Any]], incident_id: int) -> EventLog:
    """Rows as above, ordered by seq, into an :class:`EventLog` (columns, shared values).

    A ``data`` cell may be ``None`` for a plain note's payload (:data:`NOTE_JSON`: what
    most events carry, so the query leaves it out). The instants come in UTC (the
    store's connections run in UTC); a row that does not is decoded one by one.
    """
    if not rows:
        return EventLog()
    payloads = _Payloads()
    payloads[None] = payloads[NOTE_JSON]  # type: ignore[index]
    names: dict[str, str] = {}
    try:
        seqs, occ, rec, who, texts, keys, raw = zip(*rows, strict=True)
        occurred = list(occ)
        recorded = list(rec)
        if occurred[0].tzinfo is not UTC or recorded[0].tzinfo is not UTC:
            occurred = [_utc(t) for t in occurred]
            recorded = [_utc(t) for t in recorded]
        authors = list(map(names.setdefault, who, who))
        data = list(map(payloads.__getitem__, raw))
        flags = bytearray(keys)
    except (ValidationError, ValueError, TypeError, AttributeError) as exc:
        decode_events(rows, incident_id)  # raises, naming the row
        raise _damaged(incident_id, "?", exc) from None
    return EventLog.from_columns(
        array("q", seqs), occurred, recorded, authors, list(texts), flags, data,
        rising_ids=True,
    )
