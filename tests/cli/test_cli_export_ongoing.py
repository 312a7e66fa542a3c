"""``warroom export`` of the live demo incident, which is mitigated but not resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli
from warroom.export.json_export import parse_export


@pytest.fixture
def demo_db(cli: Cli, tmp_path: Path) -> str:
    """A kept live copy of the demo incident; returns the database path."""
    db = tmp_path / "demo.db"
    cli.ok("demo", "--print", "--db", str(db))
    return str(db)


def test_markdown_draft_of_the_ongoing_demo(cli: Cli, demo_db: str, tmp_path: Path) -> None:
    text = cli.ok("export", "--db", demo_db)
    assert text.startswith("---\n") and "\nongoing: true\n" in text and "\nresolved: null\n" in text
    assert "> **Ongoing incident:** not resolved as of " in text
    assert "(status: mitigated)" in text
    for section in ("## Metrics", "## Timeline", "## The five questions", "## Action items"):
        assert section in text
    target = tmp_path / "draft.md"
    assert cli.ok("export", "--db", demo_db, "-o", str(target)).startswith(f"wrote {target} (")
    assert "Ongoing incident" in target.read_text(encoding="utf-8")


def test_json_export_of_the_ongoing_demo(cli: Cli, demo_db: str) -> None:
    text = cli.ok("export", "--db", demo_db, "--format", "json")
    document = json.loads(text)
    assert document["metrics"]["ongoing"] is True
    assert document["metrics"]["time_to_resolve"] is None
    assert document["state"]["phase"] == "mitigated"
    assert len(parse_export(text).events) == document["state"]["event_count"]
    again = cli.ok("export", "--db", demo_db, "--format", "json", "--as-of", document["as_of"])
    assert again == text
