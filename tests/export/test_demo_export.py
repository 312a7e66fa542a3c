"""Golden tests on the bundled demo incident (``sample_data/demo_incident.json``)."""

from __future__ import annotations

from pathlib import Path

from tests.export.incident import check_golden
from tests.export.mdparse import html_tokens, parse
from warroom.domain.policy import DEFAULT_POLICY
from warroom.export.json_export import ExportDocument, export_json, read_export_file
from warroom.export.markdown import render_postmortem

DEMO = Path(__file__).resolve().parents[2] / "sample_data" / "demo_incident.json"


def _demo() -> ExportDocument:
    document = read_export_file(DEMO)
    assert document.as_of is not None
    return document


def test_demo_file_reexports_byte_identical() -> None:
    document = _demo()
    assert document.as_of is not None
    text = export_json(document.incident, document.events, DEFAULT_POLICY, now=document.as_of)
    assert text == DEMO.read_text(encoding="utf-8")


def test_demo_postmortem_matches_the_golden_file() -> None:
    document = _demo()
    assert document.as_of is not None
    text = render_postmortem(document.incident, document.events, DEFAULT_POLICY, now=document.as_of)
    assert html_tokens(parse(text)) == []
    check_golden("demo_incident_postmortem.md", text)
