"""What an incident's record says about its cause and its runbook. Pure.

``/cause`` tags the cause (incidents sharing a tag recur) and ``/runbook`` links the
runbook the response followed; the latest entry of each, in timeline order, counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from warroom.domain.events import CauseData, CorrectionData, Event, RunbookData, sort_key

__all__ = ["Cause", "latest_cause", "linked_runbook"]


class Cause(BaseModel):
    """The incident's cause: a tag and the text that explains it (corrections applied)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    tag: str
    text: str = ""
    event_id: int


def latest_cause(events: Iterable[Event]) -> Cause | None:
    """The latest ``/cause`` of the record, if any."""
    latest: Event | None = None
    corrections: dict[int, str] = {}
    for event in sorted(events, key=sort_key):
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
    for event in events:
        if isinstance(event.data, RunbookData) and (
            latest is None or sort_key(event) > sort_key(latest)
        ):
            latest = event
    return latest.data.ref if latest is not None and isinstance(latest.data, RunbookData) else None
