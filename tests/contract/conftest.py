"""The contract suite: every test here runs on SQLite and on PostgreSQL.

``store`` is an open store of either backend on the frozen clock; ``backend`` says
which, opens more stores on the same database (another seat), and knows where the
backends differ by design: on PostgreSQL the server sets the author (the database
role) and the recorded time (its clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.pgserver import pg_dsn  # noqa: F401  (a fixture)
from warroom.domain.events import Event
from warroom.domain.timesource import FrozenTime
from warroom.store import Store


@dataclass
class Backend:
    """One backend under test and its database."""

    name: str
    target: str | Path
    clock: FrozenTime

    @property
    def is_postgres(self) -> bool:
        """Whether this is the PostgreSQL run."""
        return self.name == "postgres"

    def open(self) -> Store:
        """Another store (another seat) on the same database."""
        return Store.open(self.target, clock=self.clock)

    def author(self, store: Store, given: str) -> str:
        """The author an entry written as ``given`` is stored with."""
        return store.server_author or given

    def recorded(self, event: Event, expected: datetime) -> bool:
        """Whether ``event`` was recorded at ``expected`` (the server's now on PostgreSQL)."""
        if self.is_postgres:
            return abs(event.recorded_at - datetime.now(UTC)) < timedelta(minutes=5)
        return event.recorded_at == expected


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, frozen_time: FrozenTime) -> Backend:
    """Each backend in turn (PostgreSQL skips locally without a test server)."""
    if request.param == "postgres":
        return Backend("postgres", request.getfixturevalue("pg_dsn"), frozen_time)
    return Backend("sqlite", tmp_path / "warroom.db", frozen_time)


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    """An open store of the backend under test, closed after the test."""
    with backend.open() as opened:
        yield opened
