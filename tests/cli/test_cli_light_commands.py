"""``warroom log``, ``show`` and ``list`` load what they use, and no other command group.

Scripts and hooks run ``warroom log`` once per entry, so each run's imports are its
cost. The parser leaves out the command groups other modules register (``report``,
``alerts``, ``sync``, ``db``, ``policy``) when the command is one of its own, and no
command loads the console, the exporters or the alert server unless it is theirs.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.conftest import Cli
from warroom.cli.parser import OWN_COMMANDS, build_parser, command_word

#: Never loaded by ``log``, ``show`` or ``list`` on SQLite.
HEAVY = ("textual", "rich", "markdown_it", "aiohttp", "psycopg", "warroom.tui",
         "warroom.export.markdown", "warroom.export.json_export", "warroom.report",
         "warroom.alerts", "warroom.outbox", "warroom.cli.console", "warroom.cli.files",
         "warroom.cli.db", "warroom.cli.policy")
#: ``show`` says whether a post-mortem is required: the rule's inputs come from here.
ALLOWED = ("warroom.report", "warroom.report.source")

_PROBE = (
    "import json, sys\n"
    "from warroom.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps([code, sorted(sys.modules)]), file=sys.stderr)\n"
)


def _loaded(cli: Cli, *argv: str) -> list[str]:
    env = {**cli.env, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True,
                          text=True, env=env, timeout=60, check=False)
    code, modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert code == 0, proc.stderr
    return list(modules)


@pytest.mark.parametrize("argv", [("log", "checkout still down"), ("show",), ("list",),
                                  ("log", "--json", "a note"), ("list", "--json")])
def test_log_show_and_list_load_no_other_command_group(cli: Cli, argv: tuple[str, ...]) -> None:
    cli.ok("new", "Checkout errors", "--sev", "2")
    loaded = _loaded(cli, *argv)
    assert "warroom.store" in loaded and "warroom.cli.incidents" in loaded  # (it did run)
    heavy = [m for m in loaded if m not in ALLOWED
             and any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


@pytest.mark.parametrize("argv", [("log", "a note"), ("log", "--json", "a note")])
def test_log_loads_neither_the_clocks_nor_the_show_and_list_renderings(
    cli: Cli, argv: tuple[str, ...]
) -> None:
    cli.ok("new", "Checkout errors", "--sev", "2")
    loaded = _loaded(cli, *argv)
    assert "warroom.service" in loaded
    assert not {"warroom.cli.render", "warroom.domain.clocks", "warroom.domain.summary"} & set(
        loaded)


@pytest.mark.parametrize(("argv", "word"), [
    (["log", "x"], "log"),
    (["--db", "log", "list"], "list"),
    (["--db=x.db", "--author", "lena", "show", "1"], "show"),
    (["--po", "p.toml", "report"], "report"),
    (["--au=list", "sync"], "sync"),
    (["--version"], None),
    (["-h", "log"], None),
    (["--", "log"], None),
    (["--db"], None),
    ([], None),
])
def test_command_word_skips_the_common_options_and_their_values(
    argv: list[str], word: str | None
) -> None:
    assert command_word(argv) == word


def test_the_parser_for_an_own_command_still_parses_it_like_the_whole_parser() -> None:
    argv = ["--db", "x.db", "log", "1", "--at=-5m", "text", "--once", "k"]
    assert vars(build_parser(argv).parse_args(argv)) == vars(build_parser().parse_args(argv))
    assert "log" in OWN_COMMANDS


@pytest.mark.parametrize("argv", [("report", "--help"), ("sync", "--help"), ("db", "--help"),
                                  ("policy", "--help"), ("alerts", "--help")])
def test_the_other_command_groups_are_still_there(
    cli: Cli, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(*argv).code == 0
    assert argv[0] in capsys.readouterr().out


def test_the_stored_payloads_validator_is_built_by_the_first_read_not_by_the_import(
    cli: Cli,
) -> None:
    cli.ok("new", "Checkout errors", "--sev", "2")
    probe = (
        "import sys\n"
        "from warroom.store import codec\n"
        "from warroom.cli import main\n"
        "built = [codec.payload_adapter.cache_info().currsize]\n"
        "main(sys.argv[1:])\n"
        "built.append(codec.payload_adapter.cache_info().currsize)\n"
        "print(built, file=sys.stderr)\n"
    )
    env = {**cli.env, "PATH": "/usr/bin:/bin"}
    for argv, after in ((("new", "Another one"), 0), (("log", "1", "a note"), 1)):
        proc = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                              text=True, env=env, timeout=60, check=False)
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip().splitlines()[-1] == f"[0, {after}]", (argv, proc.stderr)
