"""A compact log of events in timeline order: a 100,000-event incident in ~25 MB.

An :class:`~warroom.domain.events.Event` is a pydantic model: with its field
dictionary and its two instants it costs about 1 KB, so an incident of 100k events
held as ``list[Event]`` weighs ~100 MB. An :class:`EventLog` keeps the same events
as columns instead (ids in an ``array``, the instants, authors, texts and payloads
in plain lists, the key flags in a ``bytearray``), about 150 bytes per event plus
its text. Authors and payloads are shared between the events that carry equal
ones, as the store reads them.

It is a ``Sequence[Event]`` in timeline order (:func:`sort_key`: event time, ties
by id): indexing or iterating builds each :class:`Event` on access, so callers that
read a few events (the rows on screen, a lookup by id) never pay for the others,
and callers that want them all (an export) get ordinary events. Adding an event
(:meth:`EventLog.add`) lands it where it belongs; back-dated ones are the rare case
and cost a shift of an index array. Copies are made in constant time and share the
columns until one of them changes (copy-on-write).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from datetime import datetime
from itertools import compress, count, islice, repeat
from operator import attrgetter, is_not, le, truth
from typing import overload

from warroom.domain.eventlog_columns import (
    SWEEP_MIN,
    SWEEPS,
    EventRow,
    LogColumns,
    common_payload,
    index_of,
    rising,
    trusted_event,
)
from warroom.domain.events import Event, EventData, EventKind

__all__ = ["EventLog", "EventRow", "LogColumns", "latest_instant", "trusted_event"]

_kind = attrgetter("kind")


class EventLog(Sequence[Event]):
    """Events in timeline order, stored as columns; each item is an :class:`Event` built on access.

    *Slots* number the events in the order they were added (the storage order);
    *positions* number them in timeline order. ``log[i]`` is the event at position
    ``i``. Not thread-safe: one owner mutates it (copy it to hand it to another thread).
    """

    __slots__ = (
        "_authors",
        "_data",
        "_ids",
        "_index",
        "_keys",
        "_occurred",
        "_order",
        "_recorded",
        "_shared",
        "_texts",
    )

    def __init__(self, events: Iterable[Event] = ()) -> None:
        """A log of ``events`` (any order; an :class:`EventLog` is copied cheaply)."""
        self._ids = array("q")
        self._occurred: list[datetime] = []
        self._recorded: list[datetime] = []
        self._authors: list[str] = []
        self._texts: list[str] = []
        self._keys = bytearray()
        self._data: list[EventData] = []
        #: position -> slot; ``None`` while timeline order is storage order.
        self._order: array[int] | None = None
        #: id -> slot; ``None`` while ids rise strictly with slots (then ids are bisected).
        self._index: dict[int, int] | None = None
        #: Whether the columns may be shared with a copy (copied before any change).
        self._shared = False
        if isinstance(events, EventLog):
            self._copy_from(events)
            return
        events = list(events)
        if events:
            self._ids = array("q", [e.id for e in events])
            self._occurred = [e.occurred_at for e in events]
            self._recorded = [e.recorded_at for e in events]
            self._authors = [e.author for e in events]
            self._texts = [e.text for e in events]
            self._keys = bytearray(1 if e.key else 0 for e in events)
            self._data = [e.data for e in events]
            self._arrange(rising(self._ids))

    @classmethod
    def from_columns(
        cls,
        ids: Iterable[int],
        occurred: list[datetime],
        recorded: list[datetime],
        authors: list[str],
        texts: list[str],
        keys: bytearray,
        data: list[EventData],
        *,
        rising_ids: bool = False,
    ) -> EventLog:
        """A log from columns of checked values in storage order (taken, not copied).

        Every column must have one entry per event; ``occurred``/``recorded`` hold
        aware instants and ``data`` validated payloads (as the store reads them).
        ``rising_ids=True`` vouches that the ids rise strictly (rows read in primary-key
        order), which skips checking it.
        """
        log = cls()
        log._ids = ids if isinstance(ids, array) and ids.typecode == "q" else array("q", ids)
        log._occurred, log._recorded = occurred, recorded
        log._authors, log._texts, log._keys, log._data = authors, texts, keys, data
        count = len(log._ids)
        if not all(len(column) == count for column in (occurred, recorded, authors, texts, keys,
                                                        data)):
            raise ValueError("every column needs one entry per event")
        log._arrange(rising_ids or rising(log._ids))
        return log

    def _arrange(self, rising_ids: bool) -> None:
        """Set up the id index and the timeline order for columns filled at once.

        The same result as adding the events one by one: a stable sort, so equal
        sort keys keep the storage order.
        """
        occurred = self._occurred
        if not rising_ids:
            self._index = index_of(self._ids)
            self._order = array("q", sorted(range(len(occurred)), key=self._slot_key))
        elif not all(map(le, occurred, islice(occurred, 1, None))):
            # Ids rise with the slots, so a stable sort on the time alone breaks ties by id.
            self._order = array("q", sorted(range(len(occurred)), key=occurred.__getitem__))

    def _copy_from(self, other: EventLog) -> None:
        """Share ``other``'s columns: whichever of the two changes first copies them."""
        self._ids, self._occurred, self._recorded = other._ids, other._occurred, other._recorded
        self._authors, self._texts, self._keys = other._authors, other._texts, other._keys
        self._data, self._order, self._index = other._data, other._order, other._index
        self._shared = other._shared = True

    def _unshare(self) -> None:
        """Take private copies of the columns before changing them."""
        self._ids = array("q", self._ids)
        self._occurred = self._occurred.copy()
        self._recorded = self._recorded.copy()
        self._authors = self._authors.copy()
        self._texts = self._texts.copy()
        self._keys = bytearray(self._keys)
        self._data = self._data.copy()
        self._order = array("q", self._order) if self._order is not None else None
        self._index = dict(self._index) if self._index is not None else None
        self._shared = False

    def copy(self) -> EventLog:
        """An independent copy, made in constant time.

        The columns are shared until either log changes (copy-on-write: the first
        :meth:`add` after a copy copies them, a few milliseconds at 100k events).
        The events' values are shared for good; they are immutable.
        """
        return EventLog(self)

    # ------------------------------------------------------------ adding
    def add(self, event: Event) -> None:
        """Add ``event`` at its place in timeline order (after any with the same sort key)."""
        if self._shared:
            self._unshare()
        slot = len(self._ids)
        event_id = event.id
        previous_id = self._ids[-1] if slot else 0
        self._ids.append(event_id)
        self._occurred.append(event.occurred_at)
        self._recorded.append(event.recorded_at)
        self._authors.append(event.author)
        self._texts.append(event.text)
        self._keys.append(1 if event.key else 0)
        self._data.append(event.data)
        if self._index is not None:
            self._index.setdefault(event_id, slot)
        elif slot and event_id <= previous_id:
            self._index = index_of(self._ids)
        new_key = (event.occurred_at, event_id)
        order = self._order
        if order is None:
            if not slot or self._slot_key(slot - 1) <= new_key:
                return
            order = self._order = array("q", range(slot))
        elif not order or self._slot_key(order[-1]) <= new_key:
            order.append(slot)
            return
        order.insert(bisect.bisect_right(order, new_key, key=self._slot_key), slot)

    # ------------------------------------------------------------ reading
    def _slot_key(self, slot: int) -> tuple[datetime, int]:
        return (self._occurred[slot], self._ids[slot])

    def _slot(self, position: int) -> int:
        if self._order is not None:
            return self._order[position]
        count = len(self._ids)
        if position < 0:
            position += count
        if not 0 <= position < count:
            raise IndexError("EventLog index out of range")
        return position

    def _event(self, slot: int) -> Event:
        return trusted_event(
            self._ids[slot],
            self._occurred[slot],
            self._recorded[slot],
            self._authors[slot],
            self._texts[slot],
            self._keys[slot] == 1,
            self._data[slot],
        )

    def _slots(self) -> Sequence[int]:
        return self._order if self._order is not None else range(len(self._ids))

    def __len__(self) -> int:
        """How many events the log holds."""
        return len(self._ids)

    @overload
    def __getitem__(self, position: int) -> Event: ...

    @overload
    def __getitem__(self, position: slice) -> list[Event]: ...

    def __getitem__(self, position: int | slice) -> Event | list[Event]:
        """The event at ``position`` in timeline order (a slice gives a list)."""
        if isinstance(position, slice):
            return [self._event(self._slot(p)) for p in range(*position.indices(len(self)))]
        return self._event(self._slot(position))

    def __iter__(self) -> Iterator[Event]:
        """Every event, in timeline order (each built as it is reached)."""
        event = self._event
        for slot in self._slots():
            yield event(slot)

    def __reversed__(self) -> Iterator[Event]:
        """Every event, newest first."""
        event = self._event
        for slot in reversed(self._slots()):
            yield event(slot)

    def __contains__(self, value: object) -> bool:
        """Whether ``value`` is one of the events (found by id, not by a scan)."""
        if not isinstance(value, Event):
            return False
        if self._index is None:
            return self.get(value.id) == value
        return any(
            self._event(slot) == value for slot, event_id in enumerate(self._ids)
            if event_id == value.id
        )

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same events in the same order (like a list)."""
        if isinstance(other, EventLog | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """A short summary (not the events)."""
        return f"<EventLog of {len(self)} events>"

    def id_at(self, position: int) -> int:
        """The id of the event at ``position`` (without building the event)."""
        return self._ids[self._slot(position)]

    @property
    def last_id(self) -> int:
        """The highest event id in the log (0 when empty)."""
        if not self._ids:
            return 0
        return self._ids[-1] if self._index is None else max(self._ids)

    def _slot_of(self, event_id: int) -> int | None:
        if self._index is not None:
            return self._index.get(event_id)
        slot = bisect.bisect_left(self._ids, event_id)
        if slot < len(self._ids) and self._ids[slot] == event_id:
            return slot
        return None

    def has_id(self, event_id: int) -> bool:
        """Whether an event with ``event_id`` is in the log."""
        return self._slot_of(event_id) is not None

    def position_of(self, event_id: int) -> int | None:
        """The position of the event with ``event_id`` in timeline order, if held."""
        slot = self._slot_of(event_id)
        if slot is None or self._order is None:
            return slot
        key = self._slot_key(slot)
        position = bisect.bisect_left(self._order, key, key=self._slot_key)
        while self._order[position] != slot:  # same sort key: ids break ties, so never
            position += 1
        return position

    def get(self, event_id: int) -> Event | None:
        """The event with ``event_id``, if the log holds it."""
        slot = self._slot_of(event_id)
        return self._event(slot) if slot is not None else None

    def select(self, predicate: Callable[[Event], bool]) -> EventLog:
        """A new log of the events ``predicate`` accepts (timeline order kept)."""
        event = self._event
        chosen = [slot for slot in self._slots() if predicate(event(slot))]
        return self._gather(chosen)

    def _gather(self, slots: list[int]) -> EventLog:
        """A log of the given slots, which must be in timeline order."""
        log = EventLog()
        log._ids = array("q", [self._ids[s] for s in slots])
        log._occurred = [self._occurred[s] for s in slots]
        log._recorded = [self._recorded[s] for s in slots]
        log._authors = [self._authors[s] for s in slots]
        log._texts = [self._texts[s] for s in slots]
        log._keys = bytearray(self._keys[s] for s in slots)
        log._data = [self._data[s] for s in slots]
        if not rising(log._ids):
            log._index = index_of(log._ids)
        return log

    def rows(self, *, by_id: bool = False) -> Iterator[EventRow]:
        """Every event as an :data:`EventRow` tuple, without building any :class:`Event`.

        In timeline order (what iterating the log gives), or with ``by_id=True``
        ordered by id (a log holding the same id twice keeps those in the order
        they were added). For whole-log passes such as an export: a row costs a
        tuple, an event about 1 KB and a few microseconds. The log must not change
        while the iterator is in use (iterate a :meth:`copy` from another thread).
        """
        ids, occurred, recorded = self._ids, self._occurred, self._recorded
        authors, texts, keys, data = self._authors, self._texts, self._keys, self._data
        if by_id and self._index is not None:
            slots: Iterable[int] | None = sorted(range(len(ids)), key=ids.__getitem__)
        elif by_id:
            slots = None  # ids rise with the storage order
        else:
            slots = self._order
        if slots is None:
            return zip(ids, occurred, recorded, authors, texts, map(truth, keys), data, strict=True)
        return zip(
            map(ids.__getitem__, slots),
            map(occurred.__getitem__, slots),
            map(recorded.__getitem__, slots),
            map(authors.__getitem__, slots),
            map(texts.__getitem__, slots),
            map(truth, map(keys.__getitem__, slots)),
            map(data.__getitem__, slots),
            strict=True,
        )

    def latest_instant(self) -> datetime | None:
        """The latest event or recorded time of any event (``None`` when empty).

        The same instant as ``max(max(e.occurred_at, e.recorded_at) for e in log)``,
        read from the columns.
        """
        if not self._ids:
            return None
        return max(max(self._occurred), max(self._recorded))

    # ------------------------------------------------- storage-order columns
    def columns(self) -> LogColumns:
        """Read-only views of some columns, in storage order (slot ``i`` is entry ``i``).

        For whole-log passes that need only these (e.g. the projection's bookkeeping);
        :meth:`event_at_slot` builds the few events such a pass needs whole.
        """
        return LogColumns(
            ids=self._ids,
            authors=self._authors,
            keys=self._keys,
            kinds=map(_kind, self._data),
        )

    def event_at_slot(self, slot: int) -> Event:
        """The event stored at ``slot`` (an index into :meth:`columns`)."""
        return self._event(slot)

    def kind_slots(self, kinds: Set[EventKind]) -> list[int]:
        """The slots (rising) of the events whose kind is in ``kinds``, building no event.

        The same slots as ``[s for s, kind in enumerate(self.columns().kinds) if kind in
        kinds]``, found faster: events share a few payload objects (the store reads each
        distinct payload once, and most events are plain notes), so the events carrying
        the most common payload object of an unwanted kind are passed over by identity
        in one C-level sweep, a few times, before the kinds of the rest are looked at.
        """
        data = self._data
        candidates: Sequence[int] = range(len(data))
        for _ in range(SWEEPS):
            if len(candidates) < SWEEP_MIN:
                break
            common = common_payload(data, candidates, kinds)
            if common is None:
                break
            values = data if isinstance(candidates, range) else map(data.__getitem__, candidates)
            left = list(compress(candidates, map(is_not, values, repeat(common))))
            swept = len(candidates) - len(left)
            candidates = left
            if swept * 8 < len(candidates):  # not a widely shared payload: stop sweeping
                break
        return [slot for slot in candidates if data[slot].kind in kinds]

    def key_slots(self) -> list[int]:
        """The slots (rising) of the events flagged key when they were written."""
        keys = self._keys
        flagged = len(keys) - keys.count(0)
        if not flagged:
            return []
        if flagged * 64 > len(keys) or keys.count(1) != flagged:
            return list(compress(count(), keys))
        slots: list[int] = []
        find = keys.find
        slot = find(1)
        while slot >= 0:
            slots.append(slot)
            slot = find(1, slot + 1)
        return slots

    def contiguous_ids(self) -> tuple[int, int] | None:
        """``(first, last)`` when the ids are exactly ``first..last`` in storage order.

        ``None`` otherwise (gaps, or ids not rising with the storage order).
        """
        ids = self._ids
        if not ids or self._index is not None or ids[-1] - ids[0] != len(ids) - 1:
            return None
        return (ids[0], ids[-1])


def latest_instant(events: Iterable[Event]) -> datetime | None:
    """The latest event or recorded time of ``events`` (``None`` when there are none).

    Read from the columns of an :class:`EventLog` (no event is built).
    """
    if isinstance(events, EventLog):
        return events.latest_instant()
    return max((max(e.occurred_at, e.recorded_at) for e in events), default=None)
