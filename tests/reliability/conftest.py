"""Shared pieces of the reliability suite: the crash harness, isolated environments, checks.

Every test gets its own database and an empty config file through the environment
(``WARROOM_DB``, ``WARROOM_CONFIG``), a fixed author and UTC, so neither the
user's settings nor another test's files leak in.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from warroom.cli import main

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("writer.py")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


#: ``benchmarks/crash_harness.py``, the standalone runner the crash tests drive.
harness = _load("warroom_crash_harness", ROOT / "benchmarks" / "crash_harness.py")


@dataclass
class Result:
    """What one CLI run produced."""

    code: int
    out: str
    err: str


class Env:
    """A private database + config for one test, for in-process and subprocess CLI runs."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        self.db = tmp_path / "warroom.db"
        self.config = tmp_path / "config.toml"
        self.config.write_text("", encoding="utf-8")
        self.vars = {
            "WARROOM_DB": str(self.db),
            "WARROOM_CONFIG": str(self.config),
            "WARROOM_AUTHOR": "tester",
            "TZ": "UTC",
        }

    @property
    def environ(self) -> dict[str, str]:
        """The full environment of a child process."""
        return {**os.environ, **self.vars}

    def cli(self, *argv: str, **kwargs: object) -> Result:
        """``warroom *argv`` in-process (``main``), stdout/stderr captured."""
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out=out, err=err, **kwargs)  # type: ignore[arg-type]
        return Result(code, out.getvalue(), err.getvalue())

    def run(self, *argv: str | bytes, timeout: float = 60) -> Result:
        """``python -m warroom *argv`` as a real process (argv may hold raw bytes)."""
        return self.run_with({}, *argv, timeout=timeout)

    def run_with(self, extra: dict[str, str], *argv: str | bytes,
                 timeout: float = 60) -> Result:
        """:meth:`run` with ``extra`` variables added to the environment."""
        proc = subprocess.run(
            [sys.executable, "-m", "warroom", *argv], capture_output=True,
            env={**self.environ, **extra}, timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                      proc.stderr.decode("utf-8", "replace"))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    """An isolated environment, also applied to this process (for in-process CLI runs)."""
    made = Env(tmp_path)
    for name, value in made.vars.items():
        monkeypatch.setenv(name, value)
    return made


def assert_clean_failure(result: Result, codes: tuple[int, ...] = (1, 2)) -> str:
    """Non-zero exit, exactly one ``warroom: error:`` line on stderr, no traceback."""
    assert result.code in codes, (result.code, result.out, result.err)
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("warroom: error: "), result.err
    assert "Traceback" not in result.err
    assert "\x1b" not in result.err
    return lines[0]


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of ``db`` (``ok`` when healthy)."""
    conn = sqlite3.connect(db)
    try:
        return " ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()
