"""Benchmark: team mode (PostgreSQL) against SQLite, in one run.

Needs a PostgreSQL URI in ``$WARROOM_TEST_PG_DSN`` (a role that may create schemas;
``.ci/run`` shows how to start a throw-away server on a Unix socket). Each part
runs on both backends and prints the PostgreSQL/SQLite ratio:

- append latency, one entry per round trip: p50 and p99 over ``--appends`` entries
  (the server's ``synchronous_commit`` is whatever it is set to; ``on`` by default);
- opening an incident of ``--events`` entries (``Store.event_log``, best of 3);
- cross-seat latency: one seat appends, another seat's :class:`~warroom.live.LiveSession`
  delivers the entry to its screen thread (PostgreSQL: woken by NOTIFY; SQLite: the
  console's ``data_version`` poll every ``POLL_SECONDS``), p50/p99 over ``--entries``;
- PostgreSQL only: 8 writer processes x 250 appends, counted and checked gap-free.

Run: ``python benchmarks/bench_team.py [--appends N] [--events N] [--entries N]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from warroom.domain.events import DeclaredData, Event, NewEvent, NoteData
from warroom.domain.timesource import SystemTime
from warroom.live import POLL_SECONDS, LiveSession
from warroom.service import IncidentSession
from warroom.store import Store
from warroom.store.postgres import init_database

T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def _note(text: str, at: datetime | None = None) -> NewEvent:
    return NewEvent(occurred_at=at or datetime.now(UTC), author="bench", text=text,
                    data=NoteData())


def _declared() -> NewEvent:
    return NewEvent(occurred_at=T0, author="bench", data=DeclaredData(title="Bench"))


@contextmanager
def _pg_schema(base: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    dsn = f"{base}{sep}options=-csearch_path%3D{schema}"
    try:
        init_database(dsn)
        yield dsn
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_append(target: str | Path, count: int) -> tuple[float, float]:
    """p50, p99 of one append (ms)."""
    with Store.open(target) as store:
        record, _ = store.create_incident(_declared())
        for i in range(20):  # warm up (prepared statements, page cache)
            store.append(record.id, _note(f"warm {i}"))
        times = []
        for i in range(count):
            start = time.perf_counter()
            store.append(record.id, _note(f"n{i}"))
            times.append((time.perf_counter() - start) * 1e3)
    return _pct(times, 0.5), _pct(times, 0.99)


def _big_incident(count: int) -> list[Event]:
    declared = Event.from_new(_declared(), id=1, recorded_at=T0)
    events = [declared]
    for i in range(2, count + 1):
        at = T0 + timedelta(seconds=i)
        events.append(Event.from_new(_note(f"entry {i} " + "x" * (i % 60), at), id=i,
                                     recorded_at=at))
    return events


def bench_open(target: str | Path, events: list[Event]) -> float:
    """Best of 3 ``event_log`` reads of an incident of ``len(events)`` entries (ms)."""
    with Store.open(target) as store:
        record = store.import_incident(slug="big", title="Big", created_at=T0, events=events)
    with Store.open(target) as store:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            log = store.event_log(record.id)
            best = min(best, time.perf_counter() - start)
            assert len(log) == len(events)
    return best * 1e3


def bench_cross_seat(target: str | Path, entries: int) -> tuple[float, float]:
    """p50, p99 from one seat's append returning to another seat's delivery (ms)."""
    writer_store = Store.open(target)
    reader_store = Store.open(target)
    try:
        record, _ = writer_store.create_incident(_declared())
        live = LiveSession(IncidentSession(reader_store, record, time=SystemTime(), tz=UTC))
        seen: dict[int, float] = {}
        stop = threading.Event()

        def console() -> None:  # what the war room's poll timer and worker do
            def look() -> None:
                delivery = live.poll()
                now = time.perf_counter()
                for event in delivery.events if delivery is not None else ():
                    seen[event.id] = now

            while not stop.is_set():
                tick = time.monotonic()
                live.follow(POLL_SECONDS * 0.8, look)
                time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - tick)))

        reader = threading.Thread(target=console, daemon=True)
        reader.start()
        latencies = []
        for i in range(entries):
            event = writer_store.append(record.id, _note(f"cross {i}"))
            written = time.perf_counter()
            deadline = time.monotonic() + 5
            while event.id not in seen and time.monotonic() < deadline:
                time.sleep(0.0005)
            latencies.append((seen.get(event.id, float("inf")) - written) * 1e3)
            time.sleep(0.01 + (i % 7) * 0.013)  # entries arrive at uneven moments
        stop.set()
        reader.join(timeout=5)
    finally:
        writer_store.close()
        reader_store.close()
    return _pct(latencies, 0.5), _pct(latencies, 0.99)


_WRITER = """
import sys
from datetime import UTC, datetime
from warroom.domain.events import NewEvent, NoteData
from warroom.store import Store
dsn, incident, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with Store.open(dsn) as store:
    for i in range(250):
        store.append(incident, NewEvent(occurred_at=datetime.now(UTC), author="x",
                                        text=f"{name}-{i}", data=NoteData()))
"""


def bench_writers(dsn: str) -> str:
    """8 processes x 250 appends on PostgreSQL: the count, gaps and failures."""
    with Store.open(dsn) as store:
        record, _ = store.create_incident(_declared())
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, dsn, str(record.id), f"w{n}"],
                              stderr=subprocess.PIPE, text=True) for n in range(8)]
    failures = sum(1 for p in procs if p.wait() != 0)
    elapsed = time.perf_counter() - start
    with Store.open(dsn) as store:
        ids = [e.id for e in store.events(record.id)][1:]
    gap_free = ids == list(range(2, len(ids) + 2))
    return (f"{len(ids)} entries, ids {'gap-free' if gap_free else 'WITH GAPS'}, "
            f"{failures} writers failed, {elapsed:.1f} s")


def _row(name: str, pg: float, lite: float, unit: str = "ms") -> None:
    print(f"{name:<34} PostgreSQL {pg:8.2f} {unit}   SQLite {lite:8.2f} {unit}"
          f"   ratio {pg / lite:5.2f}x")


def main() -> None:
    """Run every part and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=120)
    args = parser.parse_args()
    base = os.environ.get("WARROOM_TEST_PG_DSN")
    if not base:
        raise SystemExit("set WARROOM_TEST_PG_DSN to a PostgreSQL URI (see .ci/run)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        parts: list[tuple[str, Callable[[str | Path], tuple[float, ...] | float]]] = [
            ("append", lambda t: bench_append(t, args.appends)),
        ]
        for name, run in parts:
            with _pg_schema(base) as dsn:
                pg = run(dsn)
            lite = run(folder / f"{name}.db")
            assert isinstance(pg, tuple) and isinstance(lite, tuple)
            _row(f"{name} p50", pg[0], lite[0])
            _row(f"{name} p99", pg[1], lite[1])
        events = _big_incident(args.events)
        with _pg_schema(base) as dsn:
            pg_open = bench_open(dsn, events)
        _row(f"open {args.events:,} events", pg_open, bench_open(folder / "big.db", events))
        with _pg_schema(base) as dsn:
            pg_cross = bench_cross_seat(dsn, args.entries)
        lite_cross = bench_cross_seat(folder / "cross.db", args.entries)
        _row(f"cross-seat p50 ({args.entries} entries)", pg_cross[0], lite_cross[0])
        _row(f"cross-seat p99 ({args.entries} entries)", pg_cross[1], lite_cross[1])
        with _pg_schema(base) as dsn:
            print(f"8 writers x 250 on PostgreSQL:      {bench_writers(dsn)}")


if __name__ == "__main__":
    main()
