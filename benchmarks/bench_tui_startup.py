"""Benchmark: cold start to first frame, the console on a 10k-event incident vs hello world.

Each run is a fresh Python process (imports included) on a real pseudo-terminal
(80×24). The parent starts a clock, spawns the child and reads the terminal output
until the markers of a frame have all appeared:

- hello world: a one-``Static`` Textual app, until "Hello, world" is drawn;
- hello + models: the same after importing pydantic, the domain models, the store
  and the service — what the console loads in its worker *after* its first frame
  (shown for scale: it used to be paid before the first frame);
- console, first frame: the console opened on the incident (``make_app(db=…,
  incident_ref=…)``), until the war room is drawn: the header with the incident's
  title, the timeline pane (its tab or frame, "Timeline") and the scribe input
  (its placeholder) — the window itself, not a splash screen;
- console, incident shown: until the newest entry of the 10k-event timeline is drawn;
- ``warroom open 1``: the real command (argument parsing, config, the fast path's
  checks), until the same first frame;
- ``warroom --db X``: the real command on the same database, until the incident
  list's frame is drawn (its title and column headings), then until its row for the
  incident (title and the "1 open" count) is filled in;
- ``warroom demo --db X``: the real command on a new file X each run (the demo
  incident is imported into it), until the demo's war room is drawn (title, timeline
  pane, scribe input), then until the demo's newest entry is in its timeline.

Ratios are to hello world in the same run (target: first frame ≤ 1.5×). The
package's modules are byte-compiled first (as an installed package is), so neither
side pays for compiling source. The commands run with an empty config file
(``$WARROOM_CONFIG``), so the user's settings play no part.

Run: ``python benchmarks/bench_tui_startup.py [--events 10000] [--repeat 5]``.
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

SIZE = (80, 24)
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


def timed_run(args: list[str], markers: list[tuple[bytes, ...]],
              timeout: float = 120.0, env: dict[str, str] | None = None) -> list[float]:
    """Spawn ``args`` on a pty; seconds until each group of markers has all appeared."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = dict(os.environ if env is None else env, TERM="xterm-256color",
               COLORTERM="truecolor")
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
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


def main() -> None:
    """Run the children alternately and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        if args.child[0] in ("hello", "hello+imports"):
            child_hello(with_imports=args.child[0] == "hello+imports")
        else:
            child_console(args.child[1], int(args.child[2]))
        return
    db = str(bench_db(args.events))
    compile_package()
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    newest = (f"#{args.events}".encode(),)
    warroom = [sys.executable, "-m", "warroom"]
    rows: dict[str, list[float]] = {}

    def add(name: str, seconds: list[float]) -> None:
        for index, value in enumerate(seconds):
            rows.setdefault(f"{name}/{index}", []).append(value)

    with tempfile.TemporaryDirectory(prefix="warroom-bench-start-") as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = dict(os.environ, WARROOM_CONFIG=str(config), WARROOM_AUTHOR="bench")
        env.pop("WARROOM_DB", None)
        for round_ in range(args.repeat):
            add("hello", timed_run([*me, "hello"], [(b"Hello, world",)]))
            add("floor", timed_run([*me, "hello+imports"], [(b"Hello, world",)]))
            add("console", timed_run([*me, "console", db, str(args.events)],
                                     [FIRST_FRAME, newest]))
            add("open", timed_run([*warroom, "--db", db, "open", "1"], [FIRST_FRAME], env=env))
            add("list", timed_run([*warroom, "--db", db], [LIST_FRAME, LIST_FILLED], env=env))
            demo_db = Path(tmp) / f"demo-{round_}.db"
            add("demo", timed_run([*warroom, "demo", "--db", str(demo_db)],
                                  [DEMO_FRAME, DEMO_SHOWN], env=env))
    m = {name: median(values) for name, values in rows.items()}
    h = m["hello/0"]

    def line(label: str, name: str, note: str = "") -> None:
        value = m[name]
        ratio = "" if name == "hello/0" else f"   ratio {value / h:.2f}x"
        print(f"  {label:<36}{value * 1000:7.0f} ms{ratio}{note}")

    print(f"cold start on a pty ({SIZE[0]}x{SIZE[1]}), {args.events:,}-event incident, "
          f"medians of {args.repeat} runs")
    line("hello world first frame", "hello/0")
    line("hello + models imported", "floor/0", " (loaded after the first frame)")
    line("console first frame", "console/0", " (target ≤ 1.5x)")
    line("console incident shown", "console/1")
    line("`warroom open 1` first frame", "open/0", " (target ≤ 1.5x)")
    line("`warroom --db X` list frame", "list/0")
    line("`warroom --db X` list filled", "list/1")
    line("`warroom demo --db X` first frame", "demo/0")
    line("`warroom demo --db X` entries shown", "demo/1")


if __name__ == "__main__":
    main()
