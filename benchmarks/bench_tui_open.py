"""Benchmark: opening a 100,000-event incident in the console (time and memory).

A fresh process opens the database as the CLI does (``Store.open``, the policy:
pydantic and the models are loaded before the app, as when an incident is opened
from the list or by ``warroom demo``) and runs the console headless (120×40) on
incident 1 of a database holding N events, then prints:
- open time: from the war room's first frame (its screen mounted) until the whole
  timeline is loaded and shown and the app is idle (session read + projection in a
  worker, the panes, timeline load, first view);
- the CPU time the process spent in that window (every thread): what the open
  costs, less sensitive than the wall time to other work on a shared machine;
- time from process start to the incident shown;
- peak RSS of the process (``ru_maxrss``) against a hello-world Textual app's.
Targets: open ≤ 1 s, RSS ≤ 120 MB. (``make_app(db=…)`` instead opens the store in
the war room's worker, after the first frame: ``bench_tui_startup.py``'s "incident
shown" row times that path from process start.)

Run: ``python benchmarks/bench_tui_open.py [--events 100000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tui_bench_support import (
    bench_db,
    compile_package,
    incident_now,
    median,
    run_child,
    since_spawn,
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_hello() -> None:
    """Peak RSS of a hello-world app."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        await p.pause()
        p.app.exit()

    Hello().run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps({"rss_mb": _rss_mb()}))


def child_open(db: str, events: int) -> None:
    """Open incident 1 and time it."""
    from warroom.config import Config
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.domain.timesource import FrozenTime
    from warroom.store import Store
    from warroom.tui import make_app
    from warroom.tui.screens.war_room import WarRoomScreen

    clock = FrozenTime(incident_now(events))
    app = make_app(store=Store.open(db, clock=clock), clock=clock, policy=DEFAULT_POLICY,
                   config=Config(), incident_ref="1", author="bench", live=False)
    result: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        # The window opens with the war room's first frame: the screen is mounted.
        while not (isinstance(p.app.screen, WarRoomScreen) and p.app.screen.is_mounted):
            await asyncio.sleep(0.005)
        started = time.perf_counter()
        cpu_started = time.process_time()
        screen = p.app.screen
        while screen.timeline.event_count < events:
            await asyncio.sleep(0.005)
        await p.pause()
        result["open_s"] = time.perf_counter() - started
        result["open_cpu_s"] = time.process_time() - cpu_started
        result["shown_since_spawn_s"] = since_spawn()
        result["rss_mb"] = _rss_mb()
        p.app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps(result))


def main() -> None:
    """Run the children and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        if args.child[0] == "hello":
            child_hello()
        else:
            child_open(args.child[1], int(args.child[2]))
        return
    db = str(bench_db(args.events))
    compile_package()
    runs = [run_child("bench_tui_open.py", "open", db, str(args.events))
            for _ in range(args.repeat)]
    hello = run_child("bench_tui_open.py", "hello")["rss_mb"]
    open_s = median([r["open_s"] for r in runs])
    open_cpu = median([r["open_cpu_s"] for r in runs])
    shown = median([r["shown_since_spawn_s"] for r in runs])
    rss = max(r["rss_mb"] for r in runs)
    print(f"opening a {args.events:,}-event incident, median of {args.repeat} runs")
    print(f"  open (first frame → timeline shown)   {open_s:6.2f} s    (target ≤ 1 s)")
    print(f"    CPU time in that window              {open_cpu:6.2f} s    (all threads)")
    print(f"  process start → incident shown        {shown:6.2f} s")
    print(f"  peak RSS                              {rss:6.0f} MB   (target ≤ 120 MB; "
          f"hello world {hello:.0f} MB)")


if __name__ == "__main__":
    main()
