"""Injected time: every ``now`` in warroom comes from a :class:`TimeSource`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class TimeSource(Protocol):
    """Something that tells the current instant (timezone-aware, UTC)."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        ...


class SystemTime:
    """The real wall clock."""

    def now(self) -> datetime:
        """The current instant in UTC, with microseconds."""
        return datetime.now(UTC)


class FrozenTime:
    """A clock that only moves when told to: for tests, snapshots and replays."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenTime needs a timezone-aware instant")
        self._now = at.astimezone(UTC)

    def now(self) -> datetime:
        """The frozen instant."""
        return self._now

    def set(self, at: datetime) -> None:
        """Jump to ``at``."""
        self._now = at.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (or ``timedelta(**kwargs)``) and return the new now."""
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


class OffsetTime:
    """The wall clock shifted by a fixed offset (the demo runs "live" this way)."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """The shifted current instant."""
        return datetime.now(UTC) + self.offset
