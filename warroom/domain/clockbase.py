"""What every policy clock is made of: its state, the clock itself, and the shared context
its builder reads (severity in force, re-opening, the countdown rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from warroom.domain.events import Phase, Severity
from warroom.domain.policy import Policy, SeverityRule
from warroom.domain.severity import EffectiveSeverity, default_at, effective_severity
from warroom.domain.state import IncidentState


class ClockState(StrEnum):
    """Where a clock stands at ``now``."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True, kw_only=True)
class Clock:
    """One countdown: what rule it enforces, until when, and what to do when due."""

    id: str
    name: str
    rule: str
    state: ClockState
    deadline: datetime | None = None
    remaining: timedelta | None = None
    started_at: datetime | None = None
    action: str = ""

    @property
    def is_active(self) -> bool:
        """Whether the clock is counting down (running, due soon or overdue)."""
        return self.state in _ACTIVE


_ACTIVE = frozenset({ClockState.RUNNING, ClockState.DUE_SOON, ClockState.OVERDUE})
_MITIGATED_OR_LATER = frozenset({Phase.MITIGATED, Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED})


def minutes_text(value: float) -> str:
    """Policy minutes as text: ``"15 min"``, or ``"2 h"`` for whole hours beyond one."""
    if value > 60 and value % 60 == 0:
        return f"{value / 60:g} h"
    return f"{value:g} min"


def last_reopen(state: IncidentState) -> datetime | None:
    """The latest move from mitigated-or-later back to an earlier phase."""
    times = [
        change.at
        for change in state.phase_history
        if change.reopened
        or (change.previous in _MITIGATED_OR_LATER and change.phase not in _MITIGATED_OR_LATER)
    ]
    return max(times, default=None)


def later(*times: datetime | None) -> datetime | None:
    """The latest of the instants given (``None`` ones ignored), or ``None``."""
    present = [t for t in times if t is not None]
    return max(present, default=None)


@dataclass(frozen=True)
class ClockContext:
    """Everything the clock builders share for one call of :func:`clocks`."""

    state: IncidentState
    policy: Policy
    now: datetime
    effective: EffectiveSeverity
    severity: Severity | None
    since: datetime | None
    label: str
    reopened_at: datetime | None

    @property
    def rule(self) -> SeverityRule | None:
        """The policy rule of the severity the clocks run on."""
        return self.policy.rule(self.severity) if self.severity is not None else None

    @property
    def several_services(self) -> bool:
        """Whether more than one service is affected."""
        return len(self.state.services) > 1

    def countdown(
        self,
        id: str,
        name: str,
        rule: str,
        action: str,
        *,
        start: datetime | None,
        deadline: datetime | None,
        met: bool = False,
        reminder: bool = False,
    ) -> Clock:
        """A clock from its start, deadline and whether its condition is met.

        A ``reminder`` (an optional obligation) is never overdue: past its deadline
        it stays due soon with nothing remaining.
        """

        def build(state: ClockState, remaining: timedelta | None = None) -> Clock:
            return Clock(
                id=id,
                name=name,
                rule=rule,
                action=action,
                state=state,
                deadline=deadline,
                remaining=remaining,
                started_at=start,
            )

        if met:
            return build(ClockState.MET)
        if start is None or deadline is None or self.now < start:
            return build(ClockState.NOT_STARTED)
        remaining = deadline - self.now
        if remaining < timedelta(0):
            if reminder:
                return build(ClockState.DUE_SOON, timedelta(0))
            return build(ClockState.OVERDUE, remaining)
        if remaining <= timedelta(minutes=self.policy.due_soon_minutes):
            return build(ClockState.DUE_SOON, remaining)
        return build(ClockState.RUNNING, remaining)


def not_applicable(id: str, name: str, rule: str) -> Clock:
    """A clock that does not apply; ``rule`` says why."""
    return Clock(id=id, name=name, rule=rule, state=ClockState.NOT_APPLICABLE)


def clock_context(state: IncidentState, policy: Policy, now: datetime) -> ClockContext:
    """The context of one :func:`~warroom.domain.clocks.clocks` call."""
    effective = effective_severity(state, policy, now)
    severity, since, label = effective.severity, effective.since, effective.label
    if severity is None and state.declared_at is not None:
        severity = policy.unclassified_default_severity
        since = default_at(state, policy)
        label = f"Unclassified (as {severity.label})"
    return ClockContext(
        state=state,
        policy=policy,
        now=now,
        effective=effective,
        severity=severity,
        since=since,
        label=label,
        reopened_at=last_reopen(state),
    )
