"""Crash harness: SIGKILL warroom writers at random moments and prove nothing is lost.

Usage::

    python benchmarks/crash_harness.py --kills 1000 [--seed 42] [--dir /tmp/crash]

A writer process (``tests/reliability/writer.py``) appends entries continuously and
prints ``ACK <id> <text>`` once each is committed. The harness kills it with SIGKILL
after a random delay (seeded; the seed is printed), restarts it, and repeats. The
writers rotate between the store (``IncidentSession.log``), the CLI's ``warroom log``
code path (in-process ``main``), the console driven headless through Pilot, and now
and then a real ``python -m warroom log`` process. To make hundreds of kills cheap,
writers are forked from a pre-imported server process (``writer.py serve``); the
exec'd ``warroom log`` runs pay the full start-up.

After every kill it checks that:

- ``PRAGMA integrity_check`` is ``ok`` and the store opens;
- event ids are contiguous (1..n) and every row decodes into an ``Event``;
- every stored note is exactly one of the texts a writer was asked to log (nothing
  half-written) and every acknowledged entry is there with exactly its text;
- every ``--check-every`` kills, the console opens the database headless and shows
  all n events.

Exit status 0 and a JSON report on the last line when every check passed; 1 and the
first failure otherwise.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "tests" / "reliability" / "writer.py"
#: The text prefix every harness entry starts with: ``r<run>-e<index>``.
PREFIX = re.compile(r"r(\d+)-e(\d+)(?: |$)")


class HarnessFailure(AssertionError):
    """A check failed: something acknowledged was lost, half-written, or the file is damaged."""


def load_writer() -> ModuleType:
    """``tests/reliability/writer.py`` as a module (for :func:`entry_text`)."""
    spec = importlib.util.spec_from_file_location("warroom_crash_writer", WRITER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_writer = load_writer()
entry_text: Callable[[int, int], str] = _writer.entry_text


def writer_env(db: Path, config: Path) -> dict[str, str]:
    """The environment of every writer: its own database and an empty config, UTC."""
    return {
        **os.environ,
        "WARROOM_DB": str(db),
        "WARROOM_CONFIG": str(config),
        "WARROOM_AUTHOR": "harness",
        "TZ": "UTC",
        "PYTHONUNBUFFERED": "1",
    }


# ------------------------------------------------------------------ lines
class LineReader:
    """Reads a pipe in a thread; :meth:`get` returns the next line or None on timeout."""

    def __init__(self, stream: IO[bytes]) -> None:
        """Start reading ``stream``."""
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._lines.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self._lines.put(None)

    def get(self, timeout: float) -> str | None:
        """The next line, or None if none came within ``timeout`` seconds (or the pipe ended)."""
        try:
            return self._lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None


class WriterServer:
    """The fork server (``writer.py serve``): one request in, ``PID``/lines/``EXIT`` out."""

    def __init__(self, env: dict[str, str]) -> None:
        """Start the server and wait until it has imported everything."""
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), "serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        self.lines = LineReader(self.proc.stdout)  # type: ignore[arg-type]
        self.errors = LineReader(self.proc.stderr)  # type: ignore[arg-type]
        self.expect("SERVING", timeout=60)

    def expect(self, word: str, timeout: float) -> str:
        """Skip blank lines; the next line must start with ``word``."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(deadline - time.monotonic())
            if line is None:
                raise HarnessFailure(
                    f"writer server: no {word!r} within {timeout} s{self._stderr()}"
                )
            if line.strip():
                if not line.startswith(word):
                    raise HarnessFailure(f"writer server: expected {word!r}, got {line[:200]!r}")
                return line

    def _stderr(self) -> str:
        tail: list[str] = []
        while (line := self.errors.get(0.05)) is not None:
            tail.append(line)
        return ("; stderr: " + " | ".join(tail[-20:])) if tail else ""

    def spawn(self, **request: Any) -> int:
        """Fork a writer child for ``request``; returns its pid."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        return int(self.expect("PID", timeout=30).split()[1])

    def close(self) -> None:
        """Stop the server (it is idle between children)."""
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"op": "quit"}\n')
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


# ------------------------------------------------------------------ checks
@dataclass
class Ledger:
    """What the writers acknowledged and what was already verified on disk."""

    acked: dict[int, str] = field(default_factory=dict)
    verified: dict[int, str] = field(default_factory=dict)
    truncated_acks: int = 0

    def take_ack(self, line: str, run: int) -> int | None:
        """Record an ``ACK <id> <text>`` line of writer run ``run``; returns the id if complete."""
        parts = line.split(" ", 2)
        if len(parts) < 3 or not parts[1].isdigit():
            self.truncated_acks += 1  # killed while printing the id
            return None
        event_id, text = int(parts[1]), parts[2]
        match = PREFIX.match(text)
        if match is None or int(match.group(1)) != run:
            if len(text) < 12:  # killed while printing the prefix
                self.truncated_acks += 1
                return None
            raise HarnessFailure(f"ACK for a text run {run} never wrote: {text[:80]!r}")
        expected = entry_text(run, int(match.group(2)))
        if text != expected:
            if expected.startswith(text):  # killed while printing the ACK: not acknowledged
                self.truncated_acks += 1
                return None
            raise HarnessFailure(f"ACK {event_id}: the writer reports another text than it sent")
        if event_id in self.acked and self.acked[event_id] != text:
            raise HarnessFailure(f"id {event_id} acknowledged twice with different texts")
        self.acked[event_id] = text
        return event_id


def check_database(db: Path, ledger: Ledger, incident_id: int = 1) -> int:
    """Every check of one round (see the module docstring); returns the number of events."""
    from warroom.domain.events import Event, NoteData
    from warroom.store import Store, StoreError

    conn = sqlite3.connect(db)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    if integrity != ["ok"]:
        raise HarnessFailure(f"integrity_check: {integrity[:5]}")
    try:
        with Store.open(db, create=False) as store:
            events = store.events(incident_id)
    except StoreError as error:
        raise HarnessFailure(f"the store does not open after the kill: {error}") from None
    ids = [e.id for e in events]
    if ids != list(range(1, len(ids) + 1)):
        raise HarnessFailure(f"ids are not contiguous 1..{len(ids)}: {ids[:3]}…{ids[-3:]}")
    for event in events[1:]:
        seen = ledger.verified.get(event.id)
        if seen is not None:
            if seen != event.text:
                raise HarnessFailure(f"event {event.id} changed after it was verified")
            continue
        Event.model_validate(event.model_dump())  # the whole envelope, strictly
        match = PREFIX.match(event.text)
        if match is None or event.text != entry_text(int(match.group(1)), int(match.group(2))):
            raise HarnessFailure(f"event {event.id} is not a text any writer sent (half-written?): "
                                 f"{event.text[:80]!r}")
        if not isinstance(event.data, NoteData):
            raise HarnessFailure(f"event {event.id} is a {event.kind}, not a note")
        ledger.verified[event.id] = event.text
    for event_id, text in ledger.acked.items():
        if event_id > len(events):
            raise HarnessFailure(f"acknowledged event {event_id} is missing ({len(events)} stored)")
        if events[event_id - 1].text != text:
            raise HarnessFailure(f"acknowledged event {event_id} has another text on disk")
    return len(events)


# ------------------------------------------------------------------ harness
@dataclass
class Report:
    """What a harness run did."""

    seed: int
    kills: int = 0
    kills_by_mode: dict[str, int] = field(default_factory=dict)
    acked_by_mode: dict[str, int] = field(default_factory=dict)
    acked: int = 0
    events: int = 0
    rows_checked: int = 0
    checks: int = 0
    console_checks: int = 0
    truncated_acks: int = 0
    elapsed_s: float = 0.0
    seconds_by_step: dict[str, float] = field(default_factory=dict)

    def took(self, step: str, since: float) -> None:
        """Add the time since ``since`` (monotonic) to ``step``."""
        spent = time.monotonic() - since
        self.seconds_by_step[step] = round(self.seconds_by_step.get(step, 0.0) + spent, 3)


def mode_for(kill: int, console_every: int, exec_every: int) -> str:
    """Which writer the ``kill``-th round uses."""
    if console_every and kill % console_every == console_every // 2:
        return "console"
    if exec_every and kill % exec_every == exec_every - 1:
        return "exec"
    return "cli" if kill % 3 == 2 else "store"


def _kill_child(server: WriterServer, pid: int, delay: float, run: int, ledger: Ledger) -> None:
    """Read the child's ACKs for ``delay`` seconds, SIGKILL it, read the rest until EXIT."""
    deadline = time.monotonic() + delay
    killed = False
    while True:
        timeout = deadline - time.monotonic() if not killed else 15.0
        if not killed and timeout <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            continue
        line = server.lines.get(timeout)
        if line is None:
            if killed:
                raise HarnessFailure(f"writer {pid} did not exit after SIGKILL")
            continue
        if line.startswith("ACK "):
            ledger.take_ack(line, run)
        elif line.startswith("EXIT "):
            status = int(line.split()[2])
            if not killed:
                raise HarnessFailure(f"writer {pid} ended by itself (status {status})")
            if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
                raise HarnessFailure(f"writer {pid} was not killed by SIGKILL (status {status})")
            return
        elif line.startswith("FAIL"):
            raise HarnessFailure(f"writer {pid} failed: {line[:300]}")
        elif line.startswith("READY") or not line.strip():
            continue
        elif not killed:
            raise HarnessFailure(f"unexpected writer output: {line[:200]!r}")
        else:
            ledger.truncated_acks += 1  # the tail of a line cut by the kill


def _wait_ready(server: WriterServer, pid: int, run: int, ledger: Ledger) -> None:
    deadline = time.monotonic() + 60
    while True:
        line = server.lines.get(deadline - time.monotonic())
        if line is None:
            raise HarnessFailure(f"console writer {pid} never became ready{server._stderr()}")
        if line.startswith("READY"):
            return
        if line.startswith("ACK "):
            ledger.take_ack(line, run)
        elif line.startswith(("FAIL", "EXIT")):
            raise HarnessFailure(f"console writer {pid}: {line[:300]}{server._stderr()}")


def _exec_round(db: Path, env: dict[str, str], rng: random.Random, run: int,
                ledger: Ledger) -> None:
    """One real ``python -m warroom log`` process, killed (or not) at a random moment."""
    text = entry_text(run, 0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "warroom", "log", "--json", "--author", f"exec{run}", "1", text],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        out, err = proc.communicate(timeout=rng.uniform(0.05, 0.8))
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        return
    if proc.returncode != 0 or err:
        raise HarnessFailure(f"warroom log failed: rc={proc.returncode} {err.decode()[-300:]}")
    stored = json.loads(out)
    ledger.take_ack(f"ACK {stored['id']} {stored['text']}", run)


def console_check(server: WriterServer, db: str, expected: int) -> None:
    """Open the console headless; it must load and show every event."""
    pid = server.spawn(op="spawn", mode="console-check", db=db)
    line = server.expect("CONSOLE", timeout=60)
    _, rows, last = line.split()
    if int(rows) != expected or int(last) != expected:
        raise HarnessFailure(
            f"the console shows {rows} rows (last #{last}), the store has {expected}"
        )
    status = int(server.expect("EXIT", timeout=30).split()[2])
    if status != 0:
        raise HarnessFailure(f"console check {pid} exited with status {status}")


def draft_survives_kill(server: WriterServer, db: str, text: str) -> str:
    """Type ``text`` in a console, do not send it, SIGKILL it, reopen: the restored draft."""
    pid = server.spawn(op="spawn", mode="draft", db=db, text=text)
    server.expect("DRAFT_TYPED", timeout=60)
    os.kill(pid, signal.SIGKILL)
    status = int(server.expect("EXIT", timeout=15).split()[2])
    if not os.WIFSIGNALED(status):
        raise HarnessFailure(f"draft console {pid} was not killed (status {status})")
    server.spawn(op="spawn", mode="draft-check", db=db)
    restored = json.loads(server.expect("DRAFT ", timeout=60).split(" ", 1)[1])
    server.expect("EXIT", timeout=30)
    return restored


def prepare(db: Path) -> None:
    """A fresh database with one incident (id 1)."""
    from warroom.service import declare_incident
    from warroom.store import Store

    with Store.open(db) as store:
        declare_incident(store, "Crash drill", severity=2, services=("checkout",),
                         at=datetime.now(UTC), author="harness")


def run_harness(
    kills: int,
    seed: int,
    workdir: Path,
    *,
    console_every: int = 25,
    exec_every: int = 25,
    check_every: int = 100,
    min_delay: float = 0.02,
    max_delay: float = 0.15,
    log: Callable[[str], None] = print,
) -> Report:
    """Kill ``kills`` writers; raise :class:`HarnessFailure` at the first broken promise."""
    started = time.monotonic()
    rng = random.Random(seed)
    log(f"crash harness: seed={seed} kills={kills} dir={workdir}")
    db = workdir / "crash.db"
    config = workdir / "config.toml"
    config.write_text("", encoding="utf-8")
    env = writer_env(db, config)
    prepare(db)
    report = Report(seed=seed)
    ledger = Ledger()
    server = WriterServer(env)
    try:
        for kill in range(kills):
            run = kill + 1
            mode = mode_for(kill, console_every, exec_every)
            before = len(ledger.acked)
            step = time.monotonic()
            if mode == "exec":
                _exec_round(db, env, rng, run, ledger)
            else:
                pid = server.spawn(op="spawn", mode=mode, db=str(db), run=run)
                delay = rng.uniform(min_delay, max_delay)
                if mode == "cli":  # a fresh config, store and session per entry: slower
                    delay = rng.uniform(min_delay, max_delay * 3)
                if mode == "console":  # killed after start-up, while entries go through the UI
                    _wait_ready(server, pid, run, ledger)
                    delay = rng.uniform(0.05, 1.5)
                _kill_child(server, pid, delay, run, ledger)
            report.took(mode, step)
            report.kills += 1
            report.kills_by_mode[mode] = report.kills_by_mode.get(mode, 0) + 1
            acked = len(ledger.acked) - before
            report.acked_by_mode[mode] = report.acked_by_mode.get(mode, 0) + acked
            step = time.monotonic()
            report.events = check_database(db, ledger)
            report.took("check", step)
            report.rows_checked += report.events
            report.checks += 1
            if check_every and (kill + 1) % check_every == 0:
                step = time.monotonic()
                console_check(server, str(db), report.events)
                report.took("console-check", step)
                report.console_checks += 1
            if (kill + 1) % 50 == 0:
                log(f"  {kill + 1} kills, {len(ledger.acked)} acknowledged, {report.events} events")
    finally:
        server.close()
    report.acked = len(ledger.acked)
    report.truncated_acks = ledger.truncated_acks
    report.elapsed_s = round(time.monotonic() - started, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="how many SIGKILLs (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="RNG seed (default: random)")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    parser.add_argument("--console-every", type=int, default=25)
    parser.add_argument("--exec-every", type=int, default=25)
    parser.add_argument("--check-every", type=int, default=100)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="warroom-crash-") as tmp:
        workdir = args.dir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            report = run_harness(
                args.kills, seed, workdir, console_every=args.console_every,
                exec_every=args.exec_every, check_every=args.check_every,
            )
        except HarnessFailure as failure:
            print(f"FAILED (seed={seed}): {failure}", file=sys.stderr)
            return 1
    print(json.dumps(asdict(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
