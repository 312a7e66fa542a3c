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
- ``warroom list``: the incidents with their most urgent clock;
- for scale, ``one pydantic model``: ``BaseModel`` imported and one one-field model
  defined and validated, the floor of any command that validates with a pydantic
  model (pydantic loads most of its machinery on the first model it builds; here
  that alone is about 2x the baseline, in CPU time and in instruction counts);
- and ``python -c "import warroom.domain.events"``: the event models alone,
  which every entry is parsed into and validated by (the floor of ``log`` while
  validation goes through them).

The incident starts with a declaration, a severity, roles and a few dozen entries
(as an ongoing one would). Ratios are to the baseline in the same run (target:
``log`` ≤ 2×), for the wall time and for the CPU time (user + system) of the child,
which a machine busy with other work disturbs less. ``--against DIR`` also runs the
three commands from another copy of the package (``DIR/warroom``, e.g. an older
revision unpacked with ``git archive REV warroom | tar -x -C DIR``) in the same
rounds, for a before/after comparison on the same machine load. The package's
modules are byte-compiled first (as an installed package is), and the commands run
with an empty config file (``$WARROOM_CONFIG``), so the user's settings play no part.

Run: ``python benchmarks/bench_cli.py [--repeat 15] [--entries 40] [--against DIR]``.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
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


#: One pydantic model defined and validated: the floor of a command validating with one.
_ONE_MODEL = (
    "import sqlite3\nfrom pydantic import BaseModel\n"
    "class One(BaseModel):\n    x: int = 0\nOne(x=1)\n"
)


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Wall and CPU seconds from spawn to exit of ``argv`` in ``cwd`` (which must succeed)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench_cli: {argv[3:]} exited {done.returncode}: "
                         f"{done.stderr.decode(errors='replace').strip()}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    """Run the processes alternately and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--entries", type=int, default=40)
    parser.add_argument("--against", metavar="DIR", type=Path,
                        help="also run the commands from DIR/warroom (another revision)")
    args = parser.parse_args()
    compile_package()
    python = sys.executable
    import warroom

    # The package this script imports, first on the path (the children run in a
    # temporary folder, so ``-m`` does not pick up a ``warroom`` folder from the cwd).
    trees = {"": {"PYTHONPATH": str(Path(warroom.__file__).resolve().parents[1])}}
    if args.against is not None:
        import compileall

        compileall.compile_dir(args.against / "warroom", quiet=1)
        trees[" (against)"] = {"PYTHONPATH": str(args.against.resolve())}
    with tempfile.TemporaryDirectory(prefix="warroom-bench-cli-") as tmp:
        db = Path(tmp) / "bench.db"
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        env = dict(os.environ, WARROOM_CONFIG=str(config), WARROOM_AUTHOR="bench")
        for name in ("WARROOM_DB", "WARROOM_DEBUG", "PYTHONPATH"):
            env.pop(name, None)
        _prepare(db, args.entries)
        command = [python, "-m", "warroom", "--db", str(db)]
        runs: dict[str, list[tuple[float, float]]] = {}
        for round_ in range(args.repeat):
            runs.setdefault("baseline", []).append(
                _timed([python, "-c", "import sqlite3, pydantic"], env, tmp))
            runs.setdefault("one model", []).append(_timed([python, "-c", _ONE_MODEL], env, tmp))
            runs.setdefault("models", []).append(
                _timed([python, "-c", "import warroom.domain.events"], dict(env, **trees[""]), tmp))
            for suffix, extra in trees.items():
                for name, argv in (("log", ["log", "1", f"bench note {round_}{suffix}"]),
                                   ("show", ["show", "1"]), ("list", ["list"])):
                    runs.setdefault(name + suffix, []).append(
                        _timed([*command, *argv], dict(env, **extra), tmp))
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    print(f"fresh processes, medians of {args.repeat} alternating runs "
          f"(incident of {args.entries + 6} entries); wall and CPU (user + system)")
    labels = {"log": "warroom log 1 TEXT", "show": "warroom show 1", "list": "warroom list"}
    baseline = 'python -c "import sqlite3, pydantic"'
    print(f"  {baseline:<40}{wall['baseline'] * 1000:6.0f} ms wall"
          f"{cpu['baseline'] * 1000:12.0f} ms CPU")
    print(f"  {'one pydantic model':<40}{wall['one model'] * 1000:6.0f} ms wall "
          f"{wall['one model'] / wall['baseline']:4.2f}x{cpu['one model'] * 1000:6.0f} ms CPU "
          f"{cpu['one model'] / cpu['baseline']:4.2f}x  (any pydantic validation)")
    print(f"  {'import warroom.domain.events':<40}{wall['models'] * 1000:6.0f} ms wall "
          f"{wall['models'] / wall['baseline']:4.2f}x{cpu['models'] * 1000:6.0f} ms CPU "
          f"{cpu['models'] / cpu['baseline']:4.2f}x  (the event models alone)")
    for suffix in trees:
        for name, label in labels.items():
            key = name + suffix
            target = "  (target log ≤ 2x)" if name == "log" and not suffix else ""
            print(f"  {label + suffix:<40}{wall[key] * 1000:6.0f} ms wall "
                  f"{wall[key] / wall['baseline']:4.2f}x{cpu[key] * 1000:6.0f} ms CPU "
                  f"{cpu[key] / cpu['baseline']:4.2f}x{target}")


if __name__ == "__main__":
    main()
