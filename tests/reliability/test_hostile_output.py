"""Imported text never reaches the terminal raw, whatever road it takes to the output.

An edited export puts every hostile payload into the places a scribe cannot type
raw: the title, the services, the role holders' names (which clock rules quote).
Every command that prints (``show``, ``list``, ``log``, ``export`` to stdout, and
their ``--json`` forms) must print no control sequence and no unsafe character;
JSON output escapes what a terminal acts on, and still reads back as the text.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime

from .conftest import Env
from .hostile import PAYLOADS, SECRETS, leaked_secrets, unsafe_characters

AT = FrozenTime(T0 + timedelta(minutes=30))
#: Payloads whose text a store could hold as it is (pydantic refuses lone surrogates).
NAMES = sorted(name for name in PAYLOADS if name != "lone-surrogate")


def _json_literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _import_hostile(env: Env, payload: str) -> None:
    """An incident whose title, service and role holders carry ``payload``, imported."""
    assert env.cli("new", "Drill TITLEMARK", "--sev", "2", "--service", "SERVICEMARK",
                   "--slug", "drill", time=FrozenTime(T0)).code == 0
    for n, line in enumerate(("/ic ICMARK", "/comms COMMSMARK", "/tech TECHMARK")):
        assert env.cli("log", "1", line, time=FrozenTime(T0 + timedelta(minutes=n + 1))).code == 0
    exported = env.cli("export", "1", "--format", "json", time=AT)
    assert exported.code == 0, exported.err
    text = exported.out.replace('"drill"', '"hostile-drill"')
    for mark in ("TITLEMARK", "SERVICEMARK", "ICMARK", "COMMSMARK", "TECHMARK"):
        text = text.replace(mark, f"{mark} {_json_literal(payload)}")
    edited = env.dir / "edited.json"
    edited.write_text(text, encoding="utf-8")
    result = env.cli("import", str(edited), time=AT)
    assert result.code == 0, result.err


@pytest.mark.parametrize("name", NAMES)
def test_every_command_prints_imported_text_through_the_sanitiser(env: Env, name: str) -> None:
    payload = PAYLOADS[name]
    _import_hostile(env, payload)
    commands = (
        ("show", "hostile-drill"), ("list",), ("export", "hostile-drill"),
        ("log", "hostile-drill", "/ic ICMARK2"),
    )
    for argv in commands:
        result = env.cli(*argv, time=AT)
        assert result.code == 0, (argv, result.err)
        assert unsafe_characters(result.out) == [], (argv, result.out)
        assert leaked_secrets(result.out) == [], (argv, result.out)
        assert "\x1b" not in result.err
    shown = env.cli("show", "hostile-drill", time=AT).out
    assert "ICMARK" in shown and "TITLEMARK" in shown and "SERVICEMARK" in shown


@pytest.mark.parametrize("name", NAMES)
def test_json_output_escapes_what_a_terminal_acts_on(env: Env, name: str) -> None:
    payload = PAYLOADS[name]
    _import_hostile(env, payload)
    for argv in (("show", "hostile-drill", "--json"), ("list", "--json"),
                 ("log", "hostile-drill", "--json", "note")):
        result = env.cli(*argv, time=AT)
        assert result.code == 0, (argv, result.err)
        assert unsafe_characters(result.out) == [], (argv, result.out)
        json.loads(result.out)  # still JSON
    state = json.loads(env.cli("show", "hostile-drill", "--json", time=AT).out)["state"]
    assert state["title"] == f"Drill TITLEMARK {payload}"  # escaped, not changed


def test_a_role_name_cannot_retitle_the_terminal_or_write_the_clipboard(env: Env) -> None:
    """The case that was found: a holder's name quoted by a clock rule reached the terminal."""
    payload = "\x1b]0;PWNED-TITLE-0\x07\x1b]52;c;UFdORUQtQ0xJUEJPQVJE\x07\x1b[2J\x1b[H"
    _import_hostile(env, payload)
    out = env.cli("show", "hostile-drill", time=AT).out
    assert "\x1b" not in out and "\x07" not in out
    assert not [s for s in SECRETS if s in out]


def test_json_output_writes_every_instant_one_way(env: Env) -> None:
    """``list --json`` mixed ``+00:00`` and ``Z``: every instant is UTC with ``Z`` now."""
    import re

    _import_hostile(env, "plain")
    for argv in (("list", "--json"), ("show", "hostile-drill", "--json")):
        out = env.cli(*argv, time=AT).out
        instants = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]*)"', out)
        assert instants and all(i.endswith("Z") for i in instants), (argv, instants)
        assert "+00:00" not in out
