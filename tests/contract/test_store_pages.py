"""Store.append_pages on both backends: once per key, one incident per group, stale owners."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warroom.domain.events import NewEvent, NoteData, PageData, PageStatus
from warroom.service import declared_event
from warroom.store import PageBatch, StaleGroupError, Store

from .conftest import Backend

T = datetime(2026, 11, 27, 13, 59, tzinfo=UTC)


def _page(key: str, group: str = "g1") -> NewEvent:
    data = PageData(source="alertmanager", alert="HighErrorRate", status=PageStatus.FIRING,
                    fingerprint="fp", group=group, key=key)
    return NewEvent(occurred_at=T, author="alertmanager", text="HighErrorRate firing", data=data)


def _note(text: str) -> NewEvent:
    return NewEvent(occurred_at=T, author="alertmanager", text=text, data=NoteData())


def _declared() -> NewEvent:
    return declared_event("Checkout errors", severity=2, services=["checkout"], at=T,
                          author="alertmanager")


def test_a_new_group_declares_and_a_replay_writes_nothing(store: Store) -> None:
    assert store.page_group_owner("g1") is None
    batches = [PageBatch("k1", [_page("k1"), _note("first")]), PageBatch("k2", [_page("k2")])]
    written = store.append_pages(batches, group="g1", owner=None, declared=_declared())
    assert written.created and written.duplicates == 0 and written.record is not None
    assert [e.id for e in written.events] == [1, 2, 3, 4]
    assert store.page_group_owner("g1") == written.record.id
    again = store.append_pages(batches, group="g1", owner=written.record.id,
                               incident_id=written.record.id)
    assert again.record is None and again.events == [] and again.duplicates == 2
    assert store.last_event_id(written.record.id) == 4


def test_only_the_new_batches_are_written(store: Store) -> None:
    first = store.append_pages([PageBatch("k1", [_page("k1")])], group="g1", owner=None,
                               declared=_declared())
    assert first.record is not None
    incident = first.record.id
    written = store.append_pages(
        [PageBatch("k1", [_page("k1")]), PageBatch("k3", [_page("k3"), _note("all resolved")])],
        group="g1", owner=incident, incident_id=incident,
    )
    assert written.duplicates == 1 and [e.id for e in written.events] == [3, 4]
    assert [e.text for e in written.events] == ["HighErrorRate firing", "all resolved"]


def test_a_replay_of_a_declaring_batch_declares_nothing(store: Store) -> None:
    first = store.append_pages([PageBatch("k1", [_page("k1")])], group="g1", owner=None,
                               declared=_declared())
    assert first.record is not None
    # A stale planner (it saw no owner) is told to plan again; nothing is written.
    with pytest.raises(StaleGroupError):
        store.append_pages([PageBatch("k1", [_page("k1")])], group="g1", owner=None,
                           declared=_declared())
    # Planned again: the key is known, so no second incident.
    again = store.append_pages([PageBatch("k1", [_page("k1")])], group="g1",
                               owner=first.record.id, declared=_declared())
    assert again.record is None and again.duplicates == 1
    assert len(store.incidents()) == 1


def test_keys_are_seen_from_another_seat(backend: Backend, store: Store) -> None:
    first = store.append_pages([PageBatch("k1", [_page("k1")])], group="g1", owner=None,
                               declared=_declared())
    assert first.record is not None
    with backend.open() as other:
        assert other.page_group_owner("g1") == first.record.id
        again = other.append_pages([PageBatch("k1", [_page("k1")])], group="g1",
                                   owner=first.record.id, incident_id=first.record.id)
        assert again.duplicates == 1 and again.events == []
    assert store.page_group_owner("g2") is None
