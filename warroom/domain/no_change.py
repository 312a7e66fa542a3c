"""Entries that would change nothing: the same phase, severity or role holder again.

The fold ignores a phase change to the phase in force and the assignment of a role
to the person who holds it; a severity set to the one in force is recorded again in
the severity history. Logged by a second seat a moment after the first (two people
typing ``/resolved``) or twice by a double key press, each would still stand in the
timeline and the post-mortem as something that happened. :func:`no_change_problem`
names such an entry so that it can be refused before it is written. A back-dated
entry — earlier than the change it repeats — is left alone: it may record when the
change really happened.

The milestones that happen once (impact start, first signal, acknowledgement) are
taken from their latest entry, so a second ``/ack`` typed now would move the
acknowledgement — and the time to acknowledge — to now. One typed without a time
(within :data:`NOW_WINDOW` of now) is refused while the milestone is recorded;
back-dated, it corrects the milestone's time and goes in. So, typed without a time,
is the release of a role nobody holds and the post-mortem owner named again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from warroom.domain.events import (
    AcknowledgedData,
    DetectedData,
    ImpactStartedData,
    NewEvent,
    PhaseChangedData,
    PostmortemOwnerData,
    RoleAssignedData,
    RoleReleasedData,
    SeveritySetData,
)
from warroom.domain.state import IncidentState

__all__ = ["no_change_problem"]

_NOTHING = "nothing logged"

#: An entry dated less than this before now was typed without a time (the console
#: parses a line a moment before it is checked).
NOW_WINDOW = timedelta(seconds=60)

#: Milestone data → (the state's milestone key, its name, the command that logs it).
_MILESTONES: dict[type, tuple[str, str, str]] = {
    ImpactStartedData: ("impact_started", "impact start", "/started"),
    DetectedData: ("detected", "first signal", "/detected"),
    AcknowledgedData: ("acknowledged", "acknowledgement", "/ack"),
}


def no_change_problem(state: IncidentState, new: NewEvent, now: datetime) -> str | None:
    """Why ``new`` would change nothing in ``state`` (``None``: it changes something).

    ``now`` tells an entry typed without a time from a back-dated one (milestones).
    """
    data = new.data
    at = new.occurred_at
    milestone = _MILESTONES.get(type(data))
    if milestone is not None:
        key, name, command = milestone
        recorded = state.milestone_events.get(key)
        if recorded is not None and at > now - NOW_WINDOW:
            return (f"the {name} is already recorded (#{recorded}): {_NOTHING}; to correct "
                    f"its time, back-date the entry (e.g. @14:02 {command})")
        return None
    typed_now = at > now - NOW_WINDOW
    if isinstance(data, RoleReleasedData) and typed_now and data.role not in state.roles:
        return f"{data.role.label} is not held by anyone: {_NOTHING}"
    if (isinstance(data, PostmortemOwnerData) and typed_now
            and state.postmortem_owner == data.person):
        return f"{data.person} already owns the post-mortem: {_NOTHING}"
    if isinstance(data, PhaseChangedData) and not data.reopened and state.phase_history:
        last = state.phase_history[-1]
        if last.phase == data.phase and at >= last.at:
            return (f"the incident is already {data.phase.value} "
                    f"(since #{last.event_id}): {_NOTHING}")
    elif isinstance(data, SeveritySetData) and state.severity_history:
        change = state.severity_history[-1]
        if change.severity == data.severity and at >= change.at:
            return (f"the incident is already {data.severity.label} "
                    f"(since #{change.event_id}): {_NOTHING}")
    elif isinstance(data, RoleAssignedData):
        tenure = state.roles.get(data.role)
        if tenure is not None and tenure.person == data.person and at >= tenure.start:
            return (f"{data.person} already holds {data.role.label} "
                    f"(since #{tenure.start_event}): {_NOTHING}")
    return None
