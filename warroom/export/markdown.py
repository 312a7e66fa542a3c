"""The post-mortem draft in Markdown (issue 4, SPEC §7). Deterministic and safe.

:func:`render_postmortem` turns an incident's events into a draft: YAML front
matter, then summary, impact, metrics (with a Mermaid ``gantt`` of the phases),
roles, timeline, status updates, the five questions, action items, the
post-mortem schedule and a blameless reminder — in that order.

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

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from operator import itemgetter
from typing import Protocol

from warroom.domain.clocks import effective_severity
from warroom.domain.eventlog import EventLog, trusted_event
from warroom.domain.events import (
    ActionItemData,
    CheckpointData,
    ComponentState,
    CorrectionData,
    DeclaredData,
    DetectedData,
    Event,
    EventData,
    EventKind,
    KeyMarkData,
    KeyUnmarkData,
    Phase,
    PhaseChangedData,
    PostmortemOwnerData,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusUpdateData,
    sort_key,
)
from warroom.domain.fold import fold
from warroom.domain.metrics import Metrics, Window, compute_metrics
from warroom.domain.policy import Policy
from warroom.domain.state import ActionItem, IncidentState
from warroom.export.escape import md_escape_inline, md_escape_lines, md_escape_many, yaml_scalar
from warroom.export.timefmt import (
    duration_words,
    format_duration,
    iso_utc,
    stamp_local,
    stamp_utc,
    utc_seconds,
    zone_name,
)

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

KEY_MARK = "★"
NOT_RECORDED = "not recorded"


class IncidentLike(Protocol):
    """What the exports need of an incident record (the store's ``IncidentRecord``)."""

    @property
    def slug(self) -> str:
        """Short stable name of the incident."""
        ...

    @property
    def title(self) -> str:
        """The incident's title."""
        ...

    @property
    def created_at(self) -> datetime:
        """When the record was created."""
        ...


def _sev_label(severity: Severity | None) -> str:
    return severity.label if severity is not None else "unclassified"


def final_severity_label(state: IncidentState, policy: Policy, now: datetime) -> str:
    """Final severity: the last one set, else what the policy assumes (``SEV2 (default)``)."""
    if state.severity is not None:
        return state.severity.label
    return effective_severity(state, policy, now).label


def highest_severity(state: IncidentState) -> Severity | None:
    """The worst severity the incident ever had (``None`` if never classified)."""
    values = [c.severity for c in state.severity_history if c.severity is not None]
    return min(values) if values else None


# --------------------------------------------------------------------------- action items

_WORD_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    pattern = _WORD_CACHE.get(words)
    if pattern is None:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        _WORD_CACHE[words] = pattern
    return pattern


def action_item_flags(item: ActionItem, policy: Policy) -> list[str]:
    """Why an action item is not acceptable yet (SPEC §7): missing fields, vagueness.

    Missing owner, due date, priority or definition of done are each named. An
    item is vague when its text uses one of ``policy.vague_action_words`` and it
    has no definition of done, or when the definition of done itself is vague.
    """
    flags: list[str] = []
    missing = [
        name
        for name, value in (
            ("owner", item.owner),
            ("due date", item.due),
            ("priority", item.priority),
            ("definition of done", item.done_when),
        )
        if value is None or (isinstance(value, str) and not value.strip())
    ]
    if missing:
        flags.append("missing " + ", ".join(missing))
    pattern = _words_pattern(policy.vague_action_words)
    if pattern is not None:
        done = (item.done_when or "").strip()
        source = done if done else item.text
        match = pattern.search(source)
        if match:
            where = "text" if not done else "definition of done"
            flags.append(f'vague {where} ("{match.group(0)}"): say how success is measured')
    return flags


# --------------------------------------------------------------------------- context


@dataclass(frozen=True, slots=True)
class _Ctx:
    record: IncidentLike
    timeline: EventLog
    #: Events looked up by id later (the mitigation event only).
    by_id: dict[int, Event]
    #: The key events, in timeline order.
    key_events: list[Event]
    state: IncidentState
    metrics: Metrics
    policy: Policy
    now: datetime
    tz: tzinfo
    corrected_by: dict[int, list[int]]
    by_kind: dict[EventKind, list[int]]

    @property
    def local(self) -> bool:
        """Whether a local-time column is wanted (``tz`` is not UTC itself)."""
        return _is_local(self.tz)

    def text_of(self, event: Event) -> str:
        """The display (corrected) text of an event."""
        return self.state.corrections.get(event.id, event.text)


def _is_local(tz: tzinfo) -> bool:
    if tz is UTC:
        return False
    key = getattr(tz, "key", None) or getattr(tz, "name", None)
    return key not in ("UTC", "Etc/UTC", "Z")


def _ref(event_id: int | None) -> str:
    return f"#{event_id}" if event_id is not None else "—"


def _refs(ids: Iterable[int]) -> str:
    ids = list(ids)
    return ", ".join(f"#{i}" for i in ids) if ids else "—"


def _at(at: datetime | None) -> str:
    return stamp_utc(at) if at is not None else NOT_RECORDED


def _cell(text: str) -> str:
    return md_escape_inline(text)


# --------------------------------------------------------------------------- sections


def _front_matter(ctx: _Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    highest = highest_severity(state)
    final = final_severity_label(state, ctx.policy, ctx.now)
    pairs: list[tuple[str, str | float | bool | None]] = [
        ("title", ctx.record.title or state.title),
        ("slug", ctx.record.slug),
        ("severity", final),
        ("highest_severity", highest.label if highest is not None else final),
        ("status", state.phase.value),
        ("reopened", state.reopen_count),
        ("declared", iso_utc(state.declared_at) if state.declared_at else None),
        ("impact_start", iso_utc(state.impact_started_at) if state.impact_started_at else None),
        ("detected", iso_utc(state.detected_at) if state.detected_at else None),
        ("acknowledged", iso_utc(state.acknowledged_at) if state.acknowledged_at else None),
        ("mitigated", iso_utc(state.mitigated_at) if state.mitigated_at else None),
        ("resolved", iso_utc(state.resolved_at) if state.resolved_at else None),
        ("time_to_detect_seconds", metrics.time_to_detect),
        ("time_to_acknowledge_seconds", metrics.time_to_acknowledge),
        ("time_to_mitigate_seconds", metrics.time_to_mitigate),
        ("time_to_resolve_seconds", metrics.time_to_resolve),
        ("duration_seconds", metrics.duration),
        ("ongoing", metrics.ongoing),
        ("as_of", iso_utc(ctx.now)),
    ]
    lines = ["---"]
    lines.extend(f"{key}: {yaml_scalar(value)}" for key, value in pairs)
    lines.append("---")
    return lines


def _summary(ctx: _Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    title = ctx.record.title or state.title
    highest = highest_severity(state)
    final = final_severity_label(state, ctx.policy, ctx.now)
    services = ", ".join(md_escape_inline(s) for s in state.services) or "none recorded"
    duration = duration_words(metrics.duration)
    source = state.detection_source.value if state.detection_source else NOT_RECORDED
    if metrics.ongoing and metrics.duration is not None:
        duration += " (ongoing)"
    lines = [
        f"# Post-mortem: {md_escape_inline(title)}",
        "",
        f"Draft generated by warroom from incident `{_code(ctx.record.slug)}` as of "
        f"{stamp_utc(ctx.now)}. Every fact below comes from the incident record.",
        "",
        *_ongoing_notice(ctx),
        "## Summary",
        "",
        f"- **Title:** {md_escape_inline(title)}",
        f"- **Severity:** {final} (highest: {highest.label if highest else final})",
        f"- **Services:** {services}",
        f"- **Status:** {state.phase.value}"
        + (f" (re-opened {state.reopen_count}×)" if state.reopen_count else ""),
        f"- **Declared:** {_at(state.declared_at)}"
        + (f" by {md_escape_inline(state.declared_by)}" if state.declared_by else ""),
        f"- **Detected by:** {source}",
        f"- **Duration:** {duration}",
        "",
        "### Severity history",
        "",
    ]
    if not state.severity_history:
        lines.append("- no severity recorded")
    for change in state.severity_history:
        reason = f": {md_escape_inline(change.reason)}" if change.reason else ""
        lines.append(
            f"- {stamp_utc(change.at)} — {_sev_label(change.severity)} "
            f"(#{change.event_id}, by {md_escape_inline(change.by)}{reason})"
        )
    return lines


def _ongoing_notice(ctx: _Ctx) -> list[str]:
    """A draft of an incident still in progress says so before anything else."""
    if not ctx.metrics.ongoing:
        return []
    return [
        f"> **Ongoing incident:** not resolved as of {stamp_utc(ctx.now)} "
        f"(status: {ctx.state.phase.value}). Durations run to that time and the post-mortem "
        "schedule starts at resolution: export again once it is resolved.",
        "",
    ]


def _code(text: str) -> str:
    """A slug inside a code span: slugs are ours, but keep backticks out anyway."""
    return text.replace("`", "'")


def _component_states(ctx: _Ctx) -> dict[str, tuple[ComponentState, ComponentState]]:
    worst: dict[str, tuple[ComponentState, ComponentState]] = {}
    for update in sorted(ctx.state.status_updates, key=lambda u: (u.at, u.event_id)):
        for name, value in update.components.items():
            if name in worst:
                old_worst, _ = worst[name]
                worst[name] = (value if value.rank > old_worst.rank else old_worst, value)
            else:
                worst[name] = (value, value)
    return worst


def _window_line(window: Window) -> str:
    start = f"{stamp_utc(window.start)} ({_ref(window.start_event)})"
    if window.missing:
        return f"{start} → end {NOT_RECORDED}"
    if window.end is None:
        return f"{start} → not yet (open)"
    end = f"{stamp_utc(window.end)} ({_ref(window.end_event)})"
    return f"{start} → {end}: {format_duration(window.seconds)}"


def _impact(ctx: _Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    lines = ["## Impact", ""]
    if state.impact_started_at is None:
        lines.append(
            f"- **Customer impact window:** {NOT_RECORDED} (impact start not recorded: "
            "log it with `/started @TIME`)"
        )
    else:
        windows = metrics.sources["time_to_mitigate"].windows
        lines.append(f"- **Impact started:** {stamp_utc(state.impact_started_at)}")
        lines.append("- **Customer impact window** (impact start or re-opening → mitigation):")
        lines.extend(f"  - {_window_line(w)}" for w in windows)
        total = metrics.time_to_mitigate
        lines.append(f"- **Total customer impact:** {duration_words(total)}")
    services = ", ".join(md_escape_inline(s) for s in state.services) or "none recorded"
    lines.append(f"- **Services:** {services}")
    lines.append("")
    components = _component_states(ctx)
    if not components:
        lines.append("No component states were posted in status updates.")
        return lines
    lines.extend(
        [
            "| Component | Worst state | Last posted state |",
            "|---|---|---|",
        ]
    )
    for name in sorted(components, key=str.casefold):
        worst, last = components[name]
        lines.append(f"| {_cell(name)} | {worst.label} | {last.label} |")
    return lines


_METRIC_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("time_to_detect", "Time to detect", "impact started", "detected"),
    ("time_to_acknowledge", "Time to acknowledge", "detected", "acknowledged"),
    ("time_to_mitigate", "Time to mitigate", "impact started", "mitigated"),
    ("time_to_resolve", "Time to resolve", "impact started", "resolved"),
    ("duration", "Total duration", "impact started (else declared)", "resolved (else now)"),
)


def _seconds_cell(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value == int(value) else f"{value:.3f}"


def _metrics(ctx: _Ctx) -> list[str]:
    metrics = ctx.metrics
    lines = [
        "## Metrics",
        "",
        "| Metric | Value | Seconds | From → to | Source events |",
        "|---|---|---|---|---|",
    ]
    for name, label, start, end in _METRIC_ROWS:
        value = metrics.seconds(name)
        shown = format_duration(value)
        if name == "duration" and metrics.ongoing and value is not None:
            shown += " (ongoing)"
        source = metrics.sources[name]
        lines.append(
            f"| {label} | {shown} | {_seconds_cell(value)} | {start} → {end} | "
            f"{_refs(source.events)} |"
        )
    windowed = [
        (label, metrics.sources[name].windows)
        for name, label, _, _ in _METRIC_ROWS
        if len(metrics.sources[name].windows) > 1
    ]
    if windowed:
        lines.extend(["", "Re-opened: the spans add up."])
        for label, windows in windowed:
            lines.append(f"- {label}:")
            lines.extend(f"  - {_window_line(w)}" for w in windows)
    lines.extend(["", "### Time in each phase", ""])
    if not metrics.phases:
        lines.append("No phase recorded.")
    else:
        lines.extend(
            ["| Phase | Time | Seconds | Times entered | Events |", "|---|---|---|---|---|"]
        )
        for phase in metrics.phases:
            shown = format_duration(phase.seconds) + (" (current, to now)" if phase.current else "")
            lines.append(
                f"| {phase.phase.value} | {shown} | {_seconds_cell(phase.seconds)} | "
                f"{phase.entries} | {_refs(phase.events)} |"
            )
    lines.extend(["", "### Status updates", ""])
    cadence = metrics.status_updates
    if cadence.count == 0:
        lines.append("- No status update was posted.")
    else:
        lines.append(f"- Status updates posted: {cadence.count}")
    if cadence.largest_gap_seconds is not None:
        earlier, later = cadence.largest_gap_events
        if cadence.cadence_minutes is None:
            verdict = "no cadence applies after a resolved update"
        elif cadence.exceeded:
            verdict = f"**exceeded** the {cadence.cadence_minutes} min cadence"
        else:
            verdict = f"within the {cadence.cadence_minutes} min cadence"
        gap_phase = cadence.largest_gap_phase.value if cadence.largest_gap_phase else "?"
        lines.append(
            f"- Largest gap: {format_duration(cadence.largest_gap_seconds)} between "
            f"#{earlier} and #{later} (the cadence of #{earlier}, {gap_phase}): {verdict}"
        )
        lines.append(f"- Gaps over their cadence: {cadence.gaps_over_cadence}")
    lines.extend(["", "### Phases", ""])
    lines.extend(_gantt(ctx))
    return lines


_MERMAID_FORMAT = "%Y-%m-%dT%H:%M:%S"
_TERMINAL = (Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED)


def _gantt(ctx: _Ctx) -> list[str]:
    history = ctx.state.phase_history
    lines = [
        "```mermaid",
        "gantt",
        "    title Phases (UTC)",
        "    dateFormat YYYY-MM-DDTHH:mm:ss",
        "    axisFormat %H:%M",
    ]
    if ctx.state.impact_started_at is not None:
        at = ctx.state.impact_started_at.astimezone(UTC).strftime(_MERMAID_FORMAT)
        lines.extend(["    section Impact", f"    Impact started :milestone, impact, {at}, 0s"])
    lines.append("    section Lifecycle")
    for index, change in enumerate(history):
        start = change.at.astimezone(UTC)
        label = change.phase.value.capitalize() + (" (re-opened)" if change.reopened else "")
        task_id = f"p{index + 1}"
        if change.phase in _TERMINAL:
            lines.append(
                f"    {label} :milestone, {task_id}, {start.strftime(_MERMAID_FORMAT)}, 0s"
            )
            continue
        end = history[index + 1].at if index + 1 < len(history) else ctx.now
        seconds = max(1, round((end - change.at).total_seconds()))
        state = "active" if index + 1 == len(history) else "done"
        lines.append(
            f"    {label} :{state}, {task_id}, {start.strftime(_MERMAID_FORMAT)}, {seconds}s"
        )
    lines.append("```")
    return lines


def _roles(ctx: _Ctx) -> list[str]:
    state = ctx.state
    tenures = sorted(
        [*state.role_history, *state.roles.values()],
        key=lambda t: (t.start, t.start_event, list(Role).index(t.role)),
    )
    lines = ["## Roles", ""]
    if not tenures:
        lines.append("No role was assigned.")
    else:
        lines.extend(
            [
                "| Role | Person | From (UTC) | To (UTC) | Held for | Hand-off |",
                "|---|---|---|---|---|---|",
            ]
        )
        for t in tenures:
            if t.end is None:
                end, held, handoff = (
                    "still holds",
                    format_duration((ctx.now - t.start).total_seconds()) + " (to now)",
                    "—",
                )
            else:
                end = f"{stamp_utc(t.end)} ({_ref(t.end_event)})"
                held = format_duration((t.end - t.start).total_seconds())
                handoff = f"→ {md_escape_inline(t.handed_to)}" if t.handed_to else "released"
            lines.append(
                f"| {t.role.label} | {_cell(t.person)} | {stamp_utc(t.start)} "
                f"({_ref(t.start_event)}) | {end} | {held} | {handoff} |"
            )
    owner = state.postmortem_owner
    lines.extend(
        [
            "",
            f"- **Post-mortem owner:** {md_escape_inline(owner) if owner else NOT_RECORDED}",
        ]
    )
    return lines


_KIND_LABELS: dict[EventKind, str] = {
    EventKind.DECLARED: "declared",
    EventKind.IMPACT_STARTED: "impact started",
    EventKind.DETECTED: "detected",
    EventKind.ACKNOWLEDGED: "acknowledged",
    EventKind.SEVERITY_SET: "severity",
    EventKind.ROLE_ASSIGNED: "role",
    EventKind.ROLE_RELEASED: "role released",
    EventKind.PHASE_CHANGED: "phase",
    EventKind.NOTE: "note",
    EventKind.DECISION: "decision",
    EventKind.COMMAND: "command",
    EventKind.STATUS_UPDATE: "status update",
    EventKind.CHECKPOINT: "checkpoint",
    EventKind.ACTION_ITEM: "action item",
    EventKind.ESCALATION: "escalation",
    EventKind.CORRECTION: "correction",
    EventKind.KEY_MARK: "key mark",
    EventKind.KEY_UNMARK: "key mark taken back",
    EventKind.POSTMORTEM_OWNER: "post-mortem owner",
}


def _event_label(event_id: int, data: EventData, ctx: _Ctx, levels: dict[int, int]) -> str:
    """Kind plus the structured payload, escaped; the free text goes in its own column."""
    label = _KIND_LABELS[data.kind]
    if isinstance(data, DeclaredData):
        services = ", ".join(md_escape_inline(s) for s in data.services)
        return (
            f"{label}: {md_escape_inline(data.title)} ({_sev_label(data.severity)}"
            + (f"; {services}" if services else "")
            + ")"
        )
    if isinstance(data, DetectedData):
        return f"{label} ({data.source.value})"
    if isinstance(data, SeveritySetData):
        return f"{label} → {data.severity.label}"
    if isinstance(data, RoleAssignedData):
        return f"{label}: {data.role.label} → {md_escape_inline(data.person)}"
    if isinstance(data, RoleReleasedData):
        return f"{label}: {data.role.label}"
    if isinstance(data, PhaseChangedData):
        return f"{label} → {data.phase.value}" + (" (re-opened)" if data.reopened else "")
    if isinstance(data, StatusUpdateData):
        parts = ", ".join(
            f"{md_escape_inline(name)}: {state.label}"
            for name, state in sorted(data.components.items())
        )
        return f"{label} ({data.phase.value})" + (f" — {parts}" if parts else "")
    if isinstance(data, CheckpointData):
        answers = [
            f"{name}: {md_escape_inline(value)}"
            for name, value in (
                ("know", data.know),
                ("next", data.next),
                ("escalate", data.escalate),
                ("status page", data.status_page),
            )
            if value
        ]
        return label + (" — " + "; ".join(answers) if answers else "")
    if isinstance(data, ActionItemData):
        fields = [
            f"owner {md_escape_inline(data.owner)}" if data.owner else "no owner",
            f"due {data.due.isoformat()}" if data.due else "no due date",
            data.priority.value if data.priority else "no priority",
        ]
        if data.done_when:
            fields.append(f"done when {md_escape_inline(data.done_when)}")
        return f"{label} ({', '.join(fields)})"
    if data.kind is EventKind.ESCALATION:
        level = levels.get(event_id)
        return f"{label} → {ctx.policy.escalation_label(level)}" if level is not None else label
    if isinstance(data, CorrectionData):
        return f"{label} of #{data.target}"
    if isinstance(data, KeyMarkData | KeyUnmarkData):
        return f"{label}: #{data.target}"
    if isinstance(data, PostmortemOwnerData):
        return f"{label}: {md_escape_inline(data.person)}"
    return label


#: The text of an :data:`~warroom.domain.eventlog.EventRow`.
_ROW_TEXT = itemgetter(4)


def _timeline(ctx: _Ctx) -> list[str]:
    local = ctx.local
    zone = ""
    header = "| # | Time (UTC) |"
    rule = "|---|---|"
    if local:
        zone = zone_name(ctx.now.astimezone(ctx.tz))
        header += f" Local ({_cell(zone)}) |"
        rule += "---|"
    header += f" {KEY_MARK} | Event | Author | Text | Note |"
    rule += "---|---|---|---|---|"
    lines = [
        "## Timeline",
        "",
        f"Every entry in event-time order, UTC. {KEY_MARK} marks a key event; a corrected "
        "entry shows its corrected text and names the correction. Line breaks inside an "
        "entry are shown as ⏎.",
        "",
        header,
        rule,
    ]
    key_events = ctx.state.key_events
    corrections = ctx.state.corrections
    corrected_by = ctx.corrected_by
    levels = {e.event_id: e.level for e in ctx.state.escalations}
    authors: dict[str, str] = {}
    #: Kinds whose label needs nothing but the kind.
    simple = {
        kind: _KIND_LABELS[kind]
        for kind in (
            EventKind.NOTE,
            EventKind.DECISION,
            EventKind.COMMAND,
            EventKind.IMPACT_STARTED,
            EventKind.ACKNOWLEDGED,
        )
    }
    tz = ctx.tz
    escape = md_escape_inline
    append = lines.append
    rows = ctx.timeline.rows
    # Every text escaped in bulk (a corrected entry's is replaced below).
    texts = md_escape_many(map(_ROW_TEXT, rows()))
    for (eid, occurred, _recorded, author_name, _text, _key, data), text in zip(
        rows(), texts, strict=True
    ):
        author = authors.get(author_name)
        if author is None:
            author = authors[author_name] = escape(author_name)
        what = simple.get(data.kind)
        if what is None:
            what = _event_label(eid, data, ctx, levels)
        if eid in corrections:
            text = escape(corrections[eid])
            note = "corrected in " + _refs(corrected_by.get(eid, ()))
        else:
            note = ""
        stamp = utc_seconds(occurred)
        mark = KEY_MARK if eid in key_events else ""
        if local:
            append(
                f"| {eid} | {stamp} UTC | {stamp_local(occurred, tz)} | {mark} | "
                f"{what} | {author} | {text} | {note} |"
            )
        else:
            append(f"| {eid} | {stamp} UTC | {mark} | {what} | {author} | {text} | {note} |")
    if not ctx.timeline:
        append(
            "| — | — | | no events | | | |" if not local else "| — | — | — | | no events | | | |"
        )
    return lines


def _status_updates(ctx: _Ctx) -> list[str]:
    lines = ["## Status updates", ""]
    updates = sorted(ctx.state.status_updates, key=lambda u: (u.at, u.event_id))
    if not updates:
        lines.append("No status update was posted.")
        return lines
    lines.append("Posted verbatim, oldest first.")
    for update in updates:
        when = stamp_utc(update.at)
        if ctx.local:
            when += f" / {stamp_local(update.at, ctx.tz)}"
        lines.extend(
            [
                "",
                f"### {when} — {update.phase.value.capitalize()} (#{update.event_id}, "
                f"by {md_escape_inline(update.author)})",
                "",
            ]
        )
        if update.components:
            parts = ", ".join(
                f"{md_escape_inline(name)}: {state.label}"
                for name, state in sorted(update.components.items())
            )
            lines.extend([f"Components: {parts}", ""])
        if update.event_id in ctx.state.corrections:
            refs = _refs(ctx.corrected_by.get(update.event_id, ()))
            lines.extend([f"_Text corrected in {refs}._", ""])
        lines.extend(_quote(update.text))
    return lines


def _quote(text: str) -> list[str]:
    """A block quote of multi-line user text: escaped lines joined by hard breaks."""
    escaped = md_escape_lines(text)
    out: list[str] = []
    for index, line in enumerate(escaped):
        if not line:
            out.append(">")
            continue
        following = escaped[index + 1] if index + 1 < len(escaped) else ""
        out.append(f"> {line}\\" if following else f"> {line}")
    if not any(escaped):
        out = ["> (empty)"]
    return out


def _questions(ctx: _Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    lines = ["## The five questions", "", "### 1. What happened?", ""]
    keys = ctx.key_events
    levels = {e.event_id: e.level for e in state.escalations}
    if keys:
        lines.append("Key events from the timeline:")
        lines.append("")
        for event in keys:
            text = ctx.text_of(event)
            what = _event_label(event.id, event.data, ctx, levels)
            suffix = f": {md_escape_inline(text)}" if text else ""
            lines.append(f"- {stamp_utc(event.occurred_at)} — {what} (#{event.id}){suffix}")
    else:
        lines.append(
            "_No key events were marked. Mark them in the console (`/mark ID`) or "
            "summarise the timeline above here._"
        )
    lines.extend(["", "### 2. Why did it happen?", ""])
    decisions = ctx.by_kind.get(EventKind.DECISION, [])
    commands = ctx.by_kind.get(EventKind.COMMAND, [])
    lines.append("_Root cause — ask “why?” five times, and name systems, not people._")
    lines.append("")
    lines.append(
        f"- Decisions logged: {len(decisions)} ({_refs(decisions)}); commands run against "
        f"production: {len(commands)} ({_refs(commands)})."
    )
    mitigation = state.milestone_events.get("mitigated")
    if mitigation is not None and mitigation in ctx.by_id:
        event = ctx.by_id[mitigation]
        text = ctx.text_of(event)
        lines.append(
            f"- Mitigated at {stamp_utc(event.occurred_at)} (#{mitigation})"
            + (f": {md_escape_inline(text)}" if text else "")
            + " — what did the mitigation reveal about the cause?"
        )
    lines.extend(["", "### 3. Why was it not detected sooner?", ""])
    source = state.detection_source.value if state.detection_source else NOT_RECORDED
    if state.impact_started_at is not None and state.detected_at is not None:
        lines.append(
            f"- Impact started {stamp_utc(state.impact_started_at)}, detected "
            f"{stamp_utc(state.detected_at)} (source: {source}): a gap of "
            f"{format_duration(metrics.time_to_detect)}. Which signal could have fired sooner?"
        )
    else:
        missing = [
            name
            for name, at in (
                ("impact start", state.impact_started_at),
                ("detection", state.detected_at),
            )
            if at is None
        ]
        lines.append(
            f"- The gap between impact and detection is {NOT_RECORDED} ({' and '.join(missing)} "
            "missing): establish when customers were first affected and when the first signal came."
        )
    if state.detection_source is not None and state.detection_source.value == "customer":
        lines.append("- Customers told us first: which alert should have caught it?")
    lines.extend(["", "### 4. What slowed the response?", ""])
    lines.extend(_response_prompts(ctx))
    lines.extend(["", "### 5. What prevents recurrence?", ""])
    flagged = sum(1 for item in state.action_items if action_item_flags(item, ctx.policy))
    lines.append(
        f"- {len(state.action_items)} action item(s) below, {flagged} flagged. Each needs an "
        "owner, a due date, a priority (P0–P2) and a measurable definition of done."
    )
    return lines


def _response_prompts(ctx: _Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    lines = []
    ack = metrics.time_to_acknowledge
    rule_minutes = None
    severity = state.severity or highest_severity(state)
    if severity is not None and severity in ctx.policy.severity:
        rule_minutes = ctx.policy.rule(severity).ack_minutes
    window = (
        f" (ack window for {severity.label}: {rule_minutes} min)"
        if severity is not None and rule_minutes
        else ""
    )
    lines.append(f"- Time to acknowledge: {format_duration(ack)}{window}.")
    first_ic = min(
        (t for t in (*state.role_history, *state.roles.values()) if t.role is Role.IC),
        key=lambda t: t.start,
        default=None,
    )
    if first_ic is not None and state.declared_at is not None:
        lines.append(
            "- First Incident Commander assigned "
            f"{format_duration((first_ic.start - state.declared_at).total_seconds())} after "
            f"declaration (#{first_ic.start_event})."
        )
    else:
        lines.append("- No Incident Commander was assigned.")
    if state.escalations:
        levels = ", ".join(
            f"{ctx.policy.escalation_label(e.level)} (#{e.event_id})" for e in state.escalations
        )
        lines.append(f"- Escalations: {levels}.")
    else:
        lines.append("- No escalation was logged.")
    cadence = metrics.status_updates
    if cadence.largest_gap_seconds is not None and cadence.exceeded:
        lines.append(
            "- The largest gap between status updates "
            f"({format_duration(cadence.largest_gap_seconds)}) exceeded the "
            f"{cadence.cadence_minutes} min cadence."
        )
    if state.reopen_count:
        lines.append(f"- Re-opened {state.reopen_count}×: why did the first mitigation not hold?")
    lines.append(f"- IC checkpoints logged: {len(state.checkpoints)}.")
    return lines


def _action_items(ctx: _Ctx) -> list[str]:
    lines = ["## Action items", ""]
    items = ctx.state.action_items
    if not items:
        lines.append(
            "No action items recorded. Add them with `/action @OWNER TEXT due YYYY-MM-DD P1 "
            "done: DEFINITION`."
        )
        return lines
    lines.extend(
        [
            "| # | Action | Owner | Due | Priority | Definition of done | Flags |",
            "|---|---|---|---|---|---|---|",
        ]
    )
    missing = "⚠ missing"
    for item in items:
        flags = action_item_flags(item, ctx.policy)
        lines.append(
            f"| {item.event_id} | {_cell(item.text)} | "
            f"{_cell(item.owner) if item.owner else missing} | "
            f"{item.due.isoformat() if item.due else missing} | "
            f"{item.priority.value if item.priority else missing} | "
            f"{_cell(item.done_when) if item.done_when else missing} | "
            f"{'⚠ ' + '; '.join(md_escape_inline(f) for f in flags) if flags else 'ok'} |"
        )
    return lines


def _schedule(ctx: _Ctx) -> list[str]:
    state, schedule = ctx.state, ctx.policy.postmortem
    lines = ["## Post-mortem schedule", ""]
    owner = state.postmortem_owner
    lines.append(
        f"- **Owner:** {md_escape_inline(owner)}"
        if owner
        else "- **Owner:** ⚠ not named — the IC names the post-mortem owner at resolution "
        "(`/pm NAME`)."
    )
    resolved = state.resolved_at
    if resolved is None:
        lines.append("- Not resolved yet: the schedule is counted from the moment of resolution.")
        return lines
    lines.extend(
        [
            f"- Counted from resolution at {stamp_utc(resolved)}.",
            "",
            "| Step | Due (UTC) |",
            "|---|---|",
        ]
    )
    steps = (
        ("IC names the owner (hour 0)", timedelta(hours=schedule.owner_named_hours)),
        ("Draft timeline and analysis", timedelta(days=schedule.draft_days)),
        (
            f"Facilitated meeting ({schedule.meeting_minutes} min)",
            timedelta(days=schedule.meeting_days),
        ),
        ("Draft out for a 24-hour review", timedelta(days=schedule.review_days)),
        ("Final version, action items in the tracker", timedelta(days=schedule.final_days)),
        ("Action-item review", timedelta(days=schedule.action_review_days)),
    )
    for label, delta in steps:
        lines.append(f"| {md_escape_inline(label)} | {stamp_utc(resolved + delta)} |")
    return lines


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
) -> str:
    """Render the post-mortem draft of one incident as Markdown (see the module docstring).

    ``events`` may come in any order; an :class:`~warroom.domain.eventlog.EventLog`
    is read from its columns (the fast path, same bytes). ``state`` may be passed
    when the caller has already folded them. Returns the document with a trailing
    newline.
    """
    if isinstance(events, EventLog):
        timeline = events
        folded = state if state is not None else fold(timeline)
    else:
        ordered = sorted(events, key=sort_key)
        timeline = EventLog(ordered)
        folded = state if state is not None else fold(ordered)
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
    ctx = _Ctx(
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
    )
    sections = (
        _front_matter(ctx),
        _summary(ctx),
        _impact(ctx),
        _metrics(ctx),
        _roles(ctx),
        _timeline(ctx),
        _status_updates(ctx),
        _questions(ctx),
        _action_items(ctx),
        _schedule(ctx),
        [f"> **{BLAMELESS_REMINDER}**"],
    )
    out: list[str] = []
    for index, section in enumerate(sections):
        if index:
            out.append("")
        out.extend(section)
    out.append("")  # the trailing newline, without copying the document once more
    return "\n".join(out)
