"""Creating incidents, appending and reading events, reopening: on both backends."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.domain.events import (
    ActionItemData,
    ComponentState,
    Event,
    EventKind,
    NewEvent,
    Priority,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.timesource import FrozenTime
from warroom.store import (
    DuplicateSlugError,
    IncidentNotFoundError,
    Store,
    StoreError,
)

from .conftest import Backend


def test_create_incident_writes_record_and_declared_event(
    store: Store, frozen_time, backend: Backend
) -> None:
    frozen_time.advance(seconds=30)
    record, event = store.create_incident(declared())
    assert record.slug == "2026-11-27-checkout-api-errors"
    assert record.title == "Checkout API errors"
    assert event.id == 1 and event.kind is EventKind.DECLARED
    assert backend.recorded(event, T0 + timedelta(seconds=30))
    assert record.created_at == event.recorded_at
    assert event.author == backend.author(store, "alice")
    assert store.events(record.id) == [event]


def test_append_assigns_consecutive_ids_and_recorded_time(
    store: Store, frozen_time, backend: Backend
) -> None:
    record, _ = store.create_incident(declared())
    frozen_time.advance(minutes=2)
    first = store.append(record.id, note("first"))
    second = store.append(record.id, note("second", minutes=0.5))
    assert (first.id, second.id) == (2, 3)
    assert backend.recorded(second, T0 + timedelta(minutes=2))
    assert second.author == backend.author(store, "bob")
    assert second.occurred_at == T0 + timedelta(minutes=0.5)
    assert [e.text for e in store.events(record.id)] == ["", "first", "second"]
    assert store.last_event_id(record.id) == 3


def test_ids_are_per_incident(store: Store) -> None:
    a, _ = store.create_incident(declared("A"))
    b, _ = store.create_incident(declared("B"))
    assert store.append(a.id, note("a")).id == 2
    assert store.append(b.id, note("b")).id == 2
    assert store.append(a.id, note("a2")).id == 3


@pytest.mark.parametrize("busy_first", [True, False], ids=["older-busy", "newer-busy"])
def test_a_busy_incident_does_not_shift_another_incidents_ids(
    store: Store, busy_first: bool
) -> None:
    older, _ = store.create_incident(declared("Older"))
    newer, _ = store.create_incident(declared("Newer"))
    busy, quiet = (older, newer) if busy_first else (newer, older)
    store.append_many(busy.id, [note(f"busy {i}") for i in range(5)])  # busy: #1-#6
    assert store.append(quiet.id, note("quiet")).id == 2
    assert [e.id for e in store.events(quiet.id)] == [1, 2]
    assert store.last_event_id(quiet.id) == 2
    assert [e.id for e in store.append_many(quiet.id, [note("q2"), note("q3")])] == [3, 4]
    assert store.append(busy.id, note("busy again")).id == 7


def test_append_many_is_one_batch_with_consecutive_ids(store: Store) -> None:
    record, _ = store.create_incident(declared())
    events = store.append_many(record.id, [note(f"n{i}") for i in range(5)])
    assert [e.id for e in events] == [2, 3, 4, 5, 6]
    assert store.events(record.id)[1:] == events
    assert store.append_many(record.id, []) == []


def test_read_back_equals_written_for_every_payload_shape(store: Store) -> None:
    record, _ = store.create_incident(declared())
    tricky = 'tab\t newline\n quote" backslash\\ emoji 🔥 cjk 漢字 \u2028'
    written = store.append_many(
        record.id,
        [
            note(tricky),
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
                text="add a canary",
                data=ActionItemData(
                    owner="dave", due=date(2026, 12, 4), priority=Priority.P1, done_when="x"
                ),
            ),
        ],
    )
    read = store.events(record.id)[1:]
    assert read == written
    for event in read:
        # What the store builds must be indistinguishable from a validated Event.
        assert Event.model_validate(event.model_dump()) == event
        assert Event.model_validate_json(event.model_dump_json()) == event
        assert event.occurred_at.tzinfo is UTC


def test_events_since(store: Store) -> None:
    record, _ = store.create_incident(declared())
    store.append_many(record.id, [note(f"n{i}") for i in range(4)])
    assert [e.id for e in store.events_since(record.id, 3)] == [4, 5]
    assert store.events_since(record.id, 5) == []
    assert [e.id for e in store.events_since(record.id, 0)] == [1, 2, 3, 4, 5]


def test_nul_is_stored_on_sqlite_and_refused_whole_on_postgres(
    store: Store, backend: Backend
) -> None:
    record, _ = store.create_incident(declared())
    if backend.is_postgres:
        with pytest.raises(StoreError, match="NUL character"):
            store.append_many(record.id, [note("fine"), note("nul\x00 byte")])
        assert store.last_event_id(record.id) == 1
    else:
        assert store.append(record.id, note("nul\x00 byte")).text == "nul\x00 byte"


def test_reopen_after_close_keeps_everything(backend: Backend) -> None:
    with backend.open() as store:
        record, _ = store.create_incident(declared())
        written = store.events(record.id) + store.append_many(
            record.id, [note(f"n{i}") for i in range(10)]
        )
        incidents = store.incidents()
    with backend.open() as again:
        assert again.incidents() == incidents
        assert again.events(record.id) == written
        assert again.append(record.id, note("after")).id == 12


def test_slugs_are_unique_and_derived_from_date_and_title(store: Store) -> None:
    first, _ = store.create_incident(declared("Checkout API errors!"))
    second, _ = store.create_incident(declared("checkout   API errors"))
    third, _ = store.create_incident(declared("Checkout API errors"))
    other_day, _ = store.create_incident(declared("Checkout API errors", T0 + timedelta(days=1)))
    unicode_only, _ = store.create_incident(declared("障害"))
    assert first.slug == "2026-11-27-checkout-api-errors"
    assert second.slug == "2026-11-27-checkout-api-errors-2"
    assert third.slug == "2026-11-27-checkout-api-errors-3"
    assert other_day.slug == "2026-11-28-checkout-api-errors"
    assert unicode_only.slug == "2026-11-27-incident"


def test_explicit_slug_and_duplicates(store: Store) -> None:
    record, _ = store.create_incident(declared(), slug="db-outage")
    assert record.slug == "db-outage"
    with pytest.raises(DuplicateSlugError, match="db-outage"):
        store.create_incident(declared(), slug="db-outage")
    for bad in ("123", "Bad Slug", "-x", ""):
        with pytest.raises(StoreError, match="invalid slug"):
            store.create_incident(declared(), slug=bad)
    assert len(store.incidents()) == 1


def test_incident_lookup_by_id_digit_string_or_slug(store: Store) -> None:
    record, _ = store.create_incident(declared())
    assert store.incident(record.id) == record
    assert store.incident(str(record.id)) == record
    assert store.incident(f" {record.slug} ") == record
    with pytest.raises(IncidentNotFoundError, match="no incident with id 99"):
        store.incident("99")
    with pytest.raises(IncidentNotFoundError, match="nope"):
        store.incident("nope")
    with pytest.raises(IncidentNotFoundError):
        store.append(99, note("x"))
    with pytest.raises(IncidentNotFoundError):
        store.events(99)


def test_incidents_newest_first(store: Store, frozen_time: FrozenTime) -> None:
    old, _ = store.create_incident(declared("old"))
    frozen_time.advance(hours=1)
    new, _ = store.create_incident(declared("new"))
    assert [r.id for r in store.incidents()] == [new.id, old.id]


def test_create_incident_needs_declared_data(store: Store) -> None:
    with pytest.raises(ValueError, match="DeclaredData"):
        store.create_incident(note("not a declaration"))
    assert store.incidents() == []


def test_import_keeps_ids_and_times_verbatim(store: Store) -> None:
    recorded = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    events = [
        Event(
            id=i,
            occurred_at=T0 - timedelta(minutes=i),
            recorded_at=recorded + timedelta(seconds=i),
            author="imp",
            text=f"e{i}",
            data=declared().data if i == 1 else note("x").data,
        )
        for i in (1, 2, 5, 9)
    ]
    created = datetime(2025, 1, 2, 3, 0, tzinfo=UTC)
    record = store.import_incident(
        slug="imported", title="Imported", created_at=created, events=events
    )
    assert record == store.incident("imported")
    assert record.created_at == created
    assert store.events(record.id) == events
    assert store.append(record.id, note("next")).id == 10
    with pytest.raises(DuplicateSlugError):
        store.import_incident(slug="imported", title="again", created_at=created, events=events)


def test_import_refuses_duplicate_ids_and_writes_nothing(store: Store) -> None:
    event = store.create_incident(declared())[1]
    with pytest.raises(StoreError, match="appears twice"):
        store.import_incident(slug="dup", title="d", created_at=T0, events=[event, event])
    assert [r.slug for r in store.incidents()] == ["2026-11-27-checkout-api-errors"]


def test_unstorable_text_is_a_clear_error_and_nothing_is_written(store: Store) -> None:
    record, _ = store.create_incident(declared())
    with pytest.raises(StoreError, match="lone surrogate"):
        store.append_many(record.id, [note("fine"), note("bad \ud800 text")])
    assert store.last_event_id(record.id) == 1


def test_closed_store_raises_store_error(backend: Backend) -> None:
    store = backend.open()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.incidents()


def test_threads_share_one_store(store: Store) -> None:
    record, _ = store.create_incident(declared())
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                store.append(record.id, note(f"t{n}-{i}"))
                store.events_since(record.id, store.last_event_id(record.id) - 1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [e.id for e in store.events(record.id)] == list(range(1, 202))
