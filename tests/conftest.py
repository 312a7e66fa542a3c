"""Shared fixtures: a fixed instant, a frozen clock and a directory others can reach."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from warroom.domain.timesource import FrozenTime

#: The instant every deterministic test starts from.
T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


@pytest.fixture
def t0() -> datetime:
    """The fixed start instant of the tests."""
    return T0


@pytest.fixture
def frozen_time() -> FrozenTime:
    """A frozen clock at :data:`T0`."""
    return FrozenTime(T0)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged user can reach (pytest's tmp dirs are 0700)."""
    base = Path(tempfile.mkdtemp(prefix="warroom-shared-"))
    base.chmod(0o755)
    yield base
    for path in [base, *base.rglob("*")]:
        path.chmod(0o700)
    shutil.rmtree(base)
