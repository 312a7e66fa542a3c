"""Benchmark: loading a 100k-event incident and appending to it.

Builds a 100,000-event incident in a temporary directory, then prints
- ``Store.events()`` at 100k events against a raw ``SELECT`` of the same rows
  in the same run (and their ratio),
- ``Store.event_log()`` (the compact read the console opens an incident with) the
  same way, and the memory each read holds and peaks at (``tracemalloc``),
- ``Store.open()`` of that file (header check + ``quick_check`` + migrations),
- append latency (one event, one ``BEGIN IMMEDIATE`` … ``COMMIT``) with 100
  events in the incident against 100k (and their ratio).

Run: ``python benchmarks/bench_store_load.py [--events N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warroom.domain.events import (
    DeclaredData,
    NewEvent,
    NoteData,
    Role,
    RoleAssignedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.store import Store
from warroom.store.codec import gc_paused

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def _new_events(count: int, start: int) -> list[NewEvent]:
    """A realistic mix: mostly notes, some role, severity and status events."""
    out = []
    for i in range(start, start + count):
        if i % 50 == 0:
            data = StatusUpdateData(
                phase=StatusPhase.INVESTIGATING, components={"api": "major_outage"}
            )
        elif i % 20 == 0:
            data = RoleAssignedData(role=Role.TECH, person=f"engineer-{i % 7}")
        elif i % 30 == 0:
            data = SeveritySetData(severity=Severity.SEV2)
        else:
            data = NoteData()
        out.append(
            NewEvent(
                occurred_at=T0 + timedelta(seconds=i),
                author=f"scribe-{i % 3}",
                text=f"entry {i}: checkout api returning 502s on a fraction of requests",
                data=data,
            )
        )
    return out


def _fill(store: Store, incident_id: int, total: int) -> None:
    have = store.last_event_id(incident_id)
    while have < total:
        batch = min(5_000, total - have)
        store.append_many(incident_id, _new_events(batch, have + 1))
        have += batch


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _memory(fn: Callable[[], object]) -> tuple[float, float]:
    """MB held by what ``fn`` returns, and MB at the peak while it ran."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = fn()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return held / 1e6, peak / 1e6


def _append_latency(store: Store, incident_id: int, samples: int) -> float:
    """Median seconds of one append (validate + BEGIN IMMEDIATE + insert + COMMIT)."""
    times = []
    for new in _new_events(samples, 10_000_000):
        start = time.perf_counter()
        store.append(incident_id, new)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the database and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        declared = NewEvent(occurred_at=T0, author="bench", data=DeclaredData(title="Bench"))
        with Store.open(path) as store:
            small, _ = store.create_incident(declared, slug="small")
            big, _ = store.create_incident(declared, slug="big")
            _fill(store, small.id, 100)
            small_latency = _append_latency(store, small.id, 200)
            build = time.perf_counter()
            _fill(store, big.id, args.events)
            build = time.perf_counter() - build
            big_latency = _append_latency(store, big.id, 200)
            count = store.last_event_id(big.id)
        open_time = _best(lambda: Store.open(path).close(), args.repeat)
        raw = sqlite3.connect(path)
        query = (
            "SELECT seq, occurred_at, recorded_at, author, text, key, data FROM events"
            " WHERE incident_id = ? ORDER BY seq"
        )
        with Store.open(path) as store:
            # Interleave the two so machine noise hits both alike.
            raw_times, raw_nogc_times, store_times, log_times = [], [], [], []
            for _ in range(args.repeat):
                raw_times.append(_best(lambda: raw.execute(query, (big.id,)).fetchall(), 1))
                with gc_paused():
                    raw_nogc_times.append(
                        _best(lambda: raw.execute(query, (big.id,)).fetchall(), 1)
                    )
                store_times.append(_best(lambda: store.events(big.id), 1))
                log_times.append(_best(lambda: store.event_log(big.id), 1))
            assert len(store.events(big.id)) == count == len(store.event_log(big.id))
            events_mb = _memory(lambda: store.events(big.id))
            log_mb = _memory(lambda: store.event_log(big.id))
        raw.close()
        size_mb = path.stat().st_size / 1e6
    raw_best, store_best, log_best = min(raw_times), min(store_times), min(log_times)
    print(f"database: {count:,} events in one incident, {size_mb:.1f} MB (built in {build:.1f} s)")
    print(f"Store.open (header + quick_check):  {open_time * 1e3:8.1f} ms")
    print(f"raw SELECT of {count:,} rows:       {raw_best * 1e3:8.1f} ms")
    print(f"  (same, GC paused like events():  {min(raw_nogc_times) * 1e3:8.1f} ms)")
    print(f"Store.events() of {count:,} rows:   {store_best * 1e3:8.1f} ms")
    print(f"  ratio events()/raw SELECT:        {store_best / raw_best:8.2f}x")
    print(f"Store.event_log() of {count:,} rows: {log_best * 1e3:8.1f} ms")
    print(f"  ratio event_log()/raw SELECT:     {log_best / raw_best:8.2f}x")
    print(f"memory of events():     {events_mb[0]:6.1f} MB held, {events_mb[1]:6.1f} MB peak")
    print(f"memory of event_log():  {log_mb[0]:6.1f} MB held, {log_mb[1]:6.1f} MB peak")
    print(f"append latency at 100 events:       {small_latency * 1e3:8.3f} ms (median)")
    print(f"append latency at {count:,} events:  {big_latency * 1e3:8.3f} ms (median)")
    print(f"  ratio 100k/100:                   {big_latency / small_latency:8.2f}x")


if __name__ == "__main__":
    main()
