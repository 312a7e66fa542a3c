"""The policy in force is part of the incident's record, on both backends.

Two seats with different local policies (checkpoint every 15 vs every 10 minutes)
on one database show the same clocks: the ones of the policy the declaration
recorded; a ``policy_set`` entry changes them for both.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from warroom.domain.events import EventKind, PolicySetData
from warroom.domain.policy import DEFAULT_POLICY, policy_from_mapping
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession, declare_incident
from warroom.store import Store

from .conftest import Backend

SEAT_15 = DEFAULT_POLICY  # checkpoint_minutes = 15
SEAT_10 = policy_from_mapping({"checkpoint_minutes": 10})


def _checkpoint(session: IncidentSession) -> tuple[str, timedelta | None]:
    clock = next(c for c in session.clocks() if c.id == "checkpoint")
    return clock.rule, clock.remaining


def _two_seats(store: Store, backend: Backend) -> tuple[IncidentSession, IncidentSession]:
    clock: FrozenTime = backend.clock
    record = declare_incident(store, "Checkout errors", severity=1, at=clock.now(),
                              author="priya", policy=SEAT_15)
    first = IncidentSession(store, record, time=clock, tz=UTC, author="priya", policy=SEAT_15)
    first.log("/ic priya")
    other = backend.open()
    second = IncidentSession(other, other.incident(record.id), time=clock, tz=UTC,
                             author="lena", policy=SEAT_10)
    return first, second


def test_two_seats_with_different_policies_show_the_same_clocks(
    store: Store, backend: Backend
) -> None:
    first, second = _two_seats(store, backend)
    try:
        backend.clock.advance(timedelta(minutes=3))
        assert _checkpoint(first) == _checkpoint(second)
        assert "15 min" in _checkpoint(second)[0]
        assert second.incident_policy == SEAT_15 and second.policy_recorded
    finally:
        second.store.close()


def test_policy_set_changes_the_clocks_of_every_seat(store: Store, backend: Backend) -> None:
    first, second = _two_seats(store, backend)
    try:
        written = second.set_policy(SEAT_10)
        assert written.kind == EventKind.POLICY_SET
        assert written.text == "checkpoint_minutes 15 → 10"
        assert written.author == backend.author(second.store, "lena")
        assert isinstance(written.data, PolicySetData)
        assert [(c.key, c.old, c.new) for c in written.data.changes] == [
            ("checkpoint_minutes", "15", "10")
        ]
        first.refresh()
        assert "10 min" in _checkpoint(first)[0]
        assert _checkpoint(first) == _checkpoint(second)
        assert first.state.policy_event == written.id
    finally:
        second.store.close()


def test_a_record_without_a_policy_uses_each_seats_own(store: Store, backend: Backend) -> None:
    clock = backend.clock
    record = declare_incident(store, "Old record", severity=1, at=clock.now(), author="priya")
    seat = IncidentSession(store, record, time=clock, tz=UTC, policy=SEAT_10)
    assert not seat.policy_recorded
    assert seat.incident_policy == SEAT_10
    assert "10 min" in _checkpoint(seat)[0]
    seat.set_policy(SEAT_15)  # recording one ends the fallback
    assert seat.policy_recorded and "15 min" in _checkpoint(seat)[0]
