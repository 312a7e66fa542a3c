"""Atomic export writes: temp file + fsync + rename, no silent overwrite, ``-`` is stdout."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from warroom.export import atomic
from warroom.export.atomic import ExportWriteError, OutputExistsError, write_atomic


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_the_exact_bytes_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    assert write_atomic(target, "héllo ⏎\n") == target
    assert target.read_bytes() == "héllo ⏎\n".encode()
    assert _leftovers(tmp_path) == []


def test_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.json", "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o640


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"already exists .*--force"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert _leftovers(tmp_path) == []


def test_force_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "pm.md"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_dash_writes_to_stdout(tmp_path: Path) -> None:
    out = io.StringIO()
    assert write_atomic("-", "to stdout\n", stdout=out) is None
    assert out.getvalue() == "to stdout\n"


def test_missing_directory_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportWriteError, match="does not exist") as caught:
        write_atomic(tmp_path / "nope" / "pm.md", "x")
    assert "\n" not in str(caught.value)


def test_a_directory_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportWriteError, match="is a directory"):
        write_atomic(tmp_path, "x", force=True)


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "pm.md"
    target.write_text("old", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(ExportWriteError, match="No space left on device"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_a_file_appearing_during_the_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "pm.md"
    real_fsync = os.fsync

    def racing_fsync(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_text("someone else", encoding="utf-8")

    monkeypatch.setattr(atomic.os, "fsync", racing_fsync)
    with pytest.raises(OutputExistsError):
        write_atomic(target, "mine")
    assert target.read_text(encoding="utf-8") == "someone else"
    assert _leftovers(tmp_path) == []
