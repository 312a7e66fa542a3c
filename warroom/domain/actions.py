"""The events a person's decision in the console logs: one builder per action.

A modal (or a key) only gathers a choice — a name, four answers, a yes; what the
record then holds is built here, from the inputs, with no screen involved:

* :func:`sev1_escalation_events` — a confirmed SEV2 → SEV1 escalation logs a
  severity change to SEV1 and an escalation one level up, both with the reason
  :func:`escalation_reason`;
* :func:`checkpoint_event` — the IC checkpoint's four answers (blank ones left out
  of the text, see :func:`checkpoint_text`);
* :func:`role_assignment_event` / :func:`role_release_event` — a role given to a
  person (a hand-off if someone held it) or left empty;
* :func:`status_update_event` — a customer status update posted from the composer:
  its text verbatim (control sequences stripped), its phase and component states.

Every builder takes the instant and the author: time is injected, never read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from warroom.domain.events import (
    CheckpointData,
    ComponentState,
    EscalationData,
    NewEvent,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.policy import Policy
from warroom.domain.sanitize import clean_text

__all__ = [
    "CHECKPOINT_QUESTIONS",
    "checkpoint_event",
    "checkpoint_text",
    "escalation_reason",
    "role_assignment_event",
    "role_release_event",
    "sev1_escalation_events",
    "status_update_event",
]

#: The four checkpoint questions, keyed by the :class:`CheckpointData` field they fill.
CHECKPOINT_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("know", "What do we know now?"),
    ("next", "What are we trying next?"),
    ("escalate", "Do we need to escalate or bring in more people?"),
    ("status_page", "Is the status page current?"),
)

#: The label of each answer in a checkpoint's text.
_SHORT = {"know": "Know", "next": "Next", "escalate": "Escalate", "status_page": "Status page"}


def escalation_reason(policy: Policy) -> str:
    """The logged reason of a SEV2 → SEV1 escalation, e.g. "SEV2 not mitigated within 60 min"."""
    return f"SEV2 not mitigated within {policy.sev2_escalation_minutes} min"


def sev1_escalation_events(*, now: datetime, author: str, policy: Policy) -> list[NewEvent]:
    """The two events a confirmed SEV2 → SEV1 escalation logs, in order.

    A severity change to SEV1 and an escalation (one level up the ladder), both
    with the reason :func:`escalation_reason`.
    """
    reason = escalation_reason(policy)
    return [
        NewEvent(
            occurred_at=now,
            author=author,
            text=reason,
            data=SeveritySetData(severity=Severity.SEV1),
        ),
        NewEvent(occurred_at=now, author=author, text=reason, data=EscalationData()),
    ]


def checkpoint_text(data: CheckpointData) -> str:
    """The timeline text of a checkpoint: its answers on one line, labelled."""
    parts = [
        f"{_SHORT[field]}: {value}"
        for field, _ in CHECKPOINT_QUESTIONS
        if (value := getattr(data, field))
    ]
    return "Checkpoint — " + " · ".join(parts) if parts else "Checkpoint"


def checkpoint_event(data: CheckpointData, *, now: datetime, author: str) -> NewEvent:
    """The event that logs the checkpoint answers ``data`` at ``now``."""
    return NewEvent(occurred_at=now, author=author, text=checkpoint_text(data), data=data)


def role_assignment_event(role: Role, person: str, *, now: datetime, author: str) -> NewEvent:
    """The event that gives ``role`` to ``person`` (a hand-off if someone holds it)."""
    return NewEvent(
        occurred_at=now, author=author, data=RoleAssignedData(role=role, person=person)
    )


def role_release_event(role: Role, *, now: datetime, author: str) -> NewEvent:
    """The event that leaves ``role`` empty."""
    return NewEvent(occurred_at=now, author=author, data=RoleReleasedData(role=role))


def status_update_event(
    text: str,
    phase: StatusPhase,
    components: Mapping[str, ComponentState],
    *,
    now: datetime,
    author: str,
) -> NewEvent:
    """The event that posts a customer status update at ``now``.

    The text is kept verbatim — only control sequences are stripped and the ends
    trimmed — with the update's ``phase`` and each affected component's state.
    Raises :class:`ValueError` when no text is left (a status update needs its words).
    """
    words = clean_text(text).strip()
    if not words:
        raise ValueError("a status update needs its text")
    return NewEvent(
        occurred_at=now,
        author=author,
        text=words,
        data=StatusUpdateData(phase=phase, components=dict(components)),
    )
