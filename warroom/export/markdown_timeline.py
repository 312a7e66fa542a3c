"""The draft's timeline and status-update sections, and the label of each event kind."""

from __future__ import annotations

from operator import itemgetter

from warroom.domain.describe import KIND_WORDS, describe_payload
from warroom.domain.events import CheckpointData, EventData, EventKind, StatusUpdateData
from warroom.domain.timefmt import stamp_local, stamp_utc, utc_seconds, zone_label
from warroom.export.escape import md_escape_inline, md_escape_lines, md_escape_many
from warroom.export.markdown_context import KEY_MARK, Ctx, cell, refs

#: The word of each event kind (the domain describer's).
KIND_LABELS: dict[str, str] = KIND_WORDS


def event_label(event_id: int, data: EventData, ctx: Ctx, levels: dict[int, int]) -> str:
    """Kind plus the structured payload, escaped; the free text goes in its own column.

    The heading form of the domain describer (:mod:`warroom.domain.describe`); an
    escalation names the level it reached on the incident's ladder.
    """
    level = levels.get(event_id) if data.kind is EventKind.ESCALATION else None
    reached = ctx.policy.escalation_label(level) if level is not None else None
    return describe_payload(data, "", escape=md_escape_inline, reached=reached).heading


#: The text of an :data:`~warroom.domain.eventlog.EventRow`.
_ROW_TEXT = itemgetter(4)

#: An entry longer than this (characters) is cut in the timeline table and given in
#: full below it, so a row stays one scannable line.
CELL_LIMIT = 200
#: Where a long entry is cut (at the last space before it).
CELL_CUT = 140


def checkpoint_answers(data: CheckpointData) -> list[tuple[str, str]]:
    """The IC checkpoint's answers that were given, as (question, answer) pairs."""
    pairs = (
        ("know", data.know),
        ("next", data.next),
        ("escalate", data.escalate),
        ("status page", data.status_page),
    )
    return [(name, value) for name, value in pairs if value]


def entry_text(data: EventData, text: str) -> str:
    """The text an entry shows: a checkpoint's labelled answers, else its own text."""
    if isinstance(data, CheckpointData):
        answers = checkpoint_answers(data)
        if answers:
            return "; ".join(f"{name}: {value}" for name, value in answers)
    return text


def _cut(text: str) -> str:
    head = text[:CELL_CUT]
    space = head.rfind(" ")
    if space > CELL_CUT // 2:
        head = head[:space]
    return head.rstrip()


def _continued(ctx: Ctx, entries: list[tuple[int, str, str, str, EventData, str]]) -> list[str]:
    """The full text of the entries cut in the table, by id."""
    lines = ["", "### Entries continued", "", "The long entries cut in the table above, in full."]
    for eid, stamp, what, author, data, text in entries:
        lines.extend(["", f"- **#{eid}** — {what}, {stamp} UTC, by {author}:"])
        answers = checkpoint_answers(data) if isinstance(data, CheckpointData) else []
        if answers and eid not in ctx.state.corrections:
            lines.extend(
                f"  - **{name.capitalize()}:** {md_escape_inline(value)}" for name, value in answers
            )
        else:
            lines.extend(["", f"  {md_escape_inline(text)}"])
    return lines


def timeline_section(ctx: Ctx) -> list[str]:
    """Every entry in event-time order, as a table."""
    local = ctx.local
    zone = ""
    header = "| # | Time (UTC) |"
    rule = "|---|---|"
    if local:
        zone = zone_label(ctx.now, ctx.tz)
        header += f" Local ({cell(zone)}) |"
        rule += "---|"
    header += f" {KEY_MARK} | Event | Author | Text | Note |"
    rule += "---|---|---|---|---|"
    lines = [
        "## Timeline",
        "",
        f"Every entry in event-time order, UTC. {KEY_MARK} marks a key event; a corrected "
        "entry shows its corrected text and names the correction. Line breaks inside an "
        f"entry are shown as ⏎; an entry over {CELL_LIMIT} characters is cut and continued "
        "below the table.",
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
        kind: KIND_LABELS[kind]
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
    continued: list[tuple[int, str, str, str, EventData, str]] = []
    for (eid, occurred, _recorded, author_name, raw, _key, data), text in zip(
        rows(), texts, strict=True
    ):
        author = authors.get(author_name)
        if author is None:
            author = authors[author_name] = escape(author_name)
        what = simple.get(data.kind)
        if what is None:
            what = event_label(eid, data, ctx, levels)
        if eid in corrections:
            raw = corrections[eid]
            text = escape(raw)
            note = "corrected in " + refs(corrected_by.get(eid, ()))
        else:
            note = ""
            if data.kind is EventKind.CHECKPOINT:
                raw = entry_text(data, raw)
                text = escape(raw)
        stamp = utc_seconds(occurred)
        if len(raw) > CELL_LIMIT:
            if isinstance(data, StatusUpdateData):
                text = f"{escape(_cut(raw))} … (in full under Status updates)"
            else:
                text = f"{escape(_cut(raw))} … (continued below the table, #{eid})"
                continued.append((eid, stamp, what, author, data, raw))
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
    if continued:
        lines.extend(_continued(ctx, continued))
    return lines


def status_updates_section(ctx: Ctx) -> list[str]:
    """Every posted status update, verbatim, oldest first."""
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
            corrected = refs(ctx.corrected_by.get(update.event_id, ()))
            lines.extend([f"_Text corrected in {corrected}._", ""])
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
