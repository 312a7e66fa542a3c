"""The post-mortem draft in Markdown (see README, "After the incident"). Deterministic and safe.

:func:`render_postmortem` turns an incident's events into a draft: YAML front
matter, then summary, impact, metrics (with a Mermaid ``gantt`` of the phases),
roles, timeline, status updates, the five questions, what went well, where we
got lucky, action items, the post-mortem schedule and a blameless reminder — in that order.

The same record, policy, ``now`` and ``tz`` always give byte-identical output;
nothing reads the wall clock. Every piece of user text goes through
:func:`~warroom.export.escape.md_escape_inline` (newlines inside an entry are
shown as ``" ⏎ "``), so a GFM parser reads it back unchanged and no raw HTML
from user text survives. All timestamps are UTC with the zone written out; when
``tz`` is not UTC the timeline gets a second, local, column.

Given an :class:`~warroom.domain.eventlog.EventLog` (what the store and the
session hold), the draft is rendered from its rows: no :class:`Event` is built
for the 100k notes of a big incident, only for the few key events.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import CorrectionData, Event, EventKind, sort_key
from warroom.domain.fold import fold
from warroom.domain.metrics import compute_metrics
from warroom.domain.policy import Policy
from warroom.domain.postmortem_rule import PostmortemContext, postmortem_required
from warroom.domain.state import IncidentState, policy_in_force
from warroom.export.escape import md_escape_inline
from warroom.export.markdown_context import Ctx, IncidentLike
from warroom.export.markdown_metrics import metrics_section, roles_section
from warroom.export.markdown_review import (
    action_item_flags,
    action_items_section,
    lucky_section,
    questions_section,
    runbook_review_lines,
    schedule_section,
    went_well_section,
)
from warroom.export.markdown_summary import front_matter_section, impact_section, summary_section
from warroom.export.markdown_timeline import status_updates_section, timeline_section

__all__ = [
    "BLAMELESS_REMINDER",
    "IncidentLike",
    "action_item_flags",
    "md_escape_inline",
    "render_postmortem",
]

#: The one-line reminder that closes every draft.
BLAMELESS_REMINDER = (
    "Blameless review: name systems, signals and gaps, not culprits — people acted on "
    "what they knew at the time."
)


#: Kinds whose event ids the draft lists (decisions, commands, corrections).
_INDEXED_KINDS = (EventKind.DECISION, EventKind.COMMAND, EventKind.CORRECTION)


def render_postmortem(
    record: IncidentLike,
    events: Iterable[Event],
    policy: Policy,
    *,
    now: datetime,
    tz: tzinfo = UTC,
    state: IncidentState | None = None,
    review: PostmortemContext | None = None,
) -> str:
    """Render the post-mortem draft of one incident as Markdown (see the module docstring).

    ``events`` may come in any order; an :class:`~warroom.domain.eventlog.EventLog`
    is read from its columns (the fast path, same bytes). ``state`` may be passed
    when the caller has already folded them; ``review`` brings other incidents'
    causes and the linked runbook's lint problems. Returns the document with a
    trailing newline.
    """
    if isinstance(events, EventLog):
        timeline = events
        folded = state if state is not None else fold(timeline)
    else:
        ordered = sorted(events, key=sort_key)
        timeline = EventLog(ordered)
        folded = state if state is not None else fold(ordered)
    policy = policy_in_force(folded, policy)  # the incident's, not this seat's
    corrected_by: dict[int, list[int]] = {}
    by_kind: dict[EventKind, list[int]] = {kind: [] for kind in _INDEXED_KINDS}
    mitigation = folded.milestone_events.get("mitigated")
    key_ids = folded.key_events
    by_id: dict[int, Event] = {}
    key_events: list[Event] = []
    for row in timeline.rows():
        event_id, data = row[0], row[6]
        kind = data.kind
        if kind in by_kind:
            by_kind[kind].append(event_id)
            if isinstance(data, CorrectionData):
                corrected_by.setdefault(data.target, []).append(event_id)
        elif event_id == mitigation:
            by_id[event_id] = trusted_event(*row)
        if event_id in key_ids:
            key_events.append(trusted_event(*row))
    ctx = Ctx(
        record=record,
        timeline=timeline,
        by_id=by_id,
        key_events=key_events,
        state=folded,
        metrics=compute_metrics(folded, policy, now),
        policy=policy,
        now=now,
        tz=tz,
        corrected_by=corrected_by,
        by_kind=by_kind,
        postmortem=None if folded.is_open else postmortem_required(
            record.slug, folded, timeline, policy, now, review.others if review else ()
        ),
        review=review or PostmortemContext(),
    )
    sections = (
        front_matter_section(ctx),
        summary_section(ctx),
        impact_section(ctx),
        metrics_section(ctx),
        roles_section(ctx),
        timeline_section(ctx),
        status_updates_section(ctx),
        questions_section(ctx) + runbook_review_lines(ctx),
        went_well_section(ctx),
        lucky_section(ctx),
        action_items_section(ctx),
        schedule_section(ctx),
        [f"> **{BLAMELESS_REMINDER}**"],
    )
    out: list[str] = []
    for index, section in enumerate(sections):
        if index:
            out.append("")
        out.extend(section)
    out.append("")  # the trailing newline, without copying the document once more
    return "\n".join(out)
