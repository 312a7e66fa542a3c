"""Hostile database paths: only a regular file is a database; nothing else is touched.

Devices, FIFOs, sockets, directories and links to them are refused in one line,
without blocking and without a byte or a mode changed; a read-only command (show,
list, export) never creates, initialises or chmods anything; an empty path (an
unset shell variable) is refused instead of falling back to another database; a
database the user cannot write is still shown, read-only.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.store import SqliteStore, Store

from .conftest import Env, assert_clean_failure

READ_ONLY = (("show", "1"), ("list",), ("export", "1"), ("list", "--json"))
WRITERS = (("log", "1", "an entry"),)


def _state(path: Path) -> tuple[int, int, int] | None:
    """Mode, size and inode of ``path`` (not following links), or None if missing."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return info.st_mode, info.st_size, info.st_ino


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.fixture
def device(tmp_path: Path) -> Iterator[Path]:
    """A character device like ``/dev/null``: a private node as root, else the real one
    (which an unprivileged run cannot chmod or write beside anyway)."""
    if os.geteuid() == 0:
        node = tmp_path / "null"
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        yield node
    else:
        yield Path("/dev/null")


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.db"
    os.mkfifo(path)
    return path


def _socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock.db"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        yield path
    finally:
        server.close()


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    """A listening Unix socket in the test folder."""
    yield from _socket(tmp_path)


def test_a_device_is_never_chmodded_nor_written_beside(env: Env, device: Path) -> None:
    before = _state(device)
    folder_before = _siblings(device) if device.parent != Path("/dev") else None
    for argv in (*READ_ONLY, *WRITERS, ("new", "On a device"), ("import", str(device))):
        line = assert_clean_failure(env.cli("--db", str(device), *argv), (1,))
        assert "character device" in line and "not a regular file" in line, line
    assert _state(device) == before
    assert not Path(f"{device}-journal").exists() and not Path(f"{device}-wal").exists()
    if folder_before is not None:
        assert _siblings(device) == folder_before


@pytest.mark.parametrize("kind", ["fifo", "directory", "socket", "link-to-fifo", "link-to-dir"])
def test_other_non_regular_paths_are_refused_without_blocking(
    env: Env, tmp_path: Path, kind: str, unix_socket: Path
) -> None:
    target: Path
    if kind in ("fifo", "link-to-fifo"):
        target = _fifo(tmp_path)
    elif kind in ("directory", "link-to-dir"):
        target = tmp_path / "dir.db"
        target.mkdir()
    else:
        target = unix_socket
    path = target
    if kind.startswith("link-to"):
        path = tmp_path / "link.db"
        path.symlink_to(target)
    before = {p: _state(p) for p in (path, target)}
    names = _siblings(path)
    for argv in (("show",), ("list",), ("log", "note"), ("new", "Title"), ()):
        # A real process with a timeout: a FIFO opened for reading would block forever.
        result = env.run("--db", str(path), *argv, timeout=30)
        line = assert_clean_failure(result, (1,))
        assert "not a regular file" in line, line
    assert {p: _state(p) for p in (path, target)} == before
    assert _siblings(path) == names


@pytest.mark.parametrize("argv", READ_ONLY + WRITERS + ((),), ids=" ".join)
def test_an_empty_file_is_refused_untouched_except_by_new(
    env: Env, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    path = tmp_path / "empty.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    before = _state(path)
    result = env.run("--db", str(path), *argv, timeout=30)
    line = assert_clean_failure(result, (1,))
    assert "empty file" in line and "not a warroom database" in line, line
    assert _state(path) == before
    assert _siblings(path) == {"empty.db", "config.toml"}


def test_new_may_initialise_an_empty_regular_file(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert env.cli("--db", str(path), "new", "Into an empty file").code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_read_only_commands_create_nothing(env: Env, tmp_path: Path,
                                           argv: tuple[str, ...]) -> None:
    path = tmp_path / "absent.db"
    line = assert_clean_failure(env.cli("--db", str(path), *argv), (1,))
    assert "no database at" in line and "warroom new" in line
    assert not path.exists() and _siblings(path) == {"config.toml"}


def test_a_missing_folder_gets_the_right_advice(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "x.db"
    for argv in (("list",), ("show",), ("log", "note")):
        line = assert_clean_failure(env.cli("--db", str(path), *argv), (1,))
        assert "folder" in line and "does not exist" in line, line
        assert "warroom new" not in line
    assert not path.parent.exists()


def test_read_only_commands_leave_a_healthy_database_byte_identical(
    env: Env, tmp_path: Path
) -> None:
    assert env.cli("new", "Checkout", "--sev", "2", time=FrozenTime(T0)).code == 0
    conn = sqlite3.connect(env.db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = env.db.read_bytes(), stat.S_IMODE(env.db.stat().st_mode)
    for argv in READ_ONLY:
        assert env.cli(*argv, time=FrozenTime(T0)).code == 0
    assert (env.db.read_bytes(), stat.S_IMODE(env.db.stat().st_mode)) == before


@pytest.mark.parametrize("how", ["--db", "WARROOM_DB", "config"])
def test_an_empty_database_path_is_refused(env: Env, how: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``--db "$UNSET"`` must not write to the default (or any other) database."""
    if how == "--db":
        result = env.cli("--db", "", "new", "Wrong place")
    elif how == "WARROOM_DB":
        monkeypatch.setenv("WARROOM_DB", "")
        result = env.cli("new", "Wrong place")
    else:
        monkeypatch.delenv("WARROOM_DB")
        env.config.write_text('db = ""\n', encoding="utf-8")
        result = env.cli("new", "Wrong place")
    line = assert_clean_failure(result, (1,))
    assert "empty" in line, line
    assert not env.db.exists()


def test_a_warroom_header_without_tables_is_refused_before_any_change(
    env: Env, tmp_path: Path
) -> None:
    path = tmp_path / "hollow.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1465011505")  # "WRM1"
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = path.read_bytes()
    for argv in (("show",), ("log", "note"), ("new", "Title")):
        line = assert_clean_failure(env.cli("--db", str(path), *argv), (1,))
        assert "not its tables" in line, line
    assert path.read_bytes() == before  # still in rollback-journal mode: not switched to WAL
    assert not Path(f"{path}-wal").exists()


def _as_nobody(argv: list[str], environ: dict[str, str]) -> tuple[int, str, str]:
    import subprocess

    prefix = []
    if os.geteuid() == 0:  # root ignores file modes: drop to nobody
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    proc = subprocess.run([*prefix, *argv], capture_output=True, text=True, env=environ,
                          timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_read_only_database_can_still_be_read(env: Env, shared_dir: Path, where: str) -> None:
    folder = shared_dir / "ro"
    folder.mkdir()
    db = folder / "warroom.db"
    with Store.open(db, clock=FrozenTime(T0)) as store:
        from warroom.service import declare_incident

        declare_incident(store, "Read-only drill", severity=2, at=T0, author="a")
    if os.geteuid() == 0:  # the commands run as nobody, who owns what a user would own
        os.chown(db, 65534, 65534)
        os.chown(folder, 65534, 65534)
    if where == "file":
        db.chmod(0o444)  # the folder stays writable
    else:
        db.chmod(0o644)
        folder.chmod(0o555)
    config = shared_dir / "config.toml"
    config.write_text("", encoding="utf-8")
    config.chmod(0o644)
    environ = {**env.environ, "WARROOM_DB": str(db), "HOME": str(shared_dir),
               "WARROOM_CONFIG": str(config)}
    digest = db.read_bytes()
    for argv in (["show", "1"], ["list"], ["export", "1"], ["show", "1", "--json"]):
        code, out, err = _as_nobody([sys.executable, "-m", "warroom", *argv], environ)
        assert code == 0, (argv, err)
        assert "Read-only drill" in out
    code, _out, err = _as_nobody([sys.executable, "-m", "warroom", "log", "1", "x"], environ)
    assert code == 1 and ("writable" in err or "read-only" in err), err
    assert db.read_bytes() == digest


async def test_the_console_on_a_read_only_store_says_so_and_saves_nothing(
    env: Env, tmp_path: Path
) -> None:
    """A database the user cannot write is shown read-only: a notice, and no entry stored."""
    from warroom.config import Config
    from warroom.domain.policy import DEFAULT_POLICY
    from warroom.tui.factory import make_app
    from warroom.tui.screens.war_room import WarRoomScreen

    assert env.cli("new", "Read-only console", "--sev", "2", time=FrozenTime(T0)).code == 0
    before = env.db.read_bytes()
    clock = FrozenTime(T0)
    with SqliteStore.open(env.db, clock=clock, read_only=True) as store:
        app = make_app(store=store, clock=clock, policy=DEFAULT_POLICY, config=Config(),
                       incident_ref=1, tz=UTC, author="sam", live=False)
        async with app.run_test(headless=True, size=(120, 40)) as pilot:
            for _ in range(500):
                await pilot.app.workers.wait_for_complete()
                await pilot.pause(0.01)
                screen = pilot.app.screen
                if isinstance(screen, WarRoomScreen) and screen.session is not None:
                    break
            notes = [str(n.message) for n in app._notifications]
            assert any("read-only" in note for note in notes), notes
            await pilot.press(*"not saved", "enter")
            await pilot.pause(0.2)
            await pilot.app.workers.wait_for_complete()
            assert [e.id for e in store.events(1)] == [1]
    assert env.db.read_bytes() == before
