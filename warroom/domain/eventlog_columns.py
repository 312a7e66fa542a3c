"""What an :class:`~warroom.domain.eventlog.EventLog` is made of, and its column helpers.

:func:`trusted_event` builds an :class:`~warroom.domain.events.Event` from values
already checked (the log's columns, the store's rows) without validating again;
:data:`EventRow` and :class:`LogColumns` are the shapes the log hands out; the
rest are the small passes over its columns (rising ids, the id index, the common
payload a kind scan sweeps past).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence, Set
from datetime import datetime
from itertools import islice
from operator import itemgetter, lt
from typing import NamedTuple, TypeAlias

from warroom.domain.events import Event, EventData, EventKind

__all__ = [
    "SAMPLE",
    "SWEEPS",
    "SWEEP_MIN",
    "EventRow",
    "LogColumns",
    "common_payload",
    "index_of",
    "rising",
    "trusted_event",
]

_new = object.__new__
_set = object.__setattr__
#: Shared by every event built here. A plain ``set`` (not a frozenset): pydantic
#: copies it before ``model_copy(update=...)`` adds to it, and frozen events are
#: never changed in place.
_FIELDS_SET: set[str] = set(Event.model_fields)


def trusted_event(
    id: int,
    occurred_at: datetime,
    recorded_at: datetime,
    author: str,
    text: str,
    key: bool,
    data: EventData,
) -> Event:
    """An :class:`Event` from values already checked (what ``model_construct`` does, faster).

    The values must be what validation would produce: aware instants, ``id >= 1``,
    a validated payload. The store's rows and an existing event's fields are.
    """
    event = _new(Event)
    _set(
        event,
        "__dict__",
        {
            "id": id,
            "occurred_at": occurred_at,
            "recorded_at": recorded_at,
            "author": author,
            "text": text,
            "key": key,
            "data": data,
        },
    )
    _set(event, "__pydantic_fields_set__", _FIELDS_SET)
    _set(event, "__pydantic_extra__", None)
    _set(event, "__pydantic_private__", None)
    return event


#: One event as a plain tuple, in the order of :func:`trusted_event`'s arguments:
#: ``(id, occurred_at, recorded_at, author, text, key, data)``, so
#: ``trusted_event(*row)`` is the event. What :meth:`~warroom.domain.eventlog.EventLog.rows` yields.
EventRow: TypeAlias = tuple[int, datetime, datetime, str, str, bool, EventData]


class LogColumns(NamedTuple):
    """Some of an :class:`~warroom.domain.eventlog.EventLog`'s columns (see its ``columns``).

    Views, not copies: do not change them.
    """

    #: Event ids.
    ids: Sequence[int]
    #: Authors (equal ones shared).
    authors: Sequence[str]
    #: 1 for a key event (flagged when written), else 0.
    keys: Sequence[int]
    #: Each event's kind, produced as it is iterated (one pass).
    kinds: Iterator[EventKind]


#: At most this many identity sweeps in :meth:`~warroom.domain.eventlog.EventLog.kind_slots`…
SWEEPS = 4
#: …each over at least this many candidate slots.
SWEEP_MIN = 256
#: Slots sampled to pick the payload object a sweep passes over.
SAMPLE = 32


def common_payload(
    data: list[EventData], candidates: Sequence[int], kinds: Set[EventKind]
) -> EventData | None:
    """The payload object of a kind not in ``kinds`` most held in a sample of ``candidates``."""
    step = max(1, len(candidates) // SAMPLE)
    seen: dict[int, tuple[int, EventData]] = {}
    for slot in candidates[::step]:
        payload = data[slot]
        if payload.kind not in kinds:
            times, _ = seen.get(id(payload), (0, payload))
            seen[id(payload)] = (times + 1, payload)
    if not seen:
        return None
    return max(seen.values(), key=itemgetter(0))[1]


def rising(ids: array[int]) -> bool:
    """Whether ``ids`` rise strictly."""
    return all(map(lt, ids, islice(ids, 1, None)))


def index_of(ids: array[int]) -> dict[int, int]:
    """id -> first slot holding it."""
    index: dict[int, int] = {}
    for slot, event_id in enumerate(ids):
        index.setdefault(event_id, slot)
    return index
