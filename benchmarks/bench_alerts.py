"""Benchmark: a burst of alert notifications through ``warroom alerts serve``.

Starts ``warroom alerts serve`` on loopback (a fresh SQLite database in a temporary
folder), then

- posts N distinct Alertmanager notifications (default 1,000: one new firing alert
  each, spread over G alert groups, so some declare an incident and the rest feed one)
  all at once, at most C requests in flight, and prints p50/p99/max of request → answer
  (the answer is sent after COMMIT, so this is request → commit as the sender sees it)
  and the burst's wall time;
- checks that every notification was recorded exactly once (one page entry per alert,
  every idempotency key once, one incident per group), then posts the same burst again
  and checks that nothing more is written;
- runs one ``warroom log`` per alert (a new process each, as an alert hook calling the
  CLI would) for L alerts in the same run, sequentially, and prints the same figures
  and the ratios against the receiver.

Run: ``python benchmarks/bench_alerts.py [--notifications N] [--groups G]
[--concurrency C] [--log-count L]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from warroom.domain.events import PageData
from warroom.store import Store

TOKEN = "bench-token-0123456789abcdef"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _figures(name: str, latencies_ms: list[float], wall_s: float) -> str:
    return (f"{name:<26} n={len(latencies_ms):>5}  p50 {statistics.median(latencies_ms):8.1f} ms"
            f"  p99 {_percentile(latencies_ms, 0.99):8.1f} ms"
            f"  max {max(latencies_ms):8.1f} ms  wall {wall_s:7.2f} s"
            f"  ({len(latencies_ms) / wall_s:7.1f}/s)")


def _notification(index: int, groups: int, start: datetime) -> dict[str, Any]:
    group = index % groups
    starts = (start + timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
    labels = {"alertname": f"BenchAlert{group}", "severity": "critical",
              "service": f"svc-{group}", "instance": f"host-{index}"}
    return {
        "version": "4", "status": "firing", "receiver": "warroom",
        "groupKey": f'{{}}:{{alertname="BenchAlert{group}"}}',
        "groupLabels": {"alertname": f"BenchAlert{group}"},
        "commonLabels": {"alertname": f"BenchAlert{group}", "severity": "critical"},
        "commonAnnotations": {"summary": f"Bench alert group {group}"},
        "externalURL": "http://alertmanager.invalid",
        "alerts": [{
            "status": "firing", "labels": labels,
            "annotations": {"summary": f"Bench alert {index}"},
            "startsAt": starts, "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": f"{index:016x}",
        }],
    }


def _start_server(folder: Path, db: Path) -> tuple[subprocess.Popen[bytes], str]:
    token = folder / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    token.chmod(0o600)
    config = folder / "config.toml"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "WARROOM_CONFIG": str(config)}
    log = folder / "serve.log"  # a file, not a pipe: an unread pipe would stall the server
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "warroom", "--db", str(db), "alerts", "serve",
             "--listen", "127.0.0.1:0", "--token-file", str(token)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sink, env=env,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = re.search(r"listening on (http://\S+)", log.read_text(errors="replace"))
        if found:
            return process, found.group(1)
        time.sleep(0.1)
    process.kill()
    raise SystemExit("alerts serve did not start: " + log.read_text(errors="replace"))


async def _burst(url: str, bodies: list[bytes], concurrency: int) -> tuple[list[float], float,
                                                                           list[dict[str, Any]]]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    latencies: list[float] = []
    answers: list[dict[str, Any]] = []
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(body: bytes) -> None:
            began = time.perf_counter()
            async with session.post(url + "/alertmanager", data=body, headers=headers) as reply:
                answer = await reply.json()
                if reply.status != 200:
                    raise SystemExit(f"HTTP {reply.status}: {answer}")
            latencies.append((time.perf_counter() - began) * 1000)
            answers.append(answer)

        began = time.perf_counter()
        await asyncio.gather(*(one(body) for body in bodies))
        wall = time.perf_counter() - began
    return latencies, wall, answers


def _check_once(db: Path, notifications: int, groups: int) -> None:
    with Store.open(db) as store:
        incidents = store.incidents()
        keys: Counter[str] = Counter()
        for record in incidents:
            for event in store.events(record.id):
                if isinstance(event.data, PageData):
                    keys[event.data.key] += 1
    assert len(incidents) == groups, f"{len(incidents)} incidents for {groups} groups"
    assert len(keys) == notifications, f"{len(keys)} distinct pages for {notifications}"
    assert set(keys.values()) == {1}, "a page was recorded twice"


def _log_baseline(folder: Path, count: int) -> tuple[list[float], float]:
    db = folder / "log.db"
    config = folder / "config.toml"
    env = {**os.environ, "WARROOM_CONFIG": str(config), "WARROOM_DB": str(db)}
    base = [sys.executable, "-m", "warroom"]
    subprocess.run([*base, "new", "Bench via warroom log", "--slug", "bench"], env=env,
                   check=True, capture_output=True)
    latencies: list[float] = []
    began = time.perf_counter()
    for index in range(count):
        start = time.perf_counter()
        subprocess.run([*base, "log", "bench", f"!BenchAlert firing on host-{index}"], env=env,
                       check=True, capture_output=True)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies, time.perf_counter() - began


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--log-count", type=int, default=100,
                        help="how many 'warroom log' runs the baseline times (default 100)")
    args = parser.parse_args()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    bodies = [json.dumps(_notification(i, args.groups, start)).encode()
              for i in range(args.notifications)]
    with tempfile.TemporaryDirectory(prefix="warroom-bench-alerts-") as tmp:
        folder = Path(tmp)
        (folder / "config.toml").write_text("", encoding="utf-8")
        db = folder / "alerts.db"
        server, url = _start_server(folder, db)
        try:
            latencies, wall, answers = asyncio.run(_burst(url, bodies, args.concurrency))
            written = sum(a["written"] for a in answers)
            _check_once(db, args.notifications, args.groups)
            replay, replay_wall, replay_answers = asyncio.run(
                _burst(url, bodies, args.concurrency))
            assert sum(a["written"] for a in replay_answers) == 0, "a replay wrote entries"
            _check_once(db, args.notifications, args.groups)
        finally:
            server.terminate()
            server.wait(30)
        log_latencies, log_wall = _log_baseline(folder, args.log_count)
    print(f"{args.notifications} notifications over {args.groups} alert groups, "
          f"{args.concurrency} in flight; {written} entries written, each alert once")
    print(_figures("alerts serve (burst)", latencies, wall))
    print(_figures("alerts serve (replay)", replay, replay_wall) + "  written 0")
    print(_figures("warroom log per alert", log_latencies, log_wall))
    per_log = log_wall / len(log_latencies)
    per_alert = wall / len(latencies)
    print(f"ratio, time per alert: warroom log / alerts serve = {per_log / per_alert:.1f}x "
          f"({per_log * 1000:.1f} ms vs {per_alert * 1000:.2f} ms)")
    print(f"ratio, p50 latency: warroom log / alerts serve = "
          f"{statistics.median(log_latencies) / statistics.median(latencies):.2f}x "
          "(the receiver's p50 includes queueing behind the whole burst)")


if __name__ == "__main__":
    main()
