"""``warroom log`` against a server that cannot be reached: queued, told, exit 0."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.outbox.conftest import UNREACHABLE, run
from tests.support.times import T0
from warroom.outbox.box import Outbox


def _entries(path: Path) -> list[tuple[str, str | None, str]]:
    with Outbox.open(path, create=False) as box:
        assert box is not None
        return [(e.line, e.incident_ref, e.state) for e in box.entries()]


def test_an_entry_typed_while_the_server_is_unreachable_is_queued(outbox_path: Path) -> None:
    result = run("log", "checkout-down", "rollback started", "--db", UNREACHABLE)
    assert (result.code, result.out) == (0, "")
    assert result.err.startswith("queued (server unreachable): rollback started ")
    assert "incident checkout-down" in result.err and "typed 14:00:00" in result.err
    assert "cannot reach the database server" in result.err
    assert result.err.count("\n") == 1
    assert _entries(outbox_path) == [("rollback started", "checkout-down", "queued")]
    assert stat.S_IMODE(outbox_path.stat().st_mode) == 0o600
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None
        entry = box.entries()[0]
        new = entry.new_event()
        assert entry.typed_at == T0 and new.occurred_at == T0  # event time: when typed
        assert entry.database_id is None  # this seat never reached that server
        assert len(entry.client_id) == 32


def test_relative_times_are_read_from_the_moment_typed(outbox_path: Path) -> None:
    assert run("log", "@-5m /detected alert", "--db", UNREACHABLE).code == 0
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None
        new = box.entries()[0].new_event()
    assert new.kind == "detected" and (T0 - new.occurred_at).total_seconds() == 300


def test_a_malformed_entry_is_refused_at_once_and_not_queued(outbox_path: Path) -> None:
    result = run("log", "/nosuch thing", "--db", UNREACHABLE)
    assert result.code == 2 and result.err.startswith("warroom: error: unknown command /nosuch")
    assert not outbox_path.exists() or _entries(outbox_path) == []


def test_author_is_refused_on_postgresql_even_offline(outbox_path: Path) -> None:
    result = run("log", "hello", "--author", "bob", "--db", UNREACHABLE)
    assert result.code == 2 and "--author is not used with PostgreSQL" in result.err
    assert _entries(outbox_path) == []


def test_a_damaged_outbox_means_nothing_stored_and_the_file_kept(outbox_path: Path) -> None:
    outbox_path.parent.mkdir(parents=True)
    outbox_path.write_bytes(b"garbage" * 100)
    result = run("log", "rollback started", "--db", UNREACHABLE)
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1
    assert "cannot queue the entry" in result.err and "damaged" in result.err
    assert "nothing was stored" in result.err
    assert outbox_path.read_bytes() == b"garbage" * 100
    listed = run("sync", "--list")
    assert listed.code == 1 and "damaged" in listed.err and listed.err.count("\n") == 1


def test_sync_lists_and_exports_without_connecting(outbox_path: Path, tmp_path: Path) -> None:
    assert run("sync", "--list").out == "the outbox is empty\n"
    run("log", "one", "--db", UNREACHABLE)
    run("log", "inc-2", "two\x1b]0;evil\x07", "--db", UNREACHABLE)
    listed = run("sync", "--list", "--db", UNREACHABLE)
    lines = listed.out.splitlines()
    assert listed.code == 0 and len(lines) == 2
    assert "queued" in lines[0] and "the open incident: one" in lines[0]
    assert "incident inc-2: two" in lines[1] and "\x1b" not in listed.out
    target = tmp_path / "queued.json"
    exported = run("sync", "--export", str(target))
    assert exported.code == 0 and exported.err == f"exported 2 entries to {target}\n"
    document = json.loads(target.read_text())
    assert [e["line"] for e in document["entries"]] == ["one", "two\x1b]0;evil\x07"]
    assert document["entries"][0]["typed_at"] == "2026-11-27T14:00:00+00:00"
    assert run("sync", "--export", str(target)).code == 1  # never a silent overwrite
    assert run("sync", "--export", str(target), "--force").code == 0


def test_sync_says_what_stays_queued_when_the_server_is_unreachable(outbox_path: Path) -> None:
    run("log", "one", "--db", UNREACHABLE)
    result = run("sync", "--db", UNREACHABLE)
    assert result.code == 1 and result.err.count("\n") == 1
    assert result.err.endswith("1 entry stays queued\n")
    assert _entries(outbox_path) == [("one", None, "queued")]


def test_sync_on_an_sqlite_database_says_there_is_nothing_to_send(tmp_path: Path) -> None:
    result = run("sync", "--db", str(tmp_path / "local.db"))
    assert result.code == 1 and "SQLite file, which is always written directly" in result.err


def test_the_real_command_queues_and_exits_zero(outbox_path: Path) -> None:
    env = {**os.environ}
    proc = subprocess.run([sys.executable, "-m", "warroom", "log", "from a shell", "--db",
                           UNREACHABLE], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr.startswith("queued (server unreachable): from a shell ")
    assert _entries(outbox_path) == [("from a shell", None, "queued")]


def test_a_command_that_cannot_reach_the_server_says_what_waits_on_this_seat(
    outbox_path: Path,
) -> None:
    """Restarting a seat while the server is away: the one line says what is waiting."""
    result = run("list", "--db", UNREACHABLE)
    assert result.code == 1 and "outbox" not in result.err  # nothing waits
    assert run("log", "rollback started", "--db", UNREACHABLE).code == 0
    assert run("log", "error rate falling", "--db", UNREACHABLE).code == 0
    for command in (("list",), ("open", "checkout-down")):
        result = run(*command, "--db", UNREACHABLE)
        assert result.code == 1 and result.err.count("\n") == 1, command
        assert result.err.startswith("warroom: error: cannot reach the database server")
        assert "2 entries typed on this seat wait in its outbox" in result.err, command
    assert _entries(outbox_path) == [("rollback started", None, "queued"),
                                     ("error rate falling", None, "queued")]
