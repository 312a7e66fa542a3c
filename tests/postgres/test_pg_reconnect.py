"""The PostgreSQL store after the server restarts: it reconnects by itself and catches up."""

from __future__ import annotations

import contextlib
import os
import subprocess
from datetime import UTC

import pytest

from tests.support.entries import declared, note
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession
from warroom.store import Store, StoreUnavailableError

PG_CTL = "/usr/lib/postgresql/15/bin/pg_ctl"


def _data_dir() -> str:
    data = os.environ.get("WARROOM_TEST_PG_DATA", "").strip()
    if not data:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but $WARROOM_TEST_PG_DATA (the test server's folder) is not set")
        pytest.skip("restart tests need $WARROOM_TEST_PG_DATA (the test server's data folder)")
    return data


def _pg_ctl(*args: str) -> None:
    # No pipes: a started server would hold them open (and the run would wait for it).
    subprocess.run(["runuser", "-u", "postgres", "--", PG_CTL, "-D", _data_dir(), *args],
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def _start(dsn: str) -> None:
    """Start the server again on the same socket folder (the URI's ``host``)."""
    from urllib.parse import parse_qs, urlsplit

    socket_dir = parse_qs(urlsplit(dsn).query)["host"][0]
    _pg_ctl("-w", "-t", "60", "-l", os.path.join(socket_dir, "server.log"),
            "-o", f"-c listen_addresses='' -k {socket_dir}", "start")


@pytest.mark.slow
def test_the_store_reconnects_after_a_restart_and_catches_up(
    pg_dsn: str, frozen_time: FrozenTime
) -> None:
    _data_dir()
    with Store.open(pg_dsn) as store:
        record, _ = store.create_incident(declared())
        session = IncidentSession(store, record, time=frozen_time, tz=UTC)
        session.log("before the restart")
        _pg_ctl("-m", "fast", "-w", "stop")
        try:
            with pytest.raises(StoreUnavailableError, match="cannot reach the database server"):
                session.log("while it is down")
        finally:
            _start(pg_dsn)
        with Store.open(pg_dsn) as other:  # another seat writes after the restart
            other.append(record.id, note("from the other seat"))
        assert store.changed(), "a lost listener counts as a change (NOTIFYs were missed)"
        assert [e.text for e in session.refresh()] == ["from the other seat"]
        assert session.log("after the restart").id == 4
        assert [e.id for e in store.events(record.id)] == [1, 2, 3, 4]


def test_a_reconnect_to_a_replaced_database_writes_nothing_there(
    pg_dsn: str, frozen_time: FrozenTime
) -> None:
    """The database is dropped and set up again while a seat is open: its next write
    must not land in the new database's incident that happens to have the same id."""
    import psycopg

    from tests.pgserver import base_dsn
    from warroom.store.errors import DatabaseReplacedError
    from warroom.store.postgres import init_database

    with Store.open(pg_dsn) as store:
        record, _ = store.create_incident(declared())
        session = IncidentSession(store, record, time=frozen_time, tz=UTC)
        session.log("before the database was replaced")
        schema = store._read("test", "SELECT current_schema()", ())[0][0]
        pid = store._read("test", "SELECT pg_backend_pid()", ())[0][0]
        with psycopg.connect(base_dsn(), autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            admin.execute(f'CREATE SCHEMA "{schema}"')
        init_database(pg_dsn)
        with Store.open(pg_dsn) as other:  # the new database's first incident: same id
            fresh, _ = other.create_incident(declared())
        assert fresh.id == record.id
        with psycopg.connect(base_dsn(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(DatabaseReplacedError, match="no longer the database"):
            store.append(record.id, note("typed for the old incident"))
        with Store.open(pg_dsn) as other:
            assert len(other.events(fresh.id)) == 1  # only its declaration


def test_a_write_the_server_times_out_is_queued_and_sent_once_later(
    pg_dsn: str, frozen_time: FrozenTime, tmp_path
) -> None:
    """A slow server (a statement timeout behind a locked table) is like one out of
    reach: the entry is queued on the seat, not refused, and sent once it answers."""
    import psycopg

    from tests.support.entries import note as note_event
    from warroom.live import LiveSession
    from warroom.outbox.seat import SeatOutbox
    from warroom.store.postgres import PgStore

    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        record, _ = store.create_incident(declared())
        live = LiveSession(IncidentSession(store, record, time=frozen_time, tz=UTC))
        live.outbox = SeatOutbox(store, record.id, time=frozen_time, tz=UTC,
                                 path=tmp_path / "outbox.sqlite3")
        with store._using("test") as conn:
            conn.execute("SET statement_timeout = 300")
        with psycopg.connect(pg_dsn) as locker:  # a transaction holds the table's lock
            locker.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
            delivery = live.write(note_event("typed while the table is locked"),
                                  live.take_ticket(), "typed while the table is locked")
            assert delivery.queued is not None
            assert [e.line for e in delivery.queued] == ["typed while the table is locked"]
            assert live.down_since is not None
        assert live.poll() is not None  # the lock is gone: the queue is sent
        texts = [e.text for e in store.events(record.id)]
        assert texts.count("typed while the table is locked") == 1
        assert live.outbox.queued == []


class _SeatKilled(BaseException):
    """The seat dies (closed, killed) while a send hangs."""


def test_an_entry_whose_send_never_finishes_survives_the_seat_and_lands_once(
    pg_dsn: str, frozen_time: FrozenTime, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow or silent server: the send hangs and the seat is closed meanwhile. The
    entry was on disk in the outbox before it was sent: the next run sends it, once."""
    from tests.support.entries import note as note_event
    from warroom.live import LiveSession
    from warroom.outbox.seat import SeatOutbox
    from warroom.store.postgres import PgStore

    def seat(store: PgStore, record_id: int) -> LiveSession:
        live = LiveSession(IncidentSession(store, store.incident(record_id), time=frozen_time,
                                           tz=UTC))
        live.outbox = SeatOutbox(store, record_id, time=frozen_time, tz=UTC,
                                 path=tmp_path / "outbox.sqlite3")
        return live

    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        record, _ = store.create_incident(declared())
        first = seat(store, record.id)
        first.poll()
        with monkeypatch.context() as patched:
            def hang_then_die(new: object) -> None:
                raise _SeatKilled
            patched.setattr(first.session, "append", hang_then_die)
            with pytest.raises(_SeatKilled):
                first.write(note_event("typed as the seat died"), first.take_ticket(),
                            "typed as the seat died")
    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        second = seat(store, record.id)
        second.poll()  # the next run sends what the outbox holds
        second.poll()
        texts = [e.text for e in store.events(record.id)]
        assert texts.count("typed as the seat died") == 1


def test_entries_typed_behind_a_send_that_hangs_are_on_disk_in_order(
    pg_dsn: str, frozen_time: FrozenTime, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first send hangs; what is typed meanwhile waits for its turn on disk, not
    only in memory: the seat dies, the next run sends them all, once each, in order."""
    import threading

    from tests.support.entries import note as note_event
    from warroom.live import LiveSession
    from warroom.outbox.box import Outbox
    from warroom.outbox.seat import SeatOutbox
    from warroom.store.postgres import PgStore

    path = tmp_path / "outbox.sqlite3"

    def seat(store: PgStore, record_id: int) -> LiveSession:
        live = LiveSession(IncidentSession(store, store.incident(record_id), time=frozen_time,
                                           tz=UTC))
        live.outbox = SeatOutbox(store, record_id, time=frozen_time, tz=UTC, path=path)
        return live

    def on_disk() -> list[str]:
        with Outbox.open(path, create=False) as box:
            assert box is not None
            return [e.line for e in box.entries()]

    lines = ["first, its send hangs", "second, typed behind it", "third"]
    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        record, _ = store.create_incident(declared())
        first = seat(store, record.id)
        first.poll()
        entered, release = threading.Event(), threading.Event()

        def hang_then_die(new: object) -> None:
            entered.set()
            release.wait(60)
            raise _SeatKilled

        def write(line: str, ticket: int) -> None:
            with contextlib.suppress(_SeatKilled):
                first.write(note_event(line), ticket, line)

        monkeypatch.setattr(first.session, "append", hang_then_die)
        tickets = [first.take_ticket() for _ in lines]
        threads = [threading.Thread(target=write, args=(line, ticket))
                   for line, ticket in zip(lines, tickets, strict=True)]
        threads[0].start()
        assert entered.wait(60)
        for thread in threads[1:]:
            thread.start()
        for _ in range(600):  # until the writers waiting for their turn have kept theirs
            if len(on_disk()) == len(lines):
                break
            threading.Event().wait(0.05)
        assert on_disk() == lines  # the seat dies here: all of it is on disk, in order
        release.set()
        for thread in threads:
            thread.join(60)
        monkeypatch.undo()
    with PgStore.open(pg_dsn, clock=frozen_time) as store:
        second = seat(store, record.id)
        second.poll()
        texts = [e.text for e in store.events(record.id)][1:]
        assert texts == lines
