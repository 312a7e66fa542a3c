"""Export of a 100k-event incident vs a raw SELECT of the same rows joined into text.

Run: ``python benchmarks/bench_export.py [N]`` (default 100,000 events).

Builds the incident in a temporary store, then times, in the same process:

- baseline: ``SELECT`` of the event rows (sqlite3, no warroom code) joined into one
  text, one line per row;
- ``store.events()`` (rows → Event objects), for reference;
- ``render_postmortem`` (Markdown) and ``export_json`` on the loaded events;
- the whole ``warroom export`` path: load + render.

Prints each timing (median of 5 runs) and its ratio to the baseline. Targets
(issue 4): render/export ≤ 3× the baseline and ≤ 1 s.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warroom.domain.events import (
    CommandData,
    ComponentState,
    DecisionData,
    DeclaredData,
    Event,
    NoteData,
    Phase,
    PhaseChangedData,
    Role,
    RoleAssignedData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.export.json_export import export_json
from warroom.export.markdown import render_postmortem
from warroom.store import Store

START = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
AUTHORS = ("alice", "bob", "carol", "dave", "erin")
TEXTS = (
    "checked the dashboards, error rate still at 4% on eu-west",
    "restarted worker pool | queue depth back to `120` <ok>",
    "customer report: cannot pay with card #1234 (ticket 5521)",
    "p99 latency 1.8 s; looking at the cache hit ratio",
    "rolled back to 2026.11.27-1, watching for 10 min",
)


def build_events(n: int) -> list[Event]:
    """A realistic mix: mostly notes, some decisions, commands, status updates, roles."""
    events: list[Event] = []
    for i in range(1, n + 1):
        at = START + timedelta(seconds=i)
        author = AUTHORS[i % len(AUTHORS)]
        text = TEXTS[i % len(TEXTS)] + f" #{i}"
        if i == 1:
            data: object = DeclaredData(title="Checkout errors", services=("checkout",))
            text = ""
        elif i == 2:
            data = SeveritySetData(severity=Severity.SEV1)
        elif i <= 6:
            data = RoleAssignedData(role=list(Role)[i - 3], person=AUTHORS[i - 3])
        elif i % 1000 == 0:
            data = StatusUpdateData(
                phase=StatusPhase.IDENTIFIED,
                components={"Checkout": ComponentState.PARTIAL_OUTAGE},
            )
        elif i % 250 == 0:
            data = DecisionData()
        elif i % 97 == 0:
            data = CommandData()
        elif i == n - 1:
            data = PhaseChangedData(phase=Phase.MITIGATED)
        elif i == n:
            data = PhaseChangedData(phase=Phase.RESOLVED)
        else:
            data = NoteData()
        events.append(
            Event(
                id=i,
                occurred_at=at,
                recorded_at=at,
                author=author,
                text=text,
                key=i % 5000 == 0,
                data=data,  # type: ignore[arg-type]
            )
        )
    return events


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall and CPU (process) seconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main(n: int = 100_000, rounds: int = 5) -> None:
    """Build, time (interleaved rounds, so load changes hit every path alike) and print."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        now = START + timedelta(seconds=n + 60)
        events = build_events(n)
        with Store.open(db, clock=FrozenTime(now)) as store:
            record = store.import_incident(
                slug="bench", title="Checkout errors", created_at=START, events=events
            )
            conn = sqlite3.connect(db)

            def raw_select() -> str:
                rows = conn.execute(
                    "SELECT seq, occurred_at, author, kind, text FROM events "
                    "WHERE incident_id = ? ORDER BY seq",
                    (record.id,),
                ).fetchall()
                return "\n".join(" | ".join(map(str, row)) for row in rows)

            loaded = store.events(record.id)
            paths: dict[str, Callable[[], object]] = {
                "raw SELECT + join (baseline)": raw_select,
                "store.events() (rows → Event)": lambda: store.events(record.id),
                "render_postmortem (loaded events)": lambda: render_postmortem(
                    record, loaded, DEFAULT_POLICY, now=now
                ),
                "export_json (loaded events)": lambda: export_json(
                    record, loaded, DEFAULT_POLICY, now=now
                ),
                "load + render_postmortem": lambda: render_postmortem(
                    record, store.events(record.id), DEFAULT_POLICY, now=now
                ),
                "load + export_json": lambda: export_json(
                    record, store.events(record.id), DEFAULT_POLICY, now=now
                ),
            }
            wall: dict[str, list[float]] = {name: [] for name in paths}
            cpu: dict[str, list[float]] = {name: [] for name in paths}
            sizes: dict[str, int] = {}
            for _ in range(rounds):
                for name, fn in paths.items():
                    w, c, result = timed(fn)
                    wall[name].append(w)
                    cpu[name].append(c)
                    if isinstance(result, str):
                        sizes[name] = len(result)
            conn.close()
    base = "raw SELECT + join (baseline)"
    base_wall = statistics.median(wall[base])
    base_cpu = statistics.median(cpu[base])
    md_mb = sizes["render_postmortem (loaded events)"] / 1e6
    json_mb = sizes["export_json (loaded events)"] / 1e6
    print(f"events: {n:,}  markdown: {md_mb:.1f} MB  json: {json_mb:.1f} MB  rounds: {rounds}")
    print(f"{'median of rounds':<36} {'wall s':>7} {'ratio':>7} {'cpu s':>7} {'ratio':>7}")
    for name in paths:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<36} {w:>7.3f} {w / base_wall:>6.1f}× {c:>7.3f} {c / base_cpu:>6.1f}×")
    print("targets: render/export ≤ 3× the baseline and ≤ 1 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
