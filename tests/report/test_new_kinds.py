"""/cause and /runbook entries go everywhere an entry goes: timeline labels, exports, import."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli
from warroom.domain.events import EventKind
from warroom.export.markdown_timeline import KIND_LABELS as EXPORT_LABELS
from warroom.tui.panes.timeline.pane import KIND_LABELS as CONSOLE_LABELS


def test_every_kind_has_a_label_in_the_draft_and_the_console() -> None:
    assert set(EXPORT_LABELS) == set(EventKind)
    assert {k.value for k in EventKind} <= set(CONSOLE_LABELS)


def test_log_show_export_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    slug = cli.ok("new", "Disk full", "--sev", "3").strip()
    assert "cause  tester: #disk-full — volume" in cli.ok("log", slug, "/cause #disk-full volume")
    assert "runbook  tester: rb/disk.md" in cli.ok("log", slug, "/runbook rb/disk.md")
    cli.ok("log", slug, "/resolved")
    draft = cli.ok("export", slug)
    assert "cause: #disk-full" in draft and "runbook: rb/disk.md" in draft
    first = tmp_path / "a.json"
    cli.ok("export", slug, "--format", "json", "-o", str(first))
    other = str(tmp_path / "other.db")
    copy = cli.ok("import", str(first), "--db", other).strip()
    second = tmp_path / "b.json"
    cli.ok("export", copy, "--format", "json", "-o", str(second), "--db", other)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
