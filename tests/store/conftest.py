"""Fixtures for the store tests: a store in a temp dir on a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.events import DeclaredData, NewEvent, NoteData, Severity
from warroom.domain.timesource import FrozenTime
from warroom.store import Store


def declared(title: str = "Checkout API errors", at: datetime = T0) -> NewEvent:
    """A declared event for ``create_incident``."""
    return NewEvent(
        occurred_at=at,
        author="alice",
        data=DeclaredData(title=title, severity=Severity.SEV2, services=("checkout",)),
    )


def note(text: str, minutes: float = 1, author: str = "bob") -> NewEvent:
    """A note ``minutes`` after T0."""
    return NewEvent(
        occurred_at=T0 + timedelta(minutes=minutes), author=author, text=text, data=NoteData()
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives."""
    return tmp_path / "warroom.db"


@pytest.fixture
def store(db_path: Path, frozen_time: FrozenTime) -> Iterator[Store]:
    """An open store on the frozen clock, closed after the test."""
    with Store.open(db_path, clock=frozen_time) as opened:
        yield opened
