"""Rows to events and back.

Writing goes through the validated domain models. Reading is the hot path (a
100k-event incident must open in well under a second), so rows are turned into
:class:`Event` objects without re-running pydantic on the envelope: the schema's
CHECK constraints already guarantee its shape (fixed-format UTC timestamps,
integer ids, ``key`` in 0/1), and every distinct payload is still validated by
pydantic once per read and shared between the (immutable) events that carry it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from warroom.domain.events import Event, EventData, NewEvent
from warroom.store.errors import StoreError

_PAYLOAD = TypeAdapter(EventData)
_EVENT_FIELDS = frozenset(Event.model_fields)
_set = object.__setattr__
_new = object.__new__
_parse_ts = datetime.fromisoformat

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


def _trusted_event(fields: dict[str, Any]) -> Event:
    """Build an :class:`Event` from checked values (what ``model_construct`` does, faster)."""
    event = _new(Event)
    _set(event, "__dict__", fields)
    _set(event, "__pydantic_fields_set__", _EVENT_FIELDS)
    _set(event, "__pydantic_extra__", None)
    _set(event, "__pydantic_private__", None)
    return event


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
                _trusted_event(
                    {
                        "id": seq,
                        "occurred_at": _parse_ts(occurred),
                        "recorded_at": _parse_ts(recorded),
                        "author": author,
                        "text": text,
                        "key": key == 1,
                        "data": payload,
                    }
                )
            )
    except (ValidationError, ValueError, TypeError) as exc:
        first = str(exc).splitlines()[0]
        raise StoreError(
            f"event {seq} of incident {incident_id} cannot be read ({first}); "
            "the database may be damaged"
        ) from None
    return out
