"""What an imported incident must satisfy: the rules ``warroom log`` applies, and the shape.

A JSON export can be edited by hand (or by an attacker) before it is imported.
Whatever is stored must be something the tools can read back and compute with,
so an import is held to the same rules as entries written by ``log``:

- the first event is the ``declared`` one, and there is no other;
- ids run 1, 2, 3… in order, as JSON integers (not ``"2"`` or ``2.0``);
- every author is 1–200 characters and not blank;
- every time (the incident's creation, each event's and recorded time) lies between
  1970 and now (plus the clock-skew tolerance);
- due dates are plausible calendar dates (before the year 9000).

The first rule broken is reported as one line naming its place in the document
(``invalid export: events[3].author: is empty``); nothing is written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from warroom.domain.events import ActionItemData, EventKind
from warroom.domain.timeparse import FUTURE_TOLERANCE
from warroom.domain.validation import author_problem, instant_problem
from warroom.domain.values import show_value

if TYPE_CHECKING:
    from warroom.export.json_export import ExportDocument

__all__ = ["LATEST_WITHOUT_NOW", "import_problem"]

#: With no "now" to compare with, times must still leave room to compute with them.
LATEST_WITHOUT_NOW = datetime(9000, 1, 1, tzinfo=UTC)
#: Due dates later than this are a typo (and would overflow date arithmetic).
_LATEST_DUE = date(9000, 1, 1)


def _instant(at: datetime, now: datetime | None) -> str | None:
    if now is None:
        return instant_problem(at, LATEST_WITHOUT_NOW, timedelta(0))
    return instant_problem(at, now, FUTURE_TOLERANCE)


def import_problem(raw: dict[str, Any], document: ExportDocument,
                   now: datetime | None) -> str | None:
    """The first rule ``document`` (parsed from ``raw``) breaks, as ``where: what``; or None."""
    incident = document.incident
    problem = _instant(incident.created_at, now)
    if problem:
        return f"incident.created_at: {problem}"
    events = document.events
    if not events:
        return "events: empty (an incident starts with its declared event)"
    raw_events: list[Any] = raw.get("events") or []
    for index, event in enumerate(events):
        where = f"events[{index}]"
        raw_event = raw_events[index] if index < len(raw_events) else {}
        raw_id = raw_event.get("id") if isinstance(raw_event, dict) else None
        if type(raw_id) is not int:
            return f"{where}.id: should be a JSON integer (got {show_value(raw_id)})"
        if event.id != index + 1:
            return f"{where}.id: should be {index + 1} (ids run 1, 2, 3… in order; got {event.id})"
        problem = author_problem(event.author)
        if problem:
            return f"{where}.author: {problem}"
        for name in ("occurred_at", "recorded_at"):
            problem = _instant(getattr(event, name), now)
            if problem:
                return f"{where}.{name}: {problem}"
        declared = event.kind == EventKind.DECLARED
        if index == 0 and not declared:
            return f"{where}.data.kind: the first event must be 'declared' (got '{event.kind}')"
        if index > 0 and declared:
            return f"{where}.data.kind: a second 'declared' event (an incident is declared once)"
        data = event.data
        if isinstance(data, ActionItemData) and data.due is not None and data.due > _LATEST_DUE:
            return f"{where}.data.due: {data.due} is not a plausible due date"
    return None
