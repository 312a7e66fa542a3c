"""``warroom runbook lint`` and ``runbook new``: good, bad and hostile files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.cli.conftest import Cli
from warroom.report.runbook import MAX_BYTES, lint_text, skeleton

TODAY = datetime.now(UTC).date()

GOOD = f"""# HighErrorRate - checkout Runbook

Owner: payments-sre

Last updated: {TODAY.isoformat()}

## Symptom

`rate(http_requests_total{{code=~"5.."}}[5m]) > 0.05` for 5 minutes.

## Impact

Customers cannot pay.

## Investigation steps

1. Check the checkout dashboard: normal is < 1 % errors.

## Mitigation steps

1. Roll back the last deploy.

## Escalation

Page the payments on-call after 15 minutes.

## Context

- [Dashboard](https://grafana.example.com/d/checkout)
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_good_runbook_passes(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "good.md", GOOD)
    result = cli("runbook", "lint", str(path))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_a_bad_runbook_is_one_line_per_problem(cli: Cli, tmp_path: Path) -> None:
    bad = (GOOD.replace("# HighErrorRate - checkout Runbook", "# Checkout stuff")
           .replace("## Impact\n\nCustomers cannot pay.\n", "## Impact\n\n")
           .replace("Owner: payments-sre\n", "")
           .replace(f"Last updated: {TODAY.isoformat()}", "Last updated: 2020-01-01")
           .replace("after 15 minutes", "when in doubt")
           .replace("## Context\n\n- [Dashboard](https://grafana.example.com/d/checkout)\n",
                    "## Context\n\nask around\n")
           .replace("## Mitigation steps", "## Mitigation"))
    path = _write(tmp_path, "bad.md", bad)
    result = cli("runbook", "lint", str(path))
    assert result.code == 1
    lines = result.out.splitlines()
    lines_by_problem = {line.split(": ", 1)[1]: line.split(": ", 1)[0] for line in lines}
    def at(heading: str) -> str:
        return f"{path}:{bad.splitlines().index(heading) + 1}"

    expected = {
        "title 'Checkout stuff' is not of the form 'ALERT - SERVICE Runbook'": f"{path}:1",
        "section 'Impact' is empty": at("## Impact"),
        "escalation does not say after how many minutes (e.g. 'after 15 minutes')":
            at("## Escalation"),
        "context has no link": at("## Context"),
        "missing section 'Mitigation steps'": at("## Context"),  # after the last section
        "no 'Owner: NAME' line": f"{path}:1",
    }
    for problem, where in expected.items():
        assert lines_by_problem.get(problem) == where, (problem, lines)
    stale = [line for line in lines if "stale: last updated 2020-01-01" in line]
    assert len(stale) == 1 and stale[0].startswith(at("Last updated: 2020-01-01") + ": ")
    assert len(lines) == len(expected) + 1


def test_hostile_files(cli: Cli, tmp_path: Path) -> None:
    markup = _write(tmp_path, "markup.md",
                    "# [bold red]x[/] - \x1b]0;pwned\x07svc Runbook\n\n<script>alert(1)</script>\n"
                    "## \x1b[31mSymptom\n\n| a | b |\n|---|---|\n| `x` | [y](javascript:z) |\n")
    huge = _write(tmp_path, "huge.md", "# A - B Runbook\n" + "x" * (MAX_BYTES + 10))
    binary = _write(tmp_path, "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = _write(tmp_path, "latin1.md", "# Caf\u00e9 - x Runbook\n".encode("latin-1"))
    missing = tmp_path / "missing.md"
    result = cli("runbook", "lint", str(markup), str(huge), str(binary), str(latin1),
                 str(missing), str(tmp_path))
    assert result.code == 1 and result.err == ""
    assert "\x1b" not in result.out and "\x07" not in result.out
    lines = result.out.splitlines()
    assert f"{huge}:0: too large for a runbook ({MAX_BYTES + 26:,} bytes; at most " \
        f"{MAX_BYTES:,})" in lines
    assert f"{binary}:0: not a text file (binary)" in lines
    assert f"{latin1}:1: not UTF-8 text" in lines
    assert any(line.startswith(f"{missing}:0: cannot read: ") for line in lines)
    assert f"{tmp_path}:0: is a directory, not a runbook file" in lines
    assert sum(line.startswith(f"{markup}:") for line in lines) >= 5


def test_new_writes_a_skeleton_that_passes_once_filled(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rb.md"
    cli.ok("runbook", "new", "DiskFull - search Runbook", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    unfilled = cli("runbook", "lint", str(out))
    assert unfilled.code == 1
    assert all("TODO" in line or "owner is not named" in line for line in unfilled.out.splitlines())
    filled = "\n".join(
        line.replace("TODO (a team or a person)", "search-sre").replace("TODO: ", "")
        .replace("- TODO: links", "- links")
        for line in text.splitlines()
    ) + "\n"
    out.write_text(filled, encoding="utf-8")
    assert cli("runbook", "lint", str(out)).code == 0
    again = cli("runbook", "new", "DiskFull - search Runbook", "-o", str(out))
    assert again.code == 1 and len(again.err_lines) == 1  # never overwrites silently
    wrong = cli("runbook", "new", "just a title")
    assert wrong.code == 2 and "ALERT - SERVICE Runbook" in wrong.err


def test_skeleton_lints_only_its_todos() -> None:
    problems = lint_text(skeleton("A - B Runbook", TODAY), today=TODAY, stale_days=90)
    assert {p.text for p in problems} == {"TODO left in the runbook", "the owner is not named"}
