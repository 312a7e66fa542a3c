"""The scribe command language: every command, every error, back-dating, properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.grammars import LineCase, Reach, scribe_lines
from tests.support.times import T0
from warroom.domain.commands import COMMANDS, PHASE_COMMANDS, ROLE_COMMANDS
from warroom.domain.events import (
    AcknowledgedData,
    ActionItemData,
    CheckpointData,
    CommandData,
    CorrectionData,
    DecisionData,
    DetectedData,
    DetectionSource,
    EscalationData,
    EventKind,
    ImpactStartedData,
    KeyMarkData,
    NewEvent,
    NoteData,
    Phase,
    PhaseChangedData,
    PostmortemOwnerData,
    Priority,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.parser import (
    MAX_ENTRY_CHARS,
    ParseError,
    is_bare_checkpoint,
    parse_entry,
)
from warroom.domain.sanitize import clean_text

BERLIN = ZoneInfo("Europe/Berlin")
NOW = T0  # 15:00 in Berlin


def parse(line: str, *, now: datetime = NOW, tz: ZoneInfo = BERLIN) -> NewEvent:
    return parse_entry(line, now=now, tz=tz, author="sam")


def error(line: str, *, now: datetime = NOW, tz: ZoneInfo = BERLIN) -> str:
    with pytest.raises(ParseError) as info:
        parse(line, now=now, tz=tz)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- notes and prefixes --------------------------------------------------------


def test_plain_text_is_a_note_at_now() -> None:
    event = parse("  checkout latency up on eu-west  ")
    assert event.data == NoteData()
    assert event.text == "checkout latency up on eu-west"
    assert event.occurred_at == NOW
    assert event.author == "sam"
    assert event.key is False


def test_markup_is_kept_as_literal_text() -> None:
    assert parse("[bold]x[/] [@click=app.quit]q[/]").text == "[bold]x[/] [@click=app.quit]q[/]"


def test_multi_line_note_is_kept() -> None:
    assert parse("line one\nline two").text == "line one\nline two"


def test_text_is_sanitised() -> None:
    event = parse("\x1b]0;pwned\x07db \x1b[31mdown\x1b[0m\u202e")
    assert event.text == "db down"


def test_key_event() -> None:
    event = parse("!rollback started")
    assert event.key is True
    assert event.text == "rollback started"
    assert parse("! spaced").text == "spaced"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("@14:02", datetime(2026, 11, 27, 13, 2, tzinfo=UTC)),
        ("@14:02:30", datetime(2026, 11, 27, 13, 2, 30, tzinfo=UTC)),
        ("@2026-11-27T13:02Z", datetime(2026, 11, 27, 13, 2, tzinfo=UTC)),
        ("@2026-11-27T14:02+01:00", datetime(2026, 11, 27, 13, 2, tzinfo=UTC)),
        ("@-5m", NOW - timedelta(minutes=5)),
        ("@-1h30m", NOW - timedelta(hours=1, minutes=30)),
        ("@-90s", NOW - timedelta(seconds=90)),
    ],
)
def test_back_dating(prefix: str, expected: datetime) -> None:
    event = parse(f"{prefix} first alert fired")
    assert event.occurred_at == expected
    assert event.text == "first alert fired"


def test_back_dating_combines_with_key_and_commands_in_either_order() -> None:
    for line in ("@-5m !/sev 1 data loss", "!@-5m /sev 1 data loss", "@-5m ! /sev 1 data loss"):
        event = parse(line)
        assert event.occurred_at == NOW - timedelta(minutes=5)
        assert event.key is True
        assert event.data == SeveritySetData(severity=Severity.SEV1)
        assert event.text == "data loss"


def test_back_dating_errors() -> None:
    assert "in the future" in error("@15:30 later")
    assert "in the future" in error("@+5m soon")
    assert "no time zone" in error("@2026-11-27T13:02 x")
    message = error("@alice please look")
    assert "'alice'" in message
    assert "/note" in message
    assert "nothing to log after @14:02" in error("@14:02")
    assert "nothing to log after '!'" in error("!")
    assert "nothing to log after '!'" in error("@14:02 !")


def test_back_dating_into_a_dst_gap_is_an_error() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert "does not exist in Europe/Berlin" in error("@02:30 x", now=now)
    now = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    assert "happened twice in America/New_York" in error(
        "@01:30 x", now=now, tz=ZoneInfo("America/New_York")
    )


def test_double_slash_logs_literal_slash_text() -> None:
    event = parse("//usr/bin is full")
    assert event.data == NoteData()
    assert event.text == "/usr/bin is full"


def test_note_command() -> None:
    assert parse("/note /sev is broken").text == "/sev is broken"
    assert parse("/NOTE @alice said hi").text == "@alice said hi"
    assert "missing TEXT" in error("/note")


@pytest.mark.parametrize("line", ["", "   ", "\n\t", "\x1b[31m\x1b[0m", "\x00\x07"])
def test_nothing_to_log(line: str) -> None:
    assert error(line) == "nothing to log"


def test_too_long() -> None:
    assert "too long" in error("x" * (MAX_ENTRY_CHARS + 1))
    assert len(parse("x" * MAX_ENTRY_CHARS).text) == MAX_ENTRY_CHARS


def test_author_is_cleaned_and_required() -> None:
    assert parse_entry("x", now=NOW, tz=BERLIN, author="\x1b[31msam\x1b[0m").author == "sam"
    with pytest.raises(ParseError, match="author"):
        parse_entry("x", now=NOW, tz=BERLIN, author=" \x07")
    with pytest.raises(ParseError, match="author"):
        parse_entry("x", now=NOW, tz=BERLIN, author="a" * 201)


def test_zone_by_name() -> None:
    event = parse_entry("@14:02 x", now=NOW, tz="Europe/Berlin", author="sam")
    assert event.occurred_at == datetime(2026, 11, 27, 13, 2, tzinfo=UTC)
    with pytest.raises(ParseError, match="unknown time zone"):
        parse_entry("x", now=NOW, tz="Nowhere/Special", author="sam")


# --- commands ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "severity", "reason"),
    [
        ("/sev 1 data loss suspected", Severity.SEV1, "data loss suspected"),
        ("/sev 2", Severity.SEV2, ""),
        ("/sev sev3 workaround exists", Severity.SEV3, "workaround exists"),
        ("/SEV SEV4", Severity.SEV4, ""),
        ("/sev1 checkout down", Severity.SEV1, "checkout down"),
    ],
)
def test_sev(line: str, severity: Severity, reason: str) -> None:
    event = parse(line)
    assert event.data == SeveritySetData(severity=severity)
    assert event.text == reason


@pytest.mark.parametrize("line", ["/sev", "/sev 5", "/sev 0", "/sev high", "/sev sev5"])
def test_sev_errors(line: str) -> None:
    message = error(line)
    assert "usage: /sev N [reason]" in message


@pytest.mark.parametrize("command", sorted(ROLE_COMMANDS))
def test_role_commands(command: str) -> None:
    event = parse(f"/{command} @alice.b-c_1 took over from bob")
    assert event.data == RoleAssignedData(role=ROLE_COMMANDS[command], person="alice.b-c_1")
    assert event.text == "took over from bob"
    assert parse(f"/{command} alice").data == RoleAssignedData(
        role=ROLE_COMMANDS[command], person="alice"
    )


@pytest.mark.parametrize("name", ["", "@", "al!ce", "a" * 65, "<script>"])
def test_role_name_errors(name: str) -> None:
    message = error(f"/ic {name}")
    assert "NAME" in message
    assert "usage: /ic NAME" in message


def test_unicode_names_are_accepted() -> None:
    assert parse("/tech José").data == RoleAssignedData(role=Role.TECH, person="José")


def test_release() -> None:
    assert parse("/release comms going off shift").data == RoleReleasedData(role=Role.COMMS)
    assert parse("/release IC").data == RoleReleasedData(role=Role.IC)
    assert "missing ROLE" in error("/release")
    assert "not a role" in error("/release boss")


def test_started_and_impact_alias() -> None:
    for line in ("@-20m /started errors began", "@-20m /impact errors began"):
        event = parse(line)
        assert event.data == ImpactStartedData()
        assert event.text == "errors began"
        assert event.occurred_at == NOW - timedelta(minutes=20)


@pytest.mark.parametrize(
    ("line", "source", "text"),
    [
        ("/detected", DetectionSource.ALERT, ""),
        ("/detected alert HighErrorRate fired", DetectionSource.ALERT, "HighErrorRate fired"),
        ("/detected Customer support tickets", DetectionSource.CUSTOMER, "support tickets"),
        ("/detected other noticed on dashboard", DetectionSource.OTHER, "noticed on dashboard"),
        ("/detected pager went off", DetectionSource.ALERT, "pager went off"),
        ("/detected customers report 502s", DetectionSource.CUSTOMER, "report 502s"),
        ("/detected alerts fired", DetectionSource.ALERT, "fired"),
        ("/detected cust tickets", DetectionSource.CUSTOMER, "tickets"),
        ("/detected noticed on the dashboard", DetectionSource.ALERT, "noticed on the dashboard"),
    ],
)
def test_detected(line: str, source: DetectionSource, text: str) -> None:
    event = parse(line)
    assert event.data == DetectedData(source=source)
    assert event.text == text


def test_ack() -> None:
    event = parse("/ack on it")
    assert event.data == AcknowledgedData()
    assert event.text == "on it"


@pytest.mark.parametrize("command", sorted(PHASE_COMMANDS))
def test_phase_shortcuts(command: str) -> None:
    event = parse(f"/{command} rollback done")
    assert event.data == PhaseChangedData(phase=PHASE_COMMANDS[command])
    assert event.text == "rollback done"
    assert parse(f"/{command.upper()}").data == PhaseChangedData(phase=PHASE_COMMANDS[command])


def test_generic_phase() -> None:
    assert parse("/phase mitigated traffic shifted").data == PhaseChangedData(phase=Phase.MITIGATED)
    assert "missing PHASE" in error("/phase")
    assert "not a phase" in error("/phase fixed")


def test_reopen() -> None:
    event = parse("/reopen errors are back")
    assert event.data == PhaseChangedData(phase=Phase.RESPONDING, reopened=True)
    assert event.text == "errors are back"


def test_decision_and_cmd() -> None:
    assert parse("/decision roll back to v41").data == DecisionData()
    assert parse("/decision roll back to v41").text == "roll back to v41"
    event = parse("/cmd kubectl rollout undo deploy/checkout")
    assert event.data == CommandData()
    assert event.text == "kubectl rollout undo deploy/checkout"
    assert "missing TEXT" in error("/decision")
    assert "missing TEXT" in error("/cmd   ")


@pytest.mark.parametrize("phase", list(StatusPhase))
def test_status(phase: StatusPhase) -> None:
    event = parse(f"/status {phase.value.upper()} Some customers see errors at checkout.")
    assert event.data == StatusUpdateData(phase=phase)
    assert event.text == "Some customers see errors at checkout."


def test_status_errors() -> None:
    assert "missing PHASE" in error("/status")
    assert "not a status phase" in error("/status fixing it now")
    assert "missing TEXT" in error("/status identified")


def test_checkpoint_with_answers() -> None:
    event = parse("/checkpoint db primary is saturated | fail over | no | yes, 14:30 update")
    assert event.data == CheckpointData(
        know="db primary is saturated",
        next="fail over",
        escalate="no",
        status_page="yes, 14:30 update",
    )


def test_checkpoint_partial_and_extra_bars() -> None:
    assert parse("/checkpoint only this").data == CheckpointData(know="only this")
    assert parse("/checkpoint a | b | c | d | e").data == CheckpointData(
        know="a", next="b", escalate="c", status_page="d | e"
    )


def test_bare_checkpoint() -> None:
    assert parse("/checkpoint").data == CheckpointData()
    assert is_bare_checkpoint("/checkpoint")
    assert is_bare_checkpoint("  /CHECKPOINT  ")
    assert is_bare_checkpoint("@-2m !/checkpoint")
    assert not is_bare_checkpoint("/checkpoint we know x")
    assert not is_bare_checkpoint("checkpoint")
    assert not is_bare_checkpoint("/checkpoints")


def test_action_full() -> None:
    event = parse(
        "/action @bob add a saturation alert on db primary due 2026-12-04 P1 "
        "done: alert fires in staging when CPU > 90% for 5 min"
    )
    assert event.data == ActionItemData(
        owner="bob",
        due=date(2026, 12, 4),
        priority=Priority.P1,
        done_when="alert fires in staging when CPU > 90% for 5 min",
    )
    assert event.text == "add a saturation alert on db primary"


@pytest.mark.parametrize(
    ("line", "text", "owner", "due", "priority"),
    [
        ("/action write runbook", "write runbook", None, None, None),
        ("/action @alice write runbook P0", "write runbook", "alice", None, Priority.P0),
        (
            "/action write runbook p2 due +3d",
            "write runbook",
            None,
            date(2026, 11, 30),
            Priority.P2,
        ),
        ("/action write runbook due tomorrow", "write runbook", None, date(2026, 11, 28), None),
        ("/action write runbook due today", "write runbook", None, date(2026, 11, 27), None),
        ("/action review items due soon", "review items due soon", None, None, None),
        ("/action fix it due 2026-1-5", "fix it", None, date(2026, 1, 5), None),
    ],
)
def test_action_forms(
    line: str, text: str, owner: str | None, due: date | None, priority: Priority | None
) -> None:
    event = parse(line)
    assert event.text == text
    assert event.data == ActionItemData(owner=owner, due=due, priority=priority)


def test_action_relative_due_uses_the_zone_date() -> None:
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # already the 28th in Berlin
    data = parse("/action x due +1d", now=late).data
    assert isinstance(data, ActionItemData)
    assert data.due == date(2026, 11, 29)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/action", "missing TEXT"),
        ("/action @bob", "missing TEXT"),
        ("/action @bob P1 due +2d", "missing TEXT"),
        ("/action @ fix", "OWNER"),
        ("/action x due 2026-13-01", "not a real date"),
        ("/action x due 12/01", "not YYYY-MM-DD"),
        ("/action x P3", "not P0, P1 or P2"),
        ("/action x done:", "done:"),
    ],
)
def test_action_errors(line: str, problem: str) -> None:
    message = error(line)
    assert problem in message
    assert "usage: /action" in message


@pytest.mark.parametrize(
    ("line", "level", "text"),
    [
        ("/escalate", None, ""),
        ("/escalate no progress in 30 min", None, "no progress in 30 min"),
        ("/escalate L3 need the db team", 3, "need the db team"),
        ("/escalate l0", 0, ""),
    ],
)
def test_escalate(line: str, level: int | None, text: str) -> None:
    event = parse(line)
    assert event.data == EscalationData(level=level)
    assert event.text == text


def test_escalate_bad_level() -> None:
    assert "not L0 to L4" in error("/escalate L5 now")


def test_fix_and_mark() -> None:
    event = parse("/fix #12 rollback started at 14:05, not 14:15")
    assert event.data == CorrectionData(target=12)
    assert event.text == "rollback started at 14:05, not 14:15"
    assert parse("/fix 3 typo").data == CorrectionData(target=3)
    assert parse("/mark #7").data == KeyMarkData(target=7)
    assert parse("/mark 7 first good signal").text == "first good signal"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/fix", "missing ID"),
        ("/fix 0 x", "not an entry ID"),
        ("/fix -3 x", "not an entry ID"),
        ("/fix twelve x", "not an entry ID"),
        ("/fix 12", "missing TEXT"),
        ("/mark", "missing ID"),
        ("/mark #", "not an entry ID"),
        ("/mark 99999999999999", "not an entry ID"),
    ],
)
def test_fix_and_mark_errors(line: str, problem: str) -> None:
    assert problem in error(line)


def test_pm() -> None:
    event = parse("/pm @carol owns the review")
    assert event.data == PostmortemOwnerData(person="carol")
    assert event.text == "owns the review"
    assert "missing NAME" in error("/pm")


# --- unknown commands and the command table ------------------------------------


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [("/chekpoint", "/checkpoint"), ("/mitigate", "/mitigated"), ("/decison x", "/decision")],
)
def test_unknown_command_suggests_the_closest(line: str, suggestion: str) -> None:
    message = error(line)
    assert message.startswith(f"unknown command {line.split()[0]}")
    assert f"did you mean {suggestion}?" in message
    assert "/help" in message


def test_unknown_command_without_suggestion() -> None:
    message = error("/zzzzzz")
    assert "unknown command /zzzzzz" in message
    assert "did you mean" not in message


def test_bare_slash() -> None:
    assert "empty command" in error("/")
    assert "empty command" in error("/ sev 1")


def test_every_listed_command_is_accepted() -> None:
    """Each COMMANDS entry parses with a sample argument; usage and help are filled in."""
    samples = {
        "sev": "1",
        "release": "ic",
        "phase": "resolved",
        "status": "monitoring all good",
        "fix": "1 text",
        "mark": "1",
        "unmark": "1",
    }
    for name, spec in COMMANDS.items():
        assert spec.name == name
        assert spec.usage.startswith(f"/{name}")
        assert spec.help.endswith(".")
        args = "alice" if spec.takes_name else samples.get(name, "some text")
        event = parse(f"/{name} {args}")
        assert event.kind is not EventKind.NOTE or name == "note"


def test_takes_name_matches_the_grammar() -> None:
    assert {n for n, s in COMMANDS.items() if s.takes_name} == {*ROLE_COMMANDS, "pm"}


# --- properties ----------------------------------------------------------------


def _garbled(case: LineCase, noise: str, where: int) -> str:
    at = where % (len(case.line) + 1)
    return case.line[:at] + noise + case.line[at:]


def test_only_parse_errors_escape() -> None:
    """Scribe lines, lines with noise inserted and random text: an event or a ParseError."""
    reach = Reach()
    lines = scribe_lines(NOW, BERLIN)
    inputs = st.one_of(
        st.text(max_size=200),
        lines.map(lambda case: case.line),
        st.builds(_garbled, lines, st.text(max_size=4), st.integers(0, 200)),
    )

    @settings(max_examples=200)
    @given(inputs)
    def check(line: str) -> None:
        reach.example()
        try:
            event = parse(line)
        except ParseError:
            return
        assert event.occurred_at <= NOW + timedelta(seconds=60)
        assert event.text == clean_text(event.text)
        reach.hit("parsed")
        if event.occurred_at != NOW:
            reach.hit("back-dated")

    check()
    reach.at_least("parsed", 0.3)
    reach.at_least("back-dated", 0.1)


def test_scribe_lines_log_what_they_say() -> None:
    """Lines built from the grammar log the event an independent model of it expects."""
    reach = Reach()

    @settings(max_examples=300)
    @given(scribe_lines(NOW, BERLIN))
    def check(case: LineCase) -> None:
        reach.example()
        if case.data is None:
            with pytest.raises(ParseError):
                parse(case.line)
            reach.hit("refused")
            return
        event = parse(case.line)
        assert event.data == case.data, case
        assert event.text == case.text, case
        assert event.occurred_at == case.occurred, case
        assert event.key is case.key, case
        assert event.author == "sam"
        reach.hit("parsed")
        reach.hit(f"/{case.command}")
        if case.backdated:
            reach.hit("back-dated")
        if case.key:
            reach.hit("key")

    check()
    reach.at_least("parsed", 0.5)
    reach.at_least("back-dated", 0.25)
    reach.at_least("key", 0.2)
    reach.at_least("refused", 0.05)
    commands = {outcome for outcome in reach.counts if outcome.startswith("/")}
    assert len(commands) >= 12, sorted(commands)  # typically 18-25 different commands


@settings(max_examples=400)
@given(st.text(max_size=300))
def test_plain_text_round_trips(line: str) -> None:
    expected = clean_text(line).strip()
    if not expected or expected[0] in "/@!":
        return
    event = parse(line)
    assert event.data == NoteData()
    assert event.text == expected
    assert event.occurred_at == NOW
    assert event.key is False


PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
    blacklist_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)


@given(st.text(PRINTABLE, min_size=1, max_size=200))
def test_printable_plain_text_is_stored_verbatim(line: str) -> None:
    """Printable text not starting with a prefix is stored exactly as typed (stripped)."""
    if not line.strip() or line.strip()[0] in "/@!":
        return
    assert parse(line).text == line.strip()


def test_unmark_takes_back_a_key_mark() -> None:
    from warroom.domain.events import KeyUnmarkData

    assert parse("/unmark #7").data == KeyUnmarkData(target=7)
    assert parse("/unmark 7 marked by mistake").text == "marked by mistake"
    with pytest.raises(ParseError, match="missing ID"):
        parse("/unmark")
