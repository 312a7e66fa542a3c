"""Exports of an incident: the post-mortem draft (Markdown), JSON export/import,
status-update renderings and the atomic file writer they share."""

from warroom.export.atomic import ExportWriteError, OutputExistsError, write_atomic
from warroom.export.escape import md_escape_inline
from warroom.export.json_export import (
    FORMAT_VERSION,
    ExportDocument,
    ExportFormatError,
    export_json,
    parse_export,
    read_export_file,
)
from warroom.export.markdown import render_postmortem
from warroom.export.status import (
    StatusDraft,
    render_markdown,
    render_plain,
    render_statuspage_json,
    statuspage_payload,
    writing_rule_warnings,
)

__all__ = [
    "FORMAT_VERSION",
    "ExportDocument",
    "ExportFormatError",
    "ExportWriteError",
    "OutputExistsError",
    "StatusDraft",
    "export_json",
    "md_escape_inline",
    "parse_export",
    "read_export_file",
    "render_markdown",
    "render_plain",
    "render_postmortem",
    "render_statuspage_json",
    "statuspage_payload",
    "write_atomic",
    "writing_rule_warnings",
]
