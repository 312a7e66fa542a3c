"""The policy as part of the record: recorded at declaration, changed by ``policy_set``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from tests.support.times import T0
from warroom.domain.events import DeclaredData, Event, NewEvent, PolicySetData
from warroom.domain.fold import Projector, fold
from warroom.domain.policy import DEFAULT_POLICY, policy_from_mapping
from warroom.domain.policy_record import (
    change_summary,
    policy_changes,
    policy_payload,
    policy_set_event,
)
from warroom.domain.state import policy_in_force, policy_is_recorded

TEN = policy_from_mapping({"checkpoint_minutes": 10})


def _event(new: NewEvent, event_id: int) -> Event:
    return Event.from_new(new, id=event_id, recorded_at=new.occurred_at)


def _declared(policy: dict[str, object] | None) -> Event:
    return _event(NewEvent(occurred_at=T0, author="priya",
                           data=DeclaredData(title="Checkout", policy=policy)), 1)


def test_the_declaration_records_the_policy_in_force() -> None:
    state = fold([_declared(policy_payload(TEN))])
    assert state.policy == TEN and state.policy_event == 1
    assert policy_in_force(state, DEFAULT_POLICY) == TEN and policy_is_recorded(state)


def test_a_record_without_a_policy_falls_back_to_the_seats() -> None:
    state = fold([_declared(None)])
    assert state.policy is None and not policy_is_recorded(state)
    assert policy_in_force(state, TEN) is TEN
    # Nothing about the policy is written into an old record's dump.
    assert "policy" not in _declared(None).model_dump(mode="json")["data"]


def test_the_latest_policy_by_id_wins_even_when_back_dated() -> None:
    later = _event(policy_set_event(DEFAULT_POLICY, TEN, at=T0 + timedelta(minutes=5),
                                    author="lena"), 2)
    back = policy_set_event(TEN, DEFAULT_POLICY, at=T0 + timedelta(minutes=1), author="sam")
    newest = _event(back, 3)
    for events in ([_declared(policy_payload(DEFAULT_POLICY)), later, newest],
                   [newest, later, _declared(policy_payload(DEFAULT_POLICY))]):
        state = fold(events)
        assert state.policy == DEFAULT_POLICY and state.policy_event == 3
    projector = Projector()
    projector.add([_declared(None)])
    projector.add([later])
    assert projector.state.policy == TEN and projector.state.policy_event == 2


def test_changes_name_the_numbers_that_moved() -> None:
    changed = policy_from_mapping({"checkpoint_minutes": 10, "severity": {"1": {"ack_minutes": 3}},
                                   "jargon": ["RCA"]})
    changes = policy_changes(DEFAULT_POLICY, changed)
    assert [c.key for c in changes] == ["checkpoint_minutes", "jargon", "severity.1.ack_minutes"]
    summary = change_summary(changes)
    assert summary.startswith("checkpoint_minutes 15 → 10; jargon [")
    assert summary.endswith("severity.1.ack_minutes 5 → 3")
    assert change_summary(()) == "policy recorded; no number changed"
    new = policy_set_event(DEFAULT_POLICY, changed, at=T0, author="lena")
    assert isinstance(new.data, PolicySetData)
    assert new.text == summary and new.data.changes == changes
    assert policy_from_mapping(new.data.policy) == changed


def test_many_changes_are_summarised() -> None:
    changed = policy_from_mapping({
        "checkpoint_minutes": 10, "ic_rotation_minutes": 60, "due_soon_minutes": 2,
        "sev2_escalation_minutes": 30, "war_room_unmitigated_minutes": 20,
        "escalation_stall_minutes": 20, "first_status_update_minutes": 10,
        "unclassified_default_minutes": 5,
    })
    summary = change_summary(policy_changes(DEFAULT_POLICY, changed))
    assert summary.endswith("; and 2 more")


def test_an_invalid_recorded_policy_is_refused() -> None:
    payload = policy_payload(DEFAULT_POLICY) | {"checkpoint_minutes": 0}
    with pytest.raises(ValidationError, match="checkpoint_minutes"):
        PolicySetData(policy=payload)
    with pytest.raises(ValidationError, match="unknown key"):
        DeclaredData(title="x", policy={"no_such_rule": 1})
