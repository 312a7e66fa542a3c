"""EventLog.kind_slots and key_slots (the projection's fast path) against a plain scan."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.times import T0
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    CommandData,
    DecisionData,
    Event,
    EventData,
    EventKind,
    NoteData,
    Role,
    RoleAssignedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.fold import TIMELINE_ONLY_KINDS, Projector, fold

_FOLDED = frozenset(EventKind) - TIMELINE_ONLY_KINDS

#: Payload objects shared by many events, as the store reads them.
_SHARED: list[EventData] = [
    NoteData(),
    DecisionData(),
    CommandData(),
    StatusUpdateData(phase=StatusPhase.INVESTIGATING),
    SeveritySetData(severity=Severity.SEV2),
]


def _fresh(rng: random.Random) -> EventData:
    """A payload object of its own, as events written in this process carry."""
    return rng.choice(
        [
            NoteData(),
            DecisionData(),
            RoleAssignedData(role=Role.IC, person="ann"),
            StatusUpdateData(phase=StatusPhase.MONITORING),
        ]
    )


def _log(rng: random.Random, size: int, weights: list[int], fresh: float,
         keys: list[int]) -> EventLog:
    """A log of ``size`` events whose payloads are mostly shared objects."""
    data = [
        _fresh(rng) if rng.random() < fresh else rng.choices(_SHARED, weights)[0]
        for _ in range(size)
    ]
    flags = bytearray(rng.choice(keys) if rng.random() < 0.05 else 0 for _ in range(size))
    at = [T0 + timedelta(seconds=rng.randint(-600, 600)) for _ in range(size)]
    return EventLog.from_columns(
        list(range(1, size + 1)), at, at[:], ["ann"] * size, [""] * size, flags, data,
        rising_ids=True,
    )


_sizes = st.sampled_from([0, 1, 5, 255, 256, 300, 2000])
_weights = st.lists(st.integers(0, 20), min_size=len(_SHARED), max_size=len(_SHARED)).filter(
    any
)
_kinds = st.frozensets(st.sampled_from(list(EventKind)))
#: Seeds for the builder's own generator (hypothesis' random objects record every draw).
_seeds = st.integers(0, 2**32)


@settings(max_examples=60, deadline=None)
@given(_seeds, _sizes, _weights, st.sampled_from([0, 0.01, 0.5, 1]),
       _kinds)
def test_kind_slots_are_the_slots_whose_kind_is_wanted(
    seed: int, size: int, weights: list[int], fresh: float, kinds: frozenset[EventKind]
) -> None:
    log = _log(random.Random(seed), size, weights, fresh, [1])
    columns = log.columns()
    expected = [slot for slot, kind in enumerate(columns.kinds) if kind in kinds]
    assert log.kind_slots(kinds) == expected
    assert log.kind_slots(_FOLDED) == [
        slot for slot in range(size) if log.event_at_slot(slot).kind in _FOLDED
    ]


@settings(max_examples=30, deadline=None)
@given(_seeds, _sizes, st.sampled_from([[1], [1, 2], [255]]))
def test_key_slots_are_the_flagged_slots(seed: int, size: int, keys: list[int]) -> None:
    log = _log(random.Random(seed), size, [1, 0, 0, 0, 0], 0, keys)
    flags = list(log.columns().keys)
    assert log.key_slots() == [slot for slot, flag in enumerate(flags) if flag]


def test_key_slots_many_flags_and_none() -> None:
    rng = random.Random(7)
    assert _log(rng, 1000, [1, 0, 0, 0, 0], 0, [1]).key_slots() != []
    plain = EventLog.from_columns(
        [1, 2], [T0, T0], [T0, T0], ["a", "b"], ["", ""], bytearray(2), [NoteData()] * 2,
        rising_ids=True,
    )
    assert plain.key_slots() == []
    flagged = EventLog.from_columns(
        [1, 2, 3], [T0] * 3, [T0] * 3, ["a"] * 3, [""] * 3, bytearray([1, 1, 0]),
        [NoteData()] * 3, rising_ids=True,
    )
    assert flagged.key_slots() == [0, 1]


@settings(max_examples=20, deadline=None)
@given(_seeds, st.sampled_from([260, 1000]), _weights,
       st.sampled_from([0, 0.02, 0.5]))
def test_a_projected_log_equals_folding_its_events(
    seed: int, size: int, weights: list[int], fresh: float
) -> None:
    log = _log(random.Random(seed), size, weights, fresh, [1])
    events: list[Event] = list(log)
    projector = Projector()
    projector.add(log)
    assert projector.state == fold(events)
