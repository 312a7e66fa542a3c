"""Exports from the console: where a post-mortem draft or JSON export goes, and writing it.

Pure helpers (no Textual): the default file names (``<slug>-postmortem.md`` and
``<slug>.json``), the path beside the database, turning what the user typed into
a path, rendering with :mod:`warroom.export` and writing with
:func:`warroom.export.atomic.write_atomic` (temporary file + rename; an existing
file is refused unless ``force``). The war-room screen calls :func:`render_export`
and :func:`write_export` from a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.domain.policy import Policy
    from warroom.domain.postmortem_rule import PostmortemContext
    from warroom.domain.state import IncidentState
    from warroom.export.markdown import IncidentLike

__all__ = [
    "ExportFormat",
    "ExportRequest",
    "beside_database",
    "default_name",
    "render_export",
    "resolve_path",
    "write_export",
]


class ExportFormat(StrEnum):
    """What the console can export."""

    MARKDOWN = "md"
    JSON = "json"

    @property
    def label(self) -> str:
        """How the format is named in the console."""
        if self is ExportFormat.MARKDOWN:
            return "Post-mortem draft (Markdown)"
        return "Incident export (JSON)"


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the export dialog returns: write ``fmt`` to ``path`` (absolute)."""

    fmt: ExportFormat
    path: Path


def default_name(slug: str, fmt: ExportFormat) -> str:
    """``<slug>-postmortem.md`` or ``<slug>.json``."""
    return f"{slug}-postmortem.md" if fmt is ExportFormat.MARKDOWN else f"{slug}.json"


def beside_database(db_path: str | Path | None, slug: str, fmt: ExportFormat) -> Path | None:
    """The default file in the database's folder (``None`` for an in-memory database)."""
    if db_path is None or str(db_path) in ("", ":memory:"):
        return None
    return Path(db_path).expanduser().resolve().parent / default_name(slug, fmt)


def resolve_path(typed: str, cwd: Path) -> Path:
    """What the user typed as an absolute path (``~`` expanded, relative to ``cwd``)."""
    path = Path(typed.strip()).expanduser()
    return path if path.is_absolute() else cwd / path


def render_export(
    fmt: ExportFormat,
    record: IncidentLike,
    events: Iterable[Event],
    policy: Policy,
    *,
    state: IncidentState,
    now: datetime,
    tz: tzinfo,
    review: PostmortemContext | None = None,
) -> str:
    """The post-mortem Markdown draft or the JSON export of one incident.

    Delegates to :func:`warroom.export.render.render_incident`, the one entry point
    ``warroom export`` uses too, so both produce the same bytes for the same record.
    """
    from warroom.export.render import render_incident

    return render_incident(
        fmt.value, record, events, policy, state=state, now=now, tz=tz, review=review
    )


def write_export(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; raises ``OutputExistsError`` if it exists.

    Any other failure raises :class:`~warroom.export.atomic.ExportWriteError` with a
    one-line message; no half-written or temporary file is left behind.
    """
    from warroom.export.atomic import write_atomic

    written = write_atomic(path, text, force=force)
    assert written is not None  # never "-" here
    return written
