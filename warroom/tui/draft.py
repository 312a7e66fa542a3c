"""The scribe's unsent draft: a small file beside the database, written atomically.

A draft survives a crash, a kill or a closed terminal: the war-room screen saves
it (debounced) whenever the input changes, restores it when the incident is
opened again, and clears it when the line is sent. One file per incident and
author, next to the database: ``<db>.drafts/<incident id>-<author>.txt``. Unsent
text is as private as the database: the folder is 0700 and each draft 0600.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

__all__ = ["DraftFile", "draft_for", "stand_in_path"]

_UNSAFE = re.compile(r"[^\w.\-]+")


class DraftFile:
    """One draft on disk: :meth:`save` is atomic (temp file, fsync, rename)."""

    def __init__(self, path: Path) -> None:
        """Keep the draft at ``path`` (its folder is created on first save)."""
        self.path = path

    def load(self) -> str:
        """The saved draft, or ``""`` when there is none or it cannot be read."""
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def save(self, text: str) -> None:
        """Replace the draft with ``text`` (an empty text removes the file)."""
        if not text:
            self.clear()
            return
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if folder.stat().st_mode & 0o077:
                folder.chmod(0o700)  # made by an older warroom (0755): private now
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when an old temporary file was left with another mode
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        """Remove the draft (no error if there is none)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def draft_for(db_path: Path | str | None, incident_id: int, author: str,
              part: str = "") -> DraftFile | None:
    """The draft file of ``author`` in incident ``incident_id``; ``None`` for an in-memory DB.

    ``part`` names a draft other than the scribe's (``"status"``: the status composer's).
    """
    if db_path is None or str(db_path) in ("", ":memory:"):
        return None
    db = Path(db_path)
    safe_author = _UNSAFE.sub("_", author).strip("._") or "scribe"
    name = f"{incident_id}-{safe_author}{'.' + part if part else ''}.txt"
    return DraftFile(db.parent / f"{db.name}.drafts" / name)


def stand_in_path(location: str) -> Path:
    """Where a database without a file (PostgreSQL at ``location``) keeps this seat's drafts.

    A stand-in "database path" in the user data folder, one per location, so
    :func:`draft_for` puts the drafts in ``<stand-in>.drafts/`` as it would beside a file.
    """
    import hashlib

    from warroom.config import default_db_path

    digest = hashlib.sha256(location.encode()).hexdigest()[:16]
    return default_db_path().parent / f"postgresql-{digest}"
