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

The ``events`` array of a 100k-event incident is the hot path: it is written
straight from an :class:`~warroom.domain.eventlog.EventLog`'s rows as text, in
exactly the bytes pydantic's serialiser gives for the same values (see
:func:`_events_parts`), each distinct payload serialised once. Building it
from a list of events first makes a log of them: the bytes are the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from warroom.domain.eventlog import EventLog
from warroom.domain.events import Event, EventData, EventKind
from warroom.domain.fold import fold
from warroom.domain.jsonable import to_jsonable
from warroom.domain.metrics import Metrics, compute_metrics
from warroom.domain.policy import Policy
from warroom.domain.sanitize import json_escape_unsafe
from warroom.domain.state import IncidentState, policy_in_force
from warroom.domain.timefmt import iso_utc, json_instant
from warroom.domain.validation import first_problem
from warroom.errors import WarroomError

if TYPE_CHECKING:  # reading an export (the demo, ``warroom import``) needs no Markdown
    from warroom.export.markdown_context import IncidentLike

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


class ExportFormatError(WarroomError, ValueError):
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


def _state_dict(state: IncidentState) -> dict[str, Any]:
    dumped = to_jsonable(state)
    dumped["key_events"] = sorted(state.key_events)
    result: dict[str, Any] = _sorted(dumped)
    return result


def _serialise(document: dict[str, Any]) -> str:
    """An already key-sorted document as JSON: two-space indent, final newline, nothing escaped."""
    return pydantic_core.to_json(document, indent=2).decode("utf-8") + "\n"


def _escape_raw(text: str) -> str:
    """Escape the characters that could act on a terminal (``\\u009b``), if any can be there.

    All-ASCII text can hold only one of them, DEL (U+007F), found by a cheap replace;
    other text is searched with the full pattern.
    """
    if text.isascii():
        return text.replace("\x7f", "\\u007f") if "\x7f" in text else text
    return json_escape_unsafe(text)


def _ascii_string(value: str) -> str:
    """The JSON literal of an all-ASCII string: the standard library's encoder (which
    keeps DEL raw), with DEL escaped as :func:`_escape_raw` does."""
    text = encode_basestring(value)
    return text.replace("\x7f", "\\u007f") if "\x7f" in value else text


def _dumps(document: dict[str, Any]) -> str:
    """Serialise an already key-sorted document: two-space indent, UTF-8, final newline.

    Text is kept exactly (the export is the record), but characters that could
    act on a terminal showing the file are escaped (``\\u009b``), never raw.
    """
    return _escape_raw(_serialise(document))


#: How deep a payload sits in the document: ``document.events[i].data``.
_PAYLOAD_INDENT = "\n      "


class _Pieces:
    """JSON texts of an export's strings and payloads, as :func:`_dumps` writes them.

    ASCII strings go through the standard library's C encoder, which escapes
    exactly what pydantic's serialiser does (``"``, ``\\``, the C0 controls, with the
    same short forms and lower-case hex); other strings through pydantic itself
    (which refuses lone surrogates, as it does for a whole document), then
    :func:`_escape_raw`. Payloads are serialised by pydantic once each: shared
    ones (the store shares equal payloads) found by identity, equal ones that are
    distinct objects by value when hashable.
    """

    def __init__(self) -> None:
        self._by_id: dict[int, str] = {}
        self._by_value: dict[Any, str] = {}

    def other_string(self, value: str) -> str:
        """The JSON literal of a string that is not all ASCII (the rare case)."""
        return _escape_raw(pydantic_core.to_json(value).decode("utf-8"))

    def string(self, value: str) -> str:
        """The JSON literal of any string."""
        if value.isascii():
            return _ascii_string(value)
        return self.other_string(value)

    def payload(self, data: EventData) -> str:
        """The JSON text of ``data``, indented for its place in the document."""
        text = self._by_id.get(id(data))
        if text is not None:
            return text
        try:
            value_key: Any = (type(data), tuple(data.__dict__.values()))
            text = self._by_value.get(value_key)
        except TypeError:  # an unhashable field (a dict of components)
            value_key = None
        if text is None:
            raw = _serialise(_sorted(data.model_dump(mode="json")))[:-1]
            raw = _escape_raw(raw)
            text = raw.replace("\n", _PAYLOAD_INDENT)
            if value_key is not None:
                self._by_value[value_key] = text
        self._by_id[id(data)] = text
        return text


def _events_parts(log: EventLog, pieces: _Pieces) -> list[str]:
    """The document's ``events`` array (by id) as :func:`_dumps` would write it, in pieces.

    Joined, the pieces are the same bytes as serialising each event like
    ``Event.model_dump(mode="json")`` with sorted keys, two levels deep in the
    document (one piece per event, so the whole document is joined in one copy).
    Never builds an :class:`Event`: instants go through
    :func:`~warroom.domain.timefmt.json_instant`, strings and payloads through ``pieces``.
    """
    authors: dict[str, str] = {}
    string, other_string, payload = pieces.string, pieces.other_string, pieces.payload
    instant = json_instant
    encode = _ascii_string
    parts = ["[\n"]
    append = parts.append
    for event_id, occurred, recorded, author, text, key, data in log.rows(by_id=True):
        author_json = authors.get(author)
        if author_json is None:
            author_json = authors[author] = string(author)
        append(
            f'    {{\n      "author": {author_json},\n      "data": {payload(data)},\n'
            f'      "id": {event_id},\n      "key": {"true" if key else "false"},\n'
            f'      "occurred_at": "{instant(occurred)}",\n'
            f'      "recorded_at": "{instant(recorded)}",\n'
            f'      "text": {encode(text) if text.isascii() else other_string(text)}\n    }},\n'
        )
    if len(parts) == 1:
        return ["[]"]
    parts[-1] = parts[-1].removesuffix(",\n") + "\n  ]"
    return parts


#: The line :func:`_serialise` writes for an empty ``events`` array, replaced by the events.
_EVENTS_PLACEHOLDER = '\n  "events": [],\n'


def export_json(
    record: IncidentLike,
    events: Iterable[Event],
    policy: Policy,
    *,
    now: datetime,
    state: IncidentState | None = None,
) -> str:
    """Export one incident as the JSON document described in the module docstring.

    ``events`` may come in any order; an :class:`~warroom.domain.eventlog.EventLog`
    is read from its columns (the fast path, same bytes). ``state`` may be passed
    when the caller has already folded them.
    """
    if isinstance(events, EventLog):
        log = events
        folded = state if state is not None else fold(log)
    else:
        ordered = sorted(events, key=lambda e: e.id)
        log = EventLog(ordered)
        folded = state if state is not None else fold(ordered)
    metrics = compute_metrics(folded, policy_in_force(folded, policy), now)
    document = {
        "as_of": iso_utc(now),
        "events": [],
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "incident": {
            "created_at": iso_utc(record.created_at),
            "slug": record.slug,
            "title": record.title,
        },
        "metrics": _sorted(to_jsonable(metrics)),
        "state": _state_dict(folded),
    }
    rest = _serialise(document)
    head, placeholder, tail = _escape_raw(rest).partition(_EVENTS_PLACEHOLDER)
    if not placeholder:  # pragma: no cover - the document's shape is fixed above
        raise RuntimeError("the events array is missing from the document")
    pieces = _Pieces()
    return "".join([head + '\n  "events": ', *_events_parts(log, pieces), ",\n" + tail])


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


def parse_export(data: str | bytes, now: datetime | None = None) -> ExportDocument:
    """Read an export document (text or raw bytes); raise :class:`ExportFormatError` if bad.

    Beyond its shape, the incident must satisfy the rules of
    :mod:`warroom.export.import_rules` (those ``warroom log`` applies); with ``now``,
    no time may lie in the future.
    """
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
    from warroom.export.import_rules import import_problem

    problem = import_problem(raw, document, now)
    if problem:
        raise ExportFormatError(f"invalid export: {problem}")
    return document


def read_export_file(path: str | Path, now: datetime | None = None) -> ExportDocument:
    """Read and parse an export file: a regular file only, read no further than the limit."""
    from warroom.fileguard import FileRefusedError, read_bounded

    file = Path(path)
    try:
        data = read_bounded(file, MAX_EXPORT_BYTES, "export file")
    except FileRefusedError as exc:
        raise ExportFormatError(str(exc)) from None
    except OSError as exc:
        raise ExportFormatError(f"cannot read {file}: {exc.strerror or exc}") from None
    return parse_export(data, now=now)


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
        "post-mortem metrics (seconds, or null when not recorded)."
    )
    result: dict[str, Any] = _sorted(schema)
    return result


def schema_text() -> str:
    """The schema document as written to :data:`SCHEMA_PATH` (sorted, indented)."""
    return json.dumps(export_document_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerate the schema file
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
