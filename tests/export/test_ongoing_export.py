"""Exporting an incident that is not resolved yet: a draft of an ongoing incident."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.export.incident import NOW, RECORD, declared, demo_entries, number
from tests.export.mdparse import headings, html_tokens, parse, split_front_matter
from warroom.domain.events import Event
from warroom.domain.policy import DEFAULT_POLICY
from warroom.export.json_export import SCHEMA_PATH, export_json, parse_export
from warroom.export.markdown import render_postmortem

#: The hand-built incident up to its second mitigation: mitigated, not resolved.
MITIGATED = number(demo_entries()[:17])
#: Only declared: nothing else recorded yet.
JUST_DECLARED = number([declared()])

SECTIONS = [
    "Summary", "Impact", "Metrics", "Roles", "Timeline", "Status updates",
    "The five questions", "What went well", "Where we got lucky", "Action items",
    "Post-mortem schedule",
]


def _markdown(events: list[Event]) -> str:
    return render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW)


@pytest.mark.parametrize("events", [MITIGATED, JUST_DECLARED], ids=["mitigated", "declared"])
def test_markdown_draft_of_an_ongoing_incident(events: list[Event]) -> None:
    text = _markdown(events)
    front, body = split_front_matter(text)
    assert front["ongoing"] is True and front["resolved"] is None
    assert front["time_to_resolve_seconds"] is None
    tokens = parse(text)
    assert html_tokens(tokens) == []
    assert headings(tokens, 2) == SECTIONS
    intro = body.split("## Summary", 1)[0]
    assert "**Ongoing incident:** not resolved as of 2026-11-27 16:00:00 UTC" in intro
    assert f"(status: {front['status']})" in intro
    assert "Not resolved yet: the schedule is counted from the moment of resolution." in body
    assert text == _markdown(list(reversed(events)))  # still deterministic


def test_a_resolved_incident_is_not_marked_ongoing() -> None:
    text = _markdown(number(demo_entries()))
    assert split_front_matter(text)[0]["ongoing"] is False
    assert "Ongoing incident" not in text


@pytest.mark.parametrize("events", [MITIGATED, JUST_DECLARED], ids=["mitigated", "declared"])
def test_json_export_of_an_ongoing_incident(events: list[Event]) -> None:
    text = export_json(RECORD, events, DEFAULT_POLICY, now=NOW)
    document = json.loads(text)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["metrics"]["ongoing"] is True
    assert document["metrics"]["time_to_resolve"] is None
    assert document["state"]["resolved_at"] is None
    parsed = parse_export(text)
    assert export_json(parsed.incident, parsed.events, DEFAULT_POLICY, now=NOW) == text
