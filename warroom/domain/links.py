"""What an incident's record says about its cause and its runbook. Pure.

``/cause`` tags the cause (incidents sharing a tag recur) and ``/runbook`` links the
runbook the response followed; the latest entry of each, in timeline order, counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    CauseData,
    CorrectionData,
    Event,
    EventKind,
    RunbookData,
    sort_key,
)

__all__ = ["Cause", "latest_cause", "link_events", "linked_runbook"]

_LINK_KINDS = frozenset({EventKind.CAUSE, EventKind.RUNBOOK, EventKind.CORRECTION})


def link_events(events: Iterable[Event]) -> list[Event]:
    """The events these functions read (causes, runbooks, corrections); from an
    :class:`EventLog`, without building its other events."""
    if isinstance(events, EventLog):
        return [events.event_at_slot(slot) for slot in events.kind_slots(_LINK_KINDS)]
    return [e for e in events if e.kind in _LINK_KINDS]


@dataclass(frozen=True, slots=True, kw_only=True)
class Cause:
    """The incident's cause: a tag and the text that explains it (corrections applied)."""

    tag: str
    text: str = ""
    event_id: int


def latest_cause(events: Iterable[Event]) -> Cause | None:
    """The latest ``/cause`` of the record, if any."""
    latest: Event | None = None
    corrections: dict[int, str] = {}
    for event in sorted(link_events(events), key=sort_key):
        if isinstance(event.data, CauseData):
            latest = event
        elif isinstance(event.data, CorrectionData):
            corrections[event.data.target] = event.text
    if latest is None or not isinstance(latest.data, CauseData):
        return None
    text = corrections.get(latest.id, latest.text)
    return Cause(tag=latest.data.tag, text=text, event_id=latest.id)


def linked_runbook(events: Iterable[Event]) -> str | None:
    """The latest ``/runbook`` link (a path or a URL), if any."""
    latest: Event | None = None
    for event in link_events(events):
        if isinstance(event.data, RunbookData) and (
            latest is None or sort_key(event) > sort_key(latest)
        ):
            latest = event
    return latest.data.ref if latest is not None and isinstance(latest.data, RunbookData) else None
