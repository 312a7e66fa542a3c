"""Other processes: change detection and concurrent appends."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from warroom.store import Store

_WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from warroom.domain.events import NewEvent, NoteData
from warroom.store import Store

path, incident, count, tag, go = sys.argv[1:6]
incident, count = int(incident), int(count)
with Store.open(path, create=False) as store:
    deadline = time.monotonic() + 60
    while go != "-" and not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    for i in range(count):
        event = store.append(incident, NewEvent(
            occurred_at=datetime.now(UTC), author=tag, text=f"{tag} {i}", data=NoteData()))
        print(event.id, flush=True)
"""


def _writer(path: Path, incident: int, count: int, tag: str, go: str = "-") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(incident), str(count), tag, go],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_changed_fires_for_another_process_not_for_own_commits(db_path: Path) -> None:
    with Store.open(db_path) as reader:
        record, _ = reader.create_incident(declared())
        assert reader.changed() is False
        reader.append(record.id, note("mine"))
        assert reader.changed() is False

        writer = _writer(db_path, record.id, 1, "other")
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert out.split() == ["3"]

        assert reader.changed() is True
        assert reader.changed() is False  # once per change
        assert [e.text for e in reader.events_since(record.id, 2)] == ["other 0"]
        reader.append(record.id, note("mine again"))
        assert reader.changed() is False


def test_changed_fires_for_another_connection_in_this_process(db_path: Path) -> None:
    with Store.open(db_path) as reader, Store.open(db_path) as other:
        record, _ = other.create_incident(declared())
        assert reader.changed() is True
        assert reader.changed() is False
        other.append(record.id, note("x"))
        assert reader.changed() is True
        assert other.changed() is False


@pytest.mark.slow
def test_four_processes_append_250_each_without_loss(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        record, _ = store.create_incident(declared())
    go = tmp_path / "go"
    writers = [_writer(db_path, record.id, 250, f"w{n}", str(go)) for n in range(4)]
    time.sleep(0.5)  # let every writer open the store before the start signal
    go.touch()
    results = [w.communicate(timeout=300) for w in writers]
    for writer, (_out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    reported = sorted(int(line) for out, _ in results for line in out.split())
    with Store.open(db_path) as store:
        events = store.events(record.id)
    appended = events[1:]
    assert len(appended) == 1000
    assert [e.id for e in events] == list(range(1, 1002))
    assert reported == list(range(2, 1002))  # every acknowledged id is stored, none twice
    for n in range(4):
        mine = [e.text for e in appended if e.author == f"w{n}"]
        assert mine == [f"w{n} {i}" for i in range(250)]  # each writer's order kept
