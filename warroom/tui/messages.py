"""Cross-pane messages and the read-only view pushed down to every pane.

State flows *down*: the war-room screen builds one :class:`IncidentView` on
every change and on the one-second tick and calls ``pane.show(view)`` on each
pane. Requests flow *up*: a pane never writes to the store itself; it posts
:class:`SubmitEvent` or :class:`SubmitLine` and the war-room screen performs
the write in a worker, notifying on failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from warroom.domain.clocks import Clock, EffectiveSeverity
    from warroom.domain.events import Event, NewEvent
    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState

__all__ = [
    "EventsAppended",
    "IncidentView",
    "OpenIncident",
    "SubmitEvent",
    "SubmitLine",
    "WriteFailed",
]


@dataclass(frozen=True, slots=True)
class IncidentView:
    """Everything a pane may show about one incident at one instant.

    Attributes:
        state: the projected incident state.
        clocks: every clock, most urgent first (``warroom.domain.clocks.clocks``).
        now: the injected clock's current instant (UTC).
        severity: the effective severity (e.g. "SEV2 (default)").
        policy: the policy in force.
        tz: the viewer's local time zone (for showing local times).
        record_title: the incident's title as recorded.
        keys: the screen-level keys panes may name in their hints, by action
            (``"escalate"``, ``"checkpoint"``), as shown to the user (e.g. "F7").
        review: the linked runbook and the post-mortem verdict, one line each.
        author: who this seat writes entries as (shown in the header).
    """

    state: IncidentState
    clocks: list[Clock]
    now: datetime
    severity: EffectiveSeverity
    policy: Policy
    tz: tzinfo
    record_title: str
    keys: Mapping[str, str] = field(default_factory=dict)
    review: tuple[str, ...] = ()
    author: str = ""

    @classmethod
    def at(cls, now: datetime, state: IncidentState, policy: Policy, *, tz: tzinfo,
           record_title: str, keys: Mapping[str, str],
           review: tuple[str, ...] = (), author: str = "") -> IncidentView:
        """The view of ``state`` at ``now`` under the policy its record holds (``policy``,
        the seat's, only for a record that holds none), the clocks computed."""
        from warroom.domain.clocks import clocks, effective_severity
        from warroom.domain.state import policy_in_force

        policy = policy_in_force(state, policy)  # the incident's, not this seat's
        return cls(state=state, clocks=clocks(state, policy, now), now=now,
                   severity=effective_severity(state, policy, now), policy=policy, tz=tz,
                   record_title=record_title, keys=keys, review=review, author=author)


class SubmitEvent(Message):
    """A pane asks the war room to append a structured event."""

    def __init__(self, new_event: NewEvent) -> None:
        """Carry ``new_event`` up to the war-room screen."""
        super().__init__()
        self.new_event = new_event


class SubmitLine(Message):
    """A pane asks the war room to log one line of the scribe's command language."""

    def __init__(self, line: str) -> None:
        """Carry ``line`` up to the war-room screen."""
        super().__init__()
        self.line = line


class EventsAppended(Message):
    """New events reached the session (own writes or other processes' writes)."""

    def __init__(self, events: list[Event], state: IncidentState | None = None,
                 *, own: int | None = None) -> None:
        """Carry the new ``events`` (in id order), the state after them and the id of
        the entry this seat wrote (``own``: shown to the scribe wherever the view is)."""
        super().__init__()
        self.events = events
        self.state = state
        self.own = own


class WriteFailed(Message):
    """A write requested by a pane failed; ``error`` is one human line."""

    def __init__(self, error: str, line: str | None = None) -> None:
        """Carry the error and, for a scribe line, the line that was not logged."""
        super().__init__()
        self.error = error
        self.line = line


class OpenIncident(Message):
    """The incident list asks the app to open an incident's war room."""

    def __init__(self, ref: str) -> None:
        """Carry the incident reference (id or slug)."""
        super().__init__()
        self.ref = ref
