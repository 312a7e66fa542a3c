"""Read every incident of a store as report input (the one place the report touches I/O)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warroom.domain.links import latest_cause
from warroom.domain.policy import Policy
from warroom.domain.postmortem_rule import (
    CauseRecord,
    PostmortemContext,
    PostmortemVerdict,
    cause_record,
    highest_severity,
    postmortem_required,
)

if TYPE_CHECKING:
    from warroom.report.health import IncidentInput
    from warroom.service import IncidentSession
    from warroom.store import Store

__all__ = [
    "cause_records",
    "is_local_runbook",
    "load_inputs",
    "postmortem_context",
    "postmortem_lines",
    "postmortem_verdict",
    "runbook_problems",
]


def load_inputs(store: Store) -> list[IncidentInput]:
    """Every incident of ``store`` with all its events (compact logs)."""
    from warroom.report.health import IncidentInput

    return [IncidentInput(slug=r.slug, events=store.event_log(r.id)) for r in store.incidents()]


def cause_records(store: Store, until: datetime | None = None) -> list[CauseRecord]:
    """The recurrence rule's view of every incident (events up to ``until``, if given)."""
    from warroom.domain.fold import fold
    from warroom.report.health import events_until

    records: list[CauseRecord] = []
    for item in load_inputs(store):
        events = item.events if until is None else events_until(item.events, until)
        record = cause_record(item.slug, fold(events), events)
        if record is not None:
            records.append(record)
    return records


def _recurrence_inputs(session: IncidentSession, until: datetime) -> list[CauseRecord]:
    """Other incidents' causes, read only when the recurrence rule could fire."""
    recurring = session.incident_policy.postmortem_rule.recurring
    if highest_severity(session.state) in recurring and latest_cause(session.timeline):
        return cause_records(session.store, until)
    return []


def is_local_runbook(ref: str) -> bool:
    """Whether a ``/runbook`` link is a local file (not ``scheme://…`` or ``mailto:``)."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]+:(?!\\)", ref) is None or re.match(
        r"[A-Za-z]:[\\/]", ref) is not None


def runbook_problems(ref: str, policy: Policy, today: date) -> tuple[str, ...]:
    """Lint problems of a local runbook (``LINE: problem``); relative paths are read from
    the current folder. A URL is not fetched: no problems."""
    from warroom.domain.sanitize import one_line
    from warroom.report.runbook import lint_file

    if not is_local_runbook(ref):
        return ()
    path = Path(ref).expanduser()
    if not path.exists():
        return (f"{one_line(ref)}: not found from {one_line(str(Path.cwd()))}",)
    problems = lint_file(path, today=today, stale_days=policy.runbooks.stale_days)
    return tuple(f"line {p.line}: {p.text}" if p.line else p.text for p in problems)


def postmortem_context(session: IncidentSession) -> PostmortemContext:
    """What the draft needs besides the record: others' causes, the runbook's lint."""
    from zoneinfo import ZoneInfo

    from warroom.domain.links import linked_runbook

    now = session.now()
    ref = linked_runbook(session.timeline)
    today = now.astimezone(ZoneInfo(session.incident_policy.oncall.zone)).date()
    return PostmortemContext(
        others=tuple(_recurrence_inputs(session, now)),
        runbook=ref,
        runbook_problems=runbook_problems(ref, session.incident_policy, today) if ref else (),
    )


def postmortem_verdict(session: IncidentSession) -> PostmortemVerdict | None:
    """Whether the session's incident needs a post-mortem; ``None`` while it is open.

    Other incidents are read only when the recurrence rule could fire (the incident's
    highest severity is one that recurs and it has a cause tag).
    """
    state = session.state
    if state.is_open:
        return None
    now = session.now()
    return postmortem_required(
        session.record.slug, state, session.timeline, session.incident_policy, now,
        _recurrence_inputs(session, now),
    )


def postmortem_lines(session: IncidentSession) -> list[str]:
    """``show``'s post-mortem lines: the runbook and cause links, then the verdict."""
    from warroom.domain.links import linked_runbook
    from warroom.domain.sanitize import one_line

    lines: list[str] = []
    runbook = linked_runbook(session.timeline)
    cause = latest_cause(session.timeline)
    if runbook:
        lines.append(f"Runbook: {one_line(runbook)}")
    if cause:
        lines.append(f"Cause: #{one_line(cause.tag)}" + (f" — {one_line(cause.text)}"
                                                          if cause.text else ""))
    verdict = postmortem_verdict(session)
    if verdict is None:
        return lines
    if verdict.required:
        lines.append("Post-mortem required")
        lines.extend(f"  - {one_line(reason)}" for reason in verdict.reasons)
    else:
        lines.append(
            f"Post-mortem not required (about {verdict.engineering_hours:.1f} h of "
            "engineering time, estimated from the record)"
        )
    return lines
