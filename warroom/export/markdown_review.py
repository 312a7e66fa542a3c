"""The draft's review sections: the five questions, action items (and their flags), schedule."""

from __future__ import annotations

import re
from datetime import timedelta

from warroom.domain.events import EventKind, Role, Severity
from warroom.domain.policy import Policy
from warroom.domain.severity import severity_at
from warroom.domain.state import ActionItem
from warroom.domain.timefmt import format_seconds, stamp_utc
from warroom.export.escape import md_escape_inline
from warroom.export.markdown_context import NOT_RECORDED, Ctx, cell, code_span, refs
from warroom.export.markdown_timeline import entry_text, event_label

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
    """Why an action item is not acceptable yet: missing fields, vagueness.

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


def questions_section(ctx: Ctx) -> list[str]:
    """The five questions, each opened with the facts the record holds."""
    state, metrics = ctx.state, ctx.metrics
    lines = ["## The five questions", "", "### 1. What happened?", ""]
    keys = ctx.key_events
    levels = {e.event_id: e.level for e in state.escalations}
    if keys:
        lines.append("Key events from the timeline:")
        lines.append("")
        for event in keys:
            text = ctx.text_of(event)
            if event.id not in state.corrections:
                text = entry_text(event.data, text)
            what = event_label(event.id, event.data, ctx, levels)
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
        f"- Decisions logged: {len(decisions)} ({refs(decisions)}); commands run against "
        f"production: {len(commands)} ({refs(commands)})."
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
            f"{format_seconds(metrics.time_to_detect)}. Which signal could have fired sooner?"
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


def _ack_severity(ctx: Ctx) -> tuple[Severity, str] | None:
    """The severity the acknowledgement is judged against, and how to name it."""
    state = ctx.state
    at = state.acknowledged_at
    if at is None:
        return None
    if state.declared_at is not None:
        at = max(at, state.declared_at)
    in_force = severity_at(state, ctx.policy, at)
    severity = in_force.severity or ctx.policy.unclassified_default_severity
    label = in_force.label if in_force.severity else f"unclassified, run as {severity.label}"
    return severity, label


def _ack_minutes(ctx: Ctx) -> int | None:
    judged = _ack_severity(ctx)
    return ctx.policy.rule(judged[0]).ack_minutes if judged is not None else None


def _ack_window(ctx: Ctx) -> str:
    """The ack window the acknowledgement is judged against: the severity in force at the ack.

    An ack logged before the declaration is judged against the severity declared;
    an unclassified incident as the clocks ran it, on the rules of the default
    severity.
    """
    judged = _ack_severity(ctx)
    if judged is None:
        return ""
    severity, label = judged
    minutes = ctx.policy.rule(severity).ack_minutes
    if not minutes:
        return f" (no ack window at the time: {label})"
    return f" (ack window at the time: {minutes} min, {label})"


def _response_prompts(ctx: Ctx) -> list[str]:
    state, metrics = ctx.state, ctx.metrics
    lines = []
    ack = metrics.time_to_acknowledge
    lines.append(f"- Time to acknowledge: {format_seconds(ack)}{_ack_window(ctx)}.")
    first_ic = min(
        (t for t in (*state.role_history, *state.roles.values()) if t.role is Role.IC),
        key=lambda t: t.start,
        default=None,
    )
    if first_ic is not None and state.declared_at is not None:
        lines.append(
            "- First Incident Commander assigned "
            f"{format_seconds((first_ic.start - state.declared_at).total_seconds())} after "
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
            f"({format_seconds(cadence.largest_gap_seconds)}) exceeded the "
            f"{cadence.cadence_minutes} min cadence."
        )
    if state.reopen_count:
        lines.append(f"- Re-opened {state.reopen_count}×: why did the first mitigation not hold?")
    lines.append(f"- IC checkpoints logged: {len(state.checkpoints)}.")
    return lines


def went_well_section(ctx: Ctx) -> list[str]:
    """What went well: a prompt for the owner, with the record's candidates."""
    state, metrics = ctx.state, ctx.metrics
    lines = [
        "## What went well",
        "",
        "_With the responders: what helped — a signal, a tool, a runbook, a hand-off? "
        "Keep it; the next incident needs it too._",
        "",
    ]
    facts: list[str] = []
    window = _ack_minutes(ctx)
    ack = metrics.time_to_acknowledge
    if ack is not None and window is not None and ack <= window * 60:
        facts.append(f"Acknowledged in {format_seconds(ack)}, within the {window} min window.")
    cadence = metrics.status_updates
    if cadence.count >= 2 and cadence.gaps_over_cadence == 0:
        facts.append(f"{cadence.count} status updates, none later than its cadence.")
    if state.checkpoints:
        facts.append(f"{len(state.checkpoints)} IC checkpoint(s) logged.")
    handoffs = [t for t in state.role_history if t.handed_to]
    if handoffs:
        ids = refs(t.end_event for t in handoffs if t.end_event is not None)
        facts.append(f"{len(handoffs)} role hand-off(s) logged ({ids}).")
    lines.extend(f"- {fact}" for fact in facts)
    lines.append("- …")
    return lines


def lucky_section(ctx: Ctx) -> list[str]:
    """Where we got lucky: a prompt for the owner (luck is not in the record)."""
    return [
        "## Where we got lucky",
        "",
        "_What could have gone worse and did not — a safeguard that held by chance, the "
        "right person happening to be online, low traffic at the time? Each one is a "
        "candidate action item._",
        "",
        "- …",
    ]


def action_items_section(ctx: Ctx) -> list[str]:
    """The action items table, with what each one still lacks."""
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
            f"| {item.event_id} | {cell(item.text)} | "
            f"{cell(item.owner) if item.owner else missing} | "
            f"{item.due.isoformat() if item.due else missing} | "
            f"{item.priority.value if item.priority else missing} | "
            f"{cell(item.done_when) if item.done_when else missing} | "
            f"{'⚠ ' + '; '.join(md_escape_inline(f) for f in flags) if flags else 'ok'} |"
        )
    return lines


def schedule_section(ctx: Ctx) -> list[str]:
    """The post-mortem owner and the schedule counted from resolution."""
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


def runbook_review_lines(ctx: Ctx) -> list[str]:
    """After the five questions: the linked runbook and its lint problems (if any)."""
    review = ctx.review
    if review.runbook is None:
        return []
    lines = ["", "### The runbook followed", "", f"- {code_span(review.runbook)}"]
    if review.runbook_problems:
        lines.append("- Lint problems (fix them as an action item):")
        lines.extend(f"  - {md_escape_inline(problem)}" for problem in review.runbook_problems)
    return lines
