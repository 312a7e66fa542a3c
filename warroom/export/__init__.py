"""Exports of an incident: the post-mortem draft (Markdown), JSON export/import,
status-update renderings and the atomic file writer they share.

The names below are loaded on first use (module ``__getattr__``), so importing one
submodule — the console's status composer needs only :mod:`warroom.export.status` —
does not pay for the Markdown and JSON exporters at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warroom.lazy import lazy_names

if TYPE_CHECKING:
    from warroom.export.atomic import ExportWriteError, OutputExistsError, write_atomic
    from warroom.export.escape import md_escape_inline, md_escape_many
    from warroom.export.json_export import (
        FORMAT_VERSION,
        ExportDocument,
        ExportFormatError,
        export_json,
        parse_export,
        read_export_file,
    )
    from warroom.export.markdown import render_postmortem
    from warroom.export.render import default_as_of, render_incident
    from warroom.export.status import (
        StatusDraft,
        render_markdown,
        render_plain,
        render_statuspage_json,
        statuspage_payload,
        writing_rule_warnings,
    )

#: Public name -> the submodule that defines it.
_WHERE: dict[str, str] = {
    "ExportWriteError": "atomic",
    "OutputExistsError": "atomic",
    "write_atomic": "atomic",
    "md_escape_inline": "escape",
    "md_escape_many": "escape",
    "FORMAT_VERSION": "json_export",
    "ExportDocument": "json_export",
    "ExportFormatError": "json_export",
    "export_json": "json_export",
    "parse_export": "json_export",
    "read_export_file": "json_export",
    "render_postmortem": "markdown",
    "default_as_of": "render",
    "render_incident": "render",
    "StatusDraft": "status",
    "render_markdown": "status",
    "render_plain": "status",
    "render_statuspage_json": "status",
    "statuspage_payload": "status",
    "writing_rule_warnings": "status",
}

__all__ = [
    "FORMAT_VERSION",
    "ExportDocument",
    "ExportFormatError",
    "ExportWriteError",
    "OutputExistsError",
    "StatusDraft",
    "default_as_of",
    "export_json",
    "md_escape_inline",
    "md_escape_many",
    "parse_export",
    "read_export_file",
    "render_incident",
    "render_markdown",
    "render_plain",
    "render_postmortem",
    "render_statuspage_json",
    "statuspage_payload",
    "write_atomic",
    "writing_rule_warnings",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE, __all__)
