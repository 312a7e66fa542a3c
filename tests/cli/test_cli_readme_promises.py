"""What the README promises about the CLI, checked the way a user would see it.

``warroom new --slug``, the author's sources in order (``--author``, then
``$WARROOM_AUTHOR``, then the config's ``author``), ``WARROOM_DEBUG=1`` showing the
traceback of an unexpected error, and entry numbers that belong to one incident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.cli.conftest import Cli, assert_one_error_line

# A real ``warroom`` process whose ``list`` command has a bug.
_BUGGY_LIST = (
    "import sys\n"
    "from warroom import cli\n"
    "def boom(ctx):\n"
    "    raise RuntimeError('kaboom in list')\n"
    "cli.COMMANDS['list'] = boom\n"
    "sys.exit(cli.main(['list']))\n"
)


def test_new_with_slug_uses_it_and_refuses_it_twice(cli: Cli) -> None:
    assert cli.ok("new", "Checkout errors", "--slug", "checkout-eu").strip() == "checkout-eu"
    shown = json.loads(cli.ok("show", "checkout-eu", "--json"))
    assert shown["incident"]["title"] == "Checkout errors"
    assert "#2 " in cli.ok("log", "checkout-eu", "first note")
    line = assert_one_error_line(cli("new", "Another one", "--slug", "checkout-eu"), 1)
    assert "checkout-eu" in line and "exists" in line
    assert [r["slug"] for r in json.loads(cli.ok("list", "--json"))] == ["checkout-eu"]


@pytest.mark.parametrize("slug", ["Checkout EU", "trailing-", "1234"])
def test_new_with_an_invalid_slug_is_one_error_line(cli: Cli, slug: str) -> None:
    line = assert_one_error_line(cli("new", "Checkout errors", "--slug", slug), 1)
    assert "slug" in line
    assert json.loads(cli.ok("list", "--json")) == []


def test_warroom_author_beats_the_config_and_the_option_beats_both(cli: Cli) -> None:
    cli.config.write_text('author = "lena"\n', encoding="utf-8")
    assert os.environ["WARROOM_AUTHOR"] == "tester"
    cli.ok("new", "Checkout errors")
    assert " tester: from the environment" in cli.ok("log", "from the environment")
    assert " marcus: from the option" in cli.ok("log", "from the option", "--author", "marcus")
    assert json.loads(cli.ok("log", "as json", "--json"))["author"] == "tester"


def test_entry_numbers_belong_to_one_incident(cli: Cli) -> None:
    quiet = cli.ok("new", "Quiet one").strip()
    busy = cli.ok("new", "Busy one").strip()
    for n in range(5):
        cli.ok("log", busy, f"busy note {n}")  # busy: #2-#6
    assert cli.ok("log", quiet, "quiet note").startswith("#2 ")
    assert cli.ok("log", busy, "busy again").startswith("#7 ")


def _run_buggy(cli: Cli, debug: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **cli.env}
    env.pop("WARROOM_DEBUG", None)
    if debug is not None:
        env["WARROOM_DEBUG"] = debug
    return subprocess.run(
        [sys.executable, "-c", _BUGGY_LIST], capture_output=True, text=True, env=env, timeout=60
    )


def test_an_unexpected_error_is_one_line_without_warroom_debug(cli: Cli) -> None:
    proc = _run_buggy(cli, debug=None)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "warroom: error: internal error (RuntimeError): kaboom in list"
    ]


def test_warroom_debug_prints_the_traceback(cli: Cli) -> None:
    proc = _run_buggy(cli, debug="1")
    assert proc.returncode != 0
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: kaboom in list" in proc.stderr
    assert "in boom" in proc.stderr  # the frame where it happened
    assert "internal error" not in proc.stderr
