"""Benchmark: cold start to first frame, the console on a 10k-event incident vs hello world.

Each run is a fresh Python process (imports included), headless, 80×24. "First
frame" is the first screen refresh after the app is ready (``call_after_refresh``),
measured from the moment the parent spawned the process. Printed:
- hello world: a one-``Static`` Textual app, to its first frame;
- console, first frame: the warroom app to its first frame;
- console, incident shown: until the war room shows the 10k-event incident's timeline;
and the ratios to hello world measured in the same run (target: first frame ≤ 1.5×).

Run: ``python benchmarks/bench_tui_startup.py [--events 10000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tui_bench_support import (  # noqa: E402
    bench_db,
    incident_now,
    median,
    run_child,
    since_spawn,
)


def child_hello() -> None:
    """A hello-world app; print the time to its first frame."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    result: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        frame = asyncio.Event()

        def painted() -> None:
            result["first_frame"] = since_spawn()
            frame.set()

        p.app.call_after_refresh(painted)
        await frame.wait()
        p.app.exit()

    Hello().run(headless=True, size=(80, 24), auto_pilot=pilot)
    print(json.dumps(result))


def child_console(db: str, events: int) -> None:
    """The console opened on incident 1; print first-frame and incident-shown times."""
    from warroom.config import Config
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.domain.timesource import FrozenTime
    from warroom.tui import make_app

    app = make_app(db=db, clock=FrozenTime(incident_now(events)), policy=DEFAULT_POLICY,
                   config=Config(), incident_ref="1", author="bench")
    result: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        frame = asyncio.Event()

        def painted() -> None:
            result["first_frame"] = since_spawn()
            frame.set()

        p.app.call_after_refresh(painted)
        await frame.wait()
        from warroom.tui.screens.war_room import WarRoomScreen

        while True:
            screen = p.app.screen
            if isinstance(screen, WarRoomScreen) and screen.timeline.event_count >= events:
                break
            await asyncio.sleep(0.002)
        await p.pause()
        result["incident_shown"] = since_spawn()
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        p.app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=pilot)
    print(json.dumps(result))


def main() -> None:
    """Run the children alternately and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        if args.child[0] == "hello":
            child_hello()
        else:
            child_console(args.child[1], int(args.child[2]))
        return
    db = bench_db(args.events)
    hello, first, shown = [], [], []
    for _ in range(args.repeat):
        hello.append(run_child("bench_tui_startup.py", "hello")["first_frame"])
        console = run_child("bench_tui_startup.py", "console", str(db), str(args.events))
        first.append(console["first_frame"])
        shown.append(console["incident_shown"])
    h, f, s = median(hello), median(first), median(shown)
    print(f"cold start, {args.events:,}-event incident, medians of {args.repeat} runs")
    print(f"  hello world first frame     {h * 1000:7.0f} ms")
    print(f"  console first frame         {f * 1000:7.0f} ms   ratio {f / h:.2f}x (target ≤ 1.5x)")
    print(f"  console incident shown      {s * 1000:7.0f} ms   ratio {s / h:.2f}x")


if __name__ == "__main__":
    main()
