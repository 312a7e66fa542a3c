"""Export of a 100k-event incident vs a raw SELECT of the same rows joined into text.

Run: ``python benchmarks/bench_export.py [N]`` (default 100,000 events).

Builds the incident in a temporary store, then times, in the same process and in
interleaved rounds (so a busy machine slows every path alike):

- baseline: ``SELECT`` of the event rows (sqlite3, no warroom code) joined into one
  text, one line per row;
- the load ``warroom export`` does: :class:`~warroom.service.IncidentSession`
  (``Store.event_log`` + fold), the same constructor the CLI calls;
- rendering from that session, as :func:`warroom.cli.files.session_export` does
  (the session's :class:`~warroom.domain.eventlog.EventLog`: the fast path);
- the console's export (F8) as its worker calls it: ``render_export`` of the
  session's ``timeline_copy()`` (a constant-time copy of the compact log);
- the whole ``warroom export --format md|json`` path: session (load + fold) +
  render, the numbers the export's target is about;
- ``Store.open`` of the file (header check + ``quick_check``), for reference: the
  CLI pays it once per command, before the export starts.

Prints each timing (median of the rounds, wall and CPU) and its ratio to the
baseline measured in the same run. Target: the whole export ≤ 3× the
baseline and ≤ 1 s, both formats.
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

from warroom.cli.files import session_export
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
from warroom.service import IncidentSession, open_incident
from warroom.store import Store
from warroom.tui.exporting import ExportFormat
from warroom.tui.exporting import render_export as console_render_export

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
        elif i == n - 1:
            data = PhaseChangedData(phase=Phase.MITIGATED)
        elif i == n:  # resolved: exported as of its last entry, as a post-mortem is
            data = PhaseChangedData(phase=Phase.RESOLVED)
        elif i % 1000 == 0:
            data = StatusUpdateData(
                phase=StatusPhase.IDENTIFIED,
                components={"Checkout": ComponentState.PARTIAL_OUTAGE},
            )
        elif i % 250 == 0:
            data = DecisionData()
        elif i % 97 == 0:
            data = CommandData()
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


#: The rows the export's target applies to.
TARGETS = ("warroom export --format md", "warroom export --format json")
BASELINE = "raw SELECT + join (baseline)"


def main(n: int = 100_000, rounds: int = 5) -> None:
    """Build, time (interleaved rounds, so load changes hit every path alike) and print."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        now = START + timedelta(seconds=n + 60)
        clock = FrozenTime(now)
        events = build_events(n)
        with Store.open(db, clock=clock) as store:
            record = store.import_incident(
                slug="bench", title="Checkout errors", created_at=START, events=events
            )
        del events
        conn = sqlite3.connect(db)

        def raw_select() -> str:
            rows = conn.execute(
                "SELECT seq, occurred_at, author, kind, text FROM events "
                "WHERE incident_id = ? ORDER BY seq",
                (record.id,),
            ).fetchall()
            return "\n".join(" | ".join(map(str, row)) for row in rows)

        def open_store() -> Store:
            opened = Store.open(db, clock=clock, create=False)
            opened.close()
            return opened

        with Store.open(db, clock=clock, create=False) as store:

            def load() -> IncidentSession:
                # What `warroom export` does (cli.Context.session): find the incident,
                # then an IncidentSession reads it as an EventLog and folds it.
                found = open_incident(store, "bench")
                return IncidentSession(store, found, time=clock, policy=DEFAULT_POLICY, tz=UTC)

            def export(fmt: str) -> str:
                return session_export(load(), fmt)

            def console(fmt: ExportFormat) -> str:
                # warroom/tui/screens/war_room.py, _export_worker
                return console_render_export(
                    fmt, session.record, session.timeline_copy(), session.policy,
                    state=session.state, now=clock.now(), tz=UTC,
                )

            session = load()
            paths: dict[str, Callable[[], object]] = {
                BASELINE: raw_select,
                "load: IncidentSession (log + fold)": load,
                "render md (session's EventLog)": lambda: session_export(session, "md"),
                "render json (session's EventLog)": lambda: session_export(session, "json"),
                "console md (F8, timeline copy)": lambda: console(ExportFormat.MARKDOWN),
                "console json (F8, timeline copy)": lambda: console(ExportFormat.JSON),
                TARGETS[0]: lambda: export("md"),
                TARGETS[1]: lambda: export("json"),
                "Store.open (quick_check), once": open_store,
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
                    del result
        conn.close()
    base_wall = statistics.median(wall[BASELINE])
    base_cpu = statistics.median(cpu[BASELINE])
    md_mb = sizes[TARGETS[0]] / 1e6
    json_mb = sizes[TARGETS[1]] / 1e6
    print(f"events: {n:,}  markdown: {md_mb:.1f} MB  json: {json_mb:.1f} MB  rounds: {rounds}")
    print(f"{'median of rounds':<38} {'wall s':>7} {'ratio':>7} {'cpu s':>7} {'ratio':>7}")
    for name in paths:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<38} {w:>7.3f} {w / base_wall:>6.1f}× {c:>7.3f} {c / base_cpu:>6.1f}×")
    print("target: the whole export ≤ 3× the baseline and ≤ 1 s, both formats")
    for name in TARGETS:
        w = statistics.median(wall[name])
        verdict = "met" if w <= 1.0 and w <= 3 * base_wall else "NOT met"
        print(f"  {name}: {w:.3f} s, {w / base_wall:.1f}× the baseline: {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
