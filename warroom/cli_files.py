"""File work for the CLI: render an export, write it safely, read an export back.

Writes are atomic (a temporary file in the target folder, flushed, then renamed), an
existing file is never overwritten without ``force``, and ``-`` means standard output.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store

#: The largest export ``warroom import`` reads (a 100k-event incident is ~60 MB).
MAX_IMPORT_BYTES = 512 * 1024 * 1024


class FileCommandError(ValueError):
    """A file the CLI cannot read or write; the message is one line."""


def render_export(session: IncidentSession, fmt: str) -> str:
    """The incident as the post-mortem Markdown draft (``md``) or the JSON export (``json``)."""
    events = list(session.timeline)
    if fmt == "json":
        from warroom.export.json_export import export_json

        return export_json(session.record, events, session.policy, now=session.now())
    try:
        from warroom.export.markdown import render_postmortem
    except ImportError as error:
        if error.name and not error.name.startswith("warroom.export"):
            raise
        raise FileCommandError(
            "the Markdown post-mortem is not available in this build; use --format json"
        ) from None
    return render_postmortem(
        session.record, events, session.policy, now=session.now(), tz=session.tz,
        state=session.state,
    )


def write_output(text: str, output: str, *, force: bool, out: TextIO) -> None:
    """Write ``text`` to ``output`` (``-``: ``out``), atomically, refusing to overwrite."""
    if output == "-":
        out.write(text if text.endswith("\n") else text + "\n")
        out.flush()
        return
    path = Path(output).expanduser()
    if path.is_dir():
        raise FileCommandError(f"{path} is a directory")
    if path.exists() and not force:
        raise FileCommandError(f"{path} already exists (use --force to overwrite it)")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileCommandError(f"folder {folder} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_export_text(path: Path) -> str:
    """The text of an export file, with one-line errors for the usual problems."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileCommandError(f"{path} does not exist") from None
    if path.is_dir():
        raise FileCommandError(f"{path} is a directory")
    if size > MAX_IMPORT_BYTES:
        raise FileCommandError(
            f"{path} is too large to import ({size:,} bytes, at most {MAX_IMPORT_BYTES:,})"
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FileCommandError(
            f"{path} is not UTF-8 text (invalid byte at offset {error.start})"
        ) from None


def import_file(store: Store, path: Path) -> IncidentRecord:
    """Import one JSON export into ``store``; nothing is written if the file is invalid."""
    from warroom.export.json_export import parse_export

    document = parse_export(read_export_text(path))
    return import_document(store, document)


def import_document(store: Store, document: object) -> IncidentRecord:
    """Write a parsed export document into ``store`` as a new incident."""
    incident = document.incident  # type: ignore[attr-defined]
    return store.import_incident(
        slug=incident.slug,
        title=incident.title,
        created_at=incident.created_at,
        events=list(document.events),  # type: ignore[attr-defined]
    )
