"""``warroom list`` and ``warroom show``: open incidents first, state, roles, clocks."""

from __future__ import annotations

import io
import json
import os
from datetime import datetime, timedelta

import pytest

from tests.cli.conftest import Cli, assert_one_error_line


def test_list_empty_database_needs_one(cli: Cli) -> None:
    assert "no database" in assert_one_error_line(cli("list"), 1)


def test_list_shows_open_incidents_first(cli: Cli) -> None:
    old = cli.ok("new", "Old resolved outage", "--sev", "3", "--at", "-2h").strip()
    cli.ok("log", old, "/resolved")
    new = cli.ok("new", "Checkout errors", "--sev", "1").strip()
    text = cli.ok("list")
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["ID", "SLUG", "SEVERITY", "PHASE"]
    assert new in lines[1] and "SEV1" in lines[1]
    assert old in lines[2] and "resolved" in lines[2]

    rows = json.loads(cli.ok("list", "--json"))
    assert [r["slug"] for r in rows] == [new, old]
    assert rows[0]["open"] is True and rows[1]["open"] is False
    assert rows[0]["severity"] == 1 and rows[0]["phase"] == "triaged"
    assert rows[0]["most_urgent_clock"]["remaining_seconds"] is not None


def test_show_state_roles_and_clocks(cli: Cli) -> None:
    cli.ok("new", "Checkout errors", "--sev", "2", "--service", "checkout-api", "--at", "-3m")
    cli.ok("log", "/ic priya")
    cli.ok("log", "/tech tomas")
    text = cli.ok("show")
    assert "Checkout errors" in text
    assert "severity SEV2" in text and "phase responding" in text
    assert "services: checkout-api" in text
    assert "Incident Commander   priya" in text
    assert "Communications Lead  MISSING" in text
    assert "Clocks" in text
    assert "running" in text or "due soon" in text or "OVERDUE" in text


def test_show_json_has_state_and_remaining(cli: Cli) -> None:
    slug = cli.ok("new", "Checkout errors", "--at", "-12m").strip()
    data = json.loads(cli.ok("show", slug, "--json"))
    assert data["incident"]["slug"] == slug
    assert data["effective_severity"]["label"] == "SEV2 (default)"
    assert data["state"]["title"] == "Checkout errors"
    ids = {c["id"] for c in data["clocks"]}
    assert {"ack", "roles", "checkpoint", "status_update"} <= ids
    active = [c for c in data["clocks"] if c["state"] in ("running", "due_soon", "overdue")]
    assert active and all(isinstance(c["remaining_seconds"], float) for c in active)


def test_show_corrected_text_and_hand_off(cli: Cli) -> None:
    cli.ok("new", "Checkout errors", "--sev", "1")
    cli.ok("log", "/ic priya")
    cli.ok("log", "/ic marcus")
    text = cli.ok("show")
    assert "hand-off: Incident Commander priya → marcus" in text


def test_show_unknown_incident(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    assert "nope" in assert_one_error_line(cli("show", "nope"), 1)


def test_list_shows_the_back_dated_declaration_time(cli: Cli) -> None:
    slug = cli.ok("new", "Late declared outage", "--sev", "2", "--at", "-58m").strip()
    rows = json.loads(cli.ok("list", "--json"))
    row = next(r for r in rows if r["slug"] == slug)
    declared = datetime.fromisoformat(row["declared_at"])
    created = datetime.fromisoformat(row["created_at"])
    assert timedelta(minutes=57) < created - declared < timedelta(minutes=59)
    table_row = next(line for line in cli.ok("list").splitlines() if slug in line)
    assert f"{declared.astimezone():%H:%M} " in table_row


def test_show_and_the_roster_agree_on_roles_of_an_unclassified_incident(cli: Cli) -> None:
    """One rule, one answer: the console's roster and ``show`` name the same required roles."""
    from warroom.domain.clocks import clocks, effective_severity
    from warroom.domain.jsonable import from_jsonable
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.domain.state import IncidentState
    from warroom.tui.messages import IncidentView
    from warroom.tui.panes.roster.pane import role_lines

    cli.ok("new", "Checkout errors", "--at", "-1m")
    text = cli.ok("show")
    shown = {
        line.split("(")[-1].rstrip(")")
        for line in text.splitlines()
        if line.startswith("  Incident Commander")
    }
    assert shown == {"required"}, text
    assert "Communications Lead  MISSING" in text

    data = json.loads(cli.ok("show", "--json"))
    state = from_jsonable(IncidentState, data["state"])
    now = datetime.fromisoformat(data["now"])
    view = IncidentView(
        state=state,
        clocks=clocks(state, DEFAULT_POLICY, now),
        now=now,
        severity=effective_severity(state, DEFAULT_POLICY, now),
        policy=DEFAULT_POLICY,
        tz=state.declared_at.tzinfo if state.declared_at else None,  # type: ignore[arg-type]
        record_title=state.title,
    )
    console = {line.role.label: line.requirement for line in role_lines(view)}
    for label, need in console.items():
        row = next(line for line in text.splitlines() if line.startswith(f"  {label}"))
        assert row.endswith(f"({need})"), (row, need)


def test_list_orders_as_the_console_does_and_writes_overdue_in_words(cli: Cli) -> None:
    """One ordering (unclassified ranks as SEV2, never below SEV4) and one duration style."""
    resolved = cli.ok("new", "Old outage", "--sev", "1", "--at", "-3h").strip()
    cli.ok("log", resolved, "/resolved")
    minor = cli.ok("new", "Minor glitch", "--sev", "4", "--at", "-30s").strip()
    slow = cli.ok("new", "Search slow", "--sev", "3", "--at", "-50m").strip()
    payments = cli.ok("new", "Payments down", "--sev", "2", "--at", "-30m").strip()
    checkout = cli.ok("new", "Checkout errors", "--at", "-1m").strip()
    rows = json.loads(cli.ok("list", "--json"))
    assert [r["slug"] for r in rows] == [checkout, payments, slow, minor, resolved]
    texts = {r["slug"]: (r["most_urgent_clock"] or {}).get("remaining_text") for r in rows}
    assert texts[payments] is not None and texts[payments].endswith(" overdue")
    assert not any(text and text.startswith("-") for text in texts.values()), texts
    assert texts[slow] == "due now"  # SEV3's optional status update: a reminder


class _Terminal(io.StringIO):
    """Standard output as a terminal."""

    def isatty(self) -> bool:
        return True


def test_show_wraps_clock_lines_to_the_terminal_and_keeps_them_whole_when_piped(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warroom.cli.entry import main

    cli.ok("new", "Checkout errors", "--at", "-3m")  # unclassified: long clock rules
    piped = cli.ok("show")
    block = piped.split("\nClocks\n", 1)[1]
    long = [line for line in block.splitlines() if len(line) > 80 and ": " in line]
    assert long, "the rules are longer than 80 columns when piped (one line per clock)"
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: os.terminal_size((80, 24)))
    out, err = _Terminal(), io.StringIO()
    assert main(["show"], out=out, err=err) == 0
    shown = out.getvalue()
    wrapped = shown.split("\nClocks\n", 1)[1].splitlines()
    assert max(len(line) for line in wrapped) <= 80
    continuation = [line for line in wrapped if line.startswith(" " * 25) and line.strip()
                    and not line.strip().startswith("→")]
    assert continuation, wrapped
    assert " ".join(" ".join(wrapped).split()) == " ".join(" ".join(block.splitlines()).split())


def _on_terminal(monkeypatch: pytest.MonkeyPatch, *argv: str, columns: int = 80) -> str:
    """What ``warroom *argv`` prints on a terminal ``columns`` wide."""
    from warroom.cli.entry import main

    monkeypatch.setattr("shutil.get_terminal_size",
                        lambda *a, **k: os.terminal_size((columns, 24)))
    out, err = _Terminal(), io.StringIO()
    assert main(list(argv), out=out, err=err) == 0, err.getvalue()
    return out.getvalue()


def _words(text: str) -> list[str]:
    return text.split()


def test_show_fits_every_line_to_an_80_column_terminal_and_keeps_items_whole_when_piped(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heading (severity, phase, declared … ago), a long title and status update fit."""
    title = "Search latency p99 above 2s for EU customers after the nightly index rebuild"
    cli.ok("new", title, "--at", "-3m", "--service", "search-api", "--service", "indexer")
    update = ("Some customers in Europe see slow search results since 14:00 UTC. We are "
              "rebuilding the affected index and will post the next update within 30 minutes.")
    cli.ok("log", f"/status investigating {update}")
    piped = cli.ok("show")
    heading = next(line for line in piped.splitlines() if line.startswith("  severity "))
    assert "phase" in heading and "declared" in heading and " ago)" in heading
    assert len(heading) > 80  # one line when piped
    assert f"  {update}" in piped.splitlines()
    shown = _on_terminal(monkeypatch, "show")
    too_long = [line for line in shown.splitlines() if len(line) > 80]
    assert not too_long, too_long
    assert _words(shown) == _words(piped)  # the same words, only laid out
    lines = shown.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  severity "))
    assert lines[at].endswith("   phase detected")  # the fields that fit, then the next line
    assert lines[at + 1].startswith("  declared ") and lines[at + 1].endswith(" ago)")
    assert any(line.startswith("  Some customers in Europe") for line in lines)


def test_demo_print_fits_an_80_column_terminal(cli: Cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _on_terminal(monkeypatch, "demo", "--print")
    too_long = [line for line in shown.splitlines() if len(line) > 80]
    assert not too_long, too_long


def test_list_fits_a_terminal_without_the_slug_and_keeps_every_column_when_piped(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "Search latency p99 above 2s for EU customers after the nightly index rebuild"
    cli.ok("new", long, "--sev", "2", "--at", "-3h")
    cli.ok("new", "Login failures on mobile app", "--at", "-20m")
    piped = cli.ok("list").splitlines()
    assert piped[0].split() == ["ID", "SLUG", "SEVERITY", "PHASE", "DECLARED", "NEXT", "DUE",
                                "TITLE"]
    assert len(piped) == 3 and max(len(line) for line in piped) > 120
    for columns in (80, 120, 200):
        shown = _on_terminal(monkeypatch, "list", columns=columns).splitlines()
        assert max(len(line) for line in shown) <= columns, (columns, shown)
        assert "SLUG" not in shown[0] and "search-latency" not in "\n".join(shown)
        assert "Login failures on mobile app" in "\n".join(shown)
    narrow = _on_terminal(monkeypatch, "list", columns=80).splitlines()
    assert "TITLE" not in narrow[0]  # the titles go under their rows, whole
    assert len(narrow) == 5 and narrow[1][0].isdigit() and narrow[3][0].isdigit()
    assert narrow[2].startswith("    ") and narrow[4].startswith("    ")
    assert {narrow[2].strip(), narrow[4].strip()} == {long, "Login failures on mobile app"}
    medium = _on_terminal(monkeypatch, "list", columns=120).splitlines()
    assert medium[0].rstrip().endswith("TITLE") and len(medium) == 3
    assert any(line.endswith("…") and line.split("  ")[-1].startswith("Search latency")
               for line in medium)


def test_log_wraps_a_long_entry_on_a_terminal_and_prints_one_line_piped(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("new", "Checkout errors", "--at", "-3m")
    text = ("Rebuilt the search index on the eu-west cluster and rolled the query tier; "
            "p99 back under 800ms on the canary hosts")
    piped = cli.ok("log", text)
    assert piped.count("\n") == 1 and piped.rstrip().endswith(text)
    shown = _on_terminal(monkeypatch, "log", "a second long entry: " + text)
    lines = shown.splitlines()
    assert len(lines) > 1 and max(len(line) for line in lines) <= 80
    assert all(line.startswith("    ") for line in lines[1:])
    assert " ".join(shown.split()).endswith("a second long entry: " + " ".join(text.split()))

def test_show_folds_a_long_link_and_counts_wide_characters_in_cells() -> None:
    from rich.cells import cell_len

    from warroom.cli.fit import hang

    url = ("https://runbooks.example.com/payments/checkout-processor-latency?section="
           "escalation&region=eu-west-1&pool=checkout&from=now-6h&to=now&panel=42&x=12345")
    assert len(url) == 150
    head = f"  {'OVERDUE':<11} {'-3m 02s':>9}  "
    lines = hang(f"{head}→ page the owner, see {url} now", 80, len(head))
    assert lines[0] == f"{head}→ page the owner, see"
    assert all(cell_len(line) <= 80 for line in lines)
    assert all(line.startswith(" " * len(head)) for line in lines[1:]), "hanging indent"
    assert "".join(line[len(head):] for line in lines[1:]) == f"{url} now", "every character"
    rule = "エスカレーション: 十五分以内に二次対応チームへ連絡する。" * 3
    wide = hang(f"{head}{rule}", 60, len(head))
    assert len(wide) > 2 and all(cell_len(line) <= 60 for line in wide), "cells, not characters"
    shown = "".join(line[len(head):] for line in wide)
    assert shown.replace(" ", "") == rule.replace(" ", ""), "nothing lost"
