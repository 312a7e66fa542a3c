"""LiveSession: the write queue's order, other seats' entries, the connection state."""

from __future__ import annotations

import threading
from datetime import UTC
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.domain.events import NewEvent, NoteData
from warroom.domain.timesource import FrozenTime
from warroom.live import LiveSession
from warroom.service import IncidentSession, declare_incident
from warroom.store import Store, StoreUnavailableError


@pytest.fixture
def live(tmp_path: Path, frozen_time: FrozenTime):
    store = Store.open(tmp_path / "w.db", clock=frozen_time)
    record = declare_incident(store, "Checkout errors", severity=2, at=T0, author="priya")
    yield LiveSession(IncidentSession(store, record, time=frozen_time, tz=UTC, author="lena"))
    store.close()


def _note(text: str) -> NewEvent:
    return NewEvent(occurred_at=T0, author="lena", text=text, data=NoteData())


def test_writes_land_in_ticket_order_whatever_the_threads_do(live: LiveSession) -> None:
    tickets = [live.take_ticket() for _ in range(6)]
    threads = [threading.Thread(target=live.write, args=(_note(f"n{t}"), t))
               for t in reversed(tickets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    texts = [e.text for e in live.session.store.events(live.session.incident_id)]
    assert texts[1:] == ["n0", "n1", "n2", "n3", "n4", "n5"]


def test_a_write_delivers_itself_and_a_poll_delivers_nothing_twice(live: LiveSession) -> None:
    delivery = live.write(_note("mine"), live.take_ticket())
    assert [e.text for e in delivery.events] == ["mine"]
    assert delivery.state.title == "Checkout errors"
    again = live.poll()
    assert again is not None and list(again.events) == []


def test_poll_brings_another_seats_entries(live: LiveSession, tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as other:
        other.append(live.session.incident_id, _note("theirs"))
    delivery = live.poll()
    assert delivery is not None and [e.text for e in delivery.events] == ["theirs"]


def test_an_unreachable_database_is_remembered_then_caught_up(
    live: LiveSession, tmp_path: Path, frozen_time: FrozenTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = live.session

    def down() -> list[object]:
        raise StoreUnavailableError("cannot reach the database server")

    monkeypatch.setattr(session, "poll", down)
    monkeypatch.setattr(session, "refresh", down)
    assert live.poll() is None and live.down_since == T0
    frozen_time.advance(seconds=30)
    assert live.poll() is None and live.down_since == T0, "since the first failure"
    with Store.open(tmp_path / "w.db") as other:
        other.append(session.incident_id, _note("written meanwhile"))
    monkeypatch.undo()
    delivery = live.poll()  # reads everything after the last id (no change signal needed)
    assert live.down_since is None
    assert delivery is not None and [e.text for e in delivery.events] == ["written meanwhile"]
