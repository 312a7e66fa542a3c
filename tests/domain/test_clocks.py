"""Every policy clock at its deadline ± 1 s, met / not-applicable cases, ordering."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.events import ONE_SECOND, Incident, at
from tests.support.times import T0
from warroom.domain.clocks import (
    CLOCK_IDS,
    Clock,
    ClockState,
    clocks,
    effective_severity,
    format_remaining,
    sort_clocks,
)
from warroom.domain.events import DetectionSource, Phase, Role, Severity, StatusPhase
from warroom.domain.policy import DEFAULT_POLICY, Policy, policy_from_toml
from warroom.domain.state import IncidentState
from warroom.domain.timesource import FrozenTime

ACTIVE_BEFORE = {ClockState.RUNNING, ClockState.DUE_SOON}
ALL_ROLES = (Role.IC, Role.COMMS, Role.TECH, Role.SCRIBE)


def clock(
    state: IncidentState, clock_id: str, now: datetime, policy: Policy = DEFAULT_POLICY
) -> Clock:
    """The clock ``clock_id`` of ``state`` at ``now``."""
    (found,) = [c for c in clocks(state, policy, now) if c.id == clock_id]
    return found


def assert_deadline(
    state: IncidentState,
    clock_id: str,
    deadline: datetime,
    policy: Policy = DEFAULT_POLICY,
    before: set[ClockState] | None = None,
) -> None:
    """At ``deadline`` − 1 s the clock counts down; at + 1 s it is overdue."""
    early = clock(state, clock_id, deadline - ONE_SECOND, policy)
    assert early.deadline == deadline
    assert early.state in (before or ACTIVE_BEFORE), early
    if early.state != ClockState.NOT_STARTED:
        assert early.remaining == ONE_SECOND
    late = clock(state, clock_id, deadline + ONE_SECOND, policy)
    assert late.deadline == deadline
    assert late.state == ClockState.OVERDUE, late
    assert late.remaining == -ONE_SECOND


# --- the shape of the answer -------------------------------------------------


def test_every_clock_is_returned_once_with_a_rule_and_name() -> None:
    state = Incident().declared(0, severity=1).state
    result = clocks(state, DEFAULT_POLICY, at(3))
    assert sorted(c.id for c in result) == sorted(CLOCK_IDS)
    for c in result:
        assert c.name and c.rule and "\n" not in c.rule


def test_empty_record_has_every_clock_not_applicable() -> None:
    result = clocks(IncidentState(), DEFAULT_POLICY, T0)
    assert {c.state for c in result} == {ClockState.NOT_APPLICABLE}
    assert all(c.deadline is None and c.remaining is None for c in result)


def test_clocks_are_pure_functions_of_state_and_now() -> None:
    state = Incident().declared(0, severity=2).role(1, Role.IC, "alice").state
    frozen = FrozenTime(T0)
    first = clocks(state, DEFAULT_POLICY, frozen.advance(minutes=7))
    assert first == clocks(state, DEFAULT_POLICY, at(7))
    later = clocks(state, DEFAULT_POLICY, frozen.advance(minutes=60))
    assert first != later


# --- classify (docs/rules.md §2: 10 min unclassified → SEV2 default) -------------------


def test_classify_deadline_is_ten_minutes_after_declaration() -> None:
    state = Incident().declared(0).state
    assert_deadline(state, "classify", at(10))
    assert "10 min" in clock(state, "classify", at(1)).rule


def test_classify_met_once_a_severity_is_set_even_late() -> None:
    state = Incident().declared(0).sev(25, 3, "minor").state
    assert clock(state, "classify", at(30)).state == ClockState.MET


def test_classify_met_when_declared_with_a_severity() -> None:
    state = Incident().declared(0, severity=4).state
    assert clock(state, "classify", at(1)).state == ClockState.MET


def test_classify_is_no_obligation_once_resolved() -> None:
    """docs/rules.md §2: classifying is triage; a resolved incident owes it no more."""
    inc = Incident().declared(0)
    assert clock(inc.state, "classify", at(30)).state == ClockState.OVERDUE
    resolved = inc.resolved(40).state
    found = clock(resolved, "classify", at(50))
    assert found.state == ClockState.NOT_APPLICABLE
    assert "resolved" in found.rule
    reopened = inc.phase(60, Phase.RESPONDING, reopened=True).state
    assert clock(reopened, "classify", at(61)).state == ClockState.OVERDUE


def test_an_unacknowledged_page_is_not_overdue_once_resolved() -> None:
    """Nobody pages the secondary for an incident that is over (docs/rules.md §5)."""
    inc = Incident().declared(0, severity=2)
    assert clock(inc.state, "ack", at(30)).state == ClockState.OVERDUE
    found = clock(inc.resolved(40).state, "ack", at(50))
    assert found.state == ClockState.NOT_APPLICABLE and "resolved" in found.rule


# --- effective severity -------------------------------------------------------


def test_unclassified_becomes_sev2_default_at_ten_minutes() -> None:
    state = Incident().declared(0).state
    before = effective_severity(state, DEFAULT_POLICY, at(10) - ONE_SECOND)
    assert before.severity is None
    assert before.label == "unclassified"
    assert not before.defaulted
    after = effective_severity(state, DEFAULT_POLICY, at(10) + ONE_SECOND)
    assert after.severity == Severity.SEV2
    assert after.defaulted
    assert after.label == "SEV2 (default)"
    assert after.since == at(10)


def test_classifying_ends_the_default() -> None:
    state = Incident().declared(0).sev(20, 1, "data loss").state
    eff = effective_severity(state, DEFAULT_POLICY, at(21))
    assert (eff.severity, eff.defaulted, eff.since, eff.label) == (
        Severity.SEV1,
        False,
        at(20),
        "SEV1",
    )


def test_confirming_the_default_keeps_its_start() -> None:
    state = Incident().declared(0).sev(20, 2, "confirmed").state
    eff = effective_severity(state, DEFAULT_POLICY, at(21))
    assert (eff.severity, eff.defaulted, eff.since, eff.label) == (
        Severity.SEV2,
        False,
        at(10),
        "SEV2",
    )


def test_classified_before_the_default_never_defaults() -> None:
    state = Incident().declared(0).sev(5, 3).state
    eff = effective_severity(state, DEFAULT_POLICY, at(60))
    assert (eff.severity, eff.defaulted, eff.since) == (Severity.SEV3, False, at(5))


def test_severity_since_is_the_last_change() -> None:
    state = Incident().declared(0, severity=3).sev(5, 2).sev(9, 2).sev(40, 1).state
    assert effective_severity(state, DEFAULT_POLICY, at(41)).since == at(40)
    state = Incident().declared(0, severity=3).sev(5, 2).sev(9, 2).state
    assert effective_severity(state, DEFAULT_POLICY, at(41)).since == at(5)


def test_default_minutes_and_severity_come_from_policy() -> None:
    policy = policy_from_toml(
        "unclassified_default_minutes = 4\nunclassified_default_severity = 1\n"
    )
    state = Incident().declared(0).state
    assert effective_severity(state, policy, at(4) - ONE_SECOND).severity is None
    eff = effective_severity(state, policy, at(4) + ONE_SECOND)
    assert eff.label == "SEV1 (default)"
    assert_deadline(state, "classify", at(4), policy)


# --- ack window (docs/rules.md §2, §5) -------------------------------------------------


def test_sev1_ack_within_five_minutes_of_back_dated_detection() -> None:
    state = Incident().declared(0, severity=1).detected(-3).state
    assert_deadline(state, "ack", at(2))
    c = clock(state, "ack", at(0))
    assert c.rule == "SEV1: acknowledge within 5 min of detection"
    assert c.action == "Page the secondary on-call"
    assert c.started_at == at(-3)


def test_sev2_ack_counts_from_declaration_without_detection() -> None:
    state = Incident().declared(0, severity=2).state
    assert_deadline(state, "ack", at(15))


def test_unclassified_incident_runs_the_default_severity_ack_window() -> None:
    state = Incident().declared(0).state
    assert_deadline(state, "ack", at(15))


def test_ack_met_when_acknowledged() -> None:
    state = Incident().declared(0, severity=1).ack(2).state
    c = clock(state, "ack", at(30))
    assert c.state == ClockState.MET
    assert c.remaining is None


@pytest.mark.parametrize("severity", [3, 4])
def test_ack_not_applicable_for_sev3_and_sev4(severity: int) -> None:
    state = Incident().declared(0, severity=severity).state
    assert clock(state, "ack", at(100)).state == ClockState.NOT_APPLICABLE


def test_ack_window_override() -> None:
    policy = policy_from_toml("[policy.severity.1]\nack_minutes = 3\n")
    state = Incident().declared(0, severity=1).state
    assert_deadline(state, "ack", at(3), policy)
    assert "3 min" in clock(state, "ack", at(1), policy).rule


# --- roles (docs/rules.md §3) ----------------------------------------------------------


def test_sev1_roles_within_fifteen_minutes_and_rule_lists_missing() -> None:
    state = Incident().declared(0, severity=1).role(1, Role.IC, "alice").state
    assert_deadline(state, "roles", at(15))
    c = clock(state, "roles", at(2))
    assert "15 min" in c.rule
    assert c.rule.endswith("missing: Comms, Tech, Scribe")


def test_sev2_requires_ic_comms_tech_within_five_minutes() -> None:
    state = Incident().declared(0, severity=2).roles(1, Role.IC, Role.TECH).state
    assert_deadline(state, "roles", at(5))
    assert clock(state, "roles", at(2)).rule.endswith("missing: Comms")
    filled = Incident().declared(0, severity=2).roles(1, Role.IC, Role.TECH, Role.COMMS).state
    assert clock(filled, "roles", at(20)).state == ClockState.MET


def test_all_sev1_roles_filled_is_met() -> None:
    state = Incident().declared(0, severity=1).roles(3, *ALL_ROLES).state
    assert clock(state, "roles", at(20)).state == ClockState.MET


def test_releasing_a_required_role_reopens_the_roles_clock() -> None:
    state = Incident().declared(0, severity=1).roles(3, *ALL_ROLES).release(20, Role.SCRIBE).state
    c = clock(state, "roles", at(21))
    assert c.state == ClockState.OVERDUE
    assert c.rule.endswith("missing: Scribe")


def test_escalation_to_sev1_restarts_the_roles_clock() -> None:
    inc = Incident().declared(0, severity=2).roles(1, Role.IC, Role.TECH, Role.COMMS)
    state = inc.sev(20, 1, "data loss suspected").state
    assert_deadline(state, "roles", at(35))
    assert clock(state, "roles", at(21)).rule.endswith("missing: Scribe")


def test_roles_start_when_the_default_severity_applies() -> None:
    state = Incident().declared(0).state
    assert clock(state, "roles", at(9)).state == ClockState.NOT_STARTED
    assert clock(state, "roles", at(9)).deadline == at(15)
    assert_deadline(state, "roles", at(15))


def test_escalating_keeps_an_overdue_roles_deadline() -> None:
    inc = Incident().declared(0, severity=2)
    assert clock(inc.state, "roles", at(10)).state == ClockState.OVERDUE
    state = inc.sev(10, 1, "worse").state
    c = clock(state, "roles", at(11))
    assert c.state == ClockState.OVERDUE
    assert c.deadline == at(5)
    assert "earlier SEV2 deadline stands" in c.rule


def test_escalating_never_moves_a_running_roles_deadline_later() -> None:
    state = Incident().declared(0, severity=2).sev(3, 1, "worse").state
    assert_deadline(state, "roles", at(5))


def test_each_role_has_its_own_clock_for_the_roster() -> None:
    from warroom.domain.clocks import role_clocks

    state = Incident().declared(0, severity=2).sev(10, 1, "worse").state
    own = role_clocks(state, DEFAULT_POLICY, at(11))
    assert own[Role.COMMS].state == ClockState.OVERDUE and own[Role.COMMS].deadline == at(5)
    assert own[Role.SCRIBE].state == ClockState.RUNNING and own[Role.SCRIBE].deadline == at(25)
    assert own[Role.SCRIBE].action == "Assign Scribe"
    # The incident's one roles clock runs to the earliest.
    assert clock(state, "roles", at(11)).deadline == at(5)


def test_a_role_only_the_new_severity_requires_gets_the_new_window() -> None:
    inc = Incident().declared(0, severity=2).roles(1, Role.IC, Role.COMMS, Role.TECH)
    state = inc.sev(20, 1, "worse").state
    assert_deadline(state, "roles", at(35))


@pytest.mark.parametrize("severity", [3, 4])
def test_roles_not_applicable_for_single_owner_severities(severity: int) -> None:
    state = Incident().declared(0, severity=severity).state
    assert clock(state, "roles", at(60)).state == ClockState.NOT_APPLICABLE


# --- SEV2 → SEV1 (docs/rules.md §2) ----------------------------------------------------


def test_sev2_not_mitigated_in_sixty_minutes_escalates() -> None:
    state = Incident().declared(0, severity=2).state
    assert_deadline(state, "sev2_escalation", at(60))
    c = clock(state, "sev2_escalation", at(1))
    assert c.name == "SEV2 → SEV1"
    assert "60 min" in c.rule
    assert c.action.startswith("Escalate to SEV1 procedures")


def test_sev2_escalation_counts_from_becoming_sev2() -> None:
    state = Incident().declared(0, severity=3).sev(12, 2, "worse").state
    assert_deadline(state, "sev2_escalation", at(72))


def test_sev2_default_escalation_counts_from_the_default() -> None:
    state = Incident().declared(0).state
    assert clock(state, "sev2_escalation", at(5)).state == ClockState.NOT_STARTED
    assert_deadline(state, "sev2_escalation", at(70))


def test_sev2_escalation_met_when_mitigated() -> None:
    state = Incident().declared(0, severity=2).mitigated(40).state
    assert clock(state, "sev2_escalation", at(90)).state == ClockState.MET


def test_sev2_escalation_restarts_after_reopening() -> None:
    state = Incident().declared(0, severity=2).mitigated(40).reopen(90).state
    assert_deadline(state, "sev2_escalation", at(150))


@pytest.mark.parametrize("severity", [1, 3, 4])
def test_sev2_escalation_not_applicable_for_other_severities(severity: int) -> None:
    state = Incident().declared(0, severity=severity).state
    assert clock(state, "sev2_escalation", at(90)).state == ClockState.NOT_APPLICABLE


# --- war room (docs/rules.md §4) -------------------------------------------------------


def test_sev2_not_mitigated_in_thirty_minutes_needs_a_war_room() -> None:
    state = Incident().declared(0, severity=2).state
    assert_deadline(state, "war_room", at(30))
    assert "30 min" in clock(state, "war_room", at(1)).rule


def test_sev1_war_room_is_required_at_once_with_time_to_assign_an_ic() -> None:
    state = Incident().declared(0, severity=1).state
    assert_deadline(state, "war_room", at(5), before={ClockState.DUE_SOON})
    assert clock(state, "war_room", at(0)).state == ClockState.DUE_SOON
    assert clock(state, "war_room", at(0)).rule == "SEV1: war room required at once (within 5 min)"


def test_war_room_met_while_responding_or_mitigated() -> None:
    responding = Incident().declared(0, severity=1).role(2, Role.IC, "alice").state
    assert clock(responding, "war_room", at(40)).state == ClockState.MET
    mitigated = Incident().declared(0, severity=2).mitigated(20).state
    assert clock(mitigated, "war_room", at(40)).state == ClockState.MET


def test_several_services_need_a_war_room_at_once() -> None:
    state = Incident().declared(0, severity=3, services=("checkout", "payments")).state
    assert_deadline(state, "war_room", at(5), before={ClockState.DUE_SOON})
    assert "checkout, payments" in clock(state, "war_room", at(1)).rule


def test_war_room_is_not_overdue_one_second_after_declaring_several_services() -> None:
    state = Incident().declared(0, severity=2, services=("checkout", "payments")).state
    assert clock(state, "war_room", at(0) + ONE_SECOND).state == ClockState.DUE_SOON


def test_war_room_action_names_what_meets_it() -> None:
    inc = Incident().declared(0, severity=1)
    action = clock(inc.state, "war_room", at(1)).action
    assert "/ic NAME" in action and "/responding" in action
    assert "Open the war room" not in action
    # ... and doing what it says meets it.
    assert clock(inc.role(2, Role.IC, "alice").state, "war_room", at(3)).state == ClockState.MET
    responding = Incident().declared(0, severity=1).phase(2, Phase.RESPONDING).state
    assert clock(responding, "war_room", at(3)).state == ClockState.MET


@pytest.mark.parametrize("severity", [3, 4])
def test_war_room_not_applicable_for_minor_single_service(severity: int) -> None:
    state = Incident().declared(0, severity=severity).state
    assert clock(state, "war_room", at(60)).state == ClockState.NOT_APPLICABLE


def test_war_room_minutes_override() -> None:
    policy = policy_from_toml("war_room_unmitigated_minutes = 20\n")
    state = Incident().declared(0, severity=2).state
    assert_deadline(state, "war_room", at(20), policy)


# --- escalation (docs/rules.md §5) -----------------------------------------------------


def test_no_mitigation_progress_for_thirty_minutes_escalates() -> None:
    state = Incident().declared(0, severity=2).detected(-4).state
    assert_deadline(state, "escalation", at(30))
    c = clock(state, "escalation", at(1))
    assert "30 min" in c.rule
    assert "L1 primary on-call" in c.rule
    assert c.action.startswith("Escalate to L2 secondary + team lead")


def test_escalation_clock_restarts_at_each_escalation_and_shows_the_level() -> None:
    state = Incident().declared(0, severity=1).escalate(20, reason="stuck").state
    assert_deadline(state, "escalation", at(50))
    c = clock(state, "escalation", at(21))
    assert "L2 secondary + team lead" in c.rule
    assert "L3" in c.action


def test_customer_reported_detection_escalates_at_once() -> None:
    inc = Incident().declared(0, severity=2).detected(-2, DetectionSource.CUSTOMER)
    assert_deadline(inc.state, "escalation", at(-2), before={ClockState.NOT_STARTED})
    assert clock(inc.state, "escalation", at(0)).rule.startswith("Customer-reported")
    escalated = inc.escalate(1, reason="customer report").state
    assert_deadline(escalated, "escalation", at(31))


def test_escalation_met_when_mitigated() -> None:
    inc = Incident().declared(0, severity=2).detected(-2, DetectionSource.CUSTOMER)
    state = inc.mitigated(10).state
    assert clock(state, "escalation", at(100)).state == ClockState.MET


def test_escalation_restarts_after_reopening() -> None:
    state = Incident().declared(0, severity=2).mitigated(10).reopen(50).state
    assert_deadline(state, "escalation", at(80))


def test_escalation_not_applicable_at_the_top_of_the_ladder() -> None:
    state = Incident().declared(0, severity=1).escalate(5, level=4).state
    c = clock(state, "escalation", at(60))
    assert c.state == ClockState.NOT_APPLICABLE
    assert "L4" in c.rule


@pytest.mark.parametrize("severity", [3, 4])
def test_escalation_not_applicable_without_paging(severity: int) -> None:
    state = Incident().declared(0, severity=severity).state
    assert clock(state, "escalation", at(60)).state == ClockState.NOT_APPLICABLE


# --- IC checkpoint (docs/rules.md §4) --------------------------------------------------


def test_checkpoint_every_fifteen_minutes_from_responding() -> None:
    inc = Incident().declared(0, severity=1).role(2, Role.IC, "alice")
    assert_deadline(inc.state, "checkpoint", at(17))
    state = inc.checkpoint(16).state
    assert_deadline(state, "checkpoint", at(31))
    assert clock(state, "checkpoint", at(20)).action.startswith("Run the IC checkpoint")


def test_checkpoint_not_started_before_the_war_room_opens() -> None:
    state = Incident().declared(0, severity=2).state
    assert clock(state, "checkpoint", at(5)).state == ClockState.NOT_STARTED


def test_checkpoint_keeps_running_after_mitigation_until_resolved() -> None:
    inc = Incident().declared(0, severity=2).role(1, Role.IC, "alice").mitigated(10)
    assert_deadline(inc.state, "checkpoint", at(16))
    resolved = inc.resolved(20).state
    assert clock(resolved, "checkpoint", at(60)).state == ClockState.NOT_APPLICABLE


def test_checkpoint_restarts_at_reopening() -> None:
    inc = Incident().declared(0, severity=2).role(1, Role.IC, "alice").mitigated(10)
    state = inc.reopen(40).state
    assert_deadline(state, "checkpoint", at(55))


def test_checkpoint_minutes_from_a_toml_override() -> None:
    policy = policy_from_toml("[policy]\ncheckpoint_minutes = 10\n")
    state = Incident().declared(0, severity=1).role(2, Role.IC, "alice").state
    assert_deadline(state, "checkpoint", at(12), policy)
    assert "10 min" in clock(state, "checkpoint", at(3), policy).rule


@pytest.mark.parametrize("severity", [3, 4])
def test_checkpoint_not_applicable_without_war_room(severity: int) -> None:
    state = Incident().declared(0, severity=severity).role(1, Role.IC, "alice").state
    assert clock(state, "checkpoint", at(60)).state == ClockState.NOT_APPLICABLE


# --- status updates (docs/rules.md §4, §6) ---------------------------------------------


def test_first_status_update_due_fifteen_minutes_after_declaration() -> None:
    state = Incident().declared(0, severity=2).state
    assert_deadline(state, "status_update", at(15))


@pytest.mark.parametrize(
    ("phase", "cadence"),
    [
        (StatusPhase.INVESTIGATING, 30),
        (StatusPhase.IDENTIFIED, 30),
        (StatusPhase.MONITORING, 60),
    ],
)
def test_next_status_update_follows_the_cadence_of_its_phase(
    phase: StatusPhase, cadence: int
) -> None:
    state = Incident().declared(0, severity=1).status(10).status(25, phase).state
    assert_deadline(state, "status_update", at(25 + cadence))
    assert f"{cadence} min" in clock(state, "status_update", at(26)).rule


def test_a_back_filled_status_update_does_not_restart_the_cadence() -> None:
    # 14:30 update posted, then the 14:05 one that had been forgotten is back-filled:
    # the next update is still due 30 min after 14:30, not after 14:05.
    state = Incident().declared(0, severity=2).status(30).status(5).state
    assert_deadline(state, "status_update", at(60))
    assert clock(state, "status_update", at(40)).state is ClockState.RUNNING


def test_resolved_status_update_meets_the_clock() -> None:
    inc = Incident().declared(0, severity=2).status(10).status(50, StatusPhase.RESOLVED)
    assert clock(inc.state, "status_update", at(500)).state == ClockState.MET


def test_reopening_after_the_resolved_update_needs_a_new_update() -> None:
    inc = Incident().declared(0, severity=2).status(10).mitigated(40)
    state = inc.status(50, StatusPhase.RESOLVED).resolved(55).reopen(70).state
    assert_deadline(state, "status_update", at(85))


def test_status_update_optional_for_sev3_is_a_reminder_never_overdue() -> None:
    inc = Incident().declared(0, severity=3)
    before = clock(inc.state, "status_update", at(15) - ONE_SECOND)
    assert before.deadline == at(15) and before.state == ClockState.DUE_SOON
    assert "optional" in clock(inc.state, "status_update", at(1)).rule
    for state in (inc.state, inc.status(5).state):
        late = clock(state, "status_update", at(600))
        assert late.state == ClockState.DUE_SOON, late
        assert late.remaining == timedelta(0)
        assert late.action.startswith("Optional:")


def test_status_update_not_applicable_for_sev4() -> None:
    state = Incident().declared(0, severity=4).state
    assert clock(state, "status_update", at(60)).state == ClockState.NOT_APPLICABLE


def test_status_cadence_override() -> None:
    policy = policy_from_toml(
        "first_status_update_minutes = 7\n[status_cadence_minutes]\ninvestigating = 20\n"
    )
    inc = Incident().declared(0, severity=2)
    assert_deadline(inc.state, "status_update", at(7), policy)
    assert_deadline(inc.status(5).state, "status_update", at(25), policy)


# --- IC rotation (docs/rules.md §3) ----------------------------------------------------


def test_ic_rotated_after_two_hours() -> None:
    inc = Incident().declared(0, severity=1).role(1, Role.IC, "alice")
    assert_deadline(inc.state, "ic_rotation", at(121))
    assert "alice" in clock(inc.state, "ic_rotation", at(2)).rule
    assert "2 h" in clock(inc.state, "ic_rotation", at(2)).rule
    handed = inc.role(100, Role.IC, "bob").state
    assert_deadline(handed, "ic_rotation", at(220))


def test_ic_rotation_not_started_without_ic_and_not_applicable_after_resolution() -> None:
    inc = Incident().declared(0, severity=1)
    assert clock(inc.state, "ic_rotation", at(10)).state == ClockState.NOT_STARTED
    resolved = inc.role(1, Role.IC, "alice").mitigated(30).resolved(40).state
    assert clock(resolved, "ic_rotation", at(200)).state == ClockState.NOT_APPLICABLE


# --- post-mortem owner (docs/rules.md §7) ----------------------------------------------


def test_postmortem_owner_named_within_an_hour_of_resolution() -> None:
    inc = Incident().declared(0, severity=1).mitigated(30)
    assert clock(inc.state, "postmortem_owner", at(31)).state == ClockState.NOT_STARTED
    state = inc.resolved(60).state
    assert_deadline(state, "postmortem_owner", at(120))
    named = inc.pm_owner(70, "carol").state
    assert clock(named, "postmortem_owner", at(200)).state == ClockState.MET


def test_postmortem_not_required_for_short_sev3() -> None:
    state = Incident().declared(0, severity=3).resolved(60).state
    assert clock(state, "postmortem_owner", at(61)).state == ClockState.NOT_APPLICABLE


def test_postmortem_required_for_long_sev3() -> None:
    state = Incident().declared(0, severity=3).resolved(5 * 60).state
    assert_deadline(state, "postmortem_owner", at(6 * 60))


def test_postmortem_hours_override() -> None:
    policy = policy_from_toml("[postmortem]\nowner_named_hours = 2\n")
    state = Incident().declared(0, severity=2).impact(0).resolved(60).state
    assert_deadline(state, "postmortem_owner", at(180), policy)


def test_the_owner_clock_follows_the_post_mortem_rule() -> None:
    """A SEV2 needs a post-mortem (so an owner) only with customer impact; a policy's
    post-mortem rule decides, and the old ``postmortem_severities`` key is ignored."""
    quiet = Incident().declared(0, severity=2).resolved(60).state
    assert clock(quiet, "postmortem_owner", at(61)).state == ClockState.NOT_APPLICABLE
    reported = Incident().declared(0, severity=2).detected(0, DetectionSource.CUSTOMER).resolved(60)
    assert_deadline(reported.state, "postmortem_owner", at(120))
    strict = policy_from_toml(
        "postmortem_severities = [3]\n[postmortem_rule]\nalways = [1, 2, 3]\n"
    )
    sev3 = Incident().declared(0, severity=3).resolved(60).state
    assert_deadline(sev3, "postmortem_owner", at(120), strict)


# --- due soon, ordering, formatting -------------------------------------------


def test_due_soon_threshold_comes_from_policy() -> None:
    state = Incident().declared(0, severity=2).state
    assert clock(state, "ack", at(10) - ONE_SECOND).state == ClockState.RUNNING
    assert clock(state, "ack", at(10)).state == ClockState.DUE_SOON
    never = policy_from_toml("due_soon_minutes = 0\n")
    assert clock(state, "ack", at(15) - ONE_SECOND, never).state == ClockState.RUNNING


def test_order_most_urgent_first() -> None:
    state = (
        Incident()
        .declared(0, severity=1)
        .detected(-10)
        .ack(3)
        .role(1, Role.IC, "alice")
        .status(4)
        .state
    )
    result = clocks(state, DEFAULT_POLICY, at(40))
    assert [(c.id, c.state, c.remaining) for c in result] == [
        ("roles", ClockState.OVERDUE, -timedelta(minutes=25)),
        ("checkpoint", ClockState.OVERDUE, -timedelta(minutes=24)),
        ("escalation", ClockState.OVERDUE, -timedelta(minutes=10)),
        ("status_update", ClockState.OVERDUE, -timedelta(minutes=6)),
        ("ic_rotation", ClockState.RUNNING, timedelta(minutes=81)),
        ("postmortem_owner", ClockState.NOT_STARTED, None),
        ("classify", ClockState.MET, None),
        ("ack", ClockState.MET, None),
        ("war_room", ClockState.MET, None),
        ("sev2_escalation", ClockState.NOT_APPLICABLE, None),
    ]
    early = [(c.id, c.state) for c in clocks(state, DEFAULT_POLICY, at(14))]
    assert early[:4] == [
        ("roles", ClockState.DUE_SOON),
        ("checkpoint", ClockState.DUE_SOON),
        ("escalation", ClockState.RUNNING),
        ("status_update", ClockState.RUNNING),
    ]


def _fake(clock_id: str, state: ClockState, minutes: float | None = None) -> Clock:
    remaining = timedelta(minutes=minutes) if minutes is not None else None
    return Clock(id=clock_id, name=clock_id, rule="r", state=state, remaining=remaining)


def test_sort_clocks_ranks_states_then_remaining() -> None:
    items = [
        _fake("ack", ClockState.NOT_APPLICABLE),
        _fake("roles", ClockState.MET),
        _fake("war_room", ClockState.RUNNING, 20),
        _fake("checkpoint", ClockState.RUNNING, 8),
        _fake("classify", ClockState.NOT_STARTED),
        _fake("escalation", ClockState.DUE_SOON, 2),
        _fake("status_update", ClockState.OVERDUE, -1),
        _fake("ic_rotation", ClockState.OVERDUE, -30),
    ]
    assert [c.id for c in sort_clocks(items)] == [
        "ic_rotation",
        "status_update",
        "escalation",
        "checkpoint",
        "war_room",
        "classify",
        "roles",
        "ack",
    ]


@settings(max_examples=60, deadline=None)
@given(minutes=st.integers(min_value=-30, max_value=600))
def test_result_is_always_sorted(minutes: int) -> None:
    state = (
        Incident()
        .declared(0)
        .detected(-5, DetectionSource.CUSTOMER)
        .role(3, Role.IC, "alice")
        .sev(12, 2)
        .status(20)
        .state
    )
    result = clocks(state, DEFAULT_POLICY, at(minutes))
    assert sort_clocks(result) == result
    rank = [
        ClockState.OVERDUE,
        ClockState.DUE_SOON,
        ClockState.RUNNING,
        ClockState.NOT_STARTED,
        ClockState.MET,
        ClockState.NOT_APPLICABLE,
    ]
    positions = [rank.index(c.state) for c in result]
    assert positions == sorted(positions)
    for c in result:
        assert (c.remaining is not None) == c.is_active
        if c.state == ClockState.OVERDUE:
            assert c.remaining is not None and c.remaining < timedelta(0)


@pytest.mark.parametrize(
    ("td", "text"),
    [
        (timedelta(minutes=4, seconds=3), "4m 03s"),
        (timedelta(minutes=4, seconds=3, microseconds=900_000), "4m 03s"),
        (-timedelta(minutes=12, seconds=10), "12m 10s overdue"),
        (-timedelta(seconds=2), "2s overdue"),
        (-timedelta(seconds=59, microseconds=500_000), "59s overdue"),
        (-timedelta(minutes=1), "1m overdue"),
        (timedelta(hours=1, minutes=2, seconds=59), "1h 02m"),
        (-timedelta(hours=2, minutes=5), "2h 05m overdue"),
        (timedelta(0), "due now"),
        (timedelta(microseconds=500_000), "0s"),
        (timedelta(seconds=59), "59s"),
        (timedelta(hours=26), "1d 02h"),
        (timedelta(hours=2), "2h"),
    ],
)
def test_format_remaining(td: timedelta, text: str) -> None:
    assert format_remaining(td) == text


def test_a_policy_with_other_numbers_moves_every_deadline() -> None:
    policy = policy_from_toml(
        """
        unclassified_default_minutes = 3
        sev2_escalation_minutes = 45
        war_room_unmitigated_minutes = 25
        checkpoint_minutes = 11
        ic_rotation_minutes = 90
        first_status_update_minutes = 9
        escalation_stall_minutes = 17
        [severity.2]
        ack_minutes = 8
        role_fill_minutes = 4
        """
    )
    state = Incident().declared(0).role(1, Role.IC, "alice").state
    expected = {
        "classify": at(3),
        "ack": at(8),
        "roles": at(7),
        "sev2_escalation": at(48),
        "war_room": None,  # met: responding since minute 1
        "checkpoint": at(12),
        "status_update": at(9),
        "ic_rotation": at(91),
        "escalation": at(17),
    }
    for clock_id, deadline in expected.items():
        if deadline is not None:
            assert_deadline(state, clock_id, deadline, policy)
