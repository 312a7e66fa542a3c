"""Benchmark: one scribe entry at 100,000 events vs at 100 events.

In one process, headless at 120×40: the real app (``make_app``) opens an incident
of N events; each sample types a line into the scribe input, presses Enter and
waits until the new row is in the timeline (parse, write + COMMIT in a worker,
projection, timeline append, view pushed to every pane). Prints the median per
entry at 100 and at 100k events and their ratio (target ≤ 1.2×).

Run: ``python benchmarks/bench_tui_entry.py [--small 100] [--large 100000] [--samples 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tui_bench_support import bench_db, incident_now, median


async def entry_times(db: Path, events: int, samples: int) -> list[float]:
    """Seconds per entry (Enter → row in the timeline) on a copy of ``db``."""
    from warroom.config import Config
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.domain.timesource import FrozenTime
    from warroom.tui import make_app
    from warroom.tui.screens.war_room import WarRoomScreen

    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copy(db, work)
    clock = FrozenTime(incident_now(events))
    app = make_app(db=work, clock=clock, policy=DEFAULT_POLICY, config=Config(),
                   incident_ref="1", author="bench", live=False)
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, WarRoomScreen) and app.screen.timeline.event_count):
            await asyncio.sleep(0.01)
        screen = app.screen
        await pilot.pause()
        for i in range(samples + 3):
            before = screen.timeline.event_count
            screen.scribe_input.value = f"sample {i}: payments error rate back under 1%"
            started = time.perf_counter()
            await pilot.press("enter")
            while screen.timeline.event_count == before:
                await asyncio.sleep(0)
            await pilot.pause()
            if i >= 3:  # the first entries warm caches
                times.append(time.perf_counter() - started)
            clock.advance(seconds=1)
    shutil.rmtree(work.parent, ignore_errors=True)
    return times


def main() -> None:
    """Measure both sizes and print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    small_db, large_db = bench_db(args.small), bench_db(args.large)
    small = median(asyncio.run(entry_times(small_db, args.small, args.samples)))
    large = median(asyncio.run(entry_times(large_db, args.large, args.samples)))
    print(f"one scribe entry (Enter → row on screen), median of {args.samples}")
    print(f"  at {args.small:>7,} events   {small * 1000:7.1f} ms")
    print(f"  at {args.large:>7,} events   {large * 1000:7.1f} ms   ratio {large / small:.2f}x "
          "(target ≤ 1.2x)")


if __name__ == "__main__":
    main()
