"""The draft's metrics (with the Mermaid gantt of the phases) and roles sections."""

from __future__ import annotations

from datetime import UTC, datetime

from warroom.domain.events import Phase, Role
from warroom.domain.metrics import phase_start
from warroom.domain.timefmt import format_seconds, stamp_utc
from warroom.export.escape import md_escape_inline
from warroom.export.markdown_context import NOT_RECORDED, Ctx, cell, ref, refs, window_line

_METRIC_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("time_to_detect", "Time to detect", "impact started", "detected"),
    ("time_to_declare", "Time to declare", "detected", "declared"),
    ("time_to_acknowledge", "Time to acknowledge", "detected", "acknowledged"),
    ("time_to_mitigate", "Time to mitigate", "impact started", "mitigated"),
    ("time_to_resolve", "Time to resolve", "impact started", "resolved"),
    ("duration", "Total duration", "impact started (else declared)", "resolved (else now)"),
)


def _seconds_cell(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value == int(value) else f"{value:.3f}"


def metrics_section(ctx: Ctx) -> list[str]:
    """The metrics table, time in each phase, the status-update cadence and the gantt."""
    metrics = ctx.metrics
    lines = [
        "## Metrics",
        "",
        "| Metric | Value | Seconds | From → to | Source events |",
        "|---|---|---|---|---|",
    ]
    for name, label, start, end in _METRIC_ROWS:
        value = metrics.seconds(name)
        shown = format_seconds(value)
        if name == "duration" and metrics.ongoing and value is not None:
            shown += " (ongoing)"
        source = metrics.sources[name]
        lines.append(
            f"| {label} | {shown} | {_seconds_cell(value)} | {start} → {end} | "
            f"{refs(source.events)} |"
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
            lines.extend(f"  - {window_line(w)}" for w in windows)
    lines.extend(["", "### Time in each phase", ""])
    if not metrics.phases:
        lines.append("No phase recorded.")
    else:
        lines.extend(
            ["| Phase | Time | Seconds | Times entered | Events |", "|---|---|---|---|---|"]
        )
        for phase in metrics.phases:
            shown = format_seconds(phase.seconds) + (" (current, to now)" if phase.current else "")
            lines.append(
                f"| {phase.phase.value} | {shown} | {_seconds_cell(phase.seconds)} | "
                f"{phase.entries} | {refs(phase.events)} |"
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
            f"- Largest gap: {format_seconds(cadence.largest_gap_seconds)} between "
            f"#{earlier} and #{later} (the cadence of #{earlier}, {gap_phase}): {verdict}"
        )
        lines.append(f"- Gaps over their cadence: {cadence.gaps_over_cadence}")
    lines.extend(["", "### Phases", ""])
    lines.extend(_gantt(ctx))
    return lines


_MERMAID_FORMAT = "%Y-%m-%dT%H:%M:%S"
_TERMINAL = (Phase.RESOLVED, Phase.POSTMORTEM, Phase.CLOSED)


def _gantt(ctx: Ctx) -> list[str]:
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
        began = phase_start(ctx.state, index)
        start = began.astimezone(UTC)
        label = change.phase.value.capitalize() + (" (re-opened)" if change.reopened else "")
        task_id = f"p{index + 1}"
        if change.phase in _TERMINAL:
            lines.append(
                f"    {label} :milestone, {task_id}, {start.strftime(_MERMAID_FORMAT)}, 0s"
            )
            continue
        end = history[index + 1].at if index + 1 < len(history) else ctx.now
        seconds = max(1, round((end - began).total_seconds()))
        state = "active" if index + 1 == len(history) else "done"
        lines.append(
            f"    {label} :{state}, {task_id}, {start.strftime(_MERMAID_FORMAT)}, {seconds}s"
        )
    lines.append("```")
    return lines


def _ended(ctx: Ctx) -> tuple[datetime | None, str]:
    """When the incident stopped being open (resolution, else the closing change) and by what."""
    state = ctx.state
    if state.is_open or not state.phase_history:
        return None, ""
    if state.resolved_at is not None:
        return state.resolved_at, ref(state.milestone_events.get("resolved"))
    last = state.phase_history[-1]
    return last.at, ref(last.event_id)


def roles_section(ctx: Ctx) -> list[str]:
    """Who held each role, when, and how it was handed off."""
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
        resolved, resolution = _ended(ctx)
        for t in tenures:
            if t.end is None and resolved is not None:
                end = f"{stamp_utc(resolved)} ({resolution})"
                held = format_seconds(max(0.0, (resolved - t.start).total_seconds()))
                handoff = "held to resolution"
            elif t.end is None:
                end, held, handoff = (
                    "still holds",
                    format_seconds((ctx.now - t.start).total_seconds()) + " (to now)",
                    "—",
                )
            else:
                end = f"{stamp_utc(t.end)} ({ref(t.end_event)})"
                held = format_seconds((t.end - t.start).total_seconds())
                handoff = f"→ {md_escape_inline(t.handed_to)}" if t.handed_to else "released"
            lines.append(
                f"| {t.role.label} | {cell(t.person)} | {stamp_utc(t.start)} "
                f"({ref(t.start_event)}) | {end} | {held} | {handoff} |"
            )
    owner = state.postmortem_owner
    lines.extend(
        [
            "",
            f"- **Post-mortem owner:** {md_escape_inline(owner) if owner else NOT_RECORDED}",
        ]
    )
    return lines
