"""Store.event_log's fast read (fewer cells, inferred ids) equals the reference read.

The reference is the plain read of every column (:data:`codec.EVENT_COLUMNS` through
:func:`codec.decode_log`), which is what ``event_log`` did before. Rows are written
raw, some of them damaged past the schema's CHECK constraints, and the two reads must
give the same log or the same error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.domain.eventlog import EventLog
from warroom.domain.timesource import FrozenTime
from warroom.store import Store, StoreError, codec

_REFERENCE = (
    f"SELECT {codec.EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq > 0 ORDER BY seq"
)
_INSERT = (
    "INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text, key,"
    " data) VALUES (?, ?, 'note', ?, ?, ?, ?, ?, ?)"
)
_STATUS = (
    '{"kind":"status_update","phase":"investigating","components":{"api":"major_outage"}}'
)


def _reference(path: Path, incident_id: int) -> EventLog:
    """What ``event_log`` read before the fast path: every column, decoded plainly."""
    conn = sqlite3.connect(path)
    try:
        return codec.decode_log(conn.execute(_REFERENCE, (incident_id,)), incident_id)
    finally:
        conn.close()


def _latest(log: EventLog) -> object:
    try:
        return log.latest_instant()
    except TypeError as exc:  # a stored instant without a zone beside ones with it
        return repr(exc)


def _outcome(read: Any) -> tuple[str, object]:
    """A log's whole content, or the error a read raised."""
    try:
        log = read()
    except StoreError as exc:
        return ("error", str(exc))
    return ("log", (list(log.rows(by_id=True)), list(log.rows()), log.last_id,
                    log.contiguous_ids(), _latest(log), list(log)))


def _same_read(store: Store, incident_id: int) -> None:
    fast = _outcome(lambda: store.event_log(incident_id))
    assert fast == _outcome(lambda: _reference(store.path, incident_id))


@contextmanager
def _raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection that writes rows past the CHECK constraints."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield conn
    finally:
        conn.close()


def _ts(second: int) -> str:
    return codec.ts(T0.replace(second=second, microsecond=second * 37_001 % 1_000_000))


_good_ts = st.integers(0, 59).map(_ts)
_odd_ts = st.sampled_from(
    [
        "garbage",
        "",
        "2026-02-30T14:00:00.000000+00:00",
        "2026-11-27T14:00:00+01:00",
        "2026-11-27 14:00:00",
        b"2026-11-27T14:00:00.000000+00:00",
        7,
    ]
)
_payloads = st.sampled_from(
    [
        codec.NOTE_JSON,
        '{"kind":"decision"}',
        '{"kind":"command"}',
        _STATUS,
        '{"kind":"role_assigned","role":"ic","person":"ann"}',
    ]
)
_odd_payloads = st.sampled_from(
    [
        '{"kind": "note"}',
        '{"kind":"note","unexpected":1}',
        "not json",
        codec.NOTE_JSON.encode(),
        b"\xff\xfe",
        3,
    ]
)
_good_keys = st.sampled_from([0, 0, 0, 1])
_odd_keys = st.sampled_from([2, 0.5, "x", b"\x01", -1, 300])
_authors = st.sampled_from(["alice", "bob", "çà", "nul\x00x", b"alice", 5])


_ODD = {
    1: _odd_ts,
    2: _odd_ts,
    3: st.sampled_from([None, b"blob-author"]),
    4: st.sampled_from([b"blob", 4]),
    5: _odd_keys,
    6: _odd_payloads,
}


@st.composite
def _rows(draw: st.DrawFn) -> list[list[Any]]:
    """Rows for one incident (ids with or without gaps), and a damaged value or two."""
    count = draw(st.integers(1, 12))
    if draw(st.booleans()):
        first = draw(st.sampled_from([2, 2, 3, 40]))  # 1 is the declared event's
        seqs: list[Any] = list(range(first, first + count))
    else:
        seqs = sorted(draw(st.sets(st.integers(2, 30), min_size=count, max_size=count)))
    rows = [
        [seq, draw(_good_ts), draw(_good_ts), draw(_authors), draw(st.text(max_size=20)),
         draw(_good_keys), draw(_payloads)]
        for seq in seqs
    ]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2]))):
        row = draw(st.sampled_from(rows))
        column = draw(st.integers(0, 6))
        if column == 0 and isinstance(row[0], int):
            row[0] = draw(st.sampled_from([row[0] + 0.5, row[0] - 0.5, "x", b"\x02"]))
        elif column == 0:
            row[0] = "y"
        else:
            row[column] = draw(_ODD[column])
    return rows


def test_the_fast_read_equals_the_reference_read(tmp_path: Path) -> None:
    path = tmp_path / "fast.db"
    with Store.open(path, clock=FrozenTime(T0)) as store:

        @settings(max_examples=150, deadline=None)
        @given(_rows())
        def check(rows: list[list[Any]]) -> None:
            record, _ = store.create_incident(declared())
            with _raw(path) as conn:
                for seq, *rest in rows:
                    if rest[2] is None:  # a NULL author breaks NOT NULL: leave the row out
                        continue
                    try:
                        conn.execute(_INSERT, (record.id, seq, *rest))
                    except sqlite3.IntegrityError:  # the same id twice (after affinity)
                        continue
            _same_read(store, record.id)

        check()
        _same_read(store, 1)


def _raw_insert(path: Path, incident_id: int, seq: Any, **changes: Any) -> None:
    values = {"occurred_at": codec.ts(T0), "recorded_at": codec.ts(T0), "author": "bob",
              "text": "raw", "key": 0, "data": codec.NOTE_JSON, **changes}
    with _raw(path) as conn:
        conn.execute(_INSERT, (incident_id, seq, *values.values()))


def test_an_ordinary_incident_takes_the_fast_path(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, _ = store.create_incident(declared())
    store.append_many(record.id, [note(f"n{i}", minutes=i % 3) for i in range(30)])
    expected = list(store.events(record.id))

    def refuse(*_: object) -> None:
        raise AssertionError("the reference path was used")

    monkeypatch.setattr(codec, "decode_log", refuse)
    monkeypatch.setattr("warroom.store.reads.decode_log", refuse)
    log = store.event_log(record.id)
    assert sorted(log, key=lambda e: e.id) == expected
    assert log.contiguous_ids() == (1, 31)


@pytest.mark.parametrize(
    ("seq", "changes"),
    [
        (40, {}),  # a gap in the ids
        (2.5, {}),  # an id that is not an integer
        (3, {"key": 2}),
        (3, {"key": "1"}),  # stored as the integer 1 (INTEGER affinity)
        (3, {"data": '{"kind": "note"}'}),
        (3, {"data": codec.NOTE_JSON.encode()}),
        (3, {"text": b"\x00blob", "author": b"bob"}),
        (3, {"data": codec.NOTE_JSON + "\x00junk", "key": 1}),
        (3, {"data": _STATUS, "text": "nul\x00 inside", "author": "nul\x00x"}),
    ],
)
def test_odd_rows_read_as_before(db_path: Path, store: Store, seq: Any,
                                 changes: dict[str, Any]) -> None:
    record, _ = store.create_incident(declared())
    store.append(record.id, note("second"))
    _raw_insert(db_path, record.id, seq, **changes)
    _same_read(store, record.id)


def test_an_id_that_is_not_an_integer_inside_the_span(db_path: Path, store: Store) -> None:
    """Ids 1, 2.5, 3: three rows over the span 1..3, yet not the ids 1, 2, 3."""
    record, _ = store.create_incident(declared())
    _raw_insert(db_path, record.id, 2.5)
    _raw_insert(db_path, record.id, 3)
    with pytest.raises(StoreError, match="cannot be read"):
        store.event_log(record.id)
    _same_read(store, record.id)


@pytest.mark.parametrize(
    "changes",
    [
        {"recorded_at": "2026-02-30T14:00:00.000000+00:00"},
        {"occurred_at": "soon"},
        {"data": '{"kind":"note","unexpected":1}'},
        {"data": "not json"},
        {"key": 1, "data": b"not json"},
    ],
)
def test_a_damaged_row_is_named(db_path: Path, store: Store, changes: dict[str, Any]) -> None:
    record, _ = store.create_incident(declared())
    store.append_many(record.id, [note(f"n{i}") for i in range(5)])  # ids 1..6
    _raw_insert(db_path, record.id, 8, **changes)  # ids 1..8: the fast path gives up,
    _raw_insert(db_path, record.id, 7, **changes)  # the reference path names the first
    with pytest.raises(StoreError, match=r"event 7 of incident \d+ cannot be read"):
        store.event_log(record.id)
    _same_read(store, record.id)


def test_an_instant_without_a_zone_is_a_store_error(db_path: Path, store: Store) -> None:
    """Such a row cannot be put in timeline order: one clear error, not a TypeError."""
    record, _ = store.create_incident(declared())
    _raw_insert(db_path, record.id, 2, occurred_at="2026-11-27 14:00:00")
    with pytest.raises(StoreError, match=r"incident \d+ cannot be read \(can't compare"):
        store.event_log(record.id)
    _same_read(store, record.id)


def test_invalid_utf8_fails_as_before(db_path: Path, store: Store) -> None:
    """A payload that is not UTF-8 fails the fast read; the reference read reports it."""
    record, _ = store.create_incident(declared())
    with _raw(db_path) as conn:
        conn.execute(
            "INSERT INTO events VALUES (?, 2, 'note', ?, ?, 'bob', 'ok', 0, CAST(? AS TEXT))",
            (record.id, codec.ts(T0), codec.ts(T0), b'{"kind":"note","x":"\xff"}'),
        )
    with pytest.raises(StoreError, match=r"while reading events: Could not decode .*'data'"):
        store.event_log(record.id)
