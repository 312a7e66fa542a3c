"""Every refusal of the scribe parser says what is wrong and how to write it."""

# ruff: noqa: E501  (the messages are pinned whole, as the user reads them)

from __future__ import annotations

import pytest

from tests.support.times import T0
from warroom.domain.events import (
    CauseData,
    EscalationData,
    NewEvent,
    Role,
    RoleReleasedData,
    RunbookData,
)
from warroom.domain.parser import ParseError, parse_entry

NOW = T0


def parse(line: str) -> NewEvent:
    return parse_entry(line, now=NOW, tz="UTC", author="sam")


def refusal(line: str) -> str:
    with pytest.raises(ParseError) as info:
        parse(line)
    return str(info.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/release", "/release: missing ROLE — usage: /release ROLE [note]"),
        # A misspelt source would record "via alert" and miss the customer-reported rule.
        (
            "/detected custmer tickets",
            "/detected: 'custmer' is not a source (alert, customer, other): did you mean customer? — usage: /detected [alert|customer|other] [text]",
        ),
        (
            "/detected Allert",
            "/detected: 'Allert' is not a source (alert, customer, other): did you mean alert? — usage: /detected [alert|customer|other] [text]",
        ),
        (
            "/release boss",
            "/release: 'boss' is not a role (ic, comms, tech, scribe) — usage: /release ROLE [note]",
        ),
        ("/phase", "/phase: missing PHASE — usage: /phase PHASE [text]"),
        (
            "/phase later",
            "/phase: 'later' is not a phase (detected, triaged, responding, mitigated, resolved, postmortem, closed) — usage: /phase PHASE [text]",
        ),
        ("/status", "/status: missing PHASE — usage: /status PHASE TEXT"),
        (
            "/status pending x",
            "/status: 'pending' is not a status phase (investigating, identified, monitoring, resolved) — usage: /status PHASE TEXT",
        ),
        (
            "/status monitoring",
            "/status: missing TEXT (the update, posted verbatim) — usage: /status PHASE TEXT",
        ),
        ("/sev", "/sev: missing N — usage: /sev N [reason]"),
        ("/sev 5", "/sev: severity '5' is not 1, 2, 3 or 4 — usage: /sev N [reason]"),
        ("/ic", "/ic: missing NAME — usage: /ic NAME [note]"),
        (
            "/ic a/b",
            "/ic: 'a/b' is not a valid NAME (1-64 letters, digits, '.', '_' or '-') — usage: /ic NAME [note]",
        ),
        ("/decision", "/decision: missing TEXT — usage: /decision TEXT"),
        ("/cmd", "/cmd: missing TEXT — usage: /cmd TEXT"),
        ("/note", "/note: missing TEXT — usage: /note TEXT"),
        ("/fix", "/fix: missing ID — usage: /fix ID TEXT"),
        (
            "/fix x y",
            "/fix: 'x' is not an entry ID (a positive number such as 12 or #12) — usage: /fix ID TEXT",
        ),
        (
            "/fix 0 y",
            "/fix: '0' is not an entry ID (a positive number such as 12 or #12) — usage: /fix ID TEXT",
        ),
        ("/fix 3", "/fix: missing TEXT (the corrected text) — usage: /fix ID TEXT"),
        ("/mark", "/mark: missing ID — usage: /mark ID [text]"),
        (
            "/unmark abc",
            "/unmark: 'abc' is not an entry ID (a positive number such as 12 or #12) — usage: /unmark ID [text]",
        ),
        (
            "/escalate L7",
            "/escalate: level 'L7' is not L0 to L4 — usage: /escalate [L0-L4] [reason]",
        ),
        ("/cause", "/cause: missing TAG or TEXT — usage: /cause #TAG [text] | /cause TEXT"),
        ("/cause #", "/cause: '#' needs a TAG — usage: /cause #TAG [text] | /cause TEXT"),
        ("/runbook", "/runbook: missing PATH_OR_URL — usage: /runbook PATH_OR_URL [note]"),
        (
            "/action",
            "/action: missing TEXT (what is to be done) — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/action x P7",
            "/action: priority 'P7' is not P0, P1 or P2 — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/action x due 2026-02-30",
            "/action: due date '2026-02-30' is not a real date — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/action x due 2026-13-01",
            "/action: due date '2026-13-01' is not a real date — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/action x due 5d",
            "/action: due date '5d' is not YYYY-MM-DD or +Nd — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/action x done:",
            "/action: 'done:' needs a DEFINITION of done — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        ),
        (
            "/dec",
            "unknown command /dec — did you mean /tech? try /help (use // or /note to log text starting with /)",
        ),
        (
            "/zzzzzz",
            "unknown command /zzzzzz — try /help (use // or /note to log text starting with /)",
        ),
        ("/", "empty command after '/' — try /help (use // to log text starting with /)"),
        ("@25:00 x", "'25:00' is not a valid time of day (00:00 to 23:59:59)"),
        (
            "@x y",
            "cannot read 'x' as a time; use e.g. 14:02, 14:02:30, -5m, -1h30m or 2026-11-27T14:02Z (to log text starting with @, use /note)",
        ),
        ("@-5m", "nothing to log after @-5m"),
        ("!", "nothing to log after '!'"),
        ("", "nothing to log"),
        ("/pm", "/pm: missing NAME — usage: /pm NAME [note]"),
        ("@1x y", "cannot read '1x' as a time; use e.g. 14:02, 14:02:30, -5m, -1h30m or 2026-11-27T14:02Z"),
        ("@+x y", "cannot read '+x' as a time; use e.g. 14:02, 14:02:30, -5m, -1h30m or 2026-11-27T14:02Z"),
        ("@-x y", "cannot read '-x' as a time; use e.g. 14:02, 14:02:30, -5m, -1h30m or 2026-11-27T14:02Z"),
        ("/action @a/b fix it", "/action: '@a/b' is not a valid OWNER (1-64 letters, digits, '.', '_' or '-') — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]"),
        ("/action x due +3w", "/action: due date '+3w' is not YYYY-MM-DD or +Nd — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]"),
        ("/action x due ٢٠٢٦-١٢-٠١", "/action: due date '٢٠٢٦-١٢-٠١' is not YYYY-MM-DD or +Nd — usage: /action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]"),
        ("x" * 100_001, "entry too long: 100,001 characters (at most 100,000); split it or attach it elsewhere"),
    ],
)
def test_each_refusal_names_the_problem_and_the_usage(line: str, message: str) -> None:
    assert refusal(line) == message


def test_a_long_bad_token_is_shown_cut_at_80_characters() -> None:
    token = "x" * 100
    assert refusal(f"/release {token}").startswith(f"/release: {'x' * 80!r} is not a role")
    assert refusal(f"/phase {token}").startswith(f"/phase: {'x' * 80!r} is not a phase")


def test_a_long_unknown_command_is_shown_cut_at_40_characters() -> None:
    assert refusal("/" + "q" * 50).startswith(f"unknown command /{'q' * 40} — try /help")


def test_release_accepts_the_role_as_its_command() -> None:
    assert parse("/release /ic").data == RoleReleasedData(role=Role.IC)


def test_the_top_of_the_ladder_is_a_level() -> None:
    assert parse("/escalate L4 director paged").data == EscalationData(level=4)


def test_a_cause_tag_is_kept_to_200_characters() -> None:
    event = parse("/cause #" + "a" * 300 + " explained")
    assert event.data == CauseData(tag="a" * 200)
    assert event.text == "explained"
    assert parse("/cause " + "Word " * 60).data == CauseData(tag=("word " * 40)[:200])


def test_a_runbook_reference_may_be_2000_characters_not_more() -> None:
    ref = "https://wiki.example.com/" + "r" * 1975
    assert parse(f"/runbook {ref}").data == RunbookData(ref=ref)
    assert refusal(f"/runbook {ref}r") == (
        "/runbook: PATH_OR_URL is longer than 2000 characters — usage: /runbook PATH_OR_URL [note]"
    )


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("/ic " + "a/" * 60, "/ic: {!r} is not a valid NAME"),
        ("/fix " + "y" * 100 + " text", "/fix: {!r} is not an entry ID"),
        ("/sev " + "9" * 100, "/sev: severity {!r} is not 1, 2, 3 or 4"),
        ("/status " + "z" * 100 + " text", "/status: {!r} is not a status phase"),
        ("/action x due " + "1" * 100, "/action: due date {!r} is not YYYY-MM-DD or +Nd"),
        ("/action x P" + "9" * 100, "/action: priority {!r} is not P0, P1 or P2"),
    ],
)
def test_every_echoed_token_is_cut_at_80_characters(line: str, shown: str) -> None:
    token = line.split()[-1] if "due" in line or " P" in line else line.split()[1]
    assert refusal(line).startswith(shown.format(token[:80]))


def test_a_cause_tag_drops_only_its_hash() -> None:
    assert parse("/cause #Deploy fix").data == CauseData(tag="deploy")


def test_the_author_is_cleaned_and_bounded() -> None:
    assert parse_entry("x", now=NOW, tz="UTC", author="  Jane   Doe ").author == "Jane Doe"
    assert parse_entry("x", now=NOW, tz="UTC", author="a" * 200).author == "a" * 200
    for author, message in (("   ", "the author is empty"),
                            ("a" * 201, "the author is longer than 200 characters")):
        with pytest.raises(ParseError) as info:
            parse_entry("x", now=NOW, tz="UTC", author=author)
        assert str(info.value) == message


def test_an_entry_must_be_text() -> None:
    with pytest.raises(ParseError) as info:
        parse_entry(None, now=NOW, tz="UTC", author="sam")  # type: ignore[arg-type]
    assert str(info.value) == "an entry must be text"
