"""A hook that retries ``warroom log`` must never write an entry twice.

The exit status says whether the entry is stored: 0 once it is committed, even if
printing it then fails (stdout on a full disk, a reader that went away). With
``--once KEY`` a retry stores nothing, prints the first entry and exits 0, even
when several retries race.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

from .conftest import Env, assert_clean_failure


def _texts(env: Env, incident: int = 1) -> list[str]:
    with Store.open(env.db, create=False) as store:
        return [e.text for e in store.events(incident)][1:]


@pytest.fixture
def declared(env: Env) -> Env:
    """An open incident (now: the system clock, so subprocesses agree)."""
    assert env.cli("new", "Hook drill", "--sev", "2").code == 0
    return env


def _log_to(env: Env, stdout: object, *argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "warroom", "log", *argv], stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE, env=env.environ, timeout=60,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_stdout_on_a_full_disk_still_exits_0_once_stored(declared: Env) -> None:
    with open("/dev/full", "w") as full:
        proc = _log_to(declared, full, "1", "stored despite the full disk")
    assert proc.returncode == 0, proc.stderr
    assert b"stored, but printing it failed" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert _texts(declared) == ["stored despite the full disk"]


def test_a_closed_pipe_still_exits_0_once_stored(declared: Env) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "warroom", "log", "1", "reader went away"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=declared.environ,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is printed
    err = proc.stderr.read()
    assert proc.wait(60) == 0, err
    assert b"Traceback" not in err
    assert _texts(declared) == ["reader went away"]


def test_a_retry_with_the_same_key_stores_nothing_and_prints_the_first(declared: Env) -> None:
    first = declared.cli("log", "1", "--once", "hook-42", "--json", "disk at 91%")
    again = declared.cli("log", "1", "--once", "hook-42", "--json", "disk at 91%")
    assert first.code == 0 and again.code == 0, (first.err, again.err)
    assert json.loads(again.out)["id"] == json.loads(first.out)["id"] == 2
    assert _texts(declared) == ["disk at 91%"]
    other = declared.cli("log", "1", "--once", "hook-43", "disk at 95%")
    assert other.code == 0 and other.out.startswith("#3")
    assert _texts(declared) == ["disk at 91%", "disk at 95%"]


def test_a_retried_mark_is_not_an_error(declared: Env) -> None:
    assert declared.cli("log", "1", "rollback started").code == 0
    for _ in range(2):
        result = declared.cli("log", "1", "--once", "mark-2", "/mark 2")
        assert result.code == 0, result.err
        assert result.out.startswith("#3")
    assert len(_texts(declared)) == 2


def test_keys_are_per_incident(declared: Env) -> None:
    assert declared.cli("new", "Second drill", "--slug", "second").code == 0
    assert declared.cli("log", "1", "--once", "k", "one").code == 0
    assert declared.cli("log", "second", "--once", "k", "two").code == 0
    assert _texts(declared, 1) == ["one"] and _texts(declared, 2) == ["two"]


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there"])
def test_a_bad_key_is_refused(declared: Env, key: str) -> None:
    line = assert_clean_failure(declared.cli("log", "1", "--once", key, "text"), (1,))
    assert "--once" in line
    assert _texts(declared) == []


def test_racing_retries_store_one_entry(declared: Env) -> None:
    """Four hook processes fire the same retry at once: one entry, every one exits 0."""
    def fire(_: int) -> subprocess.CompletedProcess[bytes]:
        return _log_to(declared, subprocess.PIPE, "1", "--once", "burst", "page ack")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fire, range(4)))
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert {r.stdout.split(b" ")[0] for r in results} == {b"#2"}
    assert _texts(declared) == ["page ack"]


def test_once_keys_survive_a_reopen_and_old_databases_get_the_table(
    env: Env, tmp_path: Path
) -> None:
    """A schema-2 database (no keys table) is migrated by the first write."""
    import sqlite3

    assert env.cli("new", "Old database", time=FrozenTime(T0)).code == 0
    conn = sqlite3.connect(env.db)
    conn.execute("DROP TABLE once_keys")
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    at = FrozenTime(T0 + timedelta(minutes=1))
    assert env.cli("show", "1", time=at).code == 0  # read-only: no migration needed
    assert env.cli("log", "1", "--once", "old", "first", time=at).code == 0
    assert env.cli("log", "1", "--once", "old", "first", time=at).code == 0
    assert _texts(env) == ["first"]
