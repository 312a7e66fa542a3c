"""Where warroom writes: exports to streams, devices, FIFOs and links; private drafts.

An export to ``/dev/stdout``, a character device or a FIFO is written through
(never "already exists", never replaced by a file); ``--force`` on a symbolic link
replaces the file it points to, never the link; a link to nothing is refused. A new
export follows the umask but is never group- or world-writable; unsent drafts and
their folder are owner-only; ``export -o FILE`` says what it wrote.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime
from warroom.tui.draft import draft_for

from .conftest import Env, assert_clean_failure

LATER = FrozenTime(T0 + timedelta(minutes=30))


@pytest.fixture
def incident(env: Env) -> Env:
    """An incident with one entry."""
    assert env.cli("new", "Targets drill", "--sev", "2", time=FrozenTime(T0)).code == 0
    assert env.cli("log", "1", "/ic alice", time=FrozenTime(T0 + timedelta(minutes=1))).code == 0
    return env


@pytest.fixture
def umask_0() -> Iterator[None]:
    """The most permissive umask: nothing may come out group/world-writable anyway."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_export_to_a_file_says_what_it_wrote_and_is_not_world_writable(
    incident: Env, umask_0: None
) -> None:
    target = incident.dir / "postmortem.md"
    result = incident.cli("export", "1", "-o", str(target), time=LATER)
    assert result.code == 0, result.err
    assert result.out.strip() == f"wrote {target} ({target.stat().st_size:,} bytes)"
    assert _mode(target) & 0o022 == 0 and _mode(target) & 0o444 == 0o444


def test_export_to_dev_stdout_is_written_through(incident: Env) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "warroom", "export", "1", "-o", "/dev/stdout"],
        capture_output=True, env=incident.environ, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"---") and b"Targets drill" in proc.stdout
    assert b"wrote" not in proc.stdout


def test_export_to_a_fifo_is_written_through(incident: Env, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = incident.cli("export", "1", "--format", "json", "-o", str(fifo), time=LATER)
    reader.join(30)
    assert result.code == 0, result.err
    assert got and b'"warroom-incident-export"' in got[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_to_a_character_device_is_written_through(incident: Env,
                                                          tmp_path: Path) -> None:
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    before = os.lstat(device)
    result = incident.cli("export", "1", "-o", str(device), time=LATER)
    assert result.code == 0, result.err
    after = os.lstat(device)
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode, before.st_rdev, before.st_ino)


def test_force_through_a_link_replaces_its_file_never_the_link(incident: Env) -> None:
    real = incident.dir / "real.md"
    real.write_text("old draft\n", encoding="utf-8")
    link = incident.dir / "link.md"
    link.symlink_to(real)
    line = assert_clean_failure(incident.cli("export", "1", "-o", str(link), time=LATER), (1,))
    assert "already exists" in line
    assert incident.cli("export", "1", "-o", str(link), "--force", time=LATER).code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8").startswith("---")


def test_a_link_to_nothing_is_refused(incident: Env) -> None:
    link = incident.dir / "dangling.md"
    link.symlink_to(incident.dir / "nowhere" / "x.md")
    for extra in ((), ("--force",)):
        line = assert_clean_failure(
            incident.cli("export", "1", "-o", str(link), *extra, time=LATER), (1,))
        assert "symbolic link" in line
    assert link.is_symlink() and not link.exists()


def test_drafts_are_private(tmp_path: Path, umask_0: None) -> None:
    db = tmp_path / "warroom.db"
    draft = draft_for(db, 1, "alice")
    assert draft is not None
    draft.save("unsent: the root cause is the new cache layer")
    assert _mode(draft.path.parent) == 0o700
    assert _mode(draft.path) == 0o600


def test_an_old_open_drafts_folder_is_made_private(tmp_path: Path, umask_0: None) -> None:
    folder = tmp_path / "warroom.db.drafts"
    folder.mkdir(mode=0o755)
    draft = draft_for(tmp_path / "warroom.db", 1, "alice")
    assert draft is not None
    draft.save("text")
    assert _mode(folder) == 0o700 and _mode(draft.path) == 0o600
