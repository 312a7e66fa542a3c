"""Is a post-mortem required, and why? Pure.

The rule (each part is policy, see :class:`~warroom.domain.oncall_policy.PostmortemRule`):

- every incident whose highest severity is in ``always`` (SEV1);
- every incident whose highest severity is in ``with_impact`` (SEV2) *and* that had
  customer impact: an impact start was recorded (``/started``), a status update was
  posted, or a customer reported it (``/detected customer``);
- any incident that took more than ``postmortem_engineering_hours`` of engineering
  time — an *estimate* from the record: for each person, the span from their first
  to their last part in the incident until it was resolved (an entry they wrote, a
  role they held; a role still held runs to the resolution, else to ``now``), summed
  over people;
- recurring causes: an incident whose highest severity is in ``recurring`` (SEV3)
  and whose ``/cause`` tag is shared by at least ``recurring_count`` such incidents
  (itself included) that started within ``recurring_days`` of each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from warroom.domain.eventlog import EventLog
from warroom.domain.events import DetectionSource, Event, Severity
from warroom.domain.links import latest_cause
from warroom.domain.policy import Policy
from warroom.domain.state import IncidentState

__all__ = [
    "CauseRecord",
    "PostmortemContext",
    "PostmortemVerdict",
    "cause_record",
    "customer_impact",
    "engineering_seconds",
    "highest_severity",
    "postmortem_required",
    "severity_reason",
    "started_at",
]

@dataclass(frozen=True, slots=True, kw_only=True)
class CauseRecord:
    """What the recurrence rule needs to know about one incident."""

    slug: str
    tag: str | None
    severity: Severity | None
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PostmortemContext:
    """What the draft needs besides the incident: other incidents' causes (for the
    recurrence rule) and the lint problems of the linked local runbook."""

    others: tuple[CauseRecord, ...] = ()
    runbook: str | None = None
    runbook_problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PostmortemVerdict:
    """Whether a post-mortem is required, the rules that fired, the time estimate."""

    required: bool
    reasons: tuple[str, ...] = ()
    engineering_hours: float = 0.0


def highest_severity(state: IncidentState) -> Severity | None:
    """The worst severity the incident ever had (SEV1 is the worst), if any."""
    levels = [c.severity for c in state.severity_history if c.severity is not None]
    return min(levels) if levels else None


def started_at(state: IncidentState) -> datetime | None:
    """When the incident began: the earliest of impact start, detection, declaration."""
    times = [t for t in (state.impact_started_at, state.detected_at, state.declared_at) if t]
    return min(times) if times else None


def customer_impact(state: IncidentState) -> bool:
    """Whether the record shows customer impact (see the module docstring)."""
    return (
        state.impact_started_at is not None
        or bool(state.status_updates)
        or state.detection_source == DetectionSource.CUSTOMER
    )


def _entries(events: Iterable[Event]) -> Iterable[tuple[str, datetime]]:
    """(author, event time) of every event; from an EventLog's rows, building no event."""
    if isinstance(events, EventLog):
        return ((row[3], row[1]) for row in events.rows())
    return ((e.author, e.occurred_at) for e in events)


def severity_reason(state: IncidentState, policy: Policy) -> str | None:
    """The severity part of the rule: why this incident's worst severity needs a
    post-mortem (``always``, or ``with_impact`` and customer impact), else ``None``."""
    rule = policy.postmortem_rule
    severity = highest_severity(state)
    if severity is None:
        return None
    if severity in rule.always:
        return f"{severity.label}: every {severity.label} needs one"
    if severity in rule.with_impact and customer_impact(state):
        return f"{severity.label} with customer impact"
    return None


def engineering_seconds(state: IncidentState, events: Iterable[Event], now: datetime) -> float:
    """The estimated engineering time (see the module docstring), in seconds."""
    spans: dict[str, tuple[datetime, datetime]] = {}

    def extend(person: str, start: datetime, end: datetime) -> None:
        first, last = spans.get(person, (start, end))
        spans[person] = (min(first, start), max(last, end))

    open_end = state.resolved_at if not state.is_open and state.resolved_at else now
    for author, occurred in _entries(events):
        if occurred <= open_end:  # post-incident paperwork is not response time
            extend(author, occurred, occurred)
    for tenure in (*state.role_history, *state.roles.values()):
        end = tenure.end if tenure.end is not None else max(open_end, tenure.start)
        extend(tenure.person, tenure.start, end)
    return sum((last - first).total_seconds() for first, last in spans.values())


def cause_record(slug: str, state: IncidentState, events: Iterable[Event]) -> CauseRecord | None:
    """The incident as the recurrence rule sees it (``None`` if it has no start)."""
    at = started_at(state)
    if at is None:
        return None
    cause = latest_cause(events)
    return CauseRecord(
        slug=slug, tag=cause.tag if cause else None, severity=highest_severity(state), at=at
    )


def _recurrence(
    slug: str, state: IncidentState, tag: str | None, policy: Policy,
    others: Sequence[CauseRecord],
) -> str | None:
    rule = policy.postmortem_rule
    severity = highest_severity(state)
    at = started_at(state)
    if severity not in rule.recurring or tag is None or at is None:
        return None
    window = timedelta(days=rule.recurring_days)
    same = sorted(
        {
            o.slug
            for o in others
            if o.slug != slug
            and o.tag == tag
            and o.severity in rule.recurring
            and abs(o.at - at) <= window
        }
    )
    if len(same) + 1 < rule.recurring_count:
        return None
    return (
        f"recurring {severity.label}: cause '{tag}' also in "
        f"{', '.join(same)} within {rule.recurring_days} days"
    )


def postmortem_required(
    slug: str,
    state: IncidentState,
    events: Iterable[Event],
    policy: Policy,
    now: datetime,
    others: Sequence[CauseRecord] = (),
) -> PostmortemVerdict:
    """Apply the rule (module docstring) to one incident; ``others`` feed recurrence."""
    if not isinstance(events, EventLog | list | tuple):
        events = tuple(events)
    reasons: list[str] = []
    by_severity = severity_reason(state, policy)
    if by_severity is not None:
        reasons.append(by_severity)
    hours = engineering_seconds(state, events, now) / 3600
    limit = policy.postmortem_engineering_hours
    if hours > limit:
        reasons.append(
            f"about {hours:.1f} h of engineering time (estimated from the record), "
            f"over {limit:g} h"
        )
    cause = latest_cause(events)
    recurring = _recurrence(slug, state, cause.tag if cause else None, policy, others)
    if recurring is not None:
        reasons.append(recurring)
    return PostmortemVerdict(
        required=bool(reasons), reasons=tuple(reasons), engineering_hours=round(hours, 2)
    )
