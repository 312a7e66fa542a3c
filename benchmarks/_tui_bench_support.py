"""Shared helpers of the console benchmarks (``bench_tui_*.py``): test databases and a child runner.

A database of N events is built once per N and kept in the temp folder
(``warroom-bench-tui-N.db``), so repeated runs measure the console, not the
generator. The child runner starts a fresh Python process (a cold start) that runs
an app headless and prints JSON timings measured from the moment the parent spawned it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
HERE = Path(__file__).resolve().parent


def bench_db(events: int) -> Path:
    """A database whose incident 1 holds ``events`` events (built once, then reused)."""
    path = Path(tempfile.gettempdir()) / f"warroom-bench-tui-{events}.db"
    if path.exists():
        try:
            from warroom.store import Store

            with Store.open(path, create=False) as store:
                if store.last_event_id(1) == events:
                    return path
        except Exception:
            pass
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    _build(path, events)
    return path


def _build(path: Path, events: int) -> None:
    from warroom.domain.events import (
        DecisionData,
        NewEvent,
        NoteData,
        Role,
        RoleAssignedData,
        StatusPhase,
        StatusUpdateData,
    )
    from warroom.domain.timesource import FrozenTime
    from warroom.service import declare_incident
    from warroom.store import Store

    clock = FrozenTime(T0)
    with Store.open(path, clock=clock) as store:
        record = declare_incident(store, "Checkout payments failing in EU", severity=2,
                                  services=("checkout", "payments"), at=T0, author="alice")
        batch: list[NewEvent] = []
        for i in range(1, events):
            if i == 1:
                data: Any = RoleAssignedData(role=Role.IC, person="alice")
            elif i % 500 == 0:
                data = StatusUpdateData(phase=StatusPhase.INVESTIGATING)
            elif i % 97 == 0:
                data = DecisionData()
            else:
                data = NoteData()
            batch.append(NewEvent(
                occurred_at=T0 + timedelta(milliseconds=100 * i),
                author=("alice", "bob", "carol")[i % 3],
                text=f"entry {i}: checkout api returning 502s on a fraction of requests",
                data=data,
            ))
            if len(batch) == 5000:
                store.append_many(record.id, batch)
                batch = []
        if batch:
            store.append_many(record.id, batch)


def incident_now(events: int) -> datetime:
    """A "now" just after the last event of :func:`bench_db`'s incident."""
    return T0 + timedelta(milliseconds=100 * events + 60_000)


def compile_package() -> None:
    """Byte-compile the ``warroom`` package, as an installed package is.

    Children then load ``.pyc`` files instead of compiling changed sources (which
    ``PYTHONDONTWRITEBYTECODE`` would make them do on every run).
    """
    import compileall

    import warroom

    compileall.compile_dir(Path(warroom.__file__).parent, quiet=1)


def run_child(script: str, *args: str) -> dict[str, float]:
    """Run ``script --child ARGS`` in a fresh interpreter; return the JSON it prints."""
    env = dict(os.environ, BENCH_T0=repr(time.time()))
    out = subprocess.run(
        [sys.executable, str(HERE / script), "--child", *args],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"child failed: {out.stderr[-2000:]}")


def since_spawn() -> float:
    """Seconds since the parent spawned this (child) process."""
    return time.time() - float(os.environ["BENCH_T0"])


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)
