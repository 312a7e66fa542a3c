"""``warroom export`` and ``warroom import``: safe writes and a byte-identical round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_one_error_line


@pytest.fixture
def resolved(cli: Cli) -> str:
    """A small resolved incident built from back-dated CLI entries; returns its slug."""
    slug = cli.ok("new", "Checkout errors", "--sev", "2", "--service", "checkout-api",
                  "--at", "-50m").strip()
    for line in ("@-60m /started", "@-55m /detected alert", "@-52m /ack", "/ic priya",
                 "/decision roll back | to v41", "/cmd kubectl rollout undo deploy/checkout",
                 "@-20m /mitigated", "/resolved"):
        cli.ok("log", slug, line)
    return slug


def test_export_json_to_stdout(cli: Cli, resolved: str) -> None:
    data = json.loads(cli.ok("export", resolved, "--format", "json"))
    text = json.dumps(data)
    assert "roll back | to v41" in text
    metrics = data["metrics"]
    assert metrics["time_to_detect"] == pytest.approx(300, abs=2)
    assert metrics["time_to_acknowledge"] == pytest.approx(180, abs=2)
    assert metrics["time_to_mitigate"] == pytest.approx(2400, abs=2)


def test_export_to_a_file_refuses_to_overwrite(cli: Cli, resolved: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    written = cli.ok("export", resolved, "--format", "json", "-o", str(target))
    assert written == f"wrote {target} ({target.stat().st_size:,} bytes)\n"
    first = target.read_bytes()
    target.write_text("keep me", encoding="utf-8")
    line = assert_one_error_line(cli("export", resolved, "--format", "json", "-o", str(target)), 1)
    assert "already exists" in line and "--force" in line
    assert target.read_text(encoding="utf-8") == "keep me"
    cli.ok("export", resolved, "--format", "json", "-o", str(target), "--force")
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_into_a_missing_folder(cli: Cli, resolved: str, tmp_path: Path) -> None:
    line = assert_one_error_line(
        cli("export", resolved, "--format", "json", "-o", str(tmp_path / "nope" / "x.json")), 1)
    assert "does not exist" in line


def test_export_import_export_is_byte_identical(
    cli: Cli, resolved: str, tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    cli.ok("export", resolved, "--format", "json", "-o", str(first))
    other_db = tmp_path / "other.db"
    slug = cli.ok("import", str(first), "--db", str(other_db)).strip()
    assert slug == resolved
    cli.ok("export", slug, "--format", "json", "-o", str(second), "--db", str(other_db))
    assert first.read_bytes() == second.read_bytes()


def test_import_twice_is_a_clear_error(cli: Cli, resolved: str, tmp_path: Path) -> None:
    file = tmp_path / "x.json"
    cli.ok("export", resolved, "--format", "json", "-o", str(file))
    line = assert_one_error_line(cli("import", str(file)), 1)
    assert resolved in line


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\xff\xfe not utf-8", "UTF-8"),
        (b'{"truncated": [1, 2', ""),
        (b'{"events": "wrong shape"}', ""),
        (b"[]", ""),
    ],
)
def test_import_bad_files(cli: Cli, tmp_path: Path, content: bytes, needle: str) -> None:
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    line = assert_one_error_line(cli("import", str(file)), 1)
    assert needle in line
    assert file.read_bytes() == content


def test_import_missing_file(cli: Cli, tmp_path: Path) -> None:
    line = assert_one_error_line(cli("import", str(tmp_path / "missing.json")), 1)
    assert "missing.json" in line and "No such file" in line


def test_export_without_incident_when_none_is_open(cli: Cli, resolved: str) -> None:
    line = assert_one_error_line(cli("export"), 1)
    assert "no incident is open" in line and resolved in line


def test_export_markdown(cli: Cli, resolved: str) -> None:
    out = cli.ok("export", resolved)
    assert "Checkout errors" in out
    assert "roll back" in out
