"""Options go anywhere on the command line, also between positional arguments."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_one_error_line
from warroom.domain.timesource import FrozenTime
from warroom.store import Store


def _events(cli: Cli, ref: str):
    store = Store.open(cli.db, clock=FrozenTime(datetime.now(UTC)))
    try:
        return list(store.events(store.incident(ref).id))
    finally:
        store.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("log", "1", "--at", "-5m", "pool exhausted"),
        ("log", "--at", "-5m", "1", "pool exhausted"),
        ("log", "1", "pool exhausted", "--at", "-5m"),
        ("log", "1", "--at=-5m", "pool exhausted"),
        ("log", "1", "--author", "marcus", "--at", "-5m", "pool exhausted"),
    ],
)
def test_log_options_between_incident_and_text(cli: Cli, argv: tuple[str, ...]) -> None:
    slug = cli.ok("new", "Checkout errors", "--at", "-1h").strip()
    now = datetime.now(UTC)
    out = cli.ok(*argv)
    assert "pool exhausted" in out
    event = _events(cli, slug)[-1]
    assert event.text == "pool exhausted"
    assert abs(event.occurred_at - (now - timedelta(minutes=5))) < timedelta(seconds=5)


def test_log_json_between_incident_and_text(cli: Cli) -> None:
    slug = cli.ok("new", "Checkout errors").strip()
    data = json.loads(cli.ok("log", slug, "--json", "/decision roll back"))
    assert data["data"]["kind"] == "decision" and data["text"] == "roll back"


def test_log_backdating_a_role_with_the_option_in_the_middle(cli: Cli) -> None:
    cli.ok("new", "First", "--at", "-1h")
    slug = cli.ok("new", "Second", "--at", "-1h").strip()
    cli.ok("log", slug, "--at", "-30m", "--author", "priya", "/ic priya")
    event = _events(cli, slug)[-1]
    assert event.author == "priya" and event.data.person == "priya"


def test_intermixed_parsing_still_rejects_unknown_options_and_extra_words(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    assert "unrecognized arguments" in assert_one_error_line(
        cli("log", "1", "--nope", "text"), 2
    )
    assert "quote" in assert_one_error_line(cli("log", "1", "--at", "-5m", "a", "b"), 2)
    assert "expected one argument" in assert_one_error_line(cli("log", "1", "text", "--at"), 2)


def test_options_between_arguments_for_every_command(cli: Cli, tmp_path: Path) -> None:
    db = str(cli.db)
    slug = cli.ok("new", "--sev", "2", "Checkout errors", "--at", "-1h", "--service", "api").strip()
    assert slug == "checkout-errors" or slug.endswith("checkout-errors")
    cli.ok("log", slug, "--db", db, "/resolved")
    shown = json.loads(cli.ok("show", "--json", slug, "--db", db))
    assert shown["incident"]["slug"] == slug
    target = tmp_path / "out.json"
    cli.ok("export", "--format", "json", slug, "-o", str(target), "--as-of", "-1m")
    renamed = json.loads(target.read_text(encoding="utf-8"))
    renamed["incident"]["slug"] = "copy"
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(renamed), encoding="utf-8")
    assert cli.ok("import", "--db", db, str(copy), "--author", "tester").strip() == "copy"
    assert json.loads(cli.ok("list", "--db", db, "--json"))
