"""Several terminals writing at once through ``warroom log``: nothing lost, never "locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tests.cli.conftest import Cli
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

WRITERS = 4
ENTRIES = 250


def _writer(cli: Cli, writer: int, count: int) -> list[str]:
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
def test_four_terminals_log_250_entries_each(cli: Cli) -> None:
    cli.ok("new", "Concurrency drill", "--sev", "2")
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(lambda w: _writer(cli, w, ENTRIES), range(WRITERS)))
    failures = [f for result in results for f in result]
    assert failures == []
    assert not any("locked" in f for f in failures)

    store = Store.open(cli.db, clock=FrozenTime(datetime.now(UTC)))
    try:
        events = store.events(next(iter(store.incidents())).id)
    finally:
        store.close()
    notes = events[1:]
    assert len(notes) == WRITERS * ENTRIES
    assert [e.id for e in events] == list(range(1, WRITERS * ENTRIES + 2))
    for writer in range(WRITERS):
        mine = [e.text for e in notes if e.author == f"writer{writer}"]
        assert mine == [f"w{writer} n{n}" for n in range(ENTRIES)]  # each terminal's order kept
