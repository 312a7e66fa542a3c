"""Benchmark: one scripted ``warroom log`` (and ``show``, ``list``) against a bare Python start.

Scripts and hooks call ``warroom log`` once per entry, so its whole cost is a fresh
process: the interpreter, the imports, the config, opening the database, parsing
and storing the entry, printing it. Each run below is such a fresh process, run
alternately within one round (so a busy machine slows every side alike), and each
row is the median wall time over the rounds:

- baseline: ``python -c "import sqlite3, pydantic"`` (the floor of any command that
  validates with the models and stores with SQLite);
- ``warroom log 1 "note N"``: append one note to an incident of a temporary SQLite
  database (a different text each run; it is stored and printed as ``#id …``);
- ``warroom show 1``: that incident's state, roles and clocks;
- ``warroom list``: the incidents with their most urgent clock.

The incident starts with a declaration, a severity, roles and a few dozen entries
(as an ongoing one would). Ratios are to the baseline in the same run (target:
``log`` ≤ 2×). The package's modules are byte-compiled first (as an installed
package is), and the commands run with an empty config file (``$WARROOM_CONFIG``),
so the user's settings play no part.

Run: ``python benchmarks/bench_cli.py [--repeat 15] [--entries 40]``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tui_bench_support import compile_package


def _prepare(db: Path, entries: int) -> None:
    """An ongoing incident: declared, SEV2, IC and scribe, ``entries`` notes."""
    from warroom.cli import main

    def run(*argv: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        if main(["--db", str(db), "--author", "bench", *argv], out=out, err=err) != 0:
            raise SystemExit(f"bench_cli: {' '.join(argv)} failed: {err.getvalue().strip()}")

    run("new", "Checkout payments failing in EU", "--sev", "2", "--service", "checkout")
    for text in ("/detected alert", "/ack", "/ic lena", "/scribe marcus", "/started"):
        run("log", "1", text)
    for n in range(entries):
        run("log", "1", f"/cmd kubectl get pods -n checkout # check {n}" if n % 5 == 0
            else f"p99 latency still above 2s on checkout, sample {n}")


def _timed(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit of ``argv`` (which must succeed)."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench_cli: {argv[3:]} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace').strip()}")
    return elapsed


def main() -> None:
    """Run the processes alternately and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--entries", type=int, default=40)
    args = parser.parse_args()
    compile_package()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="warroom-bench-cli-") as tmp:
        db = Path(tmp) / "bench.db"
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = dict(os.environ, WARROOM_CONFIG=str(config), WARROOM_AUTHOR="bench")
        env.pop("WARROOM_DB", None)
        env.pop("WARROOM_DEBUG", None)
        _prepare(db, args.entries)
        warroom = [python, "-m", "warroom", "--db", str(db)]
        runs: dict[str, list[float]] = {}
        for round_ in range(args.repeat):
            for name, argv in (
                ("baseline", [python, "-c", "import sqlite3, pydantic"]),
                ("log", [*warroom, "log", "1", f"bench note {round_}"]),
                ("show", [*warroom, "show", "1"]),
                ("list", [*warroom, "list"]),
            ):
                runs.setdefault(name, []).append(_timed(argv, env))
    m = {name: statistics.median(values) for name, values in runs.items()}
    base = m["baseline"]
    print(f"fresh processes, medians of {args.repeat} alternating runs "
          f"(incident of {args.entries + 6} entries)")
    labels = {
        "baseline": 'python -c "import sqlite3, pydantic"',
        "log": "warroom log 1 TEXT",
        "show": "warroom show 1",
        "list": "warroom list",
    }
    for name, label in labels.items():
        ratio = "" if name == "baseline" else f"   ratio {m[name] / base:.2f}x"
        target = "  (target ≤ 2x)" if name == "log" else ""
        print(f"  {label:<38}{m[name] * 1000:7.0f} ms{ratio}{target}")


if __name__ == "__main__":
    main()
