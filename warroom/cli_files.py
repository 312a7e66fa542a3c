"""File work for the CLI: render an export, write it safely, read an export back.

Writing goes through :func:`warroom.export.atomic.write_atomic` (temporary file,
fsync, rename; never a silent overwrite; ``-`` is standard output). Reading goes
through :func:`warroom.export.json_export.read_export_file` (size limit, UTF-8, shape).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from warroom.export.json_export import ExportDocument
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store


def default_as_of(session: IncidentSession) -> datetime:
    """The instant an export is computed at when none is given.

    An open incident is exported as of now (its duration is still running). A
    resolved or later one is exported as of its latest recorded instant, so the
    same record always gives the same bytes (export → import → export is identical).
    """
    if session.state.is_open or not session.timeline:
        return session.now()
    return max(max(e.occurred_at, e.recorded_at) for e in session.timeline)


def render_export(session: IncidentSession, fmt: str, as_of: datetime | None = None) -> str:
    """The incident as the post-mortem Markdown draft (``md``) or the JSON export (``json``)."""
    now = as_of if as_of is not None else default_as_of(session)
    events = list(session.timeline)
    if fmt == "json":
        from warroom.export.json_export import export_json

        return export_json(session.record, events, session.policy, now=now, state=session.state)
    from warroom.export.markdown import render_postmortem

    return render_postmortem(
        session.record, events, session.policy, now=now, tz=session.tz, state=session.state
    )


def write_output(text: str, output: str, *, force: bool, out: TextIO) -> None:
    """Write ``text`` to ``output`` (``-``: ``out``) atomically, refusing to overwrite."""
    from warroom.export.atomic import write_atomic

    write_atomic(output, text, force=force, stdout=out)


def import_file(store: Store, path: Path) -> IncidentRecord:
    """Import one JSON export into ``store``; nothing is written if the file is invalid."""
    from warroom.export.json_export import read_export_file

    return import_document(store, read_export_file(path))


def import_document(store: Store, document: ExportDocument) -> IncidentRecord:
    """Write a parsed export document into ``store`` as a new incident."""
    incident = document.incident
    return store.import_incident(
        slug=incident.slug,
        title=incident.title,
        created_at=incident.created_at,
        events=list(document.events),
    )
