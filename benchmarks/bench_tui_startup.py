"""Benchmark: cold start until the incident is shown, the console vs a hello-world app.

The headline is "incident shown": what the incident commander waits for is the
incident's newest entry on screen, not an empty window. Each run is a fresh Python
process (imports included) on a real pseudo-terminal; the parent starts a clock,
spawns the child and reads the terminal output until the markers of a frame have all
appeared. Every size (default 80×24 and 120×40) is measured in the same alternating
rounds, and every ratio is to hello world at that size in the same run:

- hello world: a one-``Static`` Textual app, until "Hello, world" is drawn;
- console, incident shown: the console opened on an incident of N events
  (``make_app(db=…, incident_ref=…)``, default N = 1,000 and 10,000) until the
  newest entry's text is drawn in the timeline (targets: ≤ 1.5× at 1,000 events,
  ≤ 2× at 10,000);
- ``warroom demo --db X``: the real command on a new file X each run (the demo
  incident is imported into it) until the demo's newest entry is drawn (target ≤ 2×).

Details, in the same runs: the console's first frame (the war room drawn before the
incident is read: the header with the incident's title, the timeline pane — its tab
or frame, "Timeline" — and the scribe input's placeholder; target ≤ 1.5×); hello
world after importing pydantic, the domain models, the store and the service (what
the console loads in its worker after its first frame: the floor under "incident
shown" while the entries come from the store); ``warroom open 1`` (argument parsing,
config, the fast path's checks) until the first frame and until the newest entry;
``warroom --db X`` until the incident list's frame (its title and column headings)
and its row filled in; the demo's first frame.

The package's modules are byte-compiled first (as an installed package is), so
neither side pays for compiling source. The commands run with an empty config file
(``$WARROOM_CONFIG``), so the user's settings play no part. Say the machine's load
when quoting numbers: the runs alternate so that load hits both sides alike.
``--against DIR`` also runs the console, ``open``, the list and the demo from another
copy of the package (``DIR/warroom``, e.g. an older revision unpacked with ``git
archive REV warroom | tar -x -C DIR``) in the same rounds: a before/after comparison
on the same machine load.

The floor under "incident shown" is "hello + models imported": the entries are read
through the store and the domain models, whose import (pydantic first) the console
pays after its first frame.

Run: ``python benchmarks/bench_tui_startup.py [--events 1000,10000]
[--sizes 80x24,120x40] [--repeat 5] [--against DIR]``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tui_bench_support import bench_db, compile_package, incident_now, median

#: The terminal sizes measured by default (columns x rows).
SIZES = ((80, 24), (120, 40))
#: The incident's title in :func:`bench_db`'s database (the header shows it).
TITLE = b"Checkout payments"
#: The war room's first frame: title, timeline pane, scribe input (all must be drawn).
FIRST_FRAME = (TITLE, b"Timeline", b"a note or a /command")
#: The incident list's frame: its heading and the table's column headings.
LIST_FRAME = (b"Incidents", b"Severity", b"Urgent clock")
#: The list filled in: the incident's row and the count in the heading.
LIST_FILLED = (TITLE, b"1 open")
#: The demo's war room: its title, the timeline pane and the scribe input.
DEMO_FRAME = (b"card payments failing", b"Timeline", b"a note or a /command")
#: The demo's newest entry, drawn in the timeline once the incident is read.
DEMO_SHOWN = (b"Card payment success 98.9%",)


def child_hello(with_imports: bool) -> None:
    """A hello-world app (optionally after importing the models, the store and the service)."""
    if with_imports:
        import warroom.domain.clocks
        import warroom.domain.parser
        import warroom.service
        import warroom.store  # noqa: F401
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    Hello().run()


def child_console(db: str, events: int) -> None:
    """The console opened on incident 1 of the database at ``db`` (the default policy)."""
    from warroom.config import Config
    from warroom.domain.timesource import FrozenTime
    from warroom.tui import make_app

    make_app(db=db, clock=FrozenTime(incident_now(events)), config=Config(),
             incident_ref="1", author="bench").run()


def newest_entry(events: int) -> tuple[bytes, ...]:
    """The markers of the newest entry of :func:`bench_db`'s ``events``-event incident."""
    return (f"entry {events - 1}: checkout".encode(),)


def timed_run(args: list[str], markers: list[tuple[bytes, ...]], size: tuple[int, int],
              timeout: float = 120.0, env: dict[str, str] | None = None,
              cwd: str | None = None) -> list[float]:
    """Spawn ``args`` on a ``size`` pty; seconds until each group of markers has all appeared."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = dict(os.environ if env is None else env, TERM="xterm-256color",
               COLORTERM="truecolor")
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    seen: list[float] = []
    buffer = b""
    try:
        while len(seen) < len(markers) and time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            buffer += chunk
            while len(seen) < len(markers) and all(m in buffer for m in markers[len(seen)]):
                seen.append(time.perf_counter() - started)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    if len(seen) < len(markers):
        raise RuntimeError(f"markers not seen: {markers[len(seen):]!r}; got {buffer[-500:]!r}")
    return seen


def _sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for item in text.split(","):
        columns, rows = item.lower().split("x")
        sizes.append((int(columns), int(rows)))
    return sizes


def main() -> None:
    """Run the children alternately and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="1000,10000",
                        help="incident sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--sizes", default=",".join(f"{c}x{r}" for c, r in SIZES),
                        help="terminal sizes, comma-separated (default 80x24,120x40)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", metavar="DIR", type=Path,
                        help="also run the console from DIR/warroom (another revision)")
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        if args.child[0] in ("hello", "hello+imports"):
            child_hello(with_imports=args.child[0] == "hello+imports")
        else:
            child_console(args.child[1], int(args.child[2]))
        return
    counts = [int(n) for n in args.events.split(",")]
    sizes = _sizes(args.sizes)
    dbs = {n: str(bench_db(n)) for n in counts}
    compile_package()
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    warroom = [sys.executable, "-m", "warroom"]
    big = max(counts)
    rows: dict[str, list[float]] = {}
    import warroom as package

    # The package this script imports first on the path, and the children run in a
    # temporary folder (``-m`` would otherwise pick up a ``warroom`` folder in the cwd).
    trees = {"": str(Path(package.__file__).resolve().parents[1])}
    if args.against is not None:
        import compileall

        compileall.compile_dir(args.against / "warroom", quiet=1)
        trees[" (against)"] = str(args.against.resolve())

    def add(name: str, seconds: list[float]) -> None:
        for index, value in enumerate(seconds):
            rows.setdefault(f"{name}/{index}", []).append(value)

    with tempfile.TemporaryDirectory(prefix="warroom-bench-start-") as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        base = dict(os.environ, WARROOM_CONFIG=str(config), WARROOM_AUTHOR="bench")
        for name in ("WARROOM_DB", "PYTHONPATH"):
            base.pop(name, None)
        for round_ in range(args.repeat):
            for size in sizes:
                at = f"{size[0]}x{size[1]}"
                env = dict(base, PYTHONPATH=trees[""])
                add(f"hello {at}", timed_run([*me, "hello"], [(b"Hello, world",)], size,
                                             env=env, cwd=tmp))
                add(f"floor {at}", timed_run([*me, "hello+imports"], [(b"Hello, world",)], size,
                                             env=env, cwd=tmp))
                for tree, path in trees.items():
                    env = dict(base, PYTHONPATH=path)
                    for n in counts:
                        add(f"console {n} {at}{tree}",
                            timed_run([*me, "console", dbs[n], str(n)],
                                      [FIRST_FRAME, newest_entry(n)], size, env=env, cwd=tmp))
                    add(f"open {at}{tree}",
                        timed_run([*warroom, "--db", dbs[big], "open", "1"],
                                  [FIRST_FRAME, newest_entry(big)], size, env=env, cwd=tmp))
                    add(f"list {at}{tree}",
                        timed_run([*warroom, "--db", dbs[big]], [LIST_FRAME, LIST_FILLED], size,
                                  env=env, cwd=tmp))
                    demo_db = Path(tmp) / f"demo-{round_}-{at}{tree.strip(' ()')}.db"
                    add(f"demo {at}{tree}",
                        timed_run([*warroom, "demo", "--db", str(demo_db)],
                                  [DEMO_FRAME, DEMO_SHOWN], size, env=env, cwd=tmp))
    m = {name: median(values) for name, values in rows.items()}
    ats = [f"{c}x{r}" for c, r in sizes]

    def line(label: str, name: str, note: str = "") -> None:
        cells = ""
        for at in ats:
            value = m[f"{name.format(at=at)}"]
            hello = m[f"hello {at}/0"]
            ratio = "      " if name.startswith("hello ") else f" {value / hello:4.2f}x"
            cells += f"{value * 1000:7.0f} ms{ratio}"
        print(f"  {label:<44}{cells}  {note}".rstrip())

    print(f"cold start on a pty, medians of {args.repeat} alternating runs; "
          "ratio to hello world at the same size, same run")
    print(f"  {'':<44}" + "".join(f"{at:>16}" for at in ats))
    for tree in trees:
        for n in counts:
            target = "(target ≤ 1.5x)" if n <= 1000 else "(target ≤ 2x)"
            line(f"incident shown, {n:,} events{tree}", f"console {n} {{at}}{tree}/1", target)
        line(f"`warroom demo` entries shown{tree}", f"demo {{at}}{tree}/1", "(target ≤ 2x)")
    print("  details:")
    line("hello world, text drawn", "hello {at}/0")
    line("hello + models imported", "floor {at}/0", "(the worker's imports)")
    for tree in trees:
        for n in counts:
            line(f"first frame, {n:,} events{tree}", f"console {n} {{at}}{tree}/0",
                 "(target ≤ 1.5x)")
        line(f"`warroom open 1` first frame{tree}", f"open {{at}}{tree}/0", f"({big:,} events)")
        line(f"`warroom open 1` incident shown{tree}", f"open {{at}}{tree}/1")
        line(f"`warroom --db X` list frame{tree}", f"list {{at}}{tree}/0")
        line(f"`warroom --db X` list filled{tree}", f"list {{at}}{tree}/1")
        line(f"`warroom demo` first frame{tree}", f"demo {{at}}{tree}/0")

if __name__ == "__main__":
    main()
