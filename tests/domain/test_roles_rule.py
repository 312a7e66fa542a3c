"""The roles rule (domain/roles.py): one answer for the CLI, the roster and the clocks."""

from __future__ import annotations

from tests.support.events import Incident, at
from warroom.domain.events import Role, Severity
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.roles import role_duty

SEV2_ROLES = (Role.IC, Role.COMMS, Role.TECH)


def test_unclassified_needs_the_default_severitys_roles_from_the_start() -> None:
    duty = role_duty(Incident().declared(0).state, DEFAULT_POLICY, at(1))
    assert duty.severity == Severity.SEV2 and duty.assumed
    assert duty.required == SEV2_ROLES and duty.missing == SEV2_ROLES
    assert duty.requirement(Role.IC) == "required"
    assert duty.requirement(Role.SCRIBE) == "optional"
    due = duty.due
    assert due is not None and due.deadline == at(15)  # default at 10 min, then 5 to fill


def test_nothing_is_missing_once_resolved() -> None:
    state = Incident().declared(0, severity=1).resolved(30).state
    duty = role_duty(state, DEFAULT_POLICY, at(31))
    assert duty.required == (Role.IC, Role.COMMS, Role.TECH, Role.SCRIBE)
    assert duty.missing == () and len(duty.unheld) == 4


def test_no_declaration_no_duty() -> None:
    duty = role_duty(Incident().state, DEFAULT_POLICY, at(1))
    assert duty.required == () and duty.due is None


def test_each_roles_deadline_keeps_the_earliest_of_its_chain() -> None:
    state = Incident().declared(0, severity=2).sev(10, 1, "worse").state
    duty = role_duty(state, DEFAULT_POLICY, at(11))
    deadlines = {d.role: d.deadline for d in duty.deadlines}
    assert deadlines == {Role.IC: at(5), Role.COMMS: at(5), Role.TECH: at(5), Role.SCRIBE: at(25)}


def test_a_severity_without_the_role_ends_its_deadline() -> None:
    state = Incident().declared(0, severity=1).sev(2, 3, "minor").sev(60, 1, "worse").state
    duty = role_duty(state, DEFAULT_POLICY, at(61))
    assert {d.deadline for d in duty.deadlines} == {at(75)}
