"""The fixed instant the deterministic tests start from, and a clock frozen there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from warroom.domain.timesource import FrozenTime

__all__ = ["T0", "at", "frozen_clock"]

#: The instant every deterministic test starts from (2026-11-27 14:00 UTC).
T0 = datetime(2026, 11, 27, 14, 0, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    """The instant ``minutes`` after :data:`T0` (negative: before it)."""
    return T0 + timedelta(minutes=minutes)


def frozen_clock(start: datetime = T0) -> FrozenTime:
    """A clock that stands at ``start`` until a test moves it."""
    return FrozenTime(start)
