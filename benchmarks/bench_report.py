"""The on-call report over many incidents vs a raw SELECT of the same rows.

Run: ``python benchmarks/bench_report.py [INCIDENTS] [EVENTS_PER_INCIDENT]`` (default
50 incidents of 2,000 events: 100,000 events).

Builds the incidents in a temporary store (one paged and acknowledged, the rest
notes, a few with a runbook, a cause, an action item), then times, in interleaved
rounds in the same process (a busy machine slows every path alike):

- baseline: ``SELECT`` of every event row (sqlite3, no warroom code) joined into text;
- what ``warroom report`` reads: :func:`~warroom.report.source.load_inputs` (one
  compact :class:`~warroom.domain.eventlog.EventLog` per incident);
- the report computed from those inputs (fold, metrics, weeks, post-mortem rule);
- the whole ``warroom report --format text|json`` path (read, compute, render).

Prints each timing (median of the rounds) and its ratio to the baseline. Target: the
whole report ≤ 3× the baseline, so the console's Report screen can recompute it
whenever an incident changes.
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
    AcknowledgedData,
    ActionItemData,
    CauseData,
    DeclaredData,
    DetectedData,
    Event,
    NoteData,
    Phase,
    PhaseChangedData,
    RunbookData,
    Severity,
)
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.report.health import build_report
from warroom.report.render_json import render_json
from warroom.report.render_text import render_text
from warroom.report.source import load_inputs
from warroom.store import Store

START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
AUTHORS = ("alice", "bob", "carol", "dave", "erin")


def build_incident(index: int, n: int) -> list[Event]:
    """One incident of ``n`` events, starting ``index`` × 13 hours after START."""
    begin = START + timedelta(hours=13 * index)
    special: dict[int, object] = {
        1: DeclaredData(title=f"Incident {index}", severity=Severity(1 + index % 4),
                        services=(f"svc-{index % 7}",)),
        2: DetectedData(),
        3: AcknowledgedData(),
        4: RunbookData(ref=f"https://runbooks.example.com/{index}") if index % 3 else NoteData(),
        5: CauseData(tag=f"cause-{index % 5}"),
        6: ActionItemData(owner="bob", due=(begin + timedelta(days=3)).date()),
        n - 1: PhaseChangedData(phase=Phase.MITIGATED),
        n: PhaseChangedData(phase=Phase.RESOLVED),
    }
    events = []
    for i in range(1, n + 1):
        at = begin + timedelta(seconds=2 * i)
        events.append(Event(id=i, occurred_at=at, recorded_at=at, author=AUTHORS[i % 5],
                            text=f"note {i} on incident {index}",
                            data=special.get(i, NoteData())))  # type: ignore[arg-type]
    return events


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


BASELINE = "raw SELECT + join (baseline)"
TARGETS = ("warroom report (text)", "warroom report --format json")


def main(incidents: int = 50, per_incident: int = 2_000, rounds: int = 5) -> None:
    """Build, time (interleaved rounds) and print."""
    until = START + timedelta(weeks=5)
    since = until - timedelta(weeks=4)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        clock = FrozenTime(until)
        with Store.open(db, clock=clock) as store:
            for index in range(incidents):
                events = build_incident(index, per_incident)
                store.import_incident(slug=f"inc-{index}", title=f"Incident {index}",
                                      created_at=events[0].occurred_at, events=events)
        conn = sqlite3.connect(db)

        def raw_select() -> str:
            rows = conn.execute(
                "SELECT incident_id, seq, occurred_at, author, kind, text FROM events "
                "ORDER BY incident_id, seq").fetchall()
            return "\n".join(" | ".join(map(str, row)) for row in rows)

        with Store.open(db, clock=clock, create=False) as store:
            inputs = load_inputs(store)

            def compute() -> object:
                return build_report(inputs, DEFAULT_POLICY, since=since, until=until)

            def whole(render: Callable[..., str]) -> str:
                report = build_report(load_inputs(store), DEFAULT_POLICY, since=since,
                                      until=until)
                return render(report)

            paths: dict[str, Callable[[], object]] = {
                BASELINE: raw_select,
                "read: load_inputs (event logs)": lambda: load_inputs(store),
                "compute: build_report": compute,
                TARGETS[0]: lambda: whole(render_text),
                TARGETS[1]: lambda: whole(render_json),
            }
            wall: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(rounds):
                for name, fn in paths.items():
                    wall[name].append(timed(fn))
        conn.close()
    base = statistics.median(wall[BASELINE])
    print(f"incidents: {incidents}  events: {incidents * per_incident:,}  rounds: {rounds}")
    print(f"{'median of rounds':<34} {'wall s':>7} {'ratio':>7}")
    for name in paths:
        w = statistics.median(wall[name])
        print(f"{name:<34} {w:>7.3f} {w / base:>6.1f}×")
    for name in TARGETS:
        w = statistics.median(wall[name])
        verdict = "met" if w <= 3 * base else "NOT met"
        print(f"target ≤ 3× the baseline: {name}: {w / base:.1f}× — {verdict}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
