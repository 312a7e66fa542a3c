"""The JSON export: golden file, determinism, schema, import round trip, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.export.incident import NOW, RECORD, check_golden, declared, demo_events, number
from warroom.domain.events import EventKind
from warroom.domain.fold import fold
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.export import json_export
from warroom.export.json_export import (
    SCHEMA_PATH,
    ExportFormatError,
    export_json,
    parse_export,
    read_export_file,
    schema_text,
)
from warroom.store import Store


def _export(events: object = None) -> str:
    return export_json(RECORD, demo_events() if events is None else events, DEFAULT_POLICY, now=NOW)


def test_demo_incident_matches_the_golden_file() -> None:
    check_golden("demo_export.json", _export())


def test_document_is_sorted_indented_and_deterministic() -> None:
    text = _export()
    assert text == _export(list(reversed(demo_events())))
    again = json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text == again


def test_document_holds_events_state_and_metrics() -> None:
    document = json.loads(_export())
    assert document["format"] == "warroom-incident-export"
    assert document["format_version"] == 1
    assert document["incident"] == {
        "created_at": "2026-11-27T14:00:00Z",
        "slug": RECORD.slug,
        "title": RECORD.title,
    }
    events = demo_events()
    assert document["events"] == [e.model_dump(mode="json") for e in events]
    assert document["state"]["phase"] == "resolved"
    assert document["state"]["key_events"] == [3, 10]
    metrics = document["metrics"]
    assert (
        metrics["time_to_detect"],
        metrics["time_to_acknowledge"],
        metrics["time_to_mitigate"],
        metrics["time_to_resolve"],
        metrics["duration"],
    ) == (180.0, 180.0, 2280.0, 5280.0, 5280.0)


def test_missing_metrics_are_null() -> None:
    metrics = json.loads(_export(number([declared()])))["metrics"]
    assert metrics["time_to_detect"] is None
    assert metrics["time_to_acknowledge"] is None
    assert metrics["time_to_mitigate"] is None
    assert metrics["time_to_resolve"] is None
    assert metrics["duration"] == 7200.0 and metrics["ongoing"] is True


def test_schema_file_is_the_generated_schema() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "regenerate with: python -m warroom.export.json_export"
    )


def test_exports_validate_against_the_schema_file() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(json.loads(_export()))
    validator.validate(json.loads(_export(number([declared()]))))
    bad = json.loads(_export())
    bad["events"][0]["data"]["kind"] = "no-such-kind"
    assert not validator.is_valid(bad)


def test_parse_export_reads_events_and_incident_back() -> None:
    document = parse_export(_export())
    assert document.events == demo_events()
    assert document.incident.slug == RECORD.slug
    assert document.incident.created_at == RECORD.created_at
    assert document.state == fold(demo_events())
    assert parse_export(_export().encode("utf-8")).events == demo_events()


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    first = _export()
    document = parse_export(first)
    with Store.open(tmp_path / "w.db", clock=FrozenTime(NOW)) as store:
        record = store.import_incident(
            slug=document.incident.slug,
            title=document.incident.title,
            created_at=document.incident.created_at,
            events=document.events,
        )
        second = export_json(record, store.events(record.id), DEFAULT_POLICY, now=NOW)
    assert second == first


def _error(data: str | bytes) -> str:
    with pytest.raises(ExportFormatError) as caught:
        parse_export(data)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_invalid_utf8_is_named() -> None:
    assert "not UTF-8" in _error(b'{"format": "\xff"}')


def test_truncated_json_is_named() -> None:
    text = _export()
    assert "truncated JSON" in _error(text[: len(text) // 2])


def test_invalid_json_is_named() -> None:
    message = _error('{"format": nope}')
    assert "not valid JSON" in message and "line 1" in message


def test_empty_file_is_named() -> None:
    assert "empty" in _error("  \n")


def test_wrong_top_level_shape_is_named() -> None:
    assert "expected a JSON object" in _error("[1, 2]")


def test_unknown_format_and_version_are_named() -> None:
    document = json.loads(_export())
    document["format_version"] = 7
    assert "unsupported format_version 7" in _error(json.dumps(document))
    document["format"] = "something-else"
    assert "format" in _error(json.dumps(document))
    del document["format"]
    assert "format: missing" in _error(json.dumps(document))


def test_a_bad_field_is_named_by_its_path() -> None:
    document = json.loads(_export())
    document["events"][8]["data"]["phase"] = "on fire"
    message = _error(json.dumps(document))
    assert message.startswith("invalid export: events[8].data.phase:"), message
    document = json.loads(_export())
    document["events"][2]["occurred_at"] = "2026-11-27T14:00:00"  # no zone
    assert "events[2].occurred_at" in _error(json.dumps(document))
    document = json.loads(_export())
    del document["incident"]["slug"]
    assert "incident.slug: missing" in _error(json.dumps(document))


def test_an_unknown_event_kind_is_one_short_readable_line() -> None:
    document = json.loads(_export())
    document["events"][3]["data"]["kind"] = "teleport"
    message = _error(json.dumps(document))
    kinds = ", ".join(kind.value for kind in EventKind)
    assert message == (
        f"invalid export: events[3].data.kind: unknown kind 'teleport' (expected one of: {kinds})"
    )
    assert "<" not in message and len(message) < 400


_DELETE = object()


def _mutated(path: tuple[str | int, ...], value: object) -> str:
    document = json.loads(_export())
    node = document
    for part in path[:-1]:
        node = node[part]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("events", 3, "data", "kind"), _DELETE, "events[3].data.kind: missing"),
        (("events", 3, "data"), "x", "events[3].data: should be an object (got 'x')"),
        (("events", 0, "data", "severity"), "SEV9",
         "events[0].data.severity: should be 1, 2, 3 or 4 (got 'SEV9')"),
        (("events", 3, "data", "zzz"), 1, "events[3].data.zzz: unknown field"),
        (("zzz",), 1, "zzz: unknown field"),
        (("metrics", "zzz"), 1, "metrics.zzz: unknown field"),
        (("metrics", "sources", "duration", "windows", 0, "zzz"), 1,
         "metrics.sources.duration.windows[0].zzz: unknown field"),
        (("state", "title"), 5, "state.title: should be a string (got 5)"),
        (("events", 3, "occurred_at"), "yesterday",
         "events[3].occurred_at: should be an ISO 8601 date and time with a zone "
         "(got 'yesterday')"),
        (("events", 3, "id"), "x", "events[3].id: should be an integer (got 'x')"),
        (("events", 3, "id"), -1, "events[3].id: should be greater than or equal to 1 (got -1)"),
        (("events", 3, "author"), None, "events[3].author: should be a string (got null)"),
        (("events",), {}, "events: should be an array (got an object)"),
        (("incident", "created_at"), "2026-11-27T14:00:00",
         "incident.created_at: timestamps must carry a time zone"),
        (("events", 3, "data", "kind"), "\x1b[31m" + "x" * 200, "unknown kind '\\x1b[31mxxx"),
    ],
)
def test_validation_messages_are_short_and_readable(
    path: tuple[str | int, ...], value: object, expected: str
) -> None:
    message = _error(_mutated(path, value))
    assert message.startswith("invalid export: ") and expected in message
    for noise in ("Input should", "Value error", "Field required", "[key]", "<EventKind"):
        assert noise not in message
    # The unknown-kind message lists every kind: the bound leaves room for a few more.
    assert "\x1b" not in message and len(message) < 420


def test_duplicate_event_ids_are_refused() -> None:
    document = json.loads(_export())
    document["events"][1]["id"] = 1
    assert "duplicate id 1" in _error(json.dumps(document))


def test_oversized_input_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(json_export, "MAX_EXPORT_BYTES", 1000)
    text = _export()
    assert "larger than" in _error(text)
    assert "larger than" in _error(text.encode())
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExportFormatError, match="larger than"):
        read_export_file(path)


def test_read_export_file_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError, match="cannot read"):
        read_export_file(tmp_path / "nope.json")


def test_event_dump_equals_pydantic_for_microseconds_and_shared_payloads() -> None:
    base = demo_events()
    odd = [
        e.model_copy(
            update={
                "occurred_at": e.occurred_at.replace(microsecond=120_000 + e.id),
                "recorded_at": e.recorded_at.replace(microsecond=e.id),
            }
        )
        for e in base
    ]
    shared = base[8].data  # a status update with components, reused by another event
    odd.append(base[8].model_copy(update={"id": 99, "data": shared}))
    document = json.loads(_export(odd))
    assert document["events"] == [
        e.model_dump(mode="json") for e in sorted(odd, key=lambda e: e.id)
    ]
