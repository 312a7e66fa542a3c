"""One entry point for exporting an incident, shared by ``warroom export`` and the console.

:func:`render_incident` gives the post-mortem Markdown draft (``"md"``) or the JSON
export (``"json"``), computed as of :func:`default_as_of` unless told otherwise, so
the command line and the console produce the same bytes for the same record.

Pass the :class:`~warroom.domain.eventlog.EventLog` the store or the session holds
(not a list of its events): both exporters then read its columns and never build
the 100k :class:`Event` objects of a big incident.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Literal

from warroom.domain.eventlog import EventLog, latest_instant
from warroom.domain.events import Event
from warroom.domain.policy import Policy
from warroom.domain.postmortem_rule import PostmortemContext
from warroom.domain.state import IncidentState
from warroom.export.markdown import IncidentLike

__all__ = ["default_as_of", "render_incident"]


def default_as_of(state: IncidentState, events: Iterable[Event], now: datetime) -> datetime:
    """The instant an export is computed at when none is given.

    An open incident is exported as of ``now`` (its duration is still running). A
    resolved or later one is exported as of its latest recorded instant, so the
    same record always gives the same bytes (export → import → export is identical).
    """
    if state.is_open:
        return now
    latest = latest_instant(events)
    return latest if latest is not None else now


def render_incident(
    fmt: Literal["md", "json"] | str,
    record: IncidentLike,
    events: Iterable[Event],
    policy: Policy,
    *,
    state: IncidentState,
    now: datetime,
    tz: tzinfo,
    as_of: datetime | None = None,
    review: PostmortemContext | None = None,
) -> str:
    """The post-mortem draft (``fmt="md"``) or the JSON export (``"json"``) of an incident.

    ``state`` is the folded state of ``events``; ``as_of`` defaults to
    :func:`default_as_of` at ``now``; ``review`` (other incidents' causes, the linked
    runbook's lint problems) feeds the draft. An :class:`EventLog` is used as it is
    (the fast path); other iterables are read once into one.
    """
    ordered = events if isinstance(events, EventLog) else EventLog(events)
    at = as_of if as_of is not None else default_as_of(state, ordered, now)
    if fmt == "json":
        from warroom.export.json_export import export_json

        return export_json(record, ordered, policy, now=at, state=state)
    from warroom.export.markdown import render_postmortem

    return render_postmortem(record, ordered, policy, now=at, tz=tz, state=state, review=review)
