"""The outbox tests: each gets its own outbox file, an empty config and UTC."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pgserver import make_role, pg_dsn  # noqa: F401  (fixtures)
from tests.support.times import T0
from warroom.cli import main
from warroom.domain.timesource import FrozenTime, TimeSource

#: A URI no server answers (its socket folder does not exist): "connection refused".
UNREACHABLE = "postgresql:///warroom?host=/nonexistent-warroom-test&user=nobody"


@dataclass
class Result:
    """One CLI run."""

    code: int
    out: str
    err: str


def run(*argv: str, time: TimeSource | None = None) -> Result:
    """``warroom ARGV`` in-process on a frozen clock (``T0``) unless told otherwise."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, time=time or FrozenTime(T0))
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def outbox_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's outbox file (not created yet) in a folder of its own."""
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    path = tmp_path / "seat" / "outbox.sqlite3"
    monkeypatch.setenv("WARROOM_OUTBOX", str(path))
    monkeypatch.setenv("WARROOM_CONFIG", str(config))
    monkeypatch.setenv("WARROOM_AUTHOR", "tester")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("WARROOM_DB", raising=False)
    monkeypatch.delenv("WARROOM_DEBUG", raising=False)
    yield path
