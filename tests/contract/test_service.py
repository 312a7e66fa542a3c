"""IncidentSession: one incident from one seat, over a real store of each backend."""

from __future__ import annotations

import time
from datetime import UTC, timedelta

import pytest

from tests.support.times import T0
from warroom.domain.clocks import ClockState
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    EventKind,
    NewEvent,
    NoteData,
    Phase,
    Role,
    Severity,
    sort_key,
)
from warroom.domain.parser import ParseError
from warroom.domain.timesource import FrozenTime
from warroom.service import (
    EntryError,
    IncidentSession,
    NoOpenIncidentError,
    SessionError,
    SeveralOpenIncidentsError,
    declare_incident,
    open_incident,
)
from warroom.store import Store

from .conftest import Backend


def _session(store: Store, clock: FrozenTime, title: str = "Checkout errors",
             severity: int | None = 2) -> IncidentSession:
    record = declare_incident(store, title, severity=severity, services=["checkout-api"],
                              at=clock.now(), author="priya")
    return IncidentSession(store, record, time=clock, tz=UTC, author="lena")


def test_declare_creates_a_declared_event(
    store: Store, frozen_time: FrozenTime, backend: Backend
) -> None:
    session = _session(store, frozen_time, severity=None)
    (declared,) = session.timeline
    assert declared.kind == EventKind.DECLARED
    assert declared.author == backend.author(store, "priya")
    assert session.state.title == "Checkout errors"
    assert session.state.services == ("checkout-api",)
    assert session.state.severity is None
    assert session.record.slug


def test_declare_refuses_an_empty_title(store: Store, frozen_time: FrozenTime) -> None:
    with pytest.raises(SessionError, match="title"):
        declare_incident(store, " \x1b[31m ", at=frozen_time.now(), author="priya")
    assert list(store.incidents()) == []


def test_log_parses_appends_and_updates_state(
    store: Store, frozen_time: FrozenTime, backend: Backend
) -> None:
    session = _session(store, frozen_time)
    frozen_time.advance(minutes=1)
    event = session.log("/ic marcus")
    assert event.id == 2
    assert event.author == backend.author(store, "lena")
    assert event.occurred_at == frozen_time.now()
    assert session.state.holder(Role.IC) == "marcus"
    assert session.state.phase == Phase.RESPONDING
    assert [e.id for e in store.events(session.incident_id)] == [1, 2]


def test_log_uses_the_given_author_on_sqlite_and_the_role_on_postgres(
    store: Store, frozen_time: FrozenTime, backend: Backend
) -> None:
    session = _session(store, frozen_time)
    assert session.log("hello", author="tomas").author == backend.author(store, "tomas")


def test_backdated_entries_sort_into_the_timeline(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    frozen_time.advance(minutes=10)
    session.log("a note now")
    back = session.log("@-15m /started")
    assert back.occurred_at == T0 - timedelta(minutes=5)
    assert [e.id for e in session.timeline] == [3, 1, 2]
    assert session.state.impact_started_at == back.occurred_at


def test_at_moves_the_entry_and_its_relative_backdate(
    store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    frozen_time.advance(minutes=30)
    at = T0 + timedelta(minutes=20)
    assert session.log("note", at=at).occurred_at == at
    assert session.log("@-5m note", at=at).occurred_at == at - timedelta(minutes=5)


def test_entries_in_the_future_are_refused(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    with pytest.raises(ParseError):
        session.log("note", at=T0 + timedelta(hours=1))
    assert len(store.events(session.incident_id)) == 1


def test_unknown_command_writes_nothing(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    with pytest.raises(ParseError, match="unknown command"):
        session.log("/sevv 1")
    assert len(store.events(session.incident_id)) == 1
    assert len(session.timeline) == 1


@pytest.mark.parametrize("line", ["/fix 99 better text", "/mark 42"])
def test_fix_and_mark_need_an_existing_target(
    store: Store, frozen_time: FrozenTime, line: str
) -> None:
    session = _session(store, frozen_time)
    with pytest.raises(EntryError, match=r"no entry #(99|42)"):
        session.log(line)
    assert len(store.events(session.incident_id)) == 1


def test_fix_target_must_be_in_this_incident(store: Store, frozen_time: FrozenTime) -> None:
    first = _session(store, frozen_time, title="First")
    for _ in range(3):
        first.log("filler")
    second = _session(store, frozen_time, title="Second")
    with pytest.raises(EntryError):
        second.log("/fix 3 not yours")


def test_fix_changes_the_display_text(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    note = session.log("rollback to v41")
    session.log(f"/fix {note.id} rollback to v42")
    assert note.text == "rollback to v41"
    assert session.display_text(note) == "rollback to v42"
    assert session.is_corrected(note)


def test_mark_makes_a_key_event(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    note = session.log("pool exhausted")
    assert not session.is_key(note)
    session.log(f"/mark {note.id}")
    assert session.is_key(note)


def _poll_until_fresh(session: IncidentSession) -> list:
    """Poll until something arrives (a NOTIFY reaches the listener a moment after COMMIT)."""
    for _ in range(200):
        fresh = session.poll()
        if fresh:
            return fresh
        time.sleep(0.01)
    return []


def test_poll_sees_another_seats_entries(
    backend: Backend, store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    assert session.poll() == []
    other_store = backend.open()
    try:
        other = IncidentSession(other_store, session.record, time=frozen_time, author="sam")
        written = other.log("from the other terminal")
    finally:
        other_store.close()
    fresh = _poll_until_fresh(session)
    assert [e.id for e in fresh] == [written.id]
    assert session.timeline[-1].text == "from the other terminal"
    assert session.poll() == []


def test_own_append_after_a_foreign_one_fills_the_gap(
    backend: Backend, store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    other_store = backend.open()
    try:
        IncidentSession(other_store, session.record, time=frozen_time).log("theirs")
    finally:
        other_store.close()
    mine = session.log("mine")
    assert mine.id == 3
    assert [e.text for e in session.timeline][1:] == ["theirs", "mine"]
    assert session.last_id == 3


def test_append_many_is_ingested(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    news = [NewEvent(occurred_at=frozen_time.now(), author="lena", text=f"n{i}", data=NoteData())
            for i in range(3)]
    events = session.append_many(news)
    assert [e.id for e in events] == [2, 3, 4]
    assert len(session.timeline) == 4


def test_reopening_a_session_gives_the_same_state(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    session.log("@-3m /detected")
    session.log("/sev 1 data loss suspected")
    again = IncidentSession(store, session.record, time=frozen_time)
    assert again.state == session.state
    assert [e.id for e in again.timeline] == [e.id for e in session.timeline]


def test_clocks_and_severity_follow_the_injected_time(
    store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time, severity=None)
    assert session.effective_severity().label == "unclassified"
    frozen_time.advance(minutes=10, seconds=1)
    effective = session.effective_severity()
    assert effective.severity == Severity.SEV2 and effective.defaulted
    clocks = session.clocks()
    assert clocks and all(c.state in ClockState for c in clocks)


def test_open_incident_by_ref_and_alone(store: Store, frozen_time: FrozenTime) -> None:
    with pytest.raises(NoOpenIncidentError):
        open_incident(store)
    session = _session(store, frozen_time)
    assert open_incident(store).id == session.record.id
    assert open_incident(store, session.record.slug).id == session.record.id
    assert open_incident(store, str(session.record.id)).id == session.record.id


def test_several_open_incidents_are_listed(store: Store, frozen_time: FrozenTime) -> None:
    a = _session(store, frozen_time, title="Checkout errors")
    b = _session(store, frozen_time, title="Search is slow")
    with pytest.raises(SeveralOpenIncidentsError) as info:
        open_incident(store)
    assert a.record.slug in str(info.value) and b.record.slug in str(info.value)
    b.log("/resolved search recovered")
    assert open_incident(store).id == a.record.id
    a.log("/resolved")
    with pytest.raises(NoOpenIncidentError, match="no incident is open"):
        open_incident(store)


def test_the_timeline_is_compact_and_reads_like_the_store(
    store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    session.log("@-5m checkout errors started")
    session.log("/decision roll back v42")
    timeline = session.timeline
    assert isinstance(timeline, EventLog), "no Event object is kept per entry"
    stored = store.events(session.incident_id)
    assert list(timeline) == sorted(stored, key=sort_key)
    assert session.event(2) == stored[1] and session.event(99) is None
    assert session.state == IncidentSession(store, session.record, time=frozen_time).state


def test_timeline_copy_is_a_snapshot(store: Store, frozen_time: FrozenTime) -> None:
    session = _session(store, frozen_time)
    session.log("first")
    snapshot = session.timeline_copy()
    session.log("second")
    session.log("@-10m back-dated")
    assert [e.text for e in snapshot][1:] == ["first"]
    assert [e.text for e in session.timeline][-2:] == ["first", "second"]
    assert session.timeline[0].text == "back-dated"
    snapshot.add(session.timeline[-1])  # the copy's owner may change it: the session's is apart
    assert len(session.timeline) == 4 and len(snapshot) == 3


def test_marking_a_key_entry_writes_nothing_and_unmark_takes_it_back(
    store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    note = session.log("pool exhausted")
    bang = session.log("! rollback started")
    session.log(f"/mark {note.id}")
    written = len(store.events(session.incident_id))
    for target in (note.id, bang.id):
        with pytest.raises(EntryError, match="already a key event"):
            session.log(f"/mark {target}")
    assert len(store.events(session.incident_id)) == written
    session.log(f"/unmark {note.id}")
    session.log(f"/unmark {bang.id}")
    assert not session.is_key(note) and not session.is_key(bang)
    with pytest.raises(EntryError, match="not a key event"):
        session.log(f"/unmark {note.id}")
    session.log(f"/mark {note.id}")
    assert session.is_key(note)


def test_an_entry_that_changes_nothing_is_refused_and_writes_nothing(
    store: Store, frozen_time: FrozenTime
) -> None:
    """Two seats typing /resolved (or a double Enter) must not record it twice."""
    session = _session(store, frozen_time)  # declared SEV2 (#1)
    session.log("/ic jo.kim")
    session.log("/sev1 half of checkouts fail")
    session.log("/resolved")
    written = len(store.events(session.incident_id))
    for line, problem in (
        ("/resolved", "the incident is already resolved (since #4): nothing logged"),
        ("/phase resolved again", "the incident is already resolved (since #4): nothing logged"),
        ("/sev 1", "the incident is already SEV1 (since #3): nothing logged"),
        ("/ic jo.kim", "jo.kim already holds Incident Commander (since #2): nothing logged"),
    ):
        with pytest.raises(EntryError) as refused:
            session.log(line)
        assert str(refused.value) == problem
    assert len(store.events(session.incident_id)) == written
    # A back-dated one may record when the change really happened: it is kept.
    session.log("@-5m /resolved")
    session.log("@-6m /sev1")
    # A real change still goes in; so does a hand-off and a reopening.
    session.log("/ic sam")
    session.log("/reopen fix failed")
    session.log("/resolved")
    assert session.state.phase == Phase.RESOLVED
    assert session.state.roles[Role.IC].person == "sam"


def test_a_second_milestone_typed_now_is_refused_a_back_dated_one_corrects_it(
    store: Store, frozen_time: FrozenTime
) -> None:
    """A later /ack would move the acknowledgement (and time to acknowledge) to now."""
    session = _session(store, frozen_time)
    session.log("@-20m /started")
    session.log("@-15m /detected customer tickets")
    ack = session.log("/ack")
    frozen_time.advance(timedelta(minutes=3))
    written = len(store.events(session.incident_id))
    for line, problem in (
        ("/ack", "the acknowledgement is already recorded (#4): nothing logged; "
                 "to correct its time, back-date the entry (e.g. @14:02 /ack)"),
        ("/started", "the impact start is already recorded (#2): nothing logged; "
                     "to correct its time, back-date the entry (e.g. @14:02 /started)"),
        ("/detected alert", "the first signal is already recorded (#3): nothing logged; "
                            "to correct its time, back-date the entry (e.g. @14:02 /detected)"),
    ):
        with pytest.raises(EntryError) as refused:
            session.log(line)
        assert str(refused.value) == problem
    assert len(store.events(session.incident_id)) == written
    assert session.state.acknowledged_at == ack.occurred_at
    # Back-dated, it is a correction of the time: it goes in and counts.
    session.log("@-10m /started")
    assert session.state.impact_started_at == frozen_time.now() - timedelta(minutes=10)


def test_releasing_an_empty_role_or_naming_the_same_owner_is_refused(
    store: Store, frozen_time: FrozenTime
) -> None:
    session = _session(store, frozen_time)
    session.log("/pm sam")
    written = len(store.events(session.incident_id))
    for line, problem in (
        ("/release ic", "Incident Commander is not held by anyone: nothing logged"),
        ("/pm sam", "sam already owns the post-mortem: nothing logged"),
    ):
        with pytest.raises(EntryError) as refused:
            session.log(line)
        assert str(refused.value) == problem
    assert len(store.events(session.incident_id)) == written
    session.log("/ic jo")
    session.log("/release ic")
    session.log("/pm lena")
    assert session.state.postmortem_owner == "lena" and Role.IC not in session.state.roles
