"""Status-update templates, one per phase, pre-filled from the incident (pure).

The composer starts every update from one of these: customer impact first, then
what is being done, then when the next update comes (docs/rules.md §6). Every time
carries its zone ("14:02 UTC", "15:02 CET"), names come from the incident's
components, and nothing here uses internal jargon of its own, so an unedited
template passes the writing rules unless the incident's own names trip them.

No Textual, no I/O: the functions take the state, ``now`` and the viewer's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, tzinfo

from warroom.domain.events import ComponentState, Phase, StatusPhase
from warroom.domain.policy import Policy
from warroom.domain.sanitize import one_line
from warroom.domain.state import IncidentState
from warroom.domain.timefmt import format_zoned

__all__ = [
    "STATUS_PHASE_LABELS",
    "affected_components",
    "human_list",
    "impact_start",
    "next_update_at",
    "proposed_components",
    "status_template",
    "suggested_phase",
]

#: Human labels of the status phases, in the order of an incident.
STATUS_PHASE_LABELS: dict[StatusPhase, str] = {
    StatusPhase.INVESTIGATING: "Investigating",
    StatusPhase.IDENTIFIED: "Identified",
    StatusPhase.MONITORING: "Monitoring",
    StatusPhase.RESOLVED: "Resolved",
}

_PHASE_ORDER: tuple[StatusPhase, ...] = tuple(StatusPhase)


def human_list(names: Iterable[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``."""
    items = [n for n in names if n]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def affected_components(state: IncidentState) -> dict[str, ComponentState]:
    """Every component the incident touches, with its last posted state.

    The incident's services come first (in declaration order), then any other
    component named by an earlier update. A component never posted about starts
    as *Degraded Performance*.
    """
    components: dict[str, ComponentState] = {}
    for service in state.services:
        name = one_line(service).strip()
        if name:
            components.setdefault(name, ComponentState.DEGRADED_PERFORMANCE)
    for update in state.status_updates:
        for raw, component_state in update.components.items():
            name = one_line(raw).strip()
            if name:
                components[name] = component_state
    return components


def proposed_components(
    state: IncidentState, phase: StatusPhase
) -> dict[str, ComponentState | None]:
    """Every component the composer offers, with the state an update of ``phase``
    starts it at; ``None`` leaves it out of the update.

    Components of earlier updates keep their last posted state; a service never
    named in an update is proposed as *Degraded Performance* for the first
    update, and left out once updates have been posted (the comms lead chose the
    public names then). In a Resolved update every included component is
    *Operational*.
    """
    posted = {one_line(name).strip() for u in state.status_updates for name in u.components}
    proposed: dict[str, ComponentState | None] = {}
    for name, component_state in affected_components(state).items():
        if state.status_updates and name not in posted:
            proposed[name] = None
        elif phase == StatusPhase.RESOLVED:
            proposed[name] = ComponentState.OPERATIONAL
        else:
            proposed[name] = component_state
    return proposed


def suggested_phase(state: IncidentState) -> StatusPhase:
    """The phase the next update most likely has.

    From the lifecycle (mitigated → Monitoring, resolved or later → Resolved,
    otherwise Investigating), moved forward to the last posted phase while the
    incident is open (an "Identified" update is not followed by "Investigating"
    unless the incident was re-opened since).
    """
    if state.phase in (Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED):
        return StatusPhase.RESOLVED
    lifecycle = (
        StatusPhase.MONITORING if state.phase == Phase.MITIGATED else (StatusPhase.INVESTIGATING)
    )
    if not state.status_updates:
        return lifecycle
    last = state.status_updates[-1]
    reopened_since = any(change.reopened and change.at >= last.at for change in state.phase_history)
    if reopened_since or last.phase == StatusPhase.RESOLVED:
        return lifecycle
    return max(lifecycle, last.phase, key=_PHASE_ORDER.index)


def impact_start(state: IncidentState) -> datetime | None:
    """When customers were first affected, as far as the record knows."""
    return state.impact_started_at or state.detected_at or state.declared_at


def next_update_at(phase: StatusPhase, now: datetime, policy: Policy) -> datetime | None:
    """When the update after one of ``phase`` posted at ``now`` is due (``None``: never)."""
    minutes = policy.status_cadence_minutes.get(phase)
    return None if minutes is None else now + timedelta(minutes=minutes)


def _affected(components: Mapping[str, ComponentState]) -> list[str]:
    hit = [n for n, s in components.items() if s != ComponentState.OPERATIONAL]
    return hit or list(components)


def status_template(
    phase: StatusPhase,
    state: IncidentState,
    *,
    components: Mapping[str, ComponentState],
    now: datetime,
    tz: tzinfo = UTC,
    policy: Policy,
) -> str:
    """The body of a ``phase`` update for this incident, ready to edit.

    Customer impact first, then what is being done, then the next update time;
    the Resolved template says what happened, between which times, and that it
    is fixed. ``components`` are the affected components and their states.
    """
    names = human_list(_affected(components)) or "our service"
    start = impact_start(state)
    since = f" since {format_zoned(start, tz, now=now)}" if start else ""
    nxt = next_update_at(phase, now, policy)
    next_line = f" We will post the next update by {format_zoned(nxt, tz, now=now)}." if nxt else ""
    if phase == StatusPhase.INVESTIGATING:
        return (
            f"Some customers may be experiencing problems with {names}{since}. "
            f"We are aware of the issue and are investigating.{next_line}"
        )
    if phase == StatusPhase.IDENTIFIED:
        return (
            f"Some customers are experiencing problems with {names}{since}. "
            f"We have identified the cause and are working on a fix.{next_line}"
        )
    if phase == StatusPhase.MONITORING:
        return (
            f"Service is recovering for customers affected by problems with {names}{since}. "
            f"A fix has been put in place and we are monitoring the results.{next_line}"
        )
    end = state.resolved_at or state.mitigated_at or now
    window = (
        f"Between {format_zoned(start, tz, now=now)} and {format_zoned(end, tz, now=now)}"
        if start
        else "Earlier today"
    )
    return (
        f"{window}, some customers experienced problems with {names}. "
        "The cause has been fixed and the service is operating normally. "
        "We apologise for the disruption."
    )
