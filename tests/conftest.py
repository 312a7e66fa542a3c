"""Shared fixtures: a fixed instant, a frozen clock, a temp database, a reachable folder.

The builders and constants behind them live in ``tests/support/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.support.times import T0, frozen_clock
from warroom.domain.timesource import FrozenTime
from warroom.store import Store

# Property tests are deterministic by default (the same examples every run, no deadline
# on a loaded machine); HYPOTHESIS_PROFILE=explore draws new examples each run.
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

_PG_LEFT_OUT = pytest.StashKey[int]()


@pytest.fixture(autouse=True, scope="session")
def _outbox_kept_apart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes to the user's real outbox (team mode's queue of unsent entries)."""
    saved = os.environ.get("WARROOM_OUTBOX")
    os.environ["WARROOM_OUTBOX"] = str(tmp_path_factory.mktemp("outbox") / "outbox.sqlite3")
    yield
    if saved is None:
        os.environ.pop("WARROOM_OUTBOX", None)
    else:
        os.environ["WARROOM_OUTBOX"] = saved


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Never write into the user's real data folder (the console keeps history there)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def t0() -> datetime:
    """The fixed start instant of the tests."""
    return T0


@pytest.fixture
def frozen_time() -> FrozenTime:
    """A frozen clock at :data:`T0`."""
    return frozen_clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives."""
    return tmp_path / "warroom.db"


@pytest.fixture
def store(db_path: Path, frozen_time: FrozenTime) -> Iterator[Store]:
    """An open store on a temp file, with the frozen clock; closed after the test."""
    with Store.open(db_path, clock=frozen_time) as opened:
        yield opened


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged user can reach (pytest's tmp dirs are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="warroom-shared-"))
    base.chmod(0o755)
    yield base
    for path in [base, *base.rglob("*")]:
        path.chmod(0o700)
    shutil.rmtree(base)


def _needs_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("backend") == "postgres":
        return True
    return "pg_dsn" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a test PostgreSQL (and not in CI), leave its tests out and say so once."""
    from tests.pgserver import ENV

    if os.environ.get(ENV, "").strip() or os.environ.get("CI", "").lower() == "true":
        return
    left_out = [item for item in items if _needs_postgres(item)]
    if left_out:
        items[:] = [item for item in items if not _needs_postgres(item)]
        config.hook.pytest_deselected(items=left_out)
        config.stash[_PG_LEFT_OUT] = len(left_out)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The one line about PostgreSQL tests left out."""
    from tests.pgserver import SKIP_REASON

    count = config.stash.get(_PG_LEFT_OUT, 0)
    if count:
        terminalreporter.write_line(f"{count} PostgreSQL tests not run: {SKIP_REASON}")
