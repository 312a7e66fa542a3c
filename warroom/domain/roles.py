"""The roles rule: which roles an incident needs filled, by when — one answer for every view.

* The roles required are those of the severity in force; an incident still
  **unclassified** is run on the rules of ``policy.unclassified_default_severity``
  (as the clocks are), so ``warroom show``, the roster and the "Roles filled" clock
  agree that an unclassified incident needs its roles.
* Nothing is *missing* once the incident is resolved (or later): roles are filled to
  run the response, not afterwards.
* Each required role is due ``role_fill_minutes`` after the declaration or after the
  incident became the severity that requires it (for an unclassified incident: the
  default instant). A deadline, once running, is **never moved later** by a change of
  severity: escalating an incident whose roles are already overdue keeps the earlier
  deadline. A severity that does not require the role (or sets no fill time) ends
  that deadline; a later one starts a new one.
* Severities without a fill time (``role_fill_minutes`` unset: the on-call engineer
  holds every role) list their required roles but set no deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from warroom.domain.events import Role, Severity
from warroom.domain.policy import Policy
from warroom.domain.severity import SeverityPeriod, default_at, severity_periods
from warroom.domain.state import IncidentState

__all__ = ["ROLE_SHORT", "RoleDeadline", "RoleDuty", "role_duty"]

#: The short name of each role, as clocks and the roster write it.
ROLE_SHORT: dict[Role, str] = {
    Role.IC: "IC",
    Role.COMMS: "Comms",
    Role.TECH: "Tech",
    Role.SCRIBE: "Scribe",
}


@dataclass(frozen=True, slots=True)
class RoleDeadline:
    """When one required role is due, and the severity period that set it."""

    role: Role
    started_at: datetime
    deadline: datetime
    severity: Severity


@dataclass(frozen=True, slots=True)
class RoleDuty:
    """What the roles rule asks of an incident at one instant (see the module doc)."""

    #: The severity whose rules apply (the default one for an unclassified incident).
    severity: Severity | None
    #: Whether ``severity`` is the default assumed for an unclassified incident.
    assumed: bool
    #: Roles that must be filled, in role order.
    required: tuple[Role, ...]
    #: Required roles nobody holds while the incident is open.
    missing: tuple[Role, ...]
    #: Required roles nobody holds, whatever the phase.
    unheld: tuple[Role, ...]
    #: Minutes the policy gives to fill them (``None``: no deadline).
    fill_minutes: int | None
    #: The running deadline of each required role (none without a fill time).
    deadlines: tuple[RoleDeadline, ...] = ()

    def is_required(self, role: Role) -> bool:
        """Whether ``role`` must be filled."""
        return role in self.required

    def requirement(self, role: Role) -> str:
        """``"required"`` or ``"optional"``: the word every view writes for ``role``."""
        return "required" if role in self.required else "optional"

    def deadline_of(self, role: Role) -> RoleDeadline | None:
        """The running deadline of ``role`` (``None`` if it has none)."""
        return next((d for d in self.deadlines if d.role is role), None)

    @property
    def due(self) -> RoleDeadline | None:
        """The earliest deadline among the missing roles (else among the required ones)."""
        pending = [d for d in self.deadlines if d.role in self.missing] or list(self.deadlines)
        return min(pending, key=lambda d: (d.deadline, d.started_at), default=None)


_NO_DUTY = RoleDuty(
    severity=None, assumed=False, required=(), missing=(), unheld=(), fill_minutes=None
)


def _deadlines(
    state: IncidentState, policy: Policy, periods: list[SeverityPeriod], required: tuple[Role, ...]
) -> tuple[RoleDeadline, ...]:
    declared = state.declared_at
    assert declared is not None  # checked by the caller
    running: dict[Role, RoleDeadline] = {}
    for period in periods:
        rule = policy.rule(period.severity)
        start = max(declared, period.since)
        for role in Role:
            if role not in rule.required_roles or rule.role_fill_minutes is None:
                running.pop(role, None)
                continue
            due = start + timedelta(minutes=rule.role_fill_minutes)
            kept = running.get(role)
            if kept is None or due < kept.deadline:
                running[role] = RoleDeadline(role, start, due, period.severity)
    return tuple(running[r] for r in required if r in running)


def role_duty(state: IncidentState, policy: Policy, now: datetime) -> RoleDuty:
    """The roles rule applied to ``state`` at ``now`` (see the module doc)."""
    if state.declared_at is None:
        return _NO_DUTY
    periods = severity_periods(state, policy, now)
    if not periods:
        default = default_at(state, policy)
        assert default is not None
        periods = [SeverityPeriod(policy.unclassified_default_severity, default, True)]
    severity = periods[-1].severity
    rule = policy.rule(severity)
    required = tuple(r for r in Role if r in rule.required_roles)
    unheld = tuple(r for r in required if state.holder(r) is None)
    return RoleDuty(
        severity=severity,
        assumed=state.severity is None,
        required=required,
        missing=unheld if state.is_open else (),
        unheld=unheld,
        fill_minutes=rule.role_fill_minutes,
        deadlines=_deadlines(state, policy, periods, required),
    )
