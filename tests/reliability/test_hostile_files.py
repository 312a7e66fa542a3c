"""Hostile files: a clear one-line error, exit 1/2, the file untouched, the earlier record intact.

Covers ``warroom import`` of invalid UTF-8, truncated, oversized and wrongly shaped
JSON; a policy TOML with wrong types; databases that are newer, foreign, truncated,
in a read-only directory, or full (SQLite's ``max_page_count``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.export.json_export import MAX_EXPORT_BYTES
from warroom.store import Store

from .conftest import Env, assert_clean_failure, integrity

LATER = FrozenTime(T0 + timedelta(minutes=30))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(env: Env) -> list[Any]:
    with Store.open(env.db, create=False) as store:
        return [(r, store.events(r.id)) for r in store.incidents()]


@pytest.fixture
def recorded(env: Env) -> list[Any]:
    """An incident with a few entries; returns the snapshot of the whole database."""
    assert env.cli("new", "Files drill", "--sev", "2", time=FrozenTime(T0)).code == 0
    for n, line in enumerate(("/ic alice", "/tech bob", "rollback started")):
        at = FrozenTime(T0 + timedelta(minutes=n + 1))
        assert env.cli("log", "1", line, time=at).code == 0
    return _snapshot(env)


def _export(env: Env) -> str:
    result = env.cli("export", "1", "--format", "json", time=LATER)
    assert result.code == 0, result.err
    return result.out


# ------------------------------------------------------------------ import
def _bad_imports(valid: str) -> dict[str, bytes]:
    return {
        "invalid-utf8": valid.encode()[:200] + b"\xff\xfe\xfa" + valid.encode()[200:],
        "truncated": valid.encode()[: len(valid) // 2],
        "empty": b"",
        "not-json": b"hello, this is not json",
        "wrong-top-level": b"[1, 2, 3]",
        "wrong-format": b'{"format": "something-else", "format_version": 1}',
        "newer-format": valid.replace('"format_version": 1', '"format_version": 99').encode(),
        "events-not-a-list": valid.replace('"events": [', '"events": "no", "x": [', 1).encode(),
        "wrong-kind": valid.replace('"kind": "note"', '"kind": "teleport"', 1).encode(),
        "wrong-type": valid.replace('"id": 2,', '"id": "two",', 1).encode(),
        "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
        "nul-bytes": b"\x00" * 1000,
    }


@pytest.mark.parametrize("case", sorted(_bad_imports("{}")))
def test_bad_import_files_are_refused_clearly(env: Env, recorded: list[Any], case: str) -> None:
    valid = _export(env)
    assert '"kind": "note"' in valid and '"id": 2,' in valid
    path = env.dir / f"{case}.json"
    path.write_bytes(_bad_imports(valid)[case])
    digest = _digest(path)
    result = env.cli("import", str(path))
    line = assert_clean_failure(result)
    assert len(line) < 1000  # one line (the wrong-kind one lists every kind: verbose)
    assert _digest(path) == digest  # the file is untouched
    assert _snapshot(env) == recorded  # nothing was imported, nothing lost


def test_oversized_import_is_refused_before_it_is_read(env: Env, recorded: list[Any]) -> None:
    path = env.dir / "huge.json"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_EXPORT_BYTES + 1)
    line = assert_clean_failure(env.cli("import", str(path)))
    assert "MB" in line or "large" in line or "limit" in line
    assert path.stat().st_size == MAX_EXPORT_BYTES + 1
    assert _snapshot(env) == recorded


def test_import_over_an_existing_slug_changes_nothing(env: Env, recorded: list[Any]) -> None:
    path = env.dir / "same.json"
    path.write_text(_export(env), encoding="utf-8")
    assert_clean_failure(env.cli("import", str(path)))
    assert _snapshot(env) == recorded


# ------------------------------------------------------------------ policy
@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'checkpoint_minutes = "soon"\n', "checkpoint_minutes"),
        (b"checkpoint_minutes = -5\n", "checkpoint_minutes"),
        (b"[severity.1]\nack_minutes = [1, 2]\n", "ack_minutes"),
        (b"no_such_rule = 3\n", "no_such_rule"),
        (b"checkpoint_minutes = = 3\n", "TOML"),
        (b"checkpoint_minutes = 15 \xff\n", "UTF-8"),
    ],
)
def test_policy_file_with_wrong_types_is_a_clear_error(
    env: Env, recorded: list[Any], content: bytes, needle: str
) -> None:
    policy = env.dir / "policy.toml"
    policy.write_bytes(content)
    for argv in (("show", "1"), ("log", "1", "should not be written")):
        line = assert_clean_failure(env.cli("--policy", str(policy), *argv, time=LATER))
        assert needle in line, line
    assert policy.read_bytes() == content
    assert _snapshot(env) == recorded


# ------------------------------------------------------------------ databases
def _refused_untouched(env: Env, db: Path, needle: str) -> None:
    digest = _digest(db)
    for argv in (("list",), ("show", "1"), ("log", "1", "x"), ("new", "Another")):
        line = assert_clean_failure(env.cli("--db", str(db), *argv, time=LATER))
        assert needle in line.lower(), line
        assert _digest(db) == digest, argv
    assert not db.with_name(db.name + "-wal").exists()
    assert not db.with_name(db.name + "-journal").exists()


def _closed_copy(env: Env, name: str) -> Path:
    copy = env.dir / name
    conn = sqlite3.connect(env.db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(env.db, copy)
    return copy


def test_database_from_a_newer_schema_is_refused_untouched(env: Env, recorded: list[Any]) -> None:
    newer = _closed_copy(env, "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    _refused_untouched(env, newer, "newer")


def test_non_sqlite_file_is_refused_untouched(env: Env, recorded: list[Any]) -> None:
    other = env.dir / "notes.db"
    other.write_bytes(b"These are my notes, not a database.\n" * 200)
    _refused_untouched(env, other, "not")


def test_truncated_database_is_refused_untouched(env: Env, recorded: list[Any]) -> None:
    cut = _closed_copy(env, "cut.db")
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2 + 100])
    _refused_untouched(env, cut, "truncated")


def test_database_with_garbage_pages_is_refused_untouched(env: Env, recorded: list[Any]) -> None:
    broken = _closed_copy(env, "broken.db")
    data = bytearray(broken.read_bytes())
    page = 4096
    data[page: 3 * page] = os.urandom(2 * page)
    broken.write_bytes(bytes(data))
    _refused_untouched(env, broken, "corrupt")


def test_the_original_database_is_still_intact_after_all_that(
    env: Env, recorded: list[Any]
) -> None:
    _closed_copy(env, "a.db").write_bytes(b"garbage")
    assert integrity(env.db) == "ok"
    assert _snapshot(env) == recorded


def _as_nobody(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    prefix = []
    if os.geteuid() == 0:  # root ignores file modes: drop to nobody
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run([*prefix, *argv], capture_output=True, text=True, env=env, timeout=60)


def test_read_only_directory_is_a_clear_error_and_the_file_untouched(
    env: Env, shared_dir: Path
) -> None:
    folder = shared_dir / "ro"
    folder.mkdir()
    db = folder / "warroom.db"
    with Store.open(db, clock=FrozenTime(T0)) as store:
        from warroom.service import declare_incident

        declare_incident(store, "Read-only drill", severity=2, at=T0, author="a")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")  # no -wal left beside it
    conn.close()
    if os.geteuid() == 0:
        os.chown(db, 65534, 65534)
    folder.chmod(0o555)
    db.chmod(0o644)
    digest = _digest(db)
    environ = {**env.environ, "WARROOM_DB": str(db), "HOME": str(shared_dir)}
    config = shared_dir / "config.toml"
    config.write_text("", encoding="utf-8")
    config.chmod(0o644)
    environ["WARROOM_CONFIG"] = str(config)
    for argv in (["log", "1", "cannot write here"], ["new", "Another"]):
        result = _as_nobody([sys.executable, "-m", "warroom", *argv], environ)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1, result.stderr
        assert len(lines) == 1 and lines[0].startswith("warroom: error: "), result.stderr
        assert "writable" in lines[0] or "read-only" in lines[0], lines[0]
    assert _digest(db) == digest
    assert not (folder / "warroom.db-wal").exists()


def test_full_disk_is_a_clear_error_and_the_earlier_record_intact(
    env: Env, recorded: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import warroom.store.store as store_module

    real_connect = store_module.connect

    def full_connect(path: Path) -> sqlite3.Connection:
        conn = real_connect(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        return conn

    big = "rollback notes " + "y" * 20_000
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "connect", full_connect)
        for argv in (("log", "1", big), ("new", "Another " + "t" * 20_000)):
            line = assert_clean_failure(env.cli(*argv, time=LATER), (1,))
            assert "disk is full" in line and "nothing was written" in line
    assert _snapshot(env) == recorded
    assert integrity(env.db) == "ok"
    # With room again, writing works on the same file.
    assert env.cli("log", "1", "space is back", time=LATER).code == 0
