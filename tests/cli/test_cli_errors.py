"""The error contract: one line on stderr, exit 2 for usage, 1 otherwise, never a traceback."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli, assert_one_error_line
from warroom import cli as cli_module


def test_unknown_command_is_a_usage_error(cli: Cli) -> None:
    line = assert_one_error_line(cli("frobnicate"), 2)
    assert "frobnicate" in line


def test_missing_argument_is_a_usage_error(cli: Cli) -> None:
    assert_one_error_line(cli("new"), 2)
    assert_one_error_line(cli("export", "--format", "pdf"), 2)


def test_help_and_version_exit_zero(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--help").code == 0
    assert "log" in capsys.readouterr().out
    assert cli("--version").code == 0


def test_an_unexpected_bug_is_one_line_too(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setitem(cli_module.COMMANDS, "list", boom)
    line = assert_one_error_line(cli("list"), 1)
    assert "internal error" in line and "kaboom" in line


def test_ctrl_c_exits_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(ctx: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli_module.COMMANDS, "list", interrupted)
    assert cli("list").code == 130


def test_not_a_database(cli: Cli) -> None:
    cli.db.write_bytes(b"this is not sqlite at all, just text\n" * 40)
    before = cli.db.read_bytes()
    assert_one_error_line(cli("log", "note"), 1)
    assert_one_error_line(cli("new", "x"), 1)
    assert cli.db.read_bytes() == before


def test_error_output_is_sanitised(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    result = cli("show", "\x1b]0;pwned\x07nope")
    line = assert_one_error_line(result, 1)
    assert "\x1b" not in result.err and "\x07" not in line


def test_subprocess_error_contract(cli: Cli) -> None:
    assert cli.run("new", "Checkout errors", "--sev", "2").code == 0
    result = cli.run("log", "/nosuch thing")
    assert_one_error_line(result, 2)
    result = cli.run("log", "/fix 99 text")
    assert_one_error_line(result, 1)
    result = cli.run("log", "--at", "not-a-time", "note")
    assert_one_error_line(result, 2)
    ok = cli.run("log", "/ic priya")
    assert ok.code == 0 and ok.out.startswith("#2") and ok.err == ""
    listed = cli.run("list")
    assert listed.code == 0 and "Checkout errors" in listed.out


def test_log_does_not_import_textual(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    probe = (
        "import sys\nfrom warroom.cli import main\n"
        "code = main(['log', 'note'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "raise SystemExit(code)\n"
    )
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, **cli.env}, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_every_error_of_ours_derives_from_one_root_that_carries_its_exit_code() -> None:
    from warroom.cli.errors import CommandError, UsageError
    from warroom.domain.parser import ParseError
    from warroom.errors import WarroomError
    from warroom.service import EntryError, SessionError
    from warroom.store.errors import IncidentNotFoundError, StoreError

    codes = {UsageError: 2, ParseError: 2, EntryError: 1, CommandError: 1, StoreError: 1,
             IncidentNotFoundError: 1, SessionError: 1}
    for kind, code in codes.items():
        error = kind("one line")
        assert isinstance(error, WarroomError) and error.exit_code == code, kind
        assert str(error) == "one line"
    assert isinstance(ParseError("x"), ValueError)  # still caught where a ValueError is
    assert WarroomError("x", exit_code=3).exit_code == 3 and WarroomError("x").exit_code == 1


@pytest.mark.parametrize("code", [1, 2, 3])
def test_the_exit_code_comes_from_the_error(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    from warroom.errors import WarroomError

    def refuse(ctx: object) -> int:
        raise WarroomError(f"refused with {code}", exit_code=code)

    monkeypatch.setitem(cli_module.COMMANDS, "list", refuse)
    line = assert_one_error_line(cli("list"), code)
    assert line.endswith(f"refused with {code}") and "internal" not in line


def test_an_entry_that_parses_but_cannot_apply_exits_1_one_that_does_not_parse_2(
    cli: Cli,
) -> None:
    cli.ok("new", "Checkout errors")
    assert "no entry #99" in assert_one_error_line(cli("log", "/fix 99 typo"), 1)
    assert_one_error_line(cli("log", "/sev 9"), 2)
