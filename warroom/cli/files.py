"""``warroom export`` and ``warroom import``, and the CLI's file work they share.

Render an export, write it safely, read an export back.

Writing goes through :func:`warroom.export.atomic.write_atomic` (temporary file,
fsync, rename; never a silent overwrite; ``-`` is standard output). Reading goes
through :func:`warroom.export.json_export.read_export_file` (size limit, UTF-8, shape).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from warroom.cli.context import Context
    from warroom.export.json_export import ExportDocument
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store


def session_export(session: IncidentSession, fmt: str, as_of: datetime | None = None) -> str:
    """The incident as the post-mortem Markdown draft (``md``) or the JSON export (``json``)."""
    from warroom.export.render import render_incident
    from warroom.report.source import postmortem_context

    return render_incident(
        fmt, session.record, session.timeline, session.incident_policy, state=session.state,
        now=session.now(), tz=session.tz, as_of=as_of,
        review=postmortem_context(session) if fmt == "md" else None,
    )


def write_output(text: str, output: str, *, force: bool, out: TextIO) -> str | None:
    """Write ``text`` to ``output`` (``-``: ``out``) atomically, refusing to overwrite.

    Returns the line that says what was written to a file (``wrote postmortem.md
    (12,345 bytes)``), or ``None`` when the text went to a stream (``-``, a device, a FIFO).
    """
    from warroom.export.atomic import write_atomic, writes_through

    through = writes_through(output)
    written = write_atomic(output, text, force=force, stdout=out)
    if through or written is None:
        return None
    return f"wrote {written} ({len(text.encode('utf-8')):,} bytes)"


def import_file(store: Store, path: Path, now: datetime | None = None) -> IncidentRecord:
    """Import one JSON export into ``store``; nothing is written if the file is invalid."""
    return import_document(store, read_import(path, now))


def read_import(path: Path, now: datetime | None = None) -> ExportDocument:
    """Read and check an export for import (no time after ``now``), before any store opens."""
    from warroom.export.json_export import read_export_file

    return read_export_file(path, now=now)


def import_document(store: Store, document: ExportDocument) -> IncidentRecord:
    """Write a parsed export document into ``store`` as a new incident."""
    incident = document.incident
    return store.import_incident(
        slug=incident.slug,
        title=incident.title,
        created_at=incident.created_at,
        events=list(document.events),
    )


def cmd_export(ctx: Context) -> int:
    """``warroom export [INCIDENT]``: the post-mortem draft or the JSON export."""
    args = ctx.args
    as_of = ctx.parse_at(args.as_of, option="--as-of") if args.as_of else None
    with ctx.store(create=False, read_only=True) as store:
        session = ctx.session(store, args.incident)
        text = session_export(session, args.format, as_of=as_of)
    written = write_output(text, args.output, force=args.force, out=ctx.out)
    if written:
        print(written, file=ctx.out)
    return 0


def cmd_import(ctx: Context) -> int:
    """``warroom import FILE.json``: read an export back; prints the new slug."""
    document = read_import(Path(ctx.args.file), now=ctx.time.now())  # a bad file creates nothing
    with ctx.store(create=True) as store:
        record = import_document(store, document)
    print(record.slug, file=ctx.out)
    return 0
