"""Run the ``warroom`` CLI in-process (``main(argv)``) or as a subprocess, isolated.

Every test gets its own database (``$WARROOM_DB``), an empty config file
(``$WARROOM_CONFIG``), a fixed author and UTC as the local zone, so the user's
real settings never leak in.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from warroom.cli import main


@dataclass
class Result:
    """What one CLI run produced."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        """Non-empty stderr lines."""
        return [line for line in self.err.splitlines() if line.strip()]


class Cli:
    """Runs the CLI against the test's database."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "warroom.db"
        self.config = tmp_path / "config.toml"
        self.config.write_text("", encoding="utf-8")
        self.env = {
            "WARROOM_DB": str(self.db),
            "WARROOM_CONFIG": str(self.config),
            "WARROOM_AUTHOR": "tester",
            "TZ": "UTC",
        }

    def __call__(self, *argv: str) -> Result:
        """Run ``warroom *argv`` in-process."""
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), out=out, err=err)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *argv: str) -> str:
        """Run and insist on success; returns stdout."""
        result = self(*argv)
        assert result.code == 0, result.err
        assert result.err == ""
        return result.out

    def run(self, *argv: str, timeout: float = 60) -> Result:
        """Run ``python -m warroom *argv`` as a real subprocess."""
        env = {**os.environ, **self.env}
        proc = subprocess.run(
            [sys.executable, "-m", "warroom", *argv],
            capture_output=True, text=True, env=env, timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """An isolated CLI runner."""
    runner = Cli(tmp_path)
    for name, value in runner.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WARROOM_DEBUG", raising=False)
    return runner


def assert_one_error_line(result: Result, code: int) -> str:
    """The run failed with ``code`` and exactly one ``warroom: error:`` line, no traceback."""
    assert result.code == code, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("warroom: error: ")
    assert "Traceback" not in result.err
    return line
