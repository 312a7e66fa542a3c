"""What warroom will open as a file: regular files only, and every read bounded.

A path given on the command line or in the environment can name anything: a
directory, a device (``/dev/null``, ``/dev/zero``), a FIFO that blocks the reader
until someone writes, a socket. Every file warroom reads or opens as a database
is first looked at with ``stat`` (which follows symbolic links and never blocks),
and anything but a regular file is refused in one line, untouched. Reads are
bounded: a file is read up to its limit plus one byte, so a file that grows, or
lies about its size, cannot eat the memory.

Standard library only: the config file is read on the console's way to its first
frame.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from warroom.errors import WarroomError

__all__ = ["FileRefusedError", "file_kind", "read_bounded", "require_regular"]


class FileRefusedError(WarroomError, ValueError):
    """A path that is not a regular file, or a file too large to read; one line for the user."""


#: ``stat`` file types and how a user would call them.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str | None:
    """``None`` for a regular file, else what it is (``"a directory"``, ``"a FIFO …"``)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def require_regular(path: Path, what: str) -> os.stat_result | None:
    """The ``stat`` of ``path`` if it is a regular file (following links); ``None`` if missing.

    Raises :class:`FileRefusedError` (``what PATH is a FIFO (named pipe), not a regular
    file``) for anything else; an empty path is refused too (an unset shell variable).
    """
    if not str(path) or str(path) == ".":
        raise FileRefusedError(f"{what}: empty path (is a shell variable unset?)")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileRefusedError(
                f"{what} {path} is a symbolic link to a file that does not exist"
            ) from None
        return None
    except NotADirectoryError:
        return None
    except OSError as exc:
        raise FileRefusedError(f"{what} {path}: {exc.strerror or exc}") from None
    kind = file_kind(info.st_mode)
    if kind is not None:
        raise FileRefusedError(f"{what} {path} is {kind}, not a regular file; refused")
    return info


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, refusing it if it holds more than ``limit``.

    Raises ``FileNotFoundError`` for a missing file (callers decide what that means)
    and :class:`FileRefusedError` for a non-regular or oversized one. The file is
    opened without blocking (a FIFO swapped in after the check does not hang) and
    checked again on the open descriptor.
    """
    if require_regular(path, what) is None:
        raise FileNotFoundError(2, "No such file or directory", str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileRefusedError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        kind = file_kind(info.st_mode)
        if kind is not None:
            raise FileRefusedError(f"{what} {path} is {kind}, not a regular file; refused")
        if info.st_size > limit:
            raise FileRefusedError(_too_big(what, path, info.st_size, limit))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileRefusedError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise FileRefusedError(_too_big(what, path, len(data), limit))
    return data


def _too_big(what: str, path: Path, size: int, limit: int) -> str:
    return f"{what} {path} is larger than the {_size(limit)} limit ({_size(size)}+); refused"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
