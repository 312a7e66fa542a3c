"""EventLog: a compact Sequence[Event] in timeline order, and the Projector reading it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.events import Incident, event_at
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    DecisionData,
    DeclaredData,
    Event,
    EventKind,
    NoteData,
    Role,
    RoleAssignedData,
    Severity,
    StatusPhase,
    StatusUpdateData,
    sort_key,
)
from warroom.domain.fold import Projector, fold


def ev(id: int, minutes: float, text: str = "", *, key: bool = False, author: str = "ann",
       data: object = None) -> Event:
    """An event ``minutes`` after T0 (recorded a second later)."""
    return event_at(id, minutes, data or NoteData(), text or f"entry {id}", author=author,
                    key=key, recorded_after=1)


def columns_of(events: list[Event]) -> tuple:
    """``events`` as the columns :meth:`EventLog.from_columns` takes."""
    return (
        [e.id for e in events],
        [e.occurred_at for e in events],
        [e.recorded_at for e in events],
        [e.author for e in events],
        [e.text for e in events],
        bytearray(1 if e.key else 0 for e in events),
        [e.data for e in events],
    )


# ------------------------------------------------------------------ reading
def test_an_empty_log() -> None:
    log = EventLog()
    assert len(log) == 0 and not log
    assert list(log) == [] and log == []
    assert log.last_id == 0
    assert log.get(1) is None and not log.has_id(1)
    assert log.contiguous_ids() is None
    with pytest.raises(IndexError):
        log[0]
    with pytest.raises(IndexError):
        log.id_at(-1)


def test_items_are_the_events_with_every_field() -> None:
    declared = ev(1, 0, "Checkout down", author="priya",
                  data=DeclaredData(title="Checkout down", severity=Severity.SEV2))
    status = ev(2, 1, "We are investigating", key=True,
                data=StatusUpdateData(phase=StatusPhase.INVESTIGATING,
                                      components={"api": "major_outage"}))
    log = EventLog([declared, status])
    assert log[0] == declared and log[1] == status
    assert log[1].key is True and log[0].key is False
    assert log[1].data is status.data, "payloads are shared, not copied"
    assert log[-1] == status and log[-2] == declared
    assert log[0:2] == [declared, status] and log[::-1] == [status, declared]
    assert isinstance(log[0], Event) and log[0].kind is EventKind.DECLARED
    assert log.id_at(1) == 2
    assert status in log and ev(2, 1) not in log and "status" not in log
    assert list(reversed(log)) == [status, declared]
    assert repr(log) == "<EventLog of 2 events>"


def test_built_events_can_be_copied_with_changes() -> None:
    event = EventLog([ev(1, 0, "typo")])[0]
    fixed = event.model_copy(update={"text": "fixed"})
    assert fixed.text == "fixed" and event.text == "typo"
    assert fixed.model_fields_set >= {"text"}


def test_timeline_order_back_dated_events_and_ties() -> None:
    events = [ev(1, 0), ev(2, 5), ev(3, 2), ev(4, 5), ev(5, 10), ev(6, -1)]
    log = EventLog(events)
    assert [e.id for e in log] == [6, 1, 3, 2, 4, 5]
    assert list(log) == sorted(events, key=sort_key)
    assert [log.id_at(i) for i in range(len(log))] == [6, 1, 3, 2, 4, 5]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(-5, 5)), max_size=40))
def test_adding_in_any_order_keeps_sort_key_order(spec: list[tuple[int, int]]) -> None:
    events = [ev(id, minutes) for id, minutes in spec]
    log = EventLog()
    expected: list[Event] = []
    for event in events:
        log.add(event)
        # bisect.insort(..., key=sort_key): after equal keys, like the list it replaces.
        position = len([e for e in expected if sort_key(e) <= sort_key(event)])
        expected.insert(position, event)
    assert list(log) == expected
    assert list(EventLog(events)) == expected, "built at once: the same order"
    assert len(log) == len(expected)
    for event in events:
        assert log.has_id(event.id)
        assert log.get(event.id) == next(e for e in events if e.id == event.id)
    assert log.last_id == max((e.id for e in events), default=0)


def test_lookup_by_id_with_rising_and_with_unordered_ids() -> None:
    log = EventLog([ev(1, 0), ev(2, 1), ev(5, 2)])
    assert log.get(5) == ev(5, 2) and log.get(3) is None and not log.has_id(0)
    assert log.last_id == 5 and log.contiguous_ids() is None
    log.add(ev(4, 3))  # an id lower than the last one: lookups still work
    assert log.get(4) == ev(4, 3) and log.get(5) == ev(5, 2) and log.get(3) is None
    assert ev(4, 3) in log and ev(4, 9) not in log
    assert log.last_id == 5
    assert [e.id for e in log] == [1, 2, 5, 4]


def test_contiguous_ids() -> None:
    assert EventLog([ev(3, 0), ev(4, 1), ev(5, 2)]).contiguous_ids() == (3, 5)
    assert EventLog([ev(3, 0), ev(5, 1)]).contiguous_ids() is None


def test_equality_with_lists_and_logs() -> None:
    events = [ev(1, 0), ev(2, 1)]
    log = EventLog(events)
    assert log == events and events == log and log == tuple(events) and log == EventLog(events)
    assert log != events[:1] and log != [ev(1, 0), ev(2, 1, "other")]
    assert (log == "not a sequence of events") is False


# ------------------------------------------------------------------ copies
def test_a_copy_and_its_original_change_independently() -> None:
    log = EventLog([ev(1, 0), ev(2, 1)])
    copy = log.copy()
    log.add(ev(3, 2))
    log.add(ev(4, -1))  # back-dated: the order array is copied too
    assert [e.id for e in copy] == [1, 2]
    copy.add(ev(9, 0.5))
    assert [e.id for e in log] == [4, 1, 2, 3]
    assert [e.id for e in copy] == [1, 9, 2]
    assert EventLog(copy) == copy, "building from a log copies it"


def test_copies_of_an_unordered_log_keep_their_index_apart() -> None:
    log = EventLog([ev(1, 0), ev(5, 1), ev(2, -1)])
    copy = log.copy()
    copy.add(ev(3, 3))
    assert log.get(3) is None and copy.get(3) == ev(3, 3)
    assert [e.id for e in log] == [2, 1, 5]


# ------------------------------------------------------------------ from_columns
def test_from_columns_sorts_back_dated_rows() -> None:
    events = [ev(1, 0), ev(2, 3), ev(3, 1), ev(4, 3)]
    log = EventLog.from_columns(*columns_of(events), rising_ids=True)
    assert list(log) == sorted(events, key=sort_key)
    assert log.contiguous_ids() == (1, 4)


def test_from_columns_checks_ids_unless_vouched_for() -> None:
    events = [ev(2, 0), ev(1, 1), ev(3, 2)]
    log = EventLog.from_columns(*columns_of(events))
    assert [e.id for e in log] == [2, 1, 3]
    assert log.get(1) == ev(1, 1) and log.contiguous_ids() is None


def test_from_columns_refuses_ragged_columns() -> None:
    ids, occurred, recorded, authors, texts, keys, data = columns_of([ev(1, 0), ev(2, 1)])
    with pytest.raises(ValueError, match="one entry per event"):
        EventLog.from_columns(ids, occurred, recorded, authors, texts[:1], keys, data)


# ------------------------------------------------------------------ select & columns
def test_select_keeps_timeline_order_and_is_independent() -> None:
    log = EventLog([ev(1, 0), ev(2, 2, "deploy"), ev(3, 1, "deploy"), ev(4, 3)])
    chosen = log.select(lambda e: "deploy" in e.text)
    assert [e.id for e in chosen] == [3, 2]
    chosen.add(ev(5, 4, "deploy"))
    assert len(log) == 4 and [e.id for e in chosen] == [3, 2, 5]


def test_columns_are_in_storage_order() -> None:
    log = EventLog([ev(1, 0, author="ann"), ev(2, -1, author="bob", key=True,
                                                 data=DecisionData())])
    columns = log.columns()
    assert list(columns.ids) == [1, 2]
    assert list(columns.authors) == ["ann", "bob"]
    assert list(columns.keys) == [0, 1]
    assert list(columns.kinds) == [EventKind.NOTE, EventKind.DECISION]
    assert log.event_at_slot(1) == log[0]


# ------------------------------------------------------------------ projector
def _incident() -> Incident:
    inc = Incident().declared(0, severity=2).detected(-3)
    inc.role(1, Role.IC, "alice").note(2, "first look").note(3, "second", author="bob")
    inc.add(4, DecisionData(), "roll back", key=True)
    inc.add(5, RoleAssignedData(role=Role.TECH, person="dev"))
    return inc.note(-1, "back-dated", author="carol")


def test_folding_a_log_equals_folding_its_events() -> None:
    events = _incident().events
    assert fold(EventLog(events)) == fold(events)
    columns = columns_of(events)
    assert fold(EventLog.from_columns(*columns, rising_ids=True)) == fold(events)


def test_a_log_added_after_events_skips_the_ones_seen() -> None:
    events = _incident().events
    projector = Projector()
    projector.add(events[:3])
    projector.add(EventLog(events))  # overlaps: the slow, deduplicating path
    assert projector.state == fold(events)
    assert len(projector) == len(events) and all(e.id in projector for e in events)


def test_events_added_after_a_log_update_the_state() -> None:
    events = _incident().events
    projector = Projector()
    projector.add(EventLog(events[:4]))
    assert projector.state == fold(events[:4])
    projector.add(events[4:])
    assert projector.state == fold(events)
    assert projector.state.event_count == len(events)
    assert projector.state.last_event_id == len(events)


def test_projector_counts_ids_with_gaps_and_duplicates() -> None:
    projector = Projector()
    projector.add([ev(3, 0), ev(1, 1), ev(3, 0)])
    assert len(projector) == 2 and 3 in projector and 1 in projector and 2 not in projector
    projector.add(EventLog([ev(2, 2), ev(4, 3)]))  # fills the gap: the run grows to 1..4
    assert len(projector) == 4 and all(i in projector for i in (1, 2, 3, 4))
    assert 5 not in projector and 0 not in projector and "1" not in projector
    assert projector.state.last_event_id == 4


def test_a_log_whose_ids_start_above_one() -> None:
    projector = Projector()
    projector.add(EventLog([ev(10, 0), ev(11, 1)]))
    assert len(projector) == 2 and 10 in projector and 1 not in projector
    assert projector.state.event_count == 2 and projector.state.last_event_id == 11


def test_position_of_follows_timeline_order() -> None:

    inc = Incident().declared(0).note(1, "a").note(2, "b").note(0.5, "back-dated").note(3, "c")
    log = EventLog(inc.events)
    for position, event in enumerate(log):
        assert log.position_of(event.id) == position
    assert log.position_of(99) is None
    assert EventLog(inc.events[:3]).position_of(3) == 2
