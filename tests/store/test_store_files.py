"""Hostile and unusual files: refused with a clear message, never modified."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.entries import declared, note
from warroom.store import (
    SCHEMA_VERSION,
    NotADatabaseError,
    SchemaTooNewError,
    Store,
    StoreError,
)


def _fingerprint(path: Path) -> tuple[str, int]:
    """Content hash and mtime of a file: both must survive a refusal."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def _make_db(path: Path, notes: int = 5, text: str = "x") -> None:
    with Store.open(path) as store:
        record, _ = store.create_incident(declared())
        store.append_many(record.id, [note(f"{text} {i}") for i in range(notes)])


def _assert_refused(path: Path, error: type[StoreError], match: str) -> None:
    before, sidecars = _fingerprint(path), _sidecars(path)
    with pytest.raises(error, match=match) as info:
        Store.open(path)
    assert "\n" not in str(info.value)
    assert _fingerprint(path) == before
    assert _sidecars(path) == sidecars


def test_new_database_and_sidecars_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "new.db"
    old = os.umask(0)  # even a permissive umask must not widen the mode
    try:
        with Store.open(path, create_parents=True) as store:
            store.create_incident(declared())
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    finally:
        os.umask(old)
    assert modes == {"new.db": 0o600, "new.db-wal": 0o600, "new.db-shm": 0o600}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_zero_length_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch(mode=0o644)
    with Store.open(path) as store:
        assert store.incidents() == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_empty_sqlite_database_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    with Store.open(path) as store:
        store.create_incident(declared())


def test_schema_too_new_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    _make_db(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    _assert_refused(path, SchemaTooNewError, "newer warroom")


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 50)
    _assert_refused(path, NotADatabaseError, "not an SQLite file")


def test_short_garbage_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "short.db"
    path.write_bytes(b"SQLite format 3\x00")
    _assert_refused(path, NotADatabaseError, "not an SQLite file")


@pytest.mark.parametrize("cut", ["mid-page", "whole-pages"])
def test_truncated_database_is_refused_untouched(tmp_path: Path, cut: str) -> None:
    path = tmp_path / "cut.db"
    _make_db(path, notes=300, text="y" * 200)
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size - 1000 if cut == "mid-page" else size - 4096 * 3)
    _assert_refused(path, NotADatabaseError, "truncated")


def test_corrupt_pages_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    _make_db(path, notes=300, text="z" * 200)
    with open(path, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    _assert_refused(path, NotADatabaseError, "corrupt")


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    _assert_refused(path, NotADatabaseError, "another program")


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path)
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no database at"):
        Store.open(missing, create=False)
    assert not missing.exists()


def test_creation_failure_is_a_store_error(tmp_path: Path, monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(StoreError, match=r"cannot create database .*Permission denied"):
        Store.open(tmp_path / "x.db")


# -- real permissions: run as an unprivileged user (root ignores file modes) -------------

_NOBODY = 65534
_OPEN_SNIPPET = """
import sys
from warroom.store import Store, StoreError
try:
    Store.open(sys.argv[1]).close()
except StoreError as exc:
    print(type(exc).__name__, exc)
    sys.exit(1)
print("opened")
"""


def _open_unprivileged(path: Path, owned: list[Path]) -> subprocess.CompletedProcess[str]:
    """Open ``path`` with Store in a child that cannot override permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        for item in owned:
            os.chown(item, _NOBODY, _NOBODY)
        prefix = ["setpriv", f"--reuid={_NOBODY}", f"--regid={_NOBODY}", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-c", _OPEN_SNIPPET, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_new_database_in_read_only_directory(shared_dir: Path) -> None:
    folder = shared_dir / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = _open_unprivileged(folder / "new.db", [folder])
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("StoreError cannot create database")
    assert "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_existing_database_in_read_only_directory_is_untouched(shared_dir: Path) -> None:
    folder = shared_dir / "ro"
    folder.mkdir()
    path = folder / "w.db"
    _make_db(path)
    before = _fingerprint(path)
    folder.chmod(0o555)
    result = _open_unprivileged(path, [folder, path])
    assert result.returncode == 1, result.stderr
    assert "directory" in result.stdout and "not writable" in result.stdout
    assert _fingerprint(path) == before


def test_read_only_database_file_is_untouched(shared_dir: Path) -> None:
    path = shared_dir / "ro.db"
    _make_db(path)
    path.chmod(0o444)
    before = _fingerprint(path)
    result = _open_unprivileged(path, [path])
    assert result.returncode == 1, result.stderr
    assert "not writable" in result.stdout
    assert _fingerprint(path) == before


def test_events_survive_a_reopen_after_refusal(tmp_path: Path) -> None:
    """A refused open leaves a good database next to it fully usable."""
    good = tmp_path / "good.db"
    _make_db(good)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00" * 4096)
    with pytest.raises(NotADatabaseError):
        Store.open(bad)
    with Store.open(good) as store:
        assert store.last_event_id(1) == 6
