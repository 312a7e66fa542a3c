"""Store.event_log: the compact, chunked read the console opens an incident with."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    ActionItemData,
    ComponentState,
    Event,
    EventKind,
    NewEvent,
    Priority,
    StatusPhase,
    StatusUpdateData,
    sort_key,
)
from warroom.store import IncidentNotFoundError, Store, StoreError, codec

from .conftest import Backend


def _mixed(store: Store) -> int:
    """An incident with every payload shape, back-dated entries and repeated authors."""
    record, _ = store.create_incident(declared())
    store.append_many(
        record.id,
        [
            note("first", minutes=5, author="bob"),
            note("back-dated", minutes=-2, author="bob"),
            NewEvent(
                occurred_at=datetime(2026, 11, 27, 15, 4, 5, 123456, tzinfo=UTC),
                author="carol",
                text="Investigating elevated errors",
                key=True,
                data=StatusUpdateData(
                    phase=StatusPhase.INVESTIGATING,
                    components={"api": ComponentState.MAJOR_OUTAGE},
                ),
            ),
            NewEvent(
                occurred_at=T0,
                author="dave",
                text='tab\t quote" emoji 🔥',
                data=ActionItemData(owner="dave", due=date(2026, 12, 4), priority=Priority.P1),
            ),
            note("same minute as first", minutes=5, author="bob"),
        ],
    )
    return record.id


def test_event_log_holds_the_same_events_as_events_in_timeline_order(store: Store) -> None:
    incident = _mixed(store)
    events = store.events(incident)
    log = store.event_log(incident)
    assert isinstance(log, EventLog)
    assert list(log) == sorted(events, key=sort_key)
    assert sorted(log, key=lambda e: e.id) == events
    for event in log:
        assert Event.model_validate_json(event.model_dump_json()) == event
        assert event.occurred_at.tzinfo is UTC and event.recorded_at.tzinfo is UTC
    assert log.last_id == len(events) and log.contiguous_ids() == (1, len(events))


def test_event_log_shares_equal_authors_and_payloads(store: Store, backend: Backend) -> None:
    incident = _mixed(store)
    store.append_many(incident, [note(f"n{i}", author="bob") for i in range(3)])
    log = store.event_log(incident)
    bob = backend.author(store, "bob")
    bobs = [e for e in log if e.author == bob and e.kind is EventKind.NOTE]
    assert len(bobs) == 6
    assert len({id(e.author) for e in bobs}) == 1
    assert len({id(e.data) for e in bobs}) == 1


def test_event_log_reads_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    incident = _mixed(store)
    store.append_many(incident, [note(f"n{i}", minutes=10 + i) for i in range(20)])
    monkeypatch.setattr(codec, "CHUNK_ROWS", 4)
    assert list(store.event_log(incident)) == sorted(store.events(incident), key=sort_key)


def test_event_log_of_an_unknown_incident(store: Store) -> None:
    with pytest.raises(IncidentNotFoundError):
        store.event_log(42)


def test_event_log_of_a_closed_store(store: Store) -> None:
    record, _ = store.create_incident(declared())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.event_log(record.id)


def test_event_log_after_appends_sees_them(store: Store, frozen_time, backend: Backend) -> None:
    record, first = store.create_incident(declared())
    frozen_time.advance(minutes=1)
    later = store.append(record.id, note("later", minutes=-1))
    log = store.event_log(record.id)
    assert list(log) == [later, first]
    assert log.get(2) == later and log.get(1) == first
    assert backend.recorded(log[0], T0 + timedelta(minutes=1))


def test_event_log_rows_are_the_stored_events(store: Store) -> None:
    """``rows()`` (what the exports read) gives every stored field, without an Event."""
    incident = _mixed(store)
    events = store.events(incident)
    log = store.event_log(incident)

    def row(e: Event) -> tuple[object, ...]:
        return (e.id, e.occurred_at, e.recorded_at, e.author, e.text, e.key, e.data)

    assert list(log.rows(by_id=True)) == [row(e) for e in events]
    assert list(log.rows()) == [row(e) for e in sorted(events, key=sort_key)]
    assert log.latest_instant() == max(max(e.occurred_at, e.recorded_at) for e in events)
