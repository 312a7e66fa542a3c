"""The JSON export of an incident, and reading it back (``warroom import``).

The document (format ``warroom-incident-export``, version :data:`FORMAT_VERSION`)::

    {
      "as_of": "...Z",               # the "now" the state and metrics were computed at
      "events": [ Event, ... ],      # every event, by id, as Event.model_dump(mode="json")
      "format": "warroom-incident-export",
      "format_version": 1,
      "incident": {"created_at": ..., "slug": ..., "title": ...},
      "metrics": Metrics,            # time_to_detect ... duration: seconds or null
      "state": IncidentState         # the folded state (derived; ignored on import)
    }

It is deterministic: keys sorted at every level, two-space indent, UTF-8 (not
ASCII-escaped), one trailing newline; the same record and ``now`` give the same
bytes, so export → import → export is byte-identical. ``events`` is the source of
truth; ``state`` and ``metrics`` are derived and only there for readers.

:func:`parse_export` reads a document back and reports every problem as one
:class:`ExportFormatError` line (invalid UTF-8, invalid or truncated JSON, a wrong
field named by its path, an unknown version, an oversized file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from warroom.domain.events import Event, EventKind
from warroom.domain.fold import fold
from warroom.domain.metrics import Metrics, compute_metrics
from warroom.domain.policy import Policy
from warroom.domain.state import IncidentState
from warroom.domain.validation import first_problem
from warroom.export.markdown import IncidentLike
from warroom.export.timefmt import iso_utc

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_EXPORT_BYTES",
    "SCHEMA_PATH",
    "ExportDocument",
    "ExportFormatError",
    "ExportIncident",
    "export_document_schema",
    "export_json",
    "parse_export",
    "read_export_file",
]

FORMAT_NAME = "warroom-incident-export"
FORMAT_VERSION = 1
#: Larger inputs are refused before they are parsed.
MAX_EXPORT_BYTES = 200 * 1024 * 1024
#: The JSON Schema of the document, kept in the repository (see :func:`export_document_schema`).
SCHEMA_PATH = Path(__file__).with_name("schema") / "export.schema.json"


class ExportFormatError(ValueError):
    """An export document that cannot be read; ``str(error)`` is one line for the user."""


class ExportIncident(BaseModel):
    """The incident's identity in an export."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    slug: str
    title: str
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        return value


class ExportDocument(BaseModel):
    """An incident export as read back: the incident and its events (plus derived parts)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="warroom incident export")
    format: Literal["warroom-incident-export"]
    format_version: Literal[1]
    as_of: datetime | None = None
    incident: ExportIncident
    events: list[Event]
    state: IncidentState | None = None
    metrics: Metrics | None = None


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _event_dicts(events: list[Event]) -> list[dict[str, Any]]:
    """Events as dicts with sorted keys, serialising like ``model_dump(mode="json")``.

    Built by hand because it is the hot path of a 100k-event export: payloads
    (often shared between events by the store) are dumped once each.
    """
    by_id: dict[int, dict[str, Any]] = {}
    by_value: dict[Any, dict[str, Any]] = {}
    out: list[dict[str, Any]] = []
    append = out.append
    for event in events:
        data = event.data
        dumped = by_id.get(id(data))
        if dumped is None:
            try:
                value_key: Any = (type(data), tuple(data.__dict__.values()))
                dumped = by_value.get(value_key)
            except TypeError:  # an unhashable field (a dict of components)
                value_key = None
            if dumped is None:
                dumped = _sorted(data.model_dump(mode="json"))
                if value_key is not None:
                    by_value[value_key] = dumped
            by_id[id(data)] = dumped
        append(
            {
                "author": event.author,
                "data": dumped,
                "id": event.id,
                "key": event.key,
                # datetimes are serialised by pydantic-core (Rust), as model_dump does
                "occurred_at": event.occurred_at,
                "recorded_at": event.recorded_at,
                "text": event.text,
            }
        )
    return out


def _state_dict(state: IncidentState) -> dict[str, Any]:
    dumped: dict[str, Any] = state.model_dump(mode="json")
    dumped["key_events"] = sorted(state.key_events)
    result: dict[str, Any] = _sorted(dumped)
    return result


#: Characters JSON allows raw inside strings that a terminal or an editor acts on
#: (DEL, C1 controls, bidi controls, line/paragraph separators, surrogates):
#: written as ``\uXXXX`` escapes, which read back as the same text.
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _dumps(document: dict[str, Any]) -> str:
    """Serialise an already key-sorted document: two-space indent, UTF-8, final newline.

    Text is kept exactly (the export is the record), but characters that could
    act on a terminal showing the file are escaped (``\\u009b``), never raw.
    """
    text = pydantic_core.to_json(document, indent=2).decode("utf-8") + "\n"
    return text if text.isascii() else _RAW_UNSAFE.sub(_escape_unsafe, text)


def export_json(
    record: IncidentLike,
    events: Iterable[Event],
    policy: Policy,
    *,
    now: datetime,
    state: IncidentState | None = None,
) -> str:
    """Export one incident as the JSON document described in the module docstring."""
    ordered = sorted(events, key=lambda e: e.id)
    folded = state if state is not None else fold(ordered)
    metrics = compute_metrics(folded, policy, now)
    document = {
        "as_of": iso_utc(now),
        "events": _event_dicts(ordered),
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "incident": {
            "created_at": iso_utc(record.created_at),
            "slug": record.slug,
            "title": record.title,
        },
        "metrics": _sorted(metrics.model_dump(mode="json")),
        "state": _state_dict(folded),
    }
    return _dumps(document)


# --------------------------------------------------------------------------- reading


def _path(loc: tuple[int | str, ...], raw: Any) -> str:
    """``events[3].data.phase`` from a pydantic error location (union tags dropped)."""
    parts: list[str] = []
    node = raw
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
            continue
        if isinstance(node, dict) and item not in node and item in _KIND_TAGS:
            continue  # the discriminated union's tag, not a field of the document
        if item == "[key]":
            continue
        parts.append(f".{item}" if parts else item)
        node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


_KIND_TAGS = frozenset(kind.value for kind in EventKind)


def _validation_message(error: ValidationError, raw: Any) -> str:
    """``invalid export: events[3].data.kind: unknown kind 'teleport' (expected one of: …)``."""
    problem = first_problem(error, locate=lambda loc: _path(loc, raw))
    return f"invalid export: {problem.where}: {problem.what}{problem.more}"


def _decode(data: str | bytes) -> str:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > MAX_EXPORT_BYTES:
            raise ExportFormatError(_too_big(len(raw)))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExportFormatError(
                f"invalid export: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start})"
            ) from None
    if len(data) > MAX_EXPORT_BYTES or (
        len(data) * 4 > MAX_EXPORT_BYTES
        and len(data.encode("utf-8", "surrogatepass")) > MAX_EXPORT_BYTES
    ):
        raise ExportFormatError(_too_big(len(data.encode("utf-8", "surrogatepass"))))
    return data.removeprefix("\ufeff")


def _too_big(size: int) -> str:
    return (
        f"invalid export: {size / 1024 / 1024:.1f} MB is larger than the "
        f"{MAX_EXPORT_BYTES // 1024 // 1024} MB limit"
    )


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if not text.strip():
            raise ExportFormatError("invalid export: the file is empty") from None
        if exc.pos >= len(text.rstrip()):
            raise ExportFormatError(
                f"invalid export: truncated JSON (the document ends early at line {exc.lineno} "
                f"column {exc.colno})"
            ) from None
        raise ExportFormatError(
            f"invalid export: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise ExportFormatError("invalid export: JSON nested too deeply") from None


def parse_export(data: str | bytes) -> ExportDocument:
    """Read an export document (text or raw bytes); raise :class:`ExportFormatError` if bad."""
    raw = _load_json(_decode(data))
    if not isinstance(raw, dict):
        raise ExportFormatError(
            f"invalid export: expected a JSON object at the top level, got {_json_type(raw)}"
        )
    if raw.get("format") != FORMAT_NAME:
        if "format" not in raw:
            raise ExportFormatError(f"invalid export: format: missing (expected '{FORMAT_NAME}')")
        raise ExportFormatError(
            f"invalid export: format: {_short(raw.get('format'))} is not '{FORMAT_NAME}'"
        )
    version = raw.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        if version is None:
            raise ExportFormatError("invalid export: format_version: missing")
        raise ExportFormatError(
            f"invalid export: unsupported format_version {_short(version)} "
            f"(this warroom reads version {FORMAT_VERSION})"
        )
    try:
        document = ExportDocument.model_validate(raw)
    except ValidationError as exc:
        raise ExportFormatError(_validation_message(exc, raw)) from None
    except RecursionError:
        raise ExportFormatError("invalid export: JSON nested too deeply") from None
    seen: set[int] = set()
    for index, event in enumerate(document.events):
        if event.id in seen:
            raise ExportFormatError(f"invalid export: events[{index}].id: duplicate id {event.id}")
        seen.add(event.id)
    return document


def read_export_file(path: str | Path) -> ExportDocument:
    """Read and parse an export file, refusing oversized files before reading them."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_EXPORT_BYTES:
            raise ExportFormatError(_too_big(size))
        data = file.read_bytes()
    except OSError as exc:
        raise ExportFormatError(f"cannot read {file}: {exc.strerror or exc}") from None
    return parse_export(data)


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


def export_document_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`ExportDocument` (what ``schema/export.schema.json`` holds)."""
    schema: dict[str, Any] = ExportDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://warroom.invalid/schema/export.schema.json"
    schema["description"] = (
        "An incident exported by warroom: every event, the folded state and the "
        "SPEC §7 metrics (seconds, or null when not recorded)."
    )
    result: dict[str, Any] = _sorted(schema)
    return result


def schema_text() -> str:
    """The schema document as written to :data:`SCHEMA_PATH` (sorted, indented)."""
    return json.dumps(export_document_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerate the schema file
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
