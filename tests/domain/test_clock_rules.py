"""What the countdowns pane says: each clock's name, rule and action, and the rules'
edge cases (re-openings, ties, the top of the ladder, long incidents)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.events import Incident, at
from warroom.domain.clocks import (
    CLOCK_IDS,
    Clock,
    ClockState,
    clocks,
    role_clocks,
    sort_clocks,
)
from warroom.domain.events import DetectionSource, Phase, Role, StatusPhase
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.state import IncidentState

NAMES = {
    "classify": "Classify",
    "ack": "Ack window",
    "roles": "Roles filled",
    "sev2_escalation": "SEV2 → SEV1",
    "war_room": "War room",
    "escalation": "Escalation",
    "checkpoint": "Checkpoint",
    "status_update": "Status update",
    "ic_rotation": "IC rotation",
    "postmortem_owner": "Post-mortem owner",
}
ALL_ROLES = (Role.IC, Role.COMMS, Role.TECH, Role.SCRIBE)


def board(state: IncidentState, now: datetime) -> dict[str, Clock]:
    """Every clock by id."""
    found = {c.id: c for c in clocks(state, DEFAULT_POLICY, now)}
    assert sorted(found) == sorted(CLOCK_IDS)
    return found


def test_every_clock_has_its_name_whatever_the_incident() -> None:
    for state in (Incident().state, Incident().declared(0, severity=1).state):
        assert {i: c.name for i, c in board(state, at(20)).items()} == NAMES


def test_without_a_declaration_every_clock_says_so() -> None:
    for clock_id, clock in board(Incident().state, at(1)).items():
        assert clock.state is ClockState.NOT_APPLICABLE, clock
        if clock_id != "sev2_escalation":  # its rule names the SEV2 rule it would enforce
            assert clock.rule == "No incident declared", clock


def test_a_record_without_its_declaration_still_gives_every_clock() -> None:
    """A record that lost its first entry (a partial import) must not crash the clocks."""
    inc = Incident().sev(1, 1).detected(2).role(3, Role.IC, "alice").checkpoint(4).status(5)
    found = board(inc.state, at(30))
    assert found["ic_rotation"].state is ClockState.NOT_APPLICABLE


def test_each_clock_names_what_meets_it() -> None:
    sev1 = board(Incident().declared(0, severity=1).state, at(20))
    assert {i: c.action for i, c in sev1.items() if i != "sev2_escalation"} == {
        "classify": "Set the severity (/sev N)",
        "ack": "Page the secondary on-call",
        "roles": "Assign IC, Comms, Tech, Scribe",
        "war_room": "Assign an IC (/ic NAME) or log /responding",
        "escalation": "Escalate to L2 secondary + team lead (/escalate)",
        "checkpoint": "Run the IC checkpoint (/checkpoint): what do we know, what next, "
        "escalate?, status page current?",
        "status_update": "Post a status update (/status PHASE TEXT)",
        "ic_rotation": "",
        "postmortem_owner": "Name the post-mortem owner",
    }
    sev2 = board(Incident().declared(0, severity=2).role(1, Role.IC, "alice").state, at(20))
    assert sev2["sev2_escalation"].action == "Escalate to SEV1 procedures (/sev 1)"
    assert sev2["ic_rotation"].action == "Hand the IC role to a fresh IC (/ic NAME)"
    filled = board(Incident().declared(0, severity=1).roles(1, *ALL_ROLES).state, at(20))
    assert filled["roles"].state is ClockState.MET and filled["roles"].action == ""


def test_rules_say_why_in_words() -> None:
    unclassified = board(Incident().declared(0).state, at(5))
    assert unclassified["ack"].rule == (
        "Unclassified (as SEV2): acknowledge within 15 min of detection"
    )
    assert unclassified["ic_rotation"].rule == (
        "An IC who has led for 2 h should be rotated (no IC yet)"
    )
    sev1 = board(Incident().declared(0, severity=1).state, at(5))
    assert sev1["roles"].rule == (
        "SEV1: fill IC, Comms, Tech, Scribe within 15 min of declaration or of becoming "
        "SEV1 — missing: IC, Comms, Tech, Scribe"
    )
    resolved = Incident().declared(0, severity=1).role(1, Role.IC, "alice")
    done = board(resolved.mitigated(10).resolved(20).state, at(30))
    for clock_id in ("roles", "checkpoint", "ic_rotation"):
        assert done[clock_id].rule.endswith(" (incident resolved)"), done[clock_id]
        assert done[clock_id].state is ClockState.NOT_APPLICABLE


# --- re-openings ----------------------------------------------------------------


def test_a_failed_mitigation_without_the_reopen_flag_restarts_the_sev2_clock() -> None:
    inc = Incident().declared(0, severity=2).mitigated(20).phase(40, Phase.RESPONDING)
    clock = board(inc.state, at(45))["sev2_escalation"]
    assert (clock.started_at, clock.deadline) == (at(40), at(100))
    assert clock.state is ClockState.RUNNING


def test_resolving_after_mitigation_is_not_a_reopening() -> None:
    inc = Incident().declared(0, severity=2).status(5).mitigated(20).status(25)
    clock = board(inc.resolved(30).state, at(40))["status_update"]
    assert "re-opening" not in clock.rule
    assert clock.deadline == at(55)  # 30 min after the 14:25 update


def test_after_a_reopening_the_first_update_rule_says_so() -> None:
    inc = Incident().declared(0, severity=2).status(5).mitigated(20).reopen(40)
    clock = board(inc.state, at(45))["status_update"]
    assert clock.rule.endswith("first update within 15 min of re-opening"), clock.rule
    assert clock.deadline == at(55)


def test_a_status_update_at_the_minute_of_the_reopening_counts_as_after_it() -> None:
    inc = Incident().declared(0, severity=2).status(5).mitigated(20).reopen(40).status(40)
    clock = board(inc.state, at(45))["status_update"]
    assert clock.deadline == at(70), clock  # the investigating cadence, not 15 min


def test_a_met_status_clock_started_at_the_resolved_update() -> None:
    inc = Incident().declared(0, severity=2).status(5).status(50, StatusPhase.RESOLVED)
    clock = board(inc.state, at(60))["status_update"]
    assert (clock.state, clock.started_at) == (ClockState.MET, at(50))


@pytest.mark.parametrize(
    ("severity", "services", "deadline_after"),
    [(1, ("checkout",), 5), (3, ("checkout", "payments"), 5), (2, ("checkout",), 30)],
    ids=["sev1-required", "several-services", "sev2-recommended"],
)
def test_the_war_room_clock_starts_again_at_a_reopening(
    severity: int, services: tuple[str, ...], deadline_after: int
) -> None:
    inc = Incident().declared(0, severity=severity, services=services).mitigated(10)
    state = inc.phase(60, Phase.TRIAGED, reopened=True).state
    clock = board(state, at(61))["war_room"]
    assert clock.started_at == at(60)
    assert clock.deadline == at(60 + deadline_after)
    assert clock.state is not ClockState.MET


def test_the_war_room_is_met_while_responding() -> None:
    state = Incident().declared(0, severity=1).phase(2, Phase.RESPONDING).state
    assert board(state, at(30))["war_room"].state is ClockState.MET


# --- escalation -----------------------------------------------------------------


def test_escalation_runs_until_the_top_of_the_ladder() -> None:
    inc = Incident().declared(0, severity=1).escalate(5, 3)
    at_l3 = board(inc.state, at(10))["escalation"]
    assert at_l3.state is ClockState.RUNNING
    assert at_l3.action == "Escalate to L4 director/VP + IC (/escalate)"
    top = board(inc.escalate(15, 4).state, at(20))["escalation"]
    assert top.state is ClockState.NOT_APPLICABLE
    assert top.rule.startswith("Top of the escalation ladder reached")


def test_an_escalation_at_the_minute_of_a_customer_report_answers_it() -> None:
    inc = Incident().declared(0, severity=2).detected(10, DetectionSource.CUSTOMER)
    assert board(inc.state, at(11))["escalation"].deadline == at(10)  # at once
    answered = board(inc.escalate(10).state, at(11))["escalation"]
    assert answered.deadline == at(40), answered  # back to the 30-min stall rule


def test_the_stall_clock_counts_from_a_detection_after_the_declaration() -> None:
    inc = Incident().declared(0, severity=2).detected(10)
    clock = board(inc.state, at(12))["escalation"]
    assert (clock.started_at, clock.deadline) == (at(10), at(40))


# --- post-mortem owner ----------------------------------------------------------


@pytest.mark.parametrize(("minutes", "applies"), [(240, False), (241, True)])
def test_a_sev3_needs_a_post_mortem_only_when_it_lasted_over_four_hours(
    minutes: int, applies: bool
) -> None:
    inc = Incident().declared(0, severity=3).impact(0).mitigated(minutes - 1)
    clock = board(inc.resolved(minutes).state, at(minutes + 1))["postmortem_owner"]
    assert (clock.state is not ClockState.NOT_APPLICABLE) is applies, clock


def test_a_reopened_incident_does_not_run_the_post_mortem_owner_clock() -> None:
    inc = Incident().declared(0, severity=2).impact(0).mitigated(10).resolved(20).reopen(30)
    clock = board(inc.state, at(40))["postmortem_owner"]
    assert clock.state is ClockState.NOT_STARTED, clock


# --- order ----------------------------------------------------------------------


def test_equally_urgent_clocks_keep_the_documented_order_whatever_the_input() -> None:
    same = [Clock(id=i, name=NAMES[i], rule="", state=ClockState.MET) for i in CLOCK_IDS]
    stranger = Clock(id="custom", name="Custom", rule="", state=ClockState.MET)
    ordered = sort_clocks([*reversed(same), stranger])
    assert [c.id for c in ordered] == [*CLOCK_IDS, "custom"]
    assert [c.id for c in sort_clocks([stranger, *same])] == [*CLOCK_IDS, "custom"]


def test_overdue_clocks_come_first_the_most_overdue_first() -> None:
    def overdue(clock_id: str, minutes: int) -> Clock:
        return Clock(
            id=clock_id, name="", rule="", state=ClockState.OVERDUE,
            remaining=-timedelta(minutes=minutes),
        )

    ordered = sort_clocks([overdue("ack", 1), overdue("roles", 9), overdue("classify", 1)])
    assert [c.id for c in ordered] == ["roles", "classify", "ack"]


# --- found by mutation testing ----------------------------------------------------


@pytest.mark.parametrize("severity", [1, 2, 3])
def test_a_record_without_declaration_or_detection_still_gives_every_clock(
    severity: int,
) -> None:
    found = board(Incident().sev(1, severity).note(2, "no declaration, no alert").state, at(30))
    assert found["ack"].state in (ClockState.NOT_STARTED, ClockState.NOT_APPLICABLE)


def test_an_escalation_keeps_the_earlier_roles_deadline_and_says_so() -> None:
    inc = Incident().declared(0, severity=2).sev(20, 1, "customers in all regions")
    clock = board(inc.state, at(21))["roles"]
    assert clock.rule.startswith("SEV1: fill IC, Comms, Tech, Scribe within 15 min"), clock.rule
    assert "(the earlier SEV2 deadline stands)" in clock.rule
    assert clock.state is ClockState.OVERDUE


def test_the_war_room_grace_is_at_least_a_minute() -> None:
    policy = DEFAULT_POLICY.model_copy(update={"due_soon_minutes": 0})
    state = Incident().declared(0, severity=1).state
    (war_room,) = [c for c in clocks(state, policy, at(0)) if c.id == "war_room"]
    assert war_room.deadline == at(1)
    assert war_room.rule.endswith("at once (within 1 min)")


def test_several_services_war_room_is_met_while_responding() -> None:
    inc = Incident().declared(0, severity=3, services=("checkout", "payments"))
    assert board(inc.state, at(3))["war_room"].state is not ClockState.MET
    responding = inc.phase(2, Phase.RESPONDING).state
    assert board(responding, at(30))["war_room"].state is ClockState.MET


def test_an_optional_status_page_says_it_is_a_reminder() -> None:
    clock = board(Incident().declared(0, severity=3).state, at(40))["status_update"]
    assert clock.rule.startswith("SEV3: status page optional (a reminder, never overdue) — ")
    assert clock.state is ClockState.DUE_SOON  # past its deadline, yet not overdue


def test_each_required_role_has_its_own_clock_once_defaulted() -> None:
    state = Incident().declared(0).role(12, Role.IC, "alice").state
    rows = role_clocks(state, DEFAULT_POLICY, at(15))  # unclassified: run as SEV2 from 14:10
    assert sorted(rows, key=ALL_ROLES.index) == [Role.IC, Role.COMMS, Role.TECH]
    assert rows[Role.IC].state is ClockState.MET
    assert rows[Role.COMMS].deadline == at(15)


def test_a_running_clock_without_remaining_time_sorts_as_due_now() -> None:
    bare = Clock(id="roles", name="", rule="", state=ClockState.RUNNING)
    timed = Clock(
        id="ack", name="", rule="", state=ClockState.RUNNING, remaining=timedelta(minutes=5)
    )
    assert [c.id for c in sort_clocks([timed, bare])] == ["roles", "ack"]


def test_an_unclassified_incident_runs_the_sev2_clock_from_the_default_instant() -> None:
    state = Incident().declared(0).state
    before = board(state, at(5))["sev2_escalation"]  # not SEV2 yet, but its deadline is known
    assert (before.state, before.started_at, before.deadline) == (
        ClockState.NOT_STARTED, at(10), at(70),
    )
    clock = board(state, at(15))["sev2_escalation"]
    assert (clock.started_at, clock.deadline) == (at(10), at(70))
    assert clock.state is ClockState.RUNNING
