"""Which severity is in force, when: the default rule for an unclassified incident.

An incident still unclassified ``policy.unclassified_default_minutes`` after its
declaration is treated as ``policy.unclassified_default_severity`` (labelled e.g.
``"SEV2 (default)"``) from that instant until someone classifies it.
:func:`effective_severity` answers "what now", :func:`severity_at` "what then" (the
post-mortem judges the acknowledgement against the severity in force at the ack),
and :func:`severity_periods` lists every change, for rules whose deadlines started
under an earlier severity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from warroom.domain.events import Severity
from warroom.domain.policy import Policy
from warroom.domain.state import IncidentState, SeverityChange

__all__ = [
    "EffectiveSeverity",
    "SeverityPeriod",
    "default_at",
    "effective_severity",
    "severity_at",
    "severity_periods",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EffectiveSeverity:
    """The severity the incident is treated as at ``now`` (the default rule applied)."""

    severity: Severity | None
    defaulted: bool = False
    since: datetime | None = None
    label: str = "unclassified"


@dataclass(frozen=True, slots=True)
class SeverityPeriod:
    """One stretch of time under one severity, from ``since`` until the next period."""

    severity: Severity
    since: datetime
    defaulted: bool


def default_at(state: IncidentState, policy: Policy) -> datetime | None:
    """When an unclassified incident starts being treated as the default severity."""
    if state.declared_at is None:
        return None
    return state.declared_at + timedelta(minutes=policy.unclassified_default_minutes)


def _walk(
    history: Sequence[SeverityChange], default: datetime | None, now: datetime, policy: Policy
) -> tuple[list[SeverityPeriod], bool]:
    """The periods of ``history`` up to ``now`` and whether the last one is a default."""
    periods: list[SeverityPeriod] = []
    current: Severity | None = None
    defaulted = False
    for change in history:
        if current is None and default is not None and default <= change.at:
            current, defaulted = policy.unclassified_default_severity, True
            periods.append(SeverityPeriod(current, default, True))
        if change.severity is None:
            continue
        if change.severity != current:
            current = change.severity
            periods.append(SeverityPeriod(current, change.at, False))
        defaulted = False
    if current is None and default is not None and now >= default:
        current, defaulted = policy.unclassified_default_severity, True
        periods.append(SeverityPeriod(current, default, True))
    return periods, defaulted


def _effective(periods: list[SeverityPeriod], defaulted: bool) -> EffectiveSeverity:
    if not periods:
        return EffectiveSeverity(severity=None, label="unclassified")
    last = periods[-1]
    label = f"{last.severity.label} (default)" if defaulted else last.severity.label
    return EffectiveSeverity(
        severity=last.severity, defaulted=defaulted, since=last.since, label=label
    )


def effective_severity(state: IncidentState, policy: Policy, now: datetime) -> EffectiveSeverity:
    """The severity in force at ``now`` and since when.

    ``since`` is when the current severity began: the time of the change that set
    it, or the default instant. Setting the severity it already has keeps
    ``since`` (and ends ``defaulted``).
    """
    periods, defaulted = _walk(state.severity_history, default_at(state, policy), now, policy)
    return _effective(periods, defaulted)


def severity_at(state: IncidentState, policy: Policy, at: datetime) -> EffectiveSeverity:
    """The severity that was in force at ``at`` (changes logged later are ignored)."""
    history = [change for change in state.severity_history if change.at <= at]
    periods, defaulted = _walk(history, default_at(state, policy), at, policy)
    return _effective(periods, defaulted)


def severity_periods(state: IncidentState, policy: Policy, now: datetime) -> list[SeverityPeriod]:
    """Every severity the incident was under up to ``now``, oldest first.

    An unclassified incident counts as the default severity from the default
    instant on (a period marked ``defaulted``).
    """
    return _walk(state.severity_history, default_at(state, policy), now, policy)[0]
