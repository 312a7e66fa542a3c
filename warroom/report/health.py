"""Compute the on-call health report from incidents' events. Pure and deterministic.

Only events whose event time is at or before ``until`` count, so the same database
and ``until`` always give the same report.

**Pages.** An incident's pages are its firing ``page`` events (written by alert
ingestion; acknowledged and resolved ones are not pages); an incident without any
that was detected by an alert (``/detected alert``) counts one page, at its
detection time. A page belongs to the week and the after-hours count of its own time,
and counts for runbook coverage when its incident linked a runbook (``/runbook``).

**Incidents** count when they began (earliest of impact start, detection,
declaration) in ``[since, until)``; their severity is the highest they reached.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import (
    DetectionSource,
    Event,
    EventKind,
    PostmortemOwnerData,
    Severity,
)
from warroom.domain.fold import fold
from warroom.domain.links import linked_runbook
from warroom.domain.metrics import Metrics, compute_metrics
from warroom.domain.oncall_policy import Threshold
from warroom.domain.policy import Policy
from warroom.domain.postmortem_rule import (
    CauseRecord,
    cause_record,
    highest_severity,
    postmortem_required,
    started_at,
)
from warroom.domain.state import IncidentState, policy_in_force
from warroom.report.model import (
    HealthMetric,
    LongIncident,
    PastDueItem,
    PersonPages,
    PostmortemRow,
    Report,
    ServiceRow,
    SeverityRow,
    Stat,
    Verdict,
    Week,
)
from warroom.report.rotation import Rotation
from warroom.report.weeks import is_after_hours, weeks_between

__all__ = [
    "PAGES_COUNTED_FROM",
    "PAGE_KIND",
    "IncidentInput",
    "build_report",
    "events_until",
    "page_times",
    "verdict",
]

#: The event kind alert ingestion writes for each page.
PAGE_KIND = "page"
PAGES_COUNTED_FROM = (
    "firing page events of alert ingestion; an incident with none that was detected "
    "by an alert (/detected alert) counts one page at its detection time"
)
NO_SEVERITY = "unclassified"


@dataclass(frozen=True)
class IncidentInput:
    """One incident of the database: its slug and every event (an :class:`EventLog` is
    read from its columns: no event is built for its notes)."""

    slug: str
    events: Sequence[Event]


@dataclass(frozen=True)
class _Incident:
    slug: str
    state: IncidentState
    events: Sequence[Event]
    metrics: Metrics
    severity: Severity | None
    start: datetime | None
    pages: tuple[datetime, ...]
    runbook: str | None


def _of_kinds(events: Sequence[Event], kinds: frozenset[EventKind]) -> list[Event]:
    """The events of ``kinds`` (from an EventLog, building only those)."""
    if isinstance(events, EventLog):
        return [events.event_at_slot(slot) for slot in events.kind_slots(kinds)]
    return [e for e in events if e.kind in kinds]


def events_until(events: Sequence[Event], until: datetime) -> Sequence[Event]:
    """The events at or before ``until`` (an EventLog as it is when all of them are)."""
    if isinstance(events, EventLog):
        if all(row[1] <= until for row in events.rows()):
            return events
        return EventLog(trusted_event(*row) for row in events.rows() if row[1] <= until)
    return tuple(e for e in events if e.occurred_at <= until)


def page_times(state: IncidentState, events: Sequence[Event]) -> tuple[datetime, ...]:
    """The incident's pages (see the module docstring), oldest first."""
    events = _of_kinds(events, frozenset({EventKind.PAGE}))
    paged = sorted(
        e.occurred_at for e in events
        if str(e.kind) == PAGE_KIND and str(getattr(e.data, "status", "firing")) == "firing"
    )
    if paged:
        return tuple(paged)
    if state.detection_source == DetectionSource.ALERT and state.detected_at is not None:
        return (state.detected_at,)
    return ()


def verdict(value: float | None, threshold: Threshold) -> Verdict:
    """Healthy, watch or unhealthy for ``value`` (not enough data for ``None``)."""
    if value is None:
        return Verdict.NOT_ENOUGH_DATA
    if threshold.higher_is_better:
        if value > threshold.healthy:
            return Verdict.HEALTHY
        return Verdict.UNHEALTHY if value < threshold.unhealthy else Verdict.WATCH
    if value < threshold.healthy:
        return Verdict.HEALTHY
    return Verdict.UNHEALTHY if value > threshold.unhealthy else Verdict.WATCH


def _bounds(threshold: Threshold) -> tuple[str, str]:
    good, bad = ("> ", "< ") if threshold.higher_is_better else ("< ", "> ")
    return good + f"{threshold.healthy:g}", bad + f"{threshold.unhealthy:g}"


def _metric(
    id: str, label: str, unit: str, value: float | None, n: int, threshold: Threshold
) -> HealthMetric:
    healthy, unhealthy = _bounds(threshold)
    shown = None if value is None or n == 0 else round(value, 2)
    return HealthMetric(
        id=id, label=label, unit=unit, value=shown, n=n, healthy=healthy,
        unhealthy=unhealthy, verdict=verdict(shown, threshold),
    )


def _stat(values: Sequence[float]) -> Stat:
    if not values:
        return Stat(mean=None, median=None, n=0)
    return Stat(
        mean=round(statistics.fmean(values), 1),
        median=round(statistics.median(values), 1),
        n=len(values),
    )


def _load(item: IncidentInput, policy: Policy, until: datetime) -> _Incident:
    events = events_until(item.events, until)
    state = fold(events)
    return _Incident(
        slug=item.slug,
        state=state,
        events=events,
        metrics=compute_metrics(state, policy_in_force(state, policy), until),
        severity=highest_severity(state),
        start=started_at(state),
        pages=page_times(state, events),
        runbook=linked_runbook(events),
    )


def _label(severity: Severity | None) -> str:
    return severity.label if severity is not None else NO_SEVERITY


def _weeks(
    incidents: Sequence[_Incident], since: datetime, until: datetime, policy: Policy,
    rotation: Rotation | None = None,
) -> list[Week]:
    oncall = policy.oncall
    starts = weeks_between(since, until, oncall)
    weeks: list[Week] = []
    for index, start in enumerate(starts):
        end = (
            starts[index + 1] if index + 1 < len(starts)
            else datetime.combine(start.date() + timedelta(days=7), start.timetz())
        )

        def inside(at: datetime, start: datetime = start, end: datetime = end) -> bool:
            return start <= at < end and at < until

        pages = [(p, i) for i in incidents for p in i.pages if inside(p)]
        after = sum(1 for p, _ in pages if is_after_hours(p, oncall))
        weeks.append(
            Week(
                start=start,
                end=end,
                partial=end > until,
                pages=len(pages),
                after_hours_pages=after,
                pages_with_runbook=sum(1 for _, i in pages if i.runbook),
                incidents=sum(1 for i in incidents if i.start is not None and inside(i.start)),
                pages_verdict=verdict(len(pages), oncall.pages_per_week),
                after_hours_verdict=verdict(after, oncall.after_hours_pages_per_week),
                on_call=rotation.on_call(start) if rotation else [],
            )
        )
    return weeks


def _by_person(
    incidents: Sequence[_Incident], first: datetime, until: datetime, policy: Policy,
    rotation: Rotation | None,
) -> list[PersonPages]:
    if rotation is None:
        return []
    pages: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for incident in incidents:
        for at in incident.pages:
            if first <= at < until:
                who = rotation.paged(at) or "(nobody)"
                pages[who] += 1
                after[who] += is_after_hours(at, policy.oncall)
    ordered = sorted(pages, key=lambda name: (-pages[name], name))
    return [PersonPages(person=n, pages=pages[n], after_hours_pages=after[n]) for n in ordered]


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _health(
    weeks: Sequence[Week], in_range: Sequence[_Incident], policy: Policy
) -> list[HealthMetric]:
    oncall = policy.oncall
    pages = sum(w.pages for w in weeks)
    covered = sum(w.pages_with_runbook for w in weeks)

    def acks(severity: Severity) -> list[float]:
        return [
            i.metrics.time_to_acknowledge / 60
            for i in in_range
            if i.severity == severity and i.metrics.time_to_acknowledge is not None
        ]

    sev1, sev2 = acks(Severity.SEV1), acks(Severity.SEV2)
    return [
        _metric("pages_per_week", "Pages per on-call week", "pages",
                _mean([w.pages for w in weeks]), len(weeks), oncall.pages_per_week),
        _metric("after_hours_pages_per_week", "After-hours pages per week", "pages",
                _mean([w.after_hours_pages for w in weeks]), len(weeks),
                oncall.after_hours_pages_per_week),
        _metric("mtta_sev1", "Mean time-to-ack, SEV1", "minutes", _mean(sev1), len(sev1),
                oncall.mtta_sev1_minutes),
        _metric("mtta_sev2", "Mean time-to-ack, SEV2", "minutes", _mean(sev2), len(sev2),
                oncall.mtta_sev2_minutes),
        _metric("runbook_coverage", "Pages that had a runbook", "percent",
                100 * covered / pages if pages else None, pages,
                oncall.runbook_coverage_percent),
    ]


def _severities(in_range: Sequence[_Incident]) -> list[SeverityRow]:
    rows: list[SeverityRow] = []
    for severity in (*Severity, None):
        group = [i for i in in_range if i.severity == severity]
        if severity is None and not group:
            continue

        def values(get: Callable[[Metrics], float | None], group: list[_Incident] = group
                   ) -> list[float]:
            return [v for i in group if (v := get(i.metrics)) is not None]

        rows.append(
            SeverityRow(
                severity=_label(severity),
                incidents=len(group),
                mtta=_stat(values(lambda m: m.time_to_acknowledge)),
                mttm=_stat(values(lambda m: m.time_to_mitigate)),
                mttr=_stat(values(lambda m: m.time_to_resolve)),
            )
        )
    return rows


def _by_service(in_range: Sequence[_Incident]) -> list[ServiceRow]:
    counts: Counter[str] = Counter()
    for incident in in_range:
        for service in set(incident.state.services) or {"(none)"}:
            counts[service] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
    return [ServiceRow(service=name, incidents=n) for name, n in ordered]


def _longest(in_range: Sequence[_Incident], count: int) -> list[LongIncident]:
    timed = [i for i in in_range if i.metrics.duration is not None]
    timed.sort(key=lambda i: (-(i.metrics.duration or 0.0), i.slug))
    return [
        LongIncident(
            slug=i.slug, title=i.state.title, severity=_label(i.severity),
            duration_seconds=round(i.metrics.duration or 0.0, 1), ongoing=i.metrics.ongoing,
        )
        for i in timed[:count]
    ]


def _past_due(incidents: Sequence[_Incident], until: datetime, zone: str) -> list[PastDueItem]:
    today = until.astimezone(ZoneInfo(zone)).date()
    items = [
        PastDueItem(
            slug=i.slug, event_id=item.event_id, text=item.text, owner=item.owner,
            due=item.due, days_late=(today - item.due).days,
        )
        for i in incidents
        if i.state.phase != "closed"
        for item in i.state.action_items
        if item.due is not None and item.due < today
    ]
    return sorted(items, key=lambda p: (p.due, p.slug, p.event_id))


def _owner_named_at(events: Sequence[Event]) -> datetime | None:
    owners = _of_kinds(events, frozenset({EventKind.POSTMORTEM_OWNER}))
    named = [e.occurred_at for e in owners if isinstance(e.data, PostmortemOwnerData)]
    return min(named) if named else None


def _schedule(incident: _Incident, policy: Policy, until: datetime) -> str:
    state = incident.state
    resolved = state.resolved_at
    if resolved is None or state.is_open:
        return "not resolved"
    plan = policy.postmortem
    slipped: list[str] = []
    owner_due = resolved + timedelta(hours=plan.owner_named_hours)
    named = _owner_named_at(incident.events)
    if (named is None and until > owner_due) or (named is not None and named > owner_due):
        slipped.append(f"owner not named within {plan.owner_named_hours:g} h")
    final_due = resolved + timedelta(days=plan.final_days)
    closed = [c.at for c in state.phase_history if c.phase == "closed" and c.at >= resolved]
    if (not closed and until > final_due) or (closed and closed[0] > final_due):
        slipped.append(f"not closed within {plan.final_days:g} days")
    if slipped:
        return "; ".join(slipped)
    return "kept" if state.phase == "closed" else "not yet due"


def _postmortems(
    in_range: Sequence[_Incident], causes: Sequence[CauseRecord], policy: Policy,
    until: datetime,
) -> list[PostmortemRow]:
    rows: list[PostmortemRow] = []
    for incident in in_range:
        verdict_ = postmortem_required(
            incident.slug, incident.state, incident.events, policy, until, causes
        )
        if verdict_.required:
            rows.append(
                PostmortemRow(
                    slug=incident.slug, severity=_label(incident.severity),
                    reasons=list(verdict_.reasons), owner=incident.state.postmortem_owner,
                    schedule=_schedule(incident, policy, until),
                )
            )
    return rows


def build_report(
    items: Sequence[IncidentInput],
    policy: Policy,
    *,
    since: datetime,
    until: datetime,
    services: Sequence[str] = (),
    rotation: Rotation | None = None,
) -> Report:
    """The report over ``items`` for ``[since, until)`` (``since`` goes back to the start
    of its on-call week), optionally only incidents touching one of ``services``; with
    a ``rotation``, pages are attributed to the person on call."""
    loaded = [_load(item, policy, until) for item in sorted(items, key=lambda i: i.slug)]
    causes = [c for i in loaded if (c := cause_record(i.slug, i.state, i.events)) is not None]
    wanted = set(services)
    if wanted:
        loaded = [i for i in loaded if wanted & set(i.state.services)]
    weeks = _weeks(loaded, since, until, policy, rotation)
    first = weeks[0].start if weeks else since
    in_range = [i for i in loaded if i.start is not None and first <= i.start < until]
    oncall = policy.oncall
    return Report(
        since=first,
        until=until,
        zone=oncall.zone,
        services=sorted(wanted),
        incidents=len(in_range),
        pages=sum(w.pages for w in weeks),
        pages_counted_from=PAGES_COUNTED_FROM,
        metrics=_health(weeks, in_range, policy),
        weeks=weeks,
        severities=_severities(in_range),
        by_service=_by_service(in_range),
        longest=_longest(in_range, oncall.longest_count),
        past_due=_past_due(loaded, until, oncall.zone),
        postmortems=_postmortems(in_range, causes, policy, until),
        pages_by_person=_by_person(loaded, first, until, policy, rotation),
    )
