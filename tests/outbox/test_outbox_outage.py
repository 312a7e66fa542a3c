"""Writers keep logging while the server is SIGKILLed and restarted twice: nothing lost.

A PostgreSQL of this module's own (never the shared one). Four writer processes each
run 200 ``warroom log`` commands (through the CLI's entry point, one after the
other, sharing one seat's outbox); meanwhile the test kills the postmaster with
SIGKILL twice and starts it again. After ``warroom sync`` every entry whose command
exited 0 is in the database exactly once, ids are gap-free and each writer's entries
are in the order it typed them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.outbox.cluster import Cluster
from tests.outbox.conftest import run
from warroom.domain.timesource import SystemTime
from warroom.outbox.box import Outbox
from warroom.store import Store
from warroom.store.postgres import init_database

WRITERS, EACH = 4, 200

_WRITER = textwrap.dedent(
    """
    import io, json, sys
    from warroom.cli import main

    dsn, slug, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    codes, queued, errors = [], 0, []
    for i in range(count):
        out, err = io.StringIO(), io.StringIO()
        code = main(["log", slug, f"{name}-{i}", "--db", dsn], out=out, err=err)
        codes.append(code)
        queued += "queued (server unreachable)" in err.getvalue()
        if code != 0:
            errors.append(err.getvalue().strip())
    print(json.dumps({"codes": codes, "queued": queued, "errors": errors[:5]}))
    """
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """This module's own server."""
    server = Cluster()
    try:
        server.start()
        init_database(server.dsn)
        yield server
    finally:
        server.remove()


def _landed(dsn: str, incident: int) -> int | None:
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=2) as conn:
            row = conn.execute("SELECT last_seq FROM incidents WHERE id = %s",
                               (incident,)).fetchone()
            return int(row[0]) if row else None
    except psycopg.Error:
        return None


@pytest.mark.slow
def test_four_writers_through_two_server_kills_lose_nothing(
    cluster: Cluster, outbox_path: Path
) -> None:
    dsn = cluster.dsn
    declared = run("new", "Checkout API errors", "--db", dsn, time=SystemTime())
    assert declared.code == 0, declared.err
    slug = declared.out.strip()
    with Store.open(dsn) as store:
        incident = store.incident(slug).id
    env = {**os.environ, "WARROOM_OUTBOX": str(outbox_path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, dsn, slug, f"w{n}", str(EACH)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for n in range(WRITERS)
    ]
    kills, deadline = 0, time.monotonic() + 180
    for threshold in (WRITERS * EACH // 5, WRITERS * EACH // 2):
        while (_landed(dsn, incident) or 0) < threshold:
            assert time.monotonic() < deadline, "the writers made no progress"
            assert any(w.poll() is None for w in writers), "the writers ended before the kill"
            time.sleep(0.05)
        cluster.kill()
        kills += 1
        time.sleep(1.0)  # writers keep typing against a dead server
        cluster.start()
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
        results.append(json.loads(out))
    synced = run("sync", "--db", dsn, time=SystemTime())
    assert synced.code == 0, synced.err

    codes = [code for result in results for code in result["codes"]]
    queued = sum(result["queued"] for result in results)
    errors = [e for result in results for e in result["errors"]]
    with Store.open(dsn) as store:
        events = store.events(incident)
    texts = [e.text for e in events[1:]]
    ok = {f"w{n}-{i}" for n, result in enumerate(results)
          for i, code in enumerate(result["codes"]) if code == 0}
    print(f"\n{WRITERS}x{EACH} warroom log, {kills} SIGKILLs: {codes.count(0)} exited 0, "
          f"{queued} queued while unreachable, {len(events) - 1} events after sync "
          f"({synced.out.strip().splitlines()[-1]})")
    assert kills == 2 and queued > 0, "the outage was not felt: nothing was queued"
    assert codes.count(0) == WRITERS * EACH, errors  # nothing typed was refused
    assert [e.id for e in events] == list(range(1, len(events) + 1))  # gap-free
    assert len(texts) == len(set(texts)), "an entry landed twice"
    assert ok <= set(texts), f"lost: {sorted(ok - set(texts))[:10]}"
    for n in range(WRITERS):  # in the order each writer typed them
        mine = [t for t in texts if t.startswith(f"w{n}-")]
        assert mine == [f"w{n}-{i}" for i in range(EACH)]
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None and box.entries() == []
