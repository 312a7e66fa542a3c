"""EventLog.rows and EventLog.latest_instant: reading a whole log without building events."""

from __future__ import annotations

from datetime import timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.events import event_at
from tests.support.times import T0
from warroom.domain.eventlog import EventLog, latest_instant, trusted_event
from warroom.domain.events import (
    DecisionData,
    Event,
    NoteData,
    Role,
    RoleAssignedData,
    StatusPhase,
    StatusUpdateData,
)


def ev(id: int, minutes: float, *, key: bool = False, author: str = "ann",
       recorded_after: float = 1, data: object = None) -> Event:
    """An event ``minutes`` after T0, recorded ``recorded_after`` seconds later."""
    return event_at(id, minutes, data or NoteData(), f"entry {id}", author=author,
                    key=key, recorded_after=recorded_after)


def as_row(event: Event) -> tuple[object, ...]:
    """What :meth:`EventLog.rows` should yield for ``event``."""
    return (event.id, event.occurred_at, event.recorded_at, event.author, event.text, event.key,
            event.data)


def test_rows_of_an_empty_log() -> None:
    log = EventLog()
    assert list(log.rows()) == [] and list(log.rows(by_id=True)) == []
    assert log.latest_instant() is None


def test_rows_are_the_events_in_timeline_order_with_every_field() -> None:
    events = [ev(1, 0), ev(2, 5, key=True), ev(3, -2, author="bob"), ev(4, 5),
              ev(5, 1, data=StatusUpdateData(phase=StatusPhase.IDENTIFIED,
                                             components={"api": "major_outage"}))]
    log = EventLog(events)
    rows = list(log.rows())
    assert rows == [as_row(e) for e in log]
    assert [r[0] for r in rows] == [3, 1, 5, 2, 4]
    assert [trusted_event(*row) for row in rows] == list(log), "a row is an event's arguments"
    assert all(type(r[5]) is bool for r in rows) and rows[3][5] is True
    assert rows[2][6] is events[4].data, "payloads are shared, not copied"


def test_rows_by_id_are_the_events_ordered_by_id() -> None:
    log = EventLog([ev(3, 0), ev(1, 9), ev(2, -4)])
    assert [r[0] for r in log.rows()] == [2, 3, 1]
    assert list(log.rows(by_id=True)) == [as_row(e) for e in sorted(log, key=lambda e: e.id)]


def test_rows_by_id_keep_a_repeated_id_in_the_order_added() -> None:
    first, second = ev(2, 9, author="first"), ev(2, 0, author="second")
    log = EventLog([ev(1, 5), first, second])
    assert [r[3] for r in log.rows()] == ["second", "ann", "first"]
    assert [r[3] for r in log.rows(by_id=True)] == ["ann", "first", "second"]


def test_rows_follow_additions_and_copies_keep_theirs() -> None:
    log = EventLog([ev(1, 0), ev(2, 10)])
    copy = log.copy()
    log.add(ev(3, 5))  # back-dated: lands between 1 and 2
    log.add(ev(4, 20))
    assert [r[0] for r in log.rows()] == [1, 3, 2, 4]
    assert [r[0] for r in log.rows(by_id=True)] == [1, 2, 3, 4]
    assert [r[0] for r in copy.rows()] == [1, 2]


def test_rows_of_a_selection() -> None:
    log = EventLog([ev(1, 0), ev(2, -1, data=DecisionData()), ev(3, 2),
                    ev(4, -3, data=RoleAssignedData(role=Role.IC, person="ann"))])
    picked = log.select(lambda e: e.id != 3)
    assert list(picked.rows()) == [as_row(e) for e in picked]
    assert [r[0] for r in picked.rows(by_id=True)] == [1, 2, 4]


def test_latest_instant_is_the_latest_event_or_recorded_time() -> None:
    events = [ev(1, 0, recorded_after=3600), ev(2, 30), ev(3, -5)]
    log = EventLog(events)
    assert log.latest_instant() == T0 + timedelta(hours=1)
    assert log.latest_instant() == max(max(e.occurred_at, e.recorded_at) for e in events)
    assert latest_instant(events) == latest_instant(log) == T0 + timedelta(hours=1)
    assert latest_instant([]) is None and latest_instant(EventLog()) is None
    plus_two = timezone(timedelta(hours=2))
    zoned = ev(4, 90).model_copy(
        update={"occurred_at": (T0 + timedelta(minutes=90)).astimezone(plus_two)}
    )
    log.add(zoned)
    assert log.latest_instant() == T0 + timedelta(minutes=90, seconds=1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 40), st.integers(-30, 30), st.booleans(), st.integers(0, 90)),
        max_size=25,
    )
)
def test_rows_match_iterating_the_events(specs: list[tuple[int, int, bool, int]]) -> None:
    events = [ev(i, m, key=k, recorded_after=r) for i, m, k, r in specs]
    built = EventLog(events)
    added = EventLog()
    for event in events:
        added.add(event)
    for log in (built, added, built.copy()):
        assert list(log.rows()) == [as_row(e) for e in log]
        assert list(log.rows()) == [as_row(e) for e in sorted(events, key=lambda e: (
            e.occurred_at, e.id))]
        assert [r[0] for r in log.rows(by_id=True)] == sorted(e.id for e in events)
        assert sorted(log.rows(by_id=True), key=repr) == sorted(log.rows(), key=repr)
        expected = max((max(e.occurred_at, e.recorded_at) for e in events), default=None)
        assert log.latest_instant() == expected
