"""The event builders of the console's actions (escalation, checkpoint, roles, status)."""

from __future__ import annotations

import pytest

from tests.support.times import T0
from warroom.domain.actions import (
    checkpoint_event,
    checkpoint_text,
    escalation_reason,
    role_assignment_event,
    role_release_event,
    sev1_escalation_events,
    status_update_event,
)
from warroom.domain.events import (
    CheckpointData,
    ComponentState,
    EscalationData,
    EventKind,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.policy import Policy


def test_sev1_escalation_logs_severity_then_escalation_with_the_policy_reason() -> None:
    policy = Policy(sev2_escalation_minutes=45)
    events = sev1_escalation_events(now=T0, author="alice", policy=policy)
    assert [e.kind for e in events] == [EventKind.SEVERITY_SET, EventKind.ESCALATION]
    assert events[0].data == SeveritySetData(severity=Severity.SEV1)
    assert events[1].data == EscalationData()  # one level up
    assert {e.text for e in events} == {"SEV2 not mitigated within 45 min"}
    assert escalation_reason(policy) == "SEV2 not mitigated within 45 min"
    assert all(e.occurred_at == T0 and e.author == "alice" for e in events)


def test_checkpoint_event_labels_the_given_answers_and_skips_blank_ones() -> None:
    data = CheckpointData(know="db slow", escalate="no", status_page="yes")
    event = checkpoint_event(data, now=T0, author="ic")
    assert event.data == data
    assert event.text == "Checkpoint — Know: db slow · Escalate: no · Status page: yes"
    assert checkpoint_text(CheckpointData()) == "Checkpoint"


def test_role_builders_assign_and_release() -> None:
    assigned = role_assignment_event(Role.COMMS, "bob", now=T0, author="ic")
    assert assigned.data == RoleAssignedData(role=Role.COMMS, person="bob")
    assert (assigned.occurred_at, assigned.author, assigned.text) == (T0, "ic", "")
    released = role_release_event(Role.COMMS, now=T0, author="ic")
    assert released.data == RoleReleasedData(role=Role.COMMS)


def test_status_update_event_posts_the_text_verbatim_with_phase_and_components() -> None:
    components = {"Checkout": ComponentState.DEGRADED_PERFORMANCE}
    event = status_update_event(
        "  Some customers cannot pay [/b].\x1b]52;c;QQ==\x07 More soon.\n",
        StatusPhase.IDENTIFIED, components, now=T0, author="comms",
    )
    assert event.kind == EventKind.STATUS_UPDATE
    assert event.data == StatusUpdateData(phase=StatusPhase.IDENTIFIED, components=components)
    assert event.text == "Some customers cannot pay [/b]. More soon."  # cleaned, not rewritten
    assert (event.occurred_at, event.author) == (T0, "comms")
    components["Payments"] = ComponentState.MAJOR_OUTAGE  # the event keeps its own copy
    assert event.data.components == {"Checkout": ComponentState.DEGRADED_PERFORMANCE}


def test_status_update_event_refuses_an_update_without_words() -> None:
    with pytest.raises(ValueError, match="needs its text"):
        status_update_event(" \n\x1b[2J ", StatusPhase.MONITORING, {}, now=T0, author="comms")
