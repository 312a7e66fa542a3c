"""Eight processes append at once to one incident on PostgreSQL: ids 1..N, no gap, no error."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.support.entries import declared
from warroom.store import Store

WRITERS, EACH = 8, 250

_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from warroom.domain.events import NewEvent, NoteData
    from warroom.store import Store

    dsn, incident, name, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    with Store.open(dsn) as store:
        for i in range(count):
            store.append(incident, NewEvent(occurred_at=datetime.now(UTC), author="x",
                                            text=f"{name}-{i}", data=NoteData()))
    """
)


@pytest.mark.slow
def test_eight_writers_give_gap_free_ids(pg_dsn: str) -> None:
    with Store.open(pg_dsn) as store:
        record, _ = store.create_incident(declared())
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, pg_dsn, str(record.id), f"w{n}", str(EACH)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(WRITERS)
    ]
    results = [(w.wait(timeout=300), w.stderr.read() if w.stderr else "") for w in writers]
    assert results == [(0, "")] * WRITERS
    with Store.open(pg_dsn) as store:
        events = store.events(record.id)
    assert [e.id for e in events] == list(range(1, WRITERS * EACH + 2))
    texts = [e.text for e in events[1:]]
    assert sorted(texts) == sorted(f"w{n}-{i}" for n in range(WRITERS) for i in range(EACH))
    for n in range(WRITERS):  # each writer's entries are in the order it wrote them
        mine = [t for t in texts if t.startswith(f"w{n}-")]
        assert mine == [f"w{n}-{i}" for i in range(EACH)]
