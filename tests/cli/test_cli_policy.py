"""``warroom policy set`` and the policy recorded with an incident, seen from the CLI.

Two seats with different local configs (checkpoint every 15 vs every 10 minutes) on
one SQLite file show the same clocks; ``policy set`` changes them for both and the
timeline says who changed which numbers; a record without a policy (an import of an
older export) uses the seat's policy and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Cli, assert_one_error_line

GOLDEN_WITHOUT_POLICY = Path(__file__).parents[1] / "export" / "golden" / "demo_export.json"


def _seat(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, minutes: int) -> None:
    """Switch the runner to a seat whose config sets ``checkpoint_minutes``."""
    config = tmp_path / f"seat{minutes}.toml"
    config.write_text(f"[policy]\ncheckpoint_minutes = {minutes}\n", encoding="utf-8")
    monkeypatch.setenv("WARROOM_CONFIG", str(config))


def _checkpoint_rule(cli: Cli, *incident: str) -> str:
    clocks = json.loads(cli.ok("show", *incident, "--json"))["clocks"]
    rule: str = next(c for c in clocks if c["id"] == "checkpoint")["rule"]
    return rule


def _clocks_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Clocks"))
    return [line for line in lines[start:] if "checkpoint" in line.casefold()]


def test_two_seats_show_the_clocks_of_the_recorded_policy(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seat(cli, monkeypatch, tmp_path, 15)
    cli.ok("new", "Checkout errors", "--sev", "1")
    cli.ok("log", "/ic priya")
    fifteen = _checkpoint_rule(cli)
    _seat(cli, monkeypatch, tmp_path, 10)
    assert _checkpoint_rule(cli) == fifteen and "15 min" in fifteen
    show = cli.ok("show")
    assert "every 15 min" in "\n".join(_clocks_section(show))
    assert "no policy recorded" not in show


def test_policy_set_changes_every_seat_and_says_who_changed_what(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seat(cli, monkeypatch, tmp_path, 15)
    slug = cli.ok("new", "Checkout errors", "--sev", "1").strip()
    cli.ok("log", "/ic priya")
    change = tmp_path / "change.toml"
    change.write_text("checkpoint_minutes = 10\n[severity.1]\nack_minutes = 3\n",
                      encoding="utf-8")
    written = cli.ok("policy", "set", slug, str(change), "--author", "lena")
    assert "checkpoint_minutes 15 → 10" in written and "severity.1.ack_minutes 5 → 3" in written
    assert "10 min" in _checkpoint_rule(cli)
    _seat(cli, monkeypatch, tmp_path, 15)  # the other seat's config says 15: still 10
    assert "10 min" in _checkpoint_rule(cli)
    timeline = cli.ok("export", slug, "--format", "md")
    line = next(row for row in timeline.splitlines() if "checkpoint_minutes" in row)
    assert "policy" in line and "lena" in line and "15 → 10" in line
    # The same file again changes nothing: refused, nothing written.
    events = json.loads(cli.ok("show", "--json"))["state"]["event_count"]
    line = assert_one_error_line(cli("policy", "set", str(change)), 1)
    assert "changes nothing" in line
    assert json.loads(cli.ok("show", "--json"))["state"]["event_count"] == events


def test_policy_set_checks_the_bounds_and_writes_nothing_on_error(
    cli: Cli, tmp_path: Path
) -> None:
    cli.ok("new", "Checkout errors", "--sev", "1")
    bad = tmp_path / "bad.toml"
    bad.write_text("checkpoint_minutes = 0\n", encoding="utf-8")
    line = assert_one_error_line(cli("policy", "set", str(bad)), 1)
    assert "checkpoint_minutes" in line and str(bad) in line
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("checkpoint_minute = 5\n", encoding="utf-8")
    assert "unknown key" in assert_one_error_line(cli("policy", "set", str(unknown)), 1)
    assert "does not exist" in assert_one_error_line(
        cli("policy", "set", str(tmp_path / "missing.toml")), 1)
    assert json.loads(cli.ok("show", "--json"))["state"]["event_count"] == 1


def test_a_record_without_a_policy_uses_the_seats_and_says_so(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slug = cli.ok("import", str(GOLDEN_WITHOUT_POLICY)).strip()
    _seat(cli, monkeypatch, tmp_path, 10)
    shown = json.loads(cli.ok("show", slug, "--json"))
    assert shown["policy_recorded"] is False and shown["state"]["policy"] is None
    assert "Clocks (seat policy: no policy recorded)" in cli.ok("show", slug)
    change = tmp_path / "change.toml"
    change.write_text("checkpoint_minutes = 20\n", encoding="utf-8")
    assert "checkpoint_minutes 10 → 20" in cli.ok("policy", "set", slug, str(change))
    assert json.loads(cli.ok("show", slug, "--json"))["policy_recorded"] is True
    _seat(cli, monkeypatch, tmp_path, 15)
    assert "every 20 min" in _checkpoint_rule(cli, slug)


def test_an_empty_file_records_the_seats_policy_on_an_old_record(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slug = cli.ok("import", str(GOLDEN_WITHOUT_POLICY)).strip()
    _seat(cli, monkeypatch, tmp_path, 10)
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert "policy recorded; no number changed" in cli.ok("policy", "set", slug, str(empty))
    _seat(cli, monkeypatch, tmp_path, 15)
    assert "every 10 min" in _checkpoint_rule(cli, slug)
    assert "changes nothing" in assert_one_error_line(cli("policy", "set", slug, str(empty)), 1)


def test_the_policy_travels_with_the_export(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seat(cli, monkeypatch, tmp_path, 15)
    slug = cli.ok("new", "Checkout errors", "--sev", "1", "--at", "-10m").strip()
    change = tmp_path / "change.toml"
    change.write_text("checkpoint_minutes = 10\n", encoding="utf-8")
    cli.ok("policy", "set", str(change))
    cli.ok("log", "/resolved")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    cli.ok("export", slug, "--format", "json", "-o", str(first))
    document = json.loads(first.read_text(encoding="utf-8"))
    assert [e["data"]["kind"] for e in document["events"]][:2] == ["declared", "policy_set"]
    assert document["state"]["policy"]["checkpoint_minutes"] == 10
    other_db = tmp_path / "other.db"
    _seat(cli, monkeypatch, tmp_path, 20)  # a seat with other rules imports it
    assert cli.ok("import", str(first), "--db", str(other_db)).strip() == slug
    cli.ok("export", slug, "--format", "json", "-o", str(second), "--db", str(other_db))
    assert first.read_bytes() == second.read_bytes()
