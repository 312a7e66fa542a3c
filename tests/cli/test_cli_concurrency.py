"""Several terminals writing at once through ``warroom log``: nothing lost, never "locked".

Two shapes, both slow:

- 4 writer processes × 250 ``warroom log`` runs each. Every run goes through
  :func:`warroom.cli.main` exactly as the installed command does (config, a fresh
  store connection, parse, ``BEGIN IMMEDIATE`` append, COMMIT, print, close), but
  inside its writer's process, so 1,000 runs do not pay 1,000 interpreter start-ups
  (about 0.4 s of CPU each on a 2-core CI machine).
- 4 terminals × 25 real ``python -m warroom log`` processes, for the executable path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tests.cli.conftest import Cli
from warroom.domain.events import Event
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

WRITERS = 4

_WRITER = """
import io, json, sys
from warroom.cli import main
writer, count = int(sys.argv[1]), int(sys.argv[2])
failures = []
for n in range(count):
    out, err = io.StringIO(), io.StringIO()
    code = main(["log", f"w{writer} n{n}", "--author", f"writer{writer}"], out=out, err=err)
    if code != 0 or err.getvalue() or not out.getvalue().startswith("#"):
        failures.append(f"w{writer} n{n}: rc={code} {err.getvalue().strip()}")
print(json.dumps(failures))
"""


def _events(cli: Cli) -> list[Event]:
    store = Store.open(cli.db, clock=FrozenTime(datetime.now(UTC)))
    try:
        return store.events(next(iter(store.incidents())).id)
    finally:
        store.close()


def _check(cli: Cli, failures: list[str], per_writer: int) -> None:
    assert failures == []
    events = _events(cli)
    notes = events[1:]
    assert len(notes) == WRITERS * per_writer
    assert [e.id for e in events] == list(range(1, WRITERS * per_writer + 2))
    for writer in range(WRITERS):
        mine = [e.text for e in notes if e.author == f"writer{writer}"]
        assert mine == [f"w{writer} n{n}" for n in range(per_writer)]  # each writer's order


@pytest.mark.slow
def test_four_writers_250_log_runs_each(cli: Cli) -> None:
    per_writer = 250
    cli.ok("new", "Concurrency drill", "--sev", "2")
    env = {**os.environ, **cli.env}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(w), str(per_writer)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for w in range(WRITERS)
    ]
    failures: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "locked" not in err
        failures.extend(json.loads(out))
    _check(cli, failures, per_writer)


def _terminal(cli: Cli, writer: int, count: int) -> list[str]:
    """One terminal: ``count`` separate ``warroom log`` processes; returns any failures."""
    env = {**os.environ, **cli.env, "WARROOM_AUTHOR": f"writer{writer}"}
    failures = []
    for n in range(count):
        proc = subprocess.run(
            [sys.executable, "-m", "warroom", "log", f"w{writer} n{n}"],
            capture_output=True, text=True, env=env, timeout=120,
        )
        if proc.returncode != 0 or proc.stderr or not proc.stdout.startswith("#"):
            failures.append(f"w{writer} n{n}: rc={proc.returncode} {proc.stderr.strip()}")
    return failures


@pytest.mark.slow
def test_four_terminals_of_real_processes(cli: Cli) -> None:
    per_writer = 25
    cli.ok("new", "Concurrency drill", "--sev", "2")
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda w: _terminal(cli, w, per_writer), range(WRITERS)))
    _check(cli, [f for result in results for f in result], per_writer)
