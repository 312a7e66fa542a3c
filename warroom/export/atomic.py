"""Write an export atomically: never a half-written file, never a silent overwrite.

:func:`write_atomic` writes to a temporary file in the target's directory,
flushes and fsyncs it, then moves it into place in one step: with ``force`` by
``os.replace``; without, by ``os.link`` (which fails if the target exists, so two
writers cannot both "win"). The temporary file is removed whatever happens.
The path ``-`` means standard output.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

__all__ = ["ExportWriteError", "OutputExistsError", "write_atomic"]


class ExportWriteError(OSError):
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
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if target.is_dir():
        raise ExportWriteError(f"cannot write {target}: it is a directory")
    if target.exists() and not force:
        raise OutputExistsError(f"{target} already exists (use --force to overwrite it)")
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
            os.chmod(temp, 0o666 & ~_umask())
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
