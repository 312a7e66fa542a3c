"""Write an export atomically: never a half-written file, never a silent overwrite.

:func:`write_atomic` writes to a temporary file in the target's directory,
flushes and fsyncs it, then moves it into place in one step: with ``force`` by
``os.replace``; without, by ``os.link`` (which fails if the target exists, so two
writers cannot both "win"). The temporary file is removed whatever happens.
The path ``-`` means standard output.

Targets that are not files to replace are written through instead: a character
device, a FIFO, or a name for an already-open stream (``/dev/stdout``,
``/dev/fd/N``). A symbolic link is never replaced by a regular file: with
``force`` the file it points to is replaced (a link to nothing is refused). The
new file's mode follows the umask, as files users share normally do, but is
never group- or world-writable.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from warroom.errors import WarroomError

__all__ = ["ExportWriteError", "OutputExistsError", "write_atomic", "writes_through"]


class ExportWriteError(WarroomError, OSError):
    """The export could not be written; ``str(error)`` is one line for the user."""

    def __str__(self) -> str:
        """The one-line message."""
        return str(self.args[0]) if self.args else "cannot write the export"


class OutputExistsError(ExportWriteError, FileExistsError):
    """The target exists and ``force`` was not given."""


def _umask() -> int:
    """The process umask, read without changing it (Linux); 0o022 elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    force: bool = False,
    stdout: TextIO | None = None,
) -> Path | None:
    """Write ``content`` (text is UTF-8 encoded) to ``path`` atomically.

    ``path`` ``-`` writes to ``stdout`` (default ``sys.stdout``) and returns
    ``None``. Otherwise returns the written path. Raises :class:`OutputExistsError`
    if the file exists and ``force`` is false, :class:`ExportWriteError` for any
    other failure; in every case no temporary file is left behind.
    """
    if str(path) == "-":
        stream = stdout if stdout is not None else sys.stdout
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        stream.write(text)
        stream.flush()
        return None
    if not str(path):
        raise ExportWriteError("cannot write the export: empty path (is a shell variable unset?)")
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
        if os.path.islink(target):
            raise ExportWriteError(
                f"cannot write {target}: it is a symbolic link to a file that does not exist"
            ) from None
    except OSError as exc:
        raise ExportWriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportWriteError(f"cannot write {target}: it is a directory")
    if info is not None and (_names_a_stream(target) or not stat.S_ISREG(info.st_mode)):
        _write_through(target, data)
        return target
    if info is not None and not force:
        raise OutputExistsError(f"{target} already exists (use --force to overwrite it)")
    if info is not None and os.path.islink(target):
        target = Path(os.path.realpath(target))  # replace the file the link names, not the link
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ExportWriteError(f"cannot write {target}: directory {directory} does not exist")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportWriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o666 & ~_umask() & ~0o022)  # never group/world-writable
            if force:
                os.replace(temp, target)
            else:
                _link_new(temp, target)
        except OutputExistsError:
            raise
        except OSError as exc:
            raise ExportWriteError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    _fsync_dir(directory)
    return target


#: Names of streams that are already open: written through, never replaced.
_STREAM_PREFIXES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def _names_a_stream(target: Path) -> bool:
    text = str(target)
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(_STREAM_PREFIXES[2:])


def writes_through(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`write_atomic` writes ``path`` through (``-``, a stream, a device, a FIFO)."""
    target = Path(path)
    if str(path) == "-" or _names_a_stream(target):
        return True
    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        return False


def _write_through(target: Path, data: bytes) -> None:
    """Write to a device, a FIFO or an open stream as it is (appending, never truncating)."""
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(target, flags)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise ExportWriteError(f"cannot write {target}: {exc.strerror or exc}") from None


def _link_new(temp: Path, target: Path) -> None:
    """Move ``temp`` to ``target`` only if ``target`` does not exist (atomically)."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise OutputExistsError(f"{target} already exists (use --force to overwrite it)") from None
    except OSError:
        # No hard links here (some network or FAT file systems): best effort.
        if target.exists():
            raise OutputExistsError(
                f"{target} already exists (use --force to overwrite it)"
            ) from None
        os.replace(temp, target)
