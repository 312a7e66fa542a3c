"""Idempotency keys (``NewEvent.once``, ``warroom log --once``): on both backends.

A second append with a key the incident already holds stores nothing and hands back
the entry written the first time; the key is per incident; racing writers with the
same key store one entry.
"""

from __future__ import annotations

import threading

from tests.support.entries import declared, note
from warroom.store import Store

from .conftest import Backend


def test_a_repeated_key_stores_nothing_and_returns_the_first_entry(store: Store) -> None:
    record, _ = store.create_incident(declared())
    first = store.append(record.id, note("rollback started").model_copy(update={"once": "k1"}))
    again = store.append(record.id, note("rollback started").model_copy(update={"once": "k1"}))
    assert again.id == first.id
    assert [e.id for e in store.events(record.id)] == [1, first.id]
    assert store.once_event(record.id, "k1") is not None
    assert store.once_event(record.id, "k1").id == first.id  # type: ignore[union-attr]
    assert store.once_event(record.id, "other") is None
    plain = store.append(record.id, note("no key"))
    assert plain.id == first.id + 1


def test_keys_are_per_incident(store: Store) -> None:
    one, _ = store.create_incident(declared())
    two, _ = store.create_incident(declared(), slug="second-incident")
    a = store.append(one.id, note("a").model_copy(update={"once": "same"}))
    b = store.append(two.id, note("b").model_copy(update={"once": "same"}))
    assert (a.id, b.id) == (2, 2)
    assert [e.text for e in store.events(two.id)][1:] == ["b"]


def test_racing_writers_with_one_key_store_one_entry(store: Store, backend: Backend) -> None:
    record, _ = store.create_incident(declared())
    seats = [backend.open() for _ in range(4)]
    ids: list[int] = []
    start = threading.Barrier(len(seats))

    def write(seat: Store) -> None:
        start.wait()
        event = seat.append(record.id, note("page ack").model_copy(update={"once": "hook-7"}))
        ids.append(event.id)

    threads = [threading.Thread(target=write, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for seat in seats:
        seat.close()
    assert len(ids) == 4 and set(ids) == {2}
    assert len(store.events(record.id)) == 2
