"""``warroom new`` and ``warroom log``: what gets written and what gets printed."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from tests.cli.conftest import Cli, assert_one_error_line
from warroom.domain.events import EventKind, Severity
from warroom.domain.timesource import FrozenTime
from warroom.store import Store


def _events(cli: Cli, ref: str | None = None):
    store = Store.open(cli.db, clock=FrozenTime(datetime.now(UTC)))
    try:
        record = store.incident(ref) if ref else next(iter(store.incidents()))
        return list(store.events(record.id))
    finally:
        store.close()


def test_new_prints_the_slug_and_declares(cli: Cli) -> None:
    slug = cli.ok("new", "Checkout errors", "--sev", "2", "--service", "checkout-api",
                  "--service", "payments").strip()
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug)
    (declared,) = _events(cli, slug)
    assert declared.kind == EventKind.DECLARED
    assert declared.data.severity == Severity.SEV2
    assert declared.data.services == ("checkout-api", "payments")
    assert declared.author == "tester"


def test_new_unclassified_and_backdated(cli: Cli) -> None:
    before = datetime.now(UTC)
    slug = cli.ok("new", "Search slow", "--at", "-20m").strip()
    (declared,) = _events(cli, slug)
    assert declared.data.severity is None
    expected = before - timedelta(minutes=20)
    assert abs(declared.occurred_at - expected) < timedelta(seconds=5)


def test_new_rejects_a_bad_severity(cli: Cli) -> None:
    line = assert_one_error_line(cli("new", "x", "--sev", "5"), 2)
    assert "severity" in line
    assert not cli.db.exists()


def test_log_prints_the_stored_entry(cli: Cli) -> None:
    cli.ok("new", "Checkout errors", "--sev", "2")
    out = cli.ok("log", "/ic priya")
    assert re.match(r"#2\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\s+role_assigned\s+tester: "
                    r"Incident Commander: priya", out)
    assert _events(cli)[-1].data.person == "priya"


def test_log_with_incident_argument_and_option(cli: Cli) -> None:
    a = cli.ok("new", "First").strip()
    b = cli.ok("new", "Second").strip()
    cli.ok("log", a, "note for a")
    cli.ok("log", "-i", b, "note", "for", "b")
    assert _events(cli, a)[-1].text == "note for a"
    assert _events(cli, b)[-1].text == "note for b"


def test_log_json_and_author(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    out = cli.ok("log", "!/decision roll back", "--author", "marcus", "--json")
    data = json.loads(out)
    assert data["id"] == 2 and data["author"] == "marcus" and data["key"] is True
    assert data["data"]["kind"] == "decision"


def test_new_service_option_takes_commas_as_the_console_dialog_does(cli: Cli) -> None:
    """``--service checkout,payments`` is two services, not one named "checkout,payments"."""
    cli.ok("new", "Checkout errors",
           "--service", "checkout, payments", "--service", "Card Payments")
    assert _events(cli)[0].data.services == ("checkout", "payments", "Card Payments")


def test_log_with_only_an_incident_slug_is_refused_not_logged_as_a_note(cli: Cli) -> None:
    """``warroom log api-down`` (the text forgotten) must not log the slug as a note."""
    slug = cli.ok("new", "API down", "--slug", "api-down").strip()
    line = assert_one_error_line(cli("log", slug), 2)
    assert line == (
        "warroom: error: 'api-down' is an incident, not an entry: give the text too "
        "(warroom log api-down \"TEXT\"); to log the word itself, write /note api-down"
    )
    assert len(_events(cli)) == 1
    cli.ok("log", "/note api-down")
    cli.ok("log", "api-down is back")
    assert [e.text for e in _events(cli)[1:]] == ["api-down", "api-down is back"]


def test_an_empty_author_option_is_refused_not_replaced(cli: Cli) -> None:
    """``--author "$UNSET"`` must not write the entry as someone else (the env's author)."""
    cli.ok("new", "Checkout errors")
    for blank in ("", "   "):
        line = assert_one_error_line(cli("log", "--author", blank, "hello"), 1)
        assert line == (
            "warroom: error: --author is empty (is a shell variable unset?); give a name"
        )
    assert len(_events(cli)) == 1


def test_log_backdated_with_at_sign_and_with_at_option(cli: Cli) -> None:
    cli.ok("new", "Checkout errors", "--at", "-1h")
    now = datetime.now(UTC)
    cli.ok("log", "@-30m /started")
    cli.ok("log", "/detected alert", "--at", "-25m")
    iso = (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cli.ok("log", f"@{iso} /ack")
    started, detected, acked = _events(cli)[1:]
    for event, minutes in ((started, 30), (detected, 25), (acked, 20)):
        assert abs(event.occurred_at - (now - timedelta(minutes=minutes))) < timedelta(seconds=5)
    assert acked.recorded_at > acked.occurred_at


def test_log_unknown_command_is_an_error_and_writes_nothing(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    line = assert_one_error_line(cli("log", "/sevv 1 oops"), 2)
    assert "unknown command /sevv" in line
    assert len(_events(cli)) == 1


def test_log_fix_of_a_missing_entry_is_an_error(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    line = assert_one_error_line(cli("log", "/fix 7 better"), 1)
    assert "no entry #7" in line
    assert len(_events(cli)) == 1


def test_log_bad_at_is_a_usage_error(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    line = assert_one_error_line(cli("log", "note", "--at", "yesterday-ish"), 2)
    assert "--at" in line
    assert_one_error_line(cli("log", "@25:99 note"), 2)
    assert len(_events(cli)) == 1


def test_log_in_the_future_is_refused(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    assert_one_error_line(cli("log", "note", "--at", "+2h"), 2)
    assert len(_events(cli)) == 1


def test_log_unknown_incident(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    line = assert_one_error_line(cli("log", "no-such-incident", "note"), 1)
    assert "no-such-incident" in line
    assert_one_error_line(cli("log", "-i", "99", "note"), 1)


def test_log_with_several_open_incidents_lists_them(cli: Cli) -> None:
    a = cli.ok("new", "Checkout errors").strip()
    b = cli.ok("new", "Search slow").strip()
    line = assert_one_error_line(cli("log", "which one?"), 1)
    assert a in line and b in line
    cli.ok("log", b, "/resolved")
    cli.ok("log", "now it is clear")
    assert _events(cli, a)[-1].text == "now it is clear"


def test_log_without_a_database(cli: Cli) -> None:
    line = assert_one_error_line(cli("log", "note"), 1)
    assert "no database" in line
    assert not cli.db.exists()


def test_log_too_many_words_asks_for_quotes(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    line = assert_one_error_line(cli("log", "the", "pool", "is", "full"), 2)
    assert "quote" in line


def test_log_strips_terminal_controls(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    out = cli.ok("log", "pool \x1b]52;c;ZXZpbA==\x07full \x1b[31mred")
    assert "\x1b" not in out
    assert _events(cli)[-1].text == "pool full red"


def test_an_unknown_slug_names_the_incident_it_may_mean(cli: Cli) -> None:
    """Slugs carry the date: ``checkout-500s`` points at ``2026-…-checkout-500s``."""
    slug = cli.ok("new", "Checkout 500s").strip()
    cli.ok("new", "Search stale")
    line = assert_one_error_line(cli("log", "checkout-500s", "retrying"), 1)
    assert line == (
        f"warroom: error: no incident with slug 'checkout-500s' (did you mean {slug}?)"
    )
    line = assert_one_error_line(cli("show", "nothing-like-it"), 1)
    assert line == "warroom: error: no incident with slug 'nothing-like-it'"
    assert len(_events(cli, slug)) == 1
