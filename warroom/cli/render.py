"""Plain-text and JSON renderings for the CLI (``list``, ``show``, ``demo --print``).

The one line ``log`` prints is in :mod:`warroom.cli.lines`, so
``log`` does not load the clocks and the summaries it never prints.

User text is sanitised with :func:`~warroom.domain.sanitize.one_line` before it is
printed, so an entry can never move the cursor or rewrite the terminal title.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from warroom.cli.fit import fields, hang
from warroom.domain.clocks import Clock, ClockState
from warroom.domain.events import Role
from warroom.domain.jsonable import to_jsonable
from warroom.domain.policy import Policy
from warroom.domain.roles import role_duty
from warroom.domain.sanitize import one_line
from warroom.domain.state import SEAT_POLICY_MARKER, IncidentState
from warroom.domain.timefmt import format_remaining, format_span, format_zoned, iso_utc, stamp_utc

if TYPE_CHECKING:
    from warroom.service import IncidentSession
    from warroom.store import Store

_CLOCK_MARK: dict[ClockState, str] = {
    ClockState.OVERDUE: "OVERDUE",
    ClockState.DUE_SOON: "due soon",
    ClockState.RUNNING: "running",
    ClockState.NOT_STARTED: "not started",
    ClockState.MET: "met",
    ClockState.NOT_APPLICABLE: "n/a",
}


# ----------------------------------------------------------------------- list
def incident_rows(store: Store, policy: Policy, now: datetime) -> list[dict[str, Any]]:
    """One JSON-ready row per incident: the console list's summary and order
    (:mod:`warroom.domain.summary`), every closed incident included.
    """
    from warroom.domain.summary import order, summarize
    from warroom.service import incident_state

    summaries = [summarize(record, incident_state(store, record), policy, now)
                 for record in store.incidents()]
    rows: list[dict[str, Any]] = []
    for summary in order(summaries, policy):
        record, urgent = summary.record, summary.urgent
        recorded = summary.recorded_severity
        rows.append({
            "id": record.id,
            "slug": record.slug,
            "title": record.title,
            "created_at": iso_utc(record.created_at),
            "declared_at": iso_utc(summary.declared_at),
            "severity": int(recorded) if recorded is not None else None,
            "effective_severity": summary.severity_label,
            "phase": summary.phase,
            "open": summary.is_open,
            "events": summary.event_count,
            "most_urgent_clock": _clock_json(urgent, now) if urgent else None,
        })
    return rows


def list_table(rows: list[dict[str, Any]], tz: tzinfo, now: datetime,
               width: int | None = None) -> str:
    """The ``warroom list`` table (declared in ``tz``, the day shown unless it is today).

    With ``width`` (a terminal's) and a table wider than that, the slug column goes
    (the id opens an incident as well) and the title takes the room left, cut with
    "…"; when under :data:`_TITLE_ROOM` columns are left, each title goes on its own
    line under its row instead. Without, one line per incident, every column.
    """
    if not rows:
        return "no incidents (declare one with 'warroom new TITLE')"
    header = ("ID", "SLUG", "SEVERITY", "PHASE", "DECLARED", "NEXT DUE", "TITLE")
    table: list[tuple[str, ...]] = []
    for row in rows:
        declared = datetime.fromisoformat(row["declared_at"])
        clock = row["most_urgent_clock"]
        due = (f"{clock['name']} {clock['remaining_text']}" if clock and
               clock.get("remaining_text") else "")
        table.append((str(row["id"]), one_line(row["slug"]), row["effective_severity"],
                      row["phase"], format_zoned(declared, tz, now=now), due,
                      one_line(row["title"])))
    full = _columns([header, *table])
    if width is None or max(len(line) for line in full.splitlines()) <= width:
        return full
    slugless = [(r[0], *r[2:]) for r in [header, *table]]
    widths = [max(len(r[i]) for r in slugless) for i in range(len(slugless[0]) - 1)]
    room = width - sum(widths) - 2 * len(widths)
    if room >= _TITLE_ROOM:
        return _columns([(*r[:-1], _cut(r[-1], room)) for r in slugless])
    lines = _columns([r[:-1] for r in slugless]).splitlines()
    indent = widths[0] + 2
    out = hang(lines[0], width, indent)
    for line, cells in zip(lines[1:], slugless[1:], strict=True):
        out.extend(hang(line, width, indent))  # only on a very narrow terminal
        out.extend(hang(" " * indent + cells[-1], width, indent))
    return "\n".join(out)


#: The fewest columns a title gets beside its row in a terminal-wide ``list``.
_TITLE_ROOM = 24


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _columns(table: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    )


# ----------------------------------------------------------------------- show
def _clock_json(clock: Clock, now: datetime) -> dict[str, Any]:
    data = to_jsonable(clock, exclude={"remaining"})
    remaining = clock.remaining
    data["remaining_seconds"] = remaining.total_seconds() if remaining is not None else None
    data["remaining_text"] = format_remaining(remaining) if remaining is not None else None
    return data


def show_json(session: IncidentSession) -> dict[str, Any]:
    """Everything ``warroom show --json`` prints."""
    now = session.now()
    record = session.record
    effective = session.effective_severity(now)
    return {
        "incident": {
            "id": record.id,
            "slug": record.slug,
            "title": record.title,
            "created_at": iso_utc(record.created_at),
        },
        "now": iso_utc(now),
        "effective_severity": to_jsonable(effective),
        "state": to_jsonable(session.state),
        "clocks": [_clock_json(c, now) for c in session.clocks(now)],
        "policy_recorded": session.policy_recorded,
        "postmortem": _postmortem_json(session),
    }


def _postmortem_json(session: IncidentSession) -> dict[str, Any] | None:
    """Whether a post-mortem is required, once the incident is resolved (else null)."""
    from warroom.report.source import postmortem_verdict

    verdict = postmortem_verdict(session)
    return to_jsonable(verdict) if verdict is not None else None


def _ago(now: datetime, then: datetime) -> str:
    span = now - then
    return f"{format_span(span)} ago" if span.total_seconds() >= 0 else "in the future"


def _roles_lines(state: IncidentState, policy: Policy, session: IncidentSession,
                 width: int | None = None) -> list[str]:
    duty = role_duty(state, policy, session.now())
    lines = []
    for role in Role:
        tenure = state.roles.get(role)
        need = duty.requirement(role)
        if tenure is None:
            flag = "MISSING" if role in duty.missing else "—"
            line = f"  {role.label:<20} {flag:<24} ({need})"
        else:
            since = f"since {format_zoned(tenure.start, session.tz, now=session.now())}"
            line = f"  {role.label:<20} {one_line(tenure.person):<24} {since} ({need})"
        lines.extend(hang(line, width, _ROLE_HOLDER_COLUMN))
    handoffs = [t for t in state.role_history if t.handed_to]
    for tenure in handoffs:
        lines.extend(hang(
            f"  hand-off: {tenure.role.label} {one_line(tenure.person)} → "
            f"{one_line(tenure.handed_to or '')} at "
            f"{format_zoned(tenure.end or tenure.start, session.tz, now=session.now())}",
            width, 4))
    return lines


#: Where a role's holder starts on a ``warroom show`` line (after the role's label).
_ROLE_HOLDER_COLUMN = 2 + 20 + 1
#: Where a clock's description starts on a ``warroom show`` line (after mark and time).
_CLOCK_TEXT_COLUMN = 2 + 11 + 1 + 9 + 2
#: Where a milestone's time starts.
_MILESTONE_COLUMN = 2 + 16 + 1


def show_text(session: IncidentSession, width: int | None = None) -> str:
    """``warroom show``: header, milestones, roles, clocks, last status update.

    With ``width`` (a terminal's), every line fits it: a long line goes on under
    itself (a clock's under its description, a role's under its holder) and the
    heading's fields move to the next line when it is full; without, each item is
    one line (scripts read them).
    """
    now = session.now()
    state = session.state
    record = session.record
    tz = session.tz
    effective = session.effective_severity(now)
    lines = hang(f"{one_line(record.title)}  [{record.slug}, #{record.id}]", width, 2)
    declared = state.declared_at or record.created_at
    lines.extend(fields([
        f"severity {effective.label}",
        f"phase {state.phase}",
        f"declared {stamp_utc(declared)} ({format_zoned(declared, tz, now=now)}, "
        f"{_ago(now, declared)})",
    ], width))
    if state.services:
        services = ", ".join(one_line(s) for s in state.services)
        lines.extend(hang(f"  services: {services}", width, len("  services: ")))
    policy = session.incident_policy
    lines.extend(fields([f"escalation: {policy.escalation_label(state.escalation_level)}",
                         f"entries: {state.event_count}"], width))
    milestones = [("impact started", state.impact_started_at), ("detected", state.detected_at),
                  ("acknowledged", state.acknowledged_at), ("mitigated", state.mitigated_at),
                  ("resolved", state.resolved_at)]
    lines.append("Milestones")
    for name, at in milestones:
        when = f"{stamp_utc(at)} ({format_zoned(at, tz, now=now)})" if at else "not recorded"
        lines.extend(hang(f"  {name:<16} {when}", width, _MILESTONE_COLUMN))
    lines.append("Roles")
    lines.extend(_roles_lines(state, policy, session, width))
    lines.append("Clocks" if session.policy_recorded else f"Clocks {SEAT_POLICY_MARKER}")
    for clock in session.clocks(now):
        if clock.state == ClockState.NOT_APPLICABLE:
            continue
        remaining = format_remaining(clock.remaining) if clock.remaining is not None else ""
        lines.extend(hang(f"  {_CLOCK_MARK[clock.state]:<11} {remaining:>9}  "
                          f"{clock.name}: {clock.rule}", width, _CLOCK_TEXT_COLUMN))
        if clock.is_active and clock.action:
            lines.extend(hang(f"  {'':<11} {'':>9}  → {clock.action}", width,
                              _CLOCK_TEXT_COLUMN + 2))
    if state.status_updates:
        last = state.status_updates[-1]
        lines.extend(hang(f"Last status update ({last.phase}, {stamp_utc(last.at)})",
                          width, 2))
        lines.extend(hang(f"  {one_line(last.text)}", width, 2))
    from warroom.report.source import postmortem_lines

    for line in postmortem_lines(session):  # "Cause: …", "  - a reason"
        lines.extend(hang(line, width, 4 if line.startswith("  ") else 2))
    return "\n".join(lines)
