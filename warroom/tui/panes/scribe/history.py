"""The scribe's sent lines (↑ history), kept per incident across visits to its war room.

One small JSON file per database, incident and author under the user data folder
(``history/`` in ``platformdirs.user_data_path("warroom")``), private: the folder
is 0700, the file 0600, written atomically (a temporary file, then a rename). A file
that cannot be read is ignored (the history starts empty); it never blocks the war room.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["HistoryFile", "HistoryKeeper", "default_history_dir", "history_for"]

#: Largest history file read back (bytes): a bigger file is not ours.
MAX_BYTES = 1_000_000


def default_history_dir() -> Path:
    """``history/`` in the user data folder (``~/.local/share/warroom/history`` on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("warroom") / "history"


class HistoryFile:
    """The sent lines of one seat in one incident's war room."""

    def __init__(self, path: Path) -> None:
        """Keep the history in ``path`` (its folder is created when first saved)."""
        self.path = path

    def load(self) -> list[str]:
        """The saved lines, oldest first (empty if there are none or they cannot be read)."""
        try:
            if not self.path.is_file():  # missing, or not a regular file (never block)
                return []
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
            if len(raw) > MAX_BYTES:
                return []
            data = json.loads(raw or b"[]")
        except (OSError, ValueError):
            return []
        if not isinstance(data, list):
            return []
        return [line for line in data if isinstance(line, str) and line.strip()]

    def save(self, lines: list[str]) -> None:
        """Write ``lines`` atomically, readable by the owner only."""
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
        fd, tmp = tempfile.mkstemp(prefix=".history-", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(lines, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def history_for(folder: Path | None, db_path: Path | str | None, incident_id: int,
                author: str) -> HistoryFile | None:
    """The history file of ``author`` in incident ``incident_id`` of the database at
    ``db_path`` (``None`` without a folder or a database file)."""
    if folder is None or db_path is None or str(db_path) in ("", ":memory:"):
        return None
    where = str(Path(db_path).expanduser().resolve())
    key = hashlib.sha256(f"{where}\0{incident_id}\0{author}".encode()).hexdigest()[:32]
    return HistoryFile(folder / f"{key}.json")


class HistoryKeeper:
    """Saves the history off the UI thread after each sent line (the newest save wins)."""

    def __init__(self, owner: Widget, history: HistoryFile | None) -> None:
        """Save ``history`` with workers of ``owner`` (``None``: nothing is kept)."""
        self._owner = owner
        self.history = history
        self._lock = threading.Lock()
        self._seq = 0

    def load(self) -> list[str]:
        """The saved lines (a small, bounded file)."""
        return self.history.load() if self.history is not None else []

    def save(self, lines: list[str]) -> None:
        """Save a copy of ``lines`` in a worker."""
        if self.history is None:
            return
        self._seq += 1
        copy, seq = list(lines), self._seq
        self._owner.run_worker(lambda: self._write(copy, seq), thread=True,
                               group="history", exit_on_error=False)

    def _write(self, lines: list[str], seq: int) -> None:
        with self._lock:
            if seq != self._seq or self.history is None:
                return  # a newer history is on its way
            with contextlib.suppress(OSError):
                self.history.save(lines)
