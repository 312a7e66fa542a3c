"""Benchmark: loading a 100k-event incident and appending to it.

Builds a 100,000-event incident in a temporary directory, then prints
- ``Store.events()`` at 100k events against a raw ``SELECT`` of the same rows
  in the same run (and their ratio),
- ``Store.event_log()`` (the compact read the console opens an incident with) the
  same way, and the memory each read holds and peaks at (``tracemalloc``),
- ``Store.event_log()`` against the reference read it falls back to (every column
  through ``codec.decode_log``) and against that read in chunks of 4096 rows (what
  ``event_log`` did before its fast path and smaller chunks),
- opening an ``IncidentSession`` on the 100k-event incident (read + projection)
  against the raw ``SELECT`` of the same seven columns (``fetchmany(4096)``, GC
  paused: the baseline the console's notes quote), interleaved so that machine
  noise hits both alike,
- ``Store.open()`` of that file (header check + ``quick_check`` + migrations),
- append latency (one event, one ``BEGIN IMMEDIATE`` … ``COMMIT``) with 100
  events in the incident against 100k (and their ratio).

Run: ``python benchmarks/bench_store_load.py [--events N] [--repeat R] [--session-rounds S]``.
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
from warroom.service import IncidentSession
from warroom.store import Store, codec
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


#: Rows per ``fetchmany`` of the raw baseline (the figure the console's notes quote).
RAW_CHUNK = 4096


def _raw_chunks(conn: sqlite3.Connection, query: str, incident_id: int) -> None:
    """Fetch every row of ``query`` in chunks of :data:`RAW_CHUNK`, GC paused."""
    with gc_paused():
        cursor = conn.execute(query, (incident_id,))
        while cursor.fetchmany(RAW_CHUNK):
            pass


def _reference_log(
    conn: sqlite3.Connection, query: str, incident_id: int, chunk: int | None = None
) -> object:
    """The reference read: every column, through ``codec.decode_log``.

    With ``chunk=4096`` it is the read ``event_log`` made before its fast path.
    """
    saved = codec.CHUNK_ROWS
    codec.CHUNK_ROWS = chunk or saved
    try:
        with gc_paused():
            return codec.decode_log(conn.execute(query, (incident_id,)), incident_id)
    finally:
        codec.CHUNK_ROWS = saved


def _session_rounds(path: Path, incident_id: int, rounds: int) -> dict[str, list[float]]:
    """Interleaved timings: raw SELECT, reference read, ``event_log``, session open."""
    query = (
        "SELECT seq, occurred_at, recorded_at, author, text, key, data FROM events"
        " WHERE incident_id = ? AND seq > 0 ORDER BY seq"
    )
    times: dict[str, list[float]] = {
        "raw": [], "before": [], "reference": [], "log": [], "session": []
    }
    raw = sqlite3.connect(path)
    with Store.open(path) as store:
        record = store.incident(incident_id)
        for _ in range(rounds):
            for name, fn in (
                ("raw", lambda: _raw_chunks(raw, query, incident_id)),
                ("before", lambda: _reference_log(raw, query, incident_id, RAW_CHUNK)),
                ("reference", lambda: _reference_log(raw, query, incident_id)),
                ("log", lambda: store.event_log(incident_id)),
                ("session", lambda: IncidentSession(store, record)),
            ):
                gc.collect()
                start = time.perf_counter()
                kept = fn()
                times[name].append(time.perf_counter() - start)
                del kept
    raw.close()
    return times


def _print_session_rounds(times: dict[str, list[float]], count: int) -> None:
    rows = (
        (f"raw SELECT (chunks of {RAW_CHUNK}, GC paused)", "raw"),
        (f"read as before (all columns, {RAW_CHUNK})", "before"),
        ("reference read (all columns)", "reference"),
        ("Store.event_log()", "log"),
        ("IncidentSession(store, record)", "session"),
    )
    print(f"opening an IncidentSession at {count:,} events "
          f"({len(times['raw'])} interleaved rounds):")
    for label, key in rows:
        values = times[key]
        print(f"  {label:<40} min {min(values) * 1e3:7.1f} ms, "
              f"median {statistics.median(values) * 1e3:7.1f} ms")
    for label, top, bottom in (
        ("session / raw SELECT (same round)", "session", "raw"),
        ("event_log / read as before", "log", "before"),
        ("event_log / reference read", "log", "reference"),
    ):
        ratios = [a / b for a, b in zip(times[top], times[bottom], strict=True)]
        print(f"  {label:<40} median {statistics.median(ratios):5.2f}x, "
              f"best {min(ratios):5.2f}x")


def main() -> None:
    """Build the database and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--session-rounds", type=int, default=7)
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
        session_times = _session_rounds(path, big.id, args.session_rounds)
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
    _print_session_rounds(session_times, count)


if __name__ == "__main__":
    main()
