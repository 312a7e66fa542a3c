"""Opening the database while another process checkpoints it: never a false refusal.

When the last connection to a WAL database closes, SQLite copies the WAL into the
file (page 1, with the new page count, before the pages that grow the file), then
deletes the WAL. ``Store.open`` first looks at the raw header (``check_header``);
a look in that window used to see a header larger than the file and no WAL ("is
truncated … refused"), or a WAL that vanished between ``exists()`` and ``stat()``
(a ``FileNotFoundError`` that ``Store.open`` took for a missing database: "no
warroom database at …"). Either made a ``warroom log`` fail while another terminal
wrote: the flaky ``test_four_writers_250_log_runs_each``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from warroom.store import NotADatabaseError, Store, schema


def _make_db(path: Path, notes: int) -> None:
    with Store.open(path) as store:
        record, _ = store.create_incident(declared())
        store.append_many(record.id, [note("y" * 300) for _ in range(notes)])


def test_a_header_read_mid_checkpoint_is_not_called_truncated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "busy.db"
    _make_db(path, notes=300)
    whole = path.read_bytes()
    # The file as a look mid-checkpoint finds it: page 1 already says N pages, the
    # last pages not written yet, and no WAL beside it any more when it is looked for.
    path.write_bytes(whole[: len(whole) - 4096 * 3])
    real_wal_pending = schema._wal_pending

    def checkpoint_finishes(db: Path) -> bool:
        pending = real_wal_pending(db)
        path.write_bytes(whole)  # the checkpointer writes the rest, then deletes the WAL
        return pending

    monkeypatch.setattr(schema, "_wal_pending", checkpoint_finishes)
    assert schema.check_header(path) is False
    with Store.open(path) as store:
        assert len(store.events(1)) == 301


def test_a_file_that_stays_cut_short_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.db"
    _make_db(path, notes=300)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size - 4096 * 3)
    with pytest.raises(NotADatabaseError, match="truncated"):
        schema.check_header(path)


_WRITER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime
    from warroom.domain.events import NewEvent, NoteData
    from warroom.store import Store
    path = sys.argv[1]
    for i in range(100_000):  # until killed: each close checkpoints and deletes the WAL
        with Store.open(path) as store:
            store.append(1, NewEvent(occurred_at=datetime.now(UTC), author="w",
                                     text=f"n{i} " + "x" * 20_000, data=NoteData()))
""")


@pytest.mark.slow
def test_header_checks_during_real_checkpoints_never_refuse(tmp_path: Path) -> None:
    """Another process checkpoints over and over while the header is checked.

    With the old check this refused a healthy file a few times per 10,000 looks
    (about one per second of looking, here).
    """
    path = tmp_path / "live.db"
    _make_db(path, notes=1)
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)])
    try:
        wal = path.with_name(path.name + "-wal")
        checkpoints_seen = 0
        wal_was_there = False
        start = time.monotonic()
        while time.monotonic() - start < (3.0 if checkpoints_seen else 60.0):
            assert writer.poll() is None, "the writer process stopped"
            schema.check_header(path)  # raises on a (false) refusal
            there = wal.exists()
            checkpoints_seen += wal_was_there and not there
            wal_was_there = there
    finally:
        writer.kill()
        writer.wait()
    assert checkpoints_seen > 0  # the writer's closes did checkpoint meanwhile
