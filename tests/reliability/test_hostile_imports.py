"""Hostile imports and hostile files to read: refused in one line, nothing written, no hang.

An edited export is held to the rules ``warroom log`` applies (times within bounds,
authors 1–200 characters, one declared event first, ids 1..n as JSON integers); a
FIFO, a device or a directory given as an export, a policy or a config file is
refused without being read; every read is bounded.
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.times import T0
from warroom.domain.timesource import FrozenTime

from .conftest import Env, assert_clean_failure

LATER = FrozenTime(T0 + timedelta(minutes=30))


@pytest.fixture
def valid(env: Env) -> dict[str, Any]:
    """A valid export (four events), as a parsed document."""
    assert env.cli("new", "Import drill", "--sev", "2", "--slug", "drill",
                   time=FrozenTime(T0)).code == 0
    for n, line in enumerate(("/ic alice", "/tech bob", "rollback started")):
        assert env.cli("log", "1", line, time=FrozenTime(T0 + timedelta(minutes=n + 1))).code == 0
    result = env.cli("export", "1", "--format", "json", time=LATER)
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    document["incident"]["slug"] = "imported"
    return document


def _edit(document: dict[str, Any], case: str) -> dict[str, Any]:
    doc = json.loads(json.dumps(document))
    events = doc["events"]
    far = "9999-12-31T23:59:59Z"
    if case == "declared-in-year-9999":
        events[0]["occurred_at"] = far
    elif case == "created-in-year-9999":
        doc["incident"]["created_at"] = far
    elif case == "recorded-in-the-future":
        events[2]["recorded_at"] = "2026-11-28T14:00:00Z"
    elif case == "before-1970":
        events[1]["occurred_at"] = "1900-01-01T00:00:00Z"
    elif case == "id-2**63-1":
        events[3]["id"] = 2**63 - 1
    elif case == "id-as-string":
        events[1]["id"] = "2"
    elif case == "id-as-float":
        events[1]["id"] = 2.0
    elif case == "ids-with-a-gap":
        events[3]["id"] = 7
    elif case == "empty-author":
        events[2]["author"] = ""
    elif case == "blank-author":
        events[2]["author"] = "   "
    elif case == "2MB-author":
        events[2]["author"] = "a" * 2_000_000
    elif case == "no-declared":
        doc["events"] = events[1:]
        for n, event in enumerate(doc["events"], start=1):
            event["id"] = n
    elif case == "two-declared":
        events[2] = dict(events[0], id=3)
    elif case == "no-events":
        doc["events"] = []
    elif case == "due-in-year-9999":
        events.append({**events[3], "id": 5, "data": {
            "kind": "action_item", "owner": "bob", "due": "9999-12-31", "priority": None,
            "done_when": ""}, "text": "fix it"})
    else:  # pragma: no cover
        raise AssertionError(case)
    return doc


CASES = ("declared-in-year-9999", "created-in-year-9999", "recorded-in-the-future",
         "before-1970", "id-2**63-1", "id-as-string", "id-as-float", "ids-with-a-gap",
         "empty-author", "blank-author", "2MB-author", "no-declared", "two-declared",
         "no-events", "due-in-year-9999")


@pytest.mark.parametrize("case", CASES)
def test_an_import_breaking_a_rule_is_refused_naming_the_place(
    env: Env, valid: dict[str, Any], case: str
) -> None:
    path = env.dir / f"{case}.json"
    path.write_text(json.dumps(_edit(valid, case)), encoding="utf-8")
    before = env.cli("list", "--json", time=LATER).out
    line = assert_clean_failure(env.cli("import", str(path), time=LATER), (1,))
    assert line.startswith("warroom: error: invalid export: "), line
    assert re.search(r"(incident|events)(\[\d+\])?\.?\w*", line), line
    assert "internal error" not in line
    assert env.cli("list", "--json", time=LATER).out == before  # nothing written
    for argv in (("list",), ("show", "1"), ("log", "1", "still works")):
        assert env.cli(*argv, time=LATER).code == 0, argv


def test_the_valid_export_imports(env: Env, valid: dict[str, Any]) -> None:
    path = env.dir / "valid.json"
    path.write_text(json.dumps(valid), encoding="utf-8")
    result = env.cli("import", str(path), time=LATER)
    assert result.code == 0 and result.out.strip() == "imported", result.err


def test_a_bad_import_creates_no_database(env: Env, valid: dict[str, Any],
                                          tmp_path: Path) -> None:
    path = env.dir / "bad.json"
    path.write_text(json.dumps(_edit(valid, "no-events")), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    assert_clean_failure(env.cli("--db", str(fresh), "import", str(path), time=LATER), (1,))
    assert not fresh.exists()


# ------------------------------------------------------------ files that are not files
def _fifo(folder: Path) -> Path:
    path = folder / "fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "directory"])
@pytest.mark.parametrize("how", ["import", "--policy", "WARROOM_CONFIG"])
def test_non_regular_files_are_refused_without_reading(
    env: Env, tmp_path: Path, target: str, how: str
) -> None:
    if target == "fifo":
        path = _fifo(tmp_path)
    elif target == "directory":
        path = tmp_path / "folder"
        path.mkdir()
    else:
        path = Path(target)
    assert env.cli("new", "Files drill", time=FrozenTime(T0)).code == 0
    if how == "import":
        result = env.run("import", str(path), timeout=30)
    elif how == "--policy":
        result = env.run("--policy", str(path), "show", timeout=30)
    else:
        result = env.run_with({"WARROOM_CONFIG": str(path)}, "show", timeout=30)
    line = assert_clean_failure(result, (1,))
    assert "not a regular file" in line, line


def test_an_oversized_policy_is_refused_unread(env: Env, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("# padding\n" * 200_000, encoding="utf-8")
    assert env.cli("new", "Policy drill", time=FrozenTime(T0)).code == 0
    line = assert_clean_failure(env.cli("--policy", str(policy), "list"), (1,))
    assert "larger than" in line and "limit" in line
