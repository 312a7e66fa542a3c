"""Entries that would change nothing: the same phase, severity or role holder again.

The fold ignores a phase change to the phase in force and the assignment of a role
to the person who holds it; a severity set to the one in force is recorded again in
the severity history. Logged by a second seat a moment after the first (two people
typing ``/resolved``) or twice by a double key press, each would still stand in the
timeline and the post-mortem as something that happened. :func:`no_change_problem`
names such an entry so that it can be refused before it is written. A back-dated
entry — earlier than the change it repeats — is left alone: it may record when the
change really happened.
"""

from __future__ import annotations

from warroom.domain.events import (
    NewEvent,
    PhaseChangedData,
    RoleAssignedData,
    SeveritySetData,
)
from warroom.domain.state import IncidentState

__all__ = ["no_change_problem"]

_NOTHING = "nothing logged"


def no_change_problem(state: IncidentState, new: NewEvent) -> str | None:
    """Why ``new`` would change nothing in ``state`` (``None``: it changes something)."""
    data = new.data
    at = new.occurred_at
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
