"""Benchmark: entries typed while the PostgreSQL server is down, then sent when it is back.

Starts a throw-away PostgreSQL of its own (Debian's ``postgresql-15`` binaries,
``initdb`` as the ``postgres`` user into a temporary folder, a Unix socket only;
needs root), declares an incident, and then

- **baseline**: a script types N entries with ``warroom log`` (through the CLI's entry
  point, in one process) while the server is up, and a second seat (the console's
  live session, outside the UI) follows the incident;
- **outage**: the server is killed with SIGKILL; the script keeps typing at R entries
  a second for S seconds (every one is queued in the outbox: exit 0); the server is
  started again and ``warroom sync`` sends the queue. It prints how long the server
  took to come back, how long until every entry was committed, and until the second
  seat had shown them all; then that 0 were lost and 0 duplicated (every text once,
  ids gap-free), and the ratio of the send against typing the same entries while up.

Run: ``python benchmarks/bench_outage.py [--outage 30] [--rate 10]`` (``--outage 5``
for a quick run).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Server:
    """A PostgreSQL of the benchmark's own (see the module docstring)."""

    def __init__(self) -> None:
        """initdb into a fresh folder (not started)."""
        if not (PG_BIN / "initdb").exists() or os.geteuid() != 0:
            raise SystemExit(f"bench_outage: needs root and {PG_BIN} (postgresql-15)")
        self.folder = Path(tempfile.mkdtemp(prefix="warroom-bench-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        self.data = self.folder / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self.dsn = f"postgresql:///postgres?host={self.folder}&user=postgres"

    def _run(self, program: str, *args: str) -> int:
        return subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / program), *args],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=120).returncode

    def start(self) -> int:
        """Start (synchronous_commit on, fsync on); returns the attempts it took."""
        for attempt in range(1, 100):
            if self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                         "-o", f"-c listen_addresses='' -k {self.folder}", "start") == 0:
                return attempt
            time.sleep(0.1)  # old backends still exiting after a SIGKILL
        raise SystemExit("bench_outage: the server did not start again")

    def kill(self) -> None:
        """SIGKILL the postmaster."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        """Stop and delete."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _warroom(*argv: str) -> tuple[int, str, str]:
    from warroom.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


class SecondSeat(threading.Thread):
    """The console's live session on another seat: notes when it has shown a text."""

    def __init__(self, dsn: str, slug: str) -> None:
        """Open the incident as a second seat."""
        super().__init__(daemon=True)
        from warroom.live import LiveSession
        from warroom.service import IncidentSession
        from warroom.store import Store

        self.store = Store.open(dsn)
        session = IncidentSession(self.store, self.store.incident(slug))
        self.live = LiveSession(session)
        self.shown: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        """Follow the incident until told to stop."""
        while not self.stop.is_set():
            self.live.wait_for_change(0.05)
            delivery = self.live.poll()
            if delivery is not None:
                now = time.monotonic()
                for event in delivery.events:
                    self.shown.setdefault(event.text, now)
            if self.live.down_since is not None:
                time.sleep(0.05)

    def close(self) -> None:
        """Stop following."""
        self.stop.set()
        self.join(timeout=5)
        self.store.close()


def _type(dsn: str, slug: str, prefix: str, count: int, rate: float) -> tuple[int, int]:
    """Type ``count`` entries at ``rate`` a second; (exited 0, queued)."""
    ok = queued = 0
    start = time.monotonic()
    for index in range(count):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        code, _out, err = _warroom("log", slug, f"{prefix}-{index}", "--db", dsn)
        ok += code == 0
        queued += err.startswith("queued (server unreachable)")
    return ok, queued


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=30.0, help="seconds down (default 30)")
    parser.add_argument("--rate", type=float, default=10.0, help="entries a second (default 10)")
    args = parser.parse_args()
    count = round(args.outage * args.rate)
    work = Path(tempfile.mkdtemp(prefix="warroom-bench-outage-"))
    os.environ["WARROOM_OUTBOX"] = str(work / "outbox.sqlite3")
    os.environ["WARROOM_CONFIG"] = str(work / "config.toml")
    (work / "config.toml").write_text("", encoding="utf-8")
    server = Server()
    seat: SecondSeat | None = None
    try:
        server.start()
        assert _warroom("db", "init", "--db", server.dsn)[0] == 0
        code, out, err = _warroom("new", "Checkout API errors", "--db", server.dsn)
        assert code == 0, err
        slug = out.strip()
        seat = SecondSeat(server.dsn, slug)
        seat.start()

        began = time.monotonic()
        ok, queued = _type(server.dsn, slug, "up", count, args.rate * 1000)  # as fast as it goes
        typed_up = time.monotonic() - began
        while len(seat.shown) < count and time.monotonic() - began < 60:
            time.sleep(0.01)
        print(f"baseline: {count} entries typed while up in {typed_up:.2f} s "
              f"({count / typed_up:.0f}/s), {ok} exited 0, {queued} queued; the second seat "
              f"showed {len(seat.shown)}")

        server.kill()
        down_at = time.monotonic()
        ok, queued = _type(server.dsn, slug, "down", count, args.rate)
        print(f"outage:   {count} entries typed at {args.rate:g}/s during "
              f"{time.monotonic() - down_at:.1f} s down: {ok} exited 0, {queued} queued")
        restart = time.monotonic()
        attempts = server.start()
        back = time.monotonic()
        code, out, err = _warroom("sync", "--db", server.dsn)
        committed = time.monotonic()
        assert code == 0, err
        while time.monotonic() - back < 60 and not all(
                f"down-{i}" in seat.shown for i in range(count)):
            time.sleep(0.005)
        last_shown = max((seat.shown.get(f"down-{i}", float("nan")) for i in range(count)),
                         default=back)
        print(f"restart:  server accepting {back - restart:.2f} s after start "
              f"({attempts} attempt(s))")
        print(f"send:     all {count} committed {committed - back:.3f} s after the server was "
              f"back ({count / max(committed - back, 1e-9):.0f}/s); shown on the second seat "
              f"{last_shown - back:.3f} s after")
        print(f"ratio:    sending the queue / typing them while up = "
              f"{(committed - back) / typed_up:.2f}")

        from warroom.store import Store

        with Store.open(server.dsn) as store:
            events = store.events(store.incident(slug).id)
        texts = [e.text for e in events[1:]]
        expected = {f"{p}-{i}" for p in ("up", "down") for i in range(count)}
        lost = len(expected - set(texts))
        duplicated = len(texts) - len(set(texts))
        gap_free = [e.id for e in events] == list(range(1, len(events) + 1))
        print(f"check:    {lost} lost, {duplicated} duplicated, ids gap-free: {gap_free}; "
              f"{len(events)} events")
        if lost or duplicated or not gap_free:
            raise SystemExit(1)
    finally:
        if seat is not None:
            seat.close()
        server.remove()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
