"""The post-mortem draft as its owner reads it: judged fairly, scannable, ready to fill in."""

from __future__ import annotations

from tests.export.incident import NOW, RECORD, declared, entry, number
from tests.export.mdparse import headings, inline_text, parse, split_front_matter, timeline_rows
from warroom.domain.events import Event, Severity
from warroom.domain.policy import DEFAULT_POLICY
from warroom.export.markdown import render_postmortem


def _render(events: list[Event]) -> str:
    return render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW)


def _escalated_after_the_ack() -> list[Event]:
    return number(
        [
            declared(severity=Severity.SEV2),
            entry("@14:00 /detected alert"),
            entry("@14:10 /ack"),
            entry("@14:30 /sev 1 worse"),
        ]
    )


def test_the_ack_is_judged_against_the_severity_in_force_at_the_ack() -> None:
    text = _render(_escalated_after_the_ack())
    # Acked at 14:10 as a SEV2 (15 min window); the SEV1 came 20 minutes later.
    assert "- Time to acknowledge: 10m (ack window at the time: 15 min, SEV2)." in text
    assert "SEV1: 5 min" not in text
    assert "- Acknowledged in 10m, within the 15 min window." in text


def test_detection_to_declaration_is_its_own_metric() -> None:
    events = number(
        [declared(), entry("@13:54 /detected customer"), entry("@14:01 /responding")]
    )
    text = _render(events)
    front, _ = split_front_matter(text)
    assert front["time_to_declare_seconds"] == 360
    assert "| Time to declare | 6m | 360 | detected → declared | #1, #2 |" in text
    # The detected phase (and its bar) starts at detection, not at the declaration.
    assert "| detected | 7m | 420 | 1 | #1 |" in text
    assert "    Detected :done, p1, 2026-11-27T13:54:00, 420s" in text


def test_checkpoint_rows_give_the_answers_once_and_long_ones_continue_below() -> None:
    long_know = "the pool is exhausted " * 12
    events = number(
        [
            declared(),
            entry("@14:05 /checkpoint short know | short next | no | yes"),
            entry(f"@14:10 /checkpoint {long_know}| roll back | no | yes"),
        ]
    )
    text = _render(events)
    rows = timeline_rows(text)
    assert rows[2]["Event"] == "checkpoint"
    assert rows[2]["Text"] == "know: short know; next: short next; escalate: no; status page: yes"
    assert text.count("short next") == 1
    assert rows[3]["Event"] == "checkpoint"
    assert rows[3]["Text"].endswith("… (continued below the table, #3)")
    assert len(rows[3]["Text"]) < 200
    inlines = [inline_text(t) for t in parse(text) if t.type == "inline"]
    assert "Know: " + long_know.strip() in inlines
    assert "Next: roll back" in inlines


def test_the_owner_gets_a_prefilled_summary_and_the_sections_to_fill_in() -> None:
    text = _render(_escalated_after_the_ack())
    tokens = parse(text)
    sections = headings(tokens, 2)
    questions = sections.index("The five questions")
    assert sections[questions + 1 : questions + 3] == ["What went well", "Where we got lucky"]
    summary = text.split("## Summary", 1)[1].split("- **Title:**", 1)[0]
    assert "Rewrite this paragraph" in summary
    assert "It was declared at 2026-11-27 14:00:00 UTC as SEV2" in summary
    assert "raised to SEV1 at 2026-11-27 14:30:00 UTC" in summary
    assert "It is not resolved as of 2026-11-27 16:00:00 UTC." in summary


def test_prose_keeps_its_tildes_and_underscores() -> None:
    events = number(
        [declared(), entry("@14:05 about ~20% of calls to payment_gateway fail, 5 * 3 retries")]
    )
    text = _render(events)
    assert "about ~20% of calls to payment_gateway fail, 5 * 3 retries" in text
    assert timeline_rows(text)[2]["Text"] == (
        "about ~20% of calls to payment_gateway fail, 5 * 3 retries"
    )
