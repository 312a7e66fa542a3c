"""Golden outputs of ``warroom report`` (text, Markdown, JSON) at a fixed --until.

To refresh after an intended change: ``WARROOM_UPDATE_GOLDEN=1 pytest tests/report``,
then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from tests.cli.conftest import Cli
from tests.report import scenario
from warroom.report.render_json import SCHEMA_PATH, report_schema

GOLDEN = Path(__file__).with_name("golden")
FORMATS = {"text": "report.txt", "md": "report.md", "json": "report.json"}


@pytest.fixture
def outputs(cli: Cli) -> dict[str, str]:
    scenario.build(cli)
    return {
        fmt: cli.ok("report", "--since", scenario.SINCE, "--until", scenario.UNTIL,
                    "--format", fmt)
        for fmt in FORMATS
    }


def test_goldens(outputs: dict[str, str]) -> None:
    for fmt, name in FORMATS.items():
        path = GOLDEN / name
        if os.environ.get("WARROOM_UPDATE_GOLDEN"):
            path.write_text(outputs[fmt], encoding="utf-8")
        assert outputs[fmt] == path.read_text(encoding="utf-8"), f"{name} differs"


def test_text_fits_80_columns(outputs: dict[str, str]) -> None:
    widths = [len(line) for line in outputs["text"].splitlines()]
    assert max(widths) <= 80
    assert "▁" in outputs["text"] or "█" in outputs["text"]  # the weekly sparkline


def test_markdown_tables_parse_as_gfm(outputs: dict[str, str]) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(outputs["md"])
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) == 7  # health, weeks, severities, services, longest, past due, PMs
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]


def test_json_follows_the_schema_in_the_repo(outputs: dict[str, str]) -> None:
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == report_schema()
    jsonschema.validate(json.loads(outputs["json"]), report_schema())


def test_deterministic_for_database_and_until(cli: Cli) -> None:
    scenario.build(cli)
    argv = ("report", "--since", scenario.SINCE, "--until", scenario.UNTIL, "--format", "json")
    first = cli.ok(*argv)
    cli.ok("log", "inc-c", "/note written now, after --until")
    assert cli.ok(*argv) == first
