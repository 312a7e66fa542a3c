"""Why the SEV2 → SEV1 escalation key does nothing yet, in one line for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warroom.tui.messages import IncidentView

__all__ = ["why_no_escalation"]


def why_no_escalation(view: IncidentView | None) -> str:
    """Why no SEV2 → SEV1 escalation is offered now, and when it will be (if ever)."""
    from warroom.domain.clocks import ClockState  # not for the first frame
    from warroom.domain.timefmt import format_remaining, format_zoned
    if view is None:
        return "The incident is still loading; the escalation is offered when it is due."
    clock = next((c for c in view.clocks if c.id == "sev2_escalation"), None)
    minutes = view.policy.sev2_escalation_minutes
    severity = view.severity.label
    if clock is None or clock.state == ClockState.NOT_APPLICABLE:
        if severity == "SEV1":
            return "No SEV2 → SEV1 escalation: the incident is already SEV1."
        return (f"No SEV2 → SEV1 escalation: the incident is {severity}; the rule applies "
                "to SEV2 only (/sev 1 changes the severity).")
    if clock.state == ClockState.MET:
        return "No SEV2 → SEV1 escalation: the incident is mitigated."
    if clock.deadline is not None and clock.remaining is not None:
        when = format_zoned(clock.deadline, view.tz, now=view.now)
        return (f"Not due yet: a SEV2 not mitigated within {minutes} min is escalated to "
                f"SEV1 — offered at {when} (in {format_remaining(clock.remaining)}). "
                "/sev 1 escalates now.")
    return (f"Not due yet: a SEV2 not mitigated within {minutes} min is escalated to SEV1 "
            "(the clock starts once the incident is SEV2). /sev 1 escalates now.")
