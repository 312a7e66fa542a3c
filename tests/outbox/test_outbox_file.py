"""The outbox file on its own: private, durable, ordered; a damaged one refused and kept."""

from __future__ import annotations

import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.events import NewEvent, NoteData
from warroom.outbox.box import Outbox, OutboxCorruptError


def _note(text: str) -> NewEvent:
    return NewEvent(occurred_at=T0, author="tester", text=text, data=NoteData())


def _add(box: Outbox, text: str, database_id: str | None = "db-a", minutes: int = 0) -> int:
    entry = box.add(location="postgresql:///a", database_id=database_id, incident_ref="inc",
                    incident_id=None, line=text, event=_note(text), author="tester",
                    typed_at=T0 + timedelta(minutes=minutes))
    return entry.seq


def test_created_owner_only_in_a_private_folder(outbox_path: Path) -> None:
    assert Outbox.open(outbox_path, create=False) is None
    assert not outbox_path.exists()
    with Outbox.open(outbox_path, create=True) as box:
        assert box is not None
        _add(box, "one")
    assert stat.S_IMODE(outbox_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox_path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(outbox_path) as conn:  # what was promised durable is durable
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    lock = outbox_path.with_name(outbox_path.name + ".lock")
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None
        with box.sending(1.0) as held:
            assert held
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_a_loosened_file_is_made_private_again(outbox_path: Path) -> None:
    with Outbox.open(outbox_path, create=True):
        pass
    outbox_path.chmod(0o644)
    with Outbox.open(outbox_path, create=False):
        pass
    assert stat.S_IMODE(outbox_path.stat().st_mode) == 0o600


def test_entries_keep_the_typed_order_per_database(outbox_path: Path) -> None:
    with Outbox.open(outbox_path, create=True) as box:
        assert box is not None
        first = _add(box, "a1")
        _add(box, "b1", database_id="db-b")
        second = _add(box, "a2", minutes=1)
        unknown = _add(box, "a3", database_id=None)
        assert [e.line for e in box.pending("db-a")] == ["a1", "a2"]
        assert box.bind("postgresql:///a", "db-a") == 1  # typed before the db was known
        assert [e.line for e in box.pending("db-a")] == ["a1", "a2", "a3"]
        box.refuse(first, "you are not a member", T0)
        assert [e.line for e in box.pending("db-a")] == ["a2", "a3"]
        refused = box.entry(first)
        assert refused is not None and (refused.state, refused.reason) == (
            "refused", "you are not a member")
        assert box.count("db-a", state="refused") == 1
        box.landed(second)
        assert box.entry(second) is None
        assert [e.line for e in box.entries()] == ["a1", "b1", "a3"]
        assert box.requeue_refused("db-a") == 1
        assert [e.line for e in box.pending("db-a")] == ["a1", "a3"]
        event = box.pending("db-a")[0].new_event()
        assert (event.text, event.occurred_at) == ("a1", T0)
        assert unknown > first


def test_the_target_cache_remembers_each_uri(outbox_path: Path) -> None:
    with Outbox.open(outbox_path, create=True) as box:
        assert box is not None
        assert box.identity_of("postgresql:///a") is None
        box.remember("postgresql:///a", "db-a", "alice", T0)
        box.remember("postgresql:///a", "db-a", "alice", T0)
        assert box.identity_of("postgresql:///a") == ("db-a", "alice")


@pytest.mark.parametrize("content", [
    b"this is not a database at all\n" * 50,
    b"SQLite format 3\x00" + b"\xff" * 4000,
])
def test_a_damaged_outbox_is_refused_and_kept(outbox_path: Path, content: bytes) -> None:
    outbox_path.parent.mkdir(parents=True)
    outbox_path.write_bytes(content)
    with pytest.raises(OutboxCorruptError) as caught:
        Outbox.open(outbox_path, create=True)
    message = str(caught.value)
    assert "\n" not in message and str(outbox_path) in message
    assert "damaged" in message and "left as it is" in message
    assert outbox_path.read_bytes() == content


def test_another_sqlite_file_is_not_taken_for_an_outbox(outbox_path: Path) -> None:
    outbox_path.parent.mkdir(parents=True)
    with sqlite3.connect(outbox_path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    before = outbox_path.read_bytes()
    with pytest.raises(OutboxCorruptError, match="not a warroom outbox"):
        Outbox.open(outbox_path, create=False)
    assert outbox_path.read_bytes() == before


def test_a_directory_in_its_place_is_refused(outbox_path: Path) -> None:
    outbox_path.mkdir(parents=True)
    with pytest.raises(OutboxCorruptError, match="not a regular file"):
        Outbox.open(outbox_path, create=True)


def test_only_one_process_sends_at_a_time(outbox_path: Path) -> None:
    with Outbox.open(outbox_path, create=True) as one, \
            Outbox.open(outbox_path, create=False) as two:
        assert one is not None and two is not None
        with one.sending(1.0) as held:
            assert held
            with two.sending(0.05) as also:
                assert not also  # flock is per open file: the second one waits, then gives up
        with two.sending(0.05) as now:
            assert now
