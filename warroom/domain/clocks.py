"""The policy clocks: every countdown of the incident process, computed from the record.

``clocks(state, policy, now)`` is a pure function of the projected
:class:`~warroom.domain.state.IncidentState`, the :class:`~warroom.domain.policy.Policy`
and the injected instant ``now``; nothing is kept in memory between calls, so a
restart or a second seat shows the same countdowns.

Conventions (binding for the console and the CLI):

* Every call returns **the same set of clocks** (:data:`CLOCK_IDS`), one each; a
  clock that does not apply to the incident's severity or phase is returned as
  :attr:`ClockState.NOT_APPLICABLE` (its ``rule`` says why) rather than omitted.
* ``remaining`` is set only for running, due-soon and overdue clocks (negative when
  overdue); ``deadline`` is set whenever it is known (also for met clocks and for
  not-started clocks whose start is already known).
* An incident still **unclassified** is run on the rules of
  ``policy.unclassified_default_severity`` as if it had become that severity at the
  default instant (declaration + ``unclassified_default_minutes``): the ack window
  runs from detection at once, the clocks that count from "becoming that severity"
  (roles, SEV2 → SEV1, war room) are *not started* until then.
* The war room "at once" (SEV1, several services) is due soon from the start and
  overdue only after ``due_soon_minutes`` (at least one minute): time to assign an
  IC, which opens it. The customer-reported escalation has ``deadline ==
  started_at``: due soon at that instant, overdue a moment later.
* A clock for an *optional* obligation (status page "optional") is a reminder: due
  soon at its time, never overdue.
* Clocks that end at mitigation (SEV2 → SEV1, war room, escalation) start again at
  the latest re-opening (a move from mitigated-or-later back to an earlier phase).
* The war room counts as open while the incident is *responding* (the process:
  "roles assigned, war room open"); the war-room clock is met then, or once
  mitigated.
* Recurring clocks (checkpoint, IC rotation) are not applicable once the
  incident is resolved, and neither are the ack window nor classifying (triage)
  for an incident resolved without them; the status-update clock is met by a
  ``resolved`` update.
* Escalation applies to severities with a paging window (``ack_minutes``) and
  becomes not applicable at the top of the ladder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from warroom.domain.clockbase import (
    Clock,
    ClockContext,
    ClockState,
    clock_context,
    later,
    minutes_text,
    not_applicable,
)
from warroom.domain.events import DetectionSource, Phase, Role, Severity
from warroom.domain.policy import Policy
from warroom.domain.roles import ROLE_SHORT, role_duty
from warroom.domain.severity import EffectiveSeverity as EffectiveSeverity
from warroom.domain.severity import effective_severity as effective_severity
from warroom.domain.state import IncidentState
from warroom.domain.timefmt import format_remaining as format_remaining

#: Every clock, in the order used to break ties between equally urgent clocks.
CLOCK_IDS: tuple[str, ...] = (
    "classify",
    "ack",
    "roles",
    "sev2_escalation",
    "war_room",
    "escalation",
    "checkpoint",
    "status_update",
    "ic_rotation",
    "postmortem_owner",
)

_STATE_RANK: dict[ClockState, int] = {
    ClockState.OVERDUE: 0,
    ClockState.DUE_SOON: 1,
    ClockState.RUNNING: 2,
    ClockState.NOT_STARTED: 3,
    ClockState.MET: 4,
    ClockState.NOT_APPLICABLE: 5,
}


def _classify(ctx: ClockContext) -> Clock:
    name = "Classify"
    declared = ctx.state.declared_at
    minutes = ctx.policy.unclassified_default_minutes
    rule = (
        f"Unclassified: set a severity within {minutes_text(minutes)} of declaration, "
        f"else it is treated as {ctx.policy.unclassified_default_severity.label}"
    )
    if declared is None:
        return not_applicable("classify", name, "No incident declared")
    if not ctx.state.is_open and ctx.state.severity is None:
        return not_applicable("classify", name, rule + " (incident resolved)")
    return ctx.countdown(
        "classify",
        name,
        rule,
        "Set the severity (/sev N)",
        start=declared,
        deadline=declared + timedelta(minutes=minutes),
        met=ctx.state.severity is not None,
    )


def _ack(ctx: ClockContext) -> Clock:
    name = "Ack window"
    sev_rule = ctx.rule
    if sev_rule is None:
        return not_applicable("ack", name, "No incident declared")
    if sev_rule.ack_minutes is None:
        return not_applicable("ack", name, f"{ctx.label}: no ack window ({sev_rule.page})")
    start = ctx.state.detected_at or ctx.state.declared_at
    rule = f"{ctx.label}: acknowledge within {minutes_text(sev_rule.ack_minutes)} of detection"
    if not ctx.state.is_open and ctx.state.acknowledged_at is None:
        return not_applicable("ack", name, rule + " (incident resolved)")
    return ctx.countdown(
        "ack",
        name,
        rule,
        "Page the secondary on-call",
        start=start,
        deadline=start + timedelta(minutes=sev_rule.ack_minutes) if start else None,
        met=ctx.state.acknowledged_at is not None,
    )


def _roles(ctx: ClockContext, only: Role | None = None) -> Clock:
    """The "Roles filled" clock; with ``only``, that one role against its own deadline."""
    name = "Roles filled"
    sev_rule = ctx.rule
    if sev_rule is None or ctx.severity is None:
        return not_applicable("roles", name, "No incident declared")
    if sev_rule.role_fill_minutes is None:
        return not_applicable("roles", name, f"{ctx.label}: the on-call engineer holds every role")
    duty = role_duty(ctx.state, ctx.policy, ctx.now)
    required = ", ".join(ROLE_SHORT[r] for r in duty.required)
    missing = duty.unheld if only is None else tuple(r for r in duty.unheld if r is only)
    rule = (
        f"{ctx.label}: fill {required} within {minutes_text(sev_rule.role_fill_minutes)} "
        f"of declaration or of becoming {ctx.severity.label}"
    )
    due = duty.due if only is None else duty.deadline_of(only)
    if due is not None and due.severity != ctx.severity:
        rule += f" (the earlier {due.severity.label} deadline stands)"
    if missing:
        rule += " — missing: " + ", ".join(ROLE_SHORT[r] for r in missing)
        if not ctx.state.is_open:
            return not_applicable("roles", name, rule + " (incident resolved)")
    return ctx.countdown(
        "roles",
        name,
        rule,
        "Assign " + ", ".join(ROLE_SHORT[r] for r in missing) if missing else "",
        start=due.started_at if due else None,
        deadline=due.deadline if due else None,
        met=not missing,
    )


def _sev2_escalation(ctx: ClockContext) -> Clock:
    name = f"{Severity.SEV2.label} → {Severity.SEV1.label}"
    minutes = ctx.policy.sev2_escalation_minutes
    rule = (
        f"{Severity.SEV2.label}: not mitigated within {minutes_text(minutes)} of becoming "
        f"{Severity.SEV2.label} → escalate to {Severity.SEV1.label} procedures"
    )
    if ctx.severity != Severity.SEV2:
        return not_applicable("sev2_escalation", name, rule)
    start = later(ctx.since, ctx.reopened_at)
    return ctx.countdown(
        "sev2_escalation",
        name,
        rule,
        f"Escalate to {Severity.SEV1.label} procedures (/sev 1)",
        start=start,
        deadline=start + timedelta(minutes=minutes) if start else None,
        met=ctx.state.is_mitigated,
    )


def _war_room(ctx: ClockContext) -> Clock:
    name = "War room"
    sev_rule = ctx.rule
    if sev_rule is None:
        return not_applicable("war_room", name, "No incident declared")
    action = "Assign an IC (/ic NAME) or log /responding"
    met = ctx.state.phase == Phase.RESPONDING or ctx.state.is_mitigated
    grace = timedelta(minutes=max(1, ctx.policy.due_soon_minutes))
    within = f"at once (within {minutes_text(grace.total_seconds() / 60)})"
    if sev_rule.war_room == "required":
        start = later(ctx.since, ctx.reopened_at)
        rule = f"{ctx.label}: war room required {within}"
        deadline = start + grace if start else None
        return ctx.countdown(
            "war_room", name, rule, action, start=start, deadline=deadline, met=met
        )
    if ctx.several_services:
        start = later(ctx.state.declared_at, ctx.reopened_at)
        rule = f"Several services affected ({', '.join(ctx.state.services)}): war room {within}"
        deadline = start + grace if start else None
        return ctx.countdown(
            "war_room", name, rule, action, start=start, deadline=deadline, met=met
        )
    if sev_rule.war_room == "recommended":
        minutes = ctx.policy.war_room_unmitigated_minutes
        start = later(ctx.since, ctx.reopened_at)
        rule = f"{ctx.label}: not mitigated within {minutes_text(minutes)} → open a war room"
        deadline = start + timedelta(minutes=minutes) if start else None
        return ctx.countdown(
            "war_room", name, rule, action, start=start, deadline=deadline, met=met
        )
    return not_applicable("war_room", name, f"{ctx.label}: no war room")


def _checkpoint(ctx: ClockContext) -> Clock:
    name = "Checkpoint"
    sev_rule = ctx.rule
    if sev_rule is None:
        return not_applicable("checkpoint", name, "No incident declared")
    minutes = ctx.policy.checkpoint_minutes
    rule = f"{ctx.label}: IC checkpoint every {minutes_text(minutes)} while the war room is open"
    if sev_rule.war_room == "no" and not ctx.several_services:
        return not_applicable("checkpoint", name, f"{ctx.label}: no war room, no checkpoints")
    if not ctx.state.is_open:
        return not_applicable("checkpoint", name, rule + " (incident resolved)")
    responding = [c.at for c in ctx.state.phase_history if c.phase == Phase.RESPONDING]
    last_checkpoint = max((c.at for c in ctx.state.checkpoints), default=None)
    start = later(max(responding, default=None), last_checkpoint)
    return ctx.countdown(
        "checkpoint",
        name,
        rule,
        "Run the IC checkpoint (/checkpoint): what do we know, what next, "
        "escalate?, status page current?",
        start=start,
        deadline=start + timedelta(minutes=minutes) if start else None,
    )


def _status_update(ctx: ClockContext) -> Clock:
    name = "Status update"
    sev_rule = ctx.rule
    if sev_rule is None:
        return not_applicable("status_update", name, "No incident declared")
    if sev_rule.status_page == "no":
        return not_applicable("status_update", name, f"{ctx.label}: no status page")
    reminder = sev_rule.status_page == "optional"
    action = "Post a status update (/status PHASE TEXT)"
    prefix = f"{ctx.label}: status page {sev_rule.status_page}"
    if reminder:
        action = "Optional: post a status update (/status PHASE TEXT)"
        prefix += " (a reminder, never overdue)"
    first = ctx.policy.first_status_update_minutes
    first_rule = f"{prefix} — first update within {minutes_text(first)} of declaration"
    updates = sorted(ctx.state.status_updates, key=lambda u: (u.at, u.event_id))
    last = updates[-1] if updates else None
    reopened = ctx.reopened_at
    start: datetime | None
    if last is None or (reopened is not None and reopened > last.at):
        start = reopened if last is not None else ctx.state.declared_at
        if last is not None:
            first_rule = f"{prefix} — first update within {minutes_text(first)} of re-opening"
        deadline = start + timedelta(minutes=first) if start else None
        return ctx.countdown(
            "status_update",
            name,
            first_rule,
            action,
            start=start,
            deadline=deadline,
            reminder=reminder,
        )
    cadence = ctx.policy.status_cadence_minutes.get(last.phase)
    if cadence is None:
        rule = f"{prefix} — {last.phase.value} update posted, no further update due"
        return ctx.countdown(
            "status_update", name, rule, action, start=last.at, deadline=None, met=True
        )
    rule = f"{prefix} — next update {minutes_text(cadence)} after the last ({last.phase.value})"
    return ctx.countdown(
        "status_update",
        name,
        rule,
        action,
        start=last.at,
        deadline=last.at + timedelta(minutes=cadence),
        reminder=reminder,
    )


def _ic_rotation(ctx: ClockContext) -> Clock:
    name = "IC rotation"
    minutes = ctx.policy.ic_rotation_minutes
    rule = f"An IC who has led for {minutes_text(minutes)} should be rotated"
    if ctx.state.declared_at is None:
        return not_applicable("ic_rotation", name, "No incident declared")
    if not ctx.state.is_open:
        return not_applicable("ic_rotation", name, rule + " (incident resolved)")
    tenure = ctx.state.roles.get(Role.IC)
    if tenure is None:
        return ctx.countdown(
            "ic_rotation", name, rule + " (no IC yet)", "", start=None, deadline=None
        )
    return ctx.countdown(
        "ic_rotation",
        name,
        f"{rule} (IC: {tenure.person})",
        "Hand the IC role to a fresh IC (/ic NAME)",
        start=tenure.start,
        deadline=tenure.start + timedelta(minutes=minutes),
    )


def _escalation(ctx: ClockContext) -> Clock:
    name = "Escalation"
    sev_rule = ctx.rule
    if sev_rule is None:
        return not_applicable("escalation", name, "No incident declared")
    if sev_rule.ack_minutes is None:
        return not_applicable(
            "escalation", name, f"{ctx.label}: no paging escalation ({sev_rule.page})"
        )
    policy, state = ctx.policy, ctx.state
    level = state.escalation_level
    at = f"at {policy.escalation_label(level)}"
    if level >= len(policy.escalation_levels) - 1:
        return not_applicable("escalation", name, f"Top of the escalation ladder reached ({at})")
    action = f"Escalate to {policy.escalation_label(level + 1)} (/escalate)"
    minutes = policy.escalation_stall_minutes
    last_escalation = max((e.at for e in state.escalations), default=None)
    detected = state.detected_at
    if (
        state.detection_source == DetectionSource.CUSTOMER
        and detected is not None
        and (last_escalation is None or last_escalation < detected)
        and not state.is_mitigated
    ):
        rule = f"Customer-reported: escalate one level at once ({at})"
        return ctx.countdown("escalation", name, rule, action, start=detected, deadline=detected)
    rule = f"No mitigation progress for {minutes_text(minutes)} → escalate one level ({at})"
    start = later(detected, state.declared_at, last_escalation, ctx.reopened_at)
    return ctx.countdown(
        "escalation",
        name,
        rule,
        action,
        start=start,
        deadline=start + timedelta(minutes=minutes) if start else None,
        met=state.is_mitigated,
    )


def _postmortem_owner(ctx: ClockContext) -> Clock:
    """Runs when the post-mortem rule (:mod:`warroom.domain.postmortem_rule`) requires
    one: by the incident's worst severity (and customer impact), or — the clock sees
    the state, not the entries the engineering-time estimate counts — when the
    incident lasted longer than that estimate's limit."""
    from warroom.domain.postmortem_rule import severity_reason

    name = "Post-mortem owner"
    if ctx.severity is None:
        return not_applicable("postmortem_owner", name, "No incident declared")
    policy, state = ctx.policy, ctx.state
    hours = policy.postmortem.owner_named_hours
    long_hours = policy.postmortem_engineering_hours
    began = state.impact_started_at or state.declared_at
    long_incident = (
        state.resolved_at is not None
        and began is not None
        and state.resolved_at - began > timedelta(hours=long_hours)
    )
    reason = severity_reason(state, policy)
    if reason is None and not long_incident:
        return not_applicable(
            "postmortem_owner",
            name,
            f"{ctx.label}: no post-mortem required (unless it lasts over {long_hours:g} h)",
        )
    why = ctx.label if reason is not None else f"Lasted over {long_hours:g} h"
    rule = f"{why}: after resolution the IC names a post-mortem owner within {hours:g} h"
    resolved = state.resolved_at if not state.is_open else None
    return ctx.countdown(
        "postmortem_owner",
        name,
        rule,
        "Name the post-mortem owner",
        start=resolved,
        deadline=resolved + timedelta(hours=hours) if resolved else None,
        met=state.postmortem_owner is not None,
    )


_BUILDERS: dict[str, Callable[[ClockContext], Clock]] = {
    "classify": _classify,
    "ack": _ack,
    "roles": _roles,
    "sev2_escalation": _sev2_escalation,
    "war_room": _war_room,
    "escalation": _escalation,
    "checkpoint": _checkpoint,
    "status_update": _status_update,
    "ic_rotation": _ic_rotation,
    "postmortem_owner": _postmortem_owner,
}


def role_clocks(state: IncidentState, policy: Policy, now: datetime) -> dict[Role, Clock]:
    """The "Roles filled" clock of each required role, each against its own deadline.

    The incident's one roles clock runs to the earliest of them; a role required only
    since a later escalation keeps its own, later, deadline here (the roster's rows).
    """
    ctx = clock_context(state, policy, now)
    duty = role_duty(state, policy, now)
    return {role: _roles(ctx, only=role) for role in duty.required}


def sort_clocks(items: Sequence[Clock]) -> list[Clock]:
    """Most urgent first: overdue (most overdue first), due soon, running (least
    remaining first), not started, met, not applicable; ties in :data:`CLOCK_IDS` order.
    """

    def key(clock: Clock) -> tuple[int, timedelta, int]:
        remaining = clock.remaining if clock.is_active and clock.remaining else timedelta(0)
        order = CLOCK_IDS.index(clock.id) if clock.id in CLOCK_IDS else len(CLOCK_IDS)
        return (_STATE_RANK[clock.state], remaining, order)

    return sorted(items, key=key)


def clocks(state: IncidentState, policy: Policy, now: datetime) -> list[Clock]:
    """Every clock of the incident at ``now``, most urgent first (see the module doc)."""
    ctx = clock_context(state, policy, now)
    return sort_clocks([_BUILDERS[clock_id](ctx) for clock_id in CLOCK_IDS])
