"""Shared fixtures: a fixed instant and a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

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
