"""The SQLite store (:class:`SqliteStore`): incidents and their append-only event logs.

One :class:`Store` owns one long-lived connection (WAL, ``synchronous=FULL``,
explicit transactions, every write in ``BEGIN IMMEDIATE``) guarded by a lock so
worker threads may share it. ``changed()`` polls ``PRAGMA data_version`` on that
connection: it notices other processes' commits, never this store's own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from warroom.domain.eventlog import EventLog
from warroom.domain.events import DeclaredData, Event, NewEvent
from warroom.domain.timesource import SystemTime, TimeSource
from warroom.store.closing import ClosesOnExit
from warroom.store.codec import (
    EVENT_COLUMNS,
    Encoded,
    decode_rows,
    encode,
    gc_paused,
    parse_ts,
    ts,
)
from warroom.store.errors import (
    DuplicateSlugError,
    IncidentNotFoundError,
    StoreError,
)
from warroom.store.files import prepare_file
from warroom.store.pages import (
    PageBatch,
    PageRequest,
    PagesWritten,
    StaleGroupError,
    group_owner,
    recorded_keys,
)
from warroom.store.reads import read_log, select_since
from warroom.store.records import IncidentRecord, base_slug, is_id_ref, is_valid_slug
from warroom.store.schema_constants import INCIDENT_COLUMNS, SLUG_TAKEN, free_slug
from warroom.store.sqlite_conn import (
    connect,
    connect_read_only,
    translate,
    vet_existing,
)

_INSERT_EVENT = (
    "INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text, key, data)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _record(row: tuple[int, str, str, str]) -> IncidentRecord:
    return IncidentRecord(id=row[0], slug=row[1], title=row[2], created_at=parse_ts(row[3]))


class SqliteStore(ClosesOnExit):
    """A warroom database in one SQLite file: incidents and their append-only event logs.

    Open with :meth:`open`; use as a context manager or call :meth:`close`.
    Every method is thread-safe. Satisfies :class:`~warroom.store.protocol.Store`.
    """

    path: Path
    #: Opened with :meth:`open` ``(read_only=True)``: every write raises :class:`StoreError`.
    read_only: bool = False

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: TimeSource) -> None:
        """Wrap an open, migrated connection; use :meth:`open` instead."""
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._clock = clock
        self._lock = threading.RLock()
        self._data_version = conn.execute("PRAGMA data_version").fetchone()[0]

    # -- lifecycle -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: TimeSource | None = None,
        create: bool = True,
        create_parents: bool = False,
        adopt_empty: bool = True,
        read_only: bool = False,
    ) -> SqliteStore:
        """Open (or create, mode 0600) the database at ``path``.

        Only a regular file is opened (see :mod:`warroom.store.files`); anything else
        is refused untouched. An existing file is checked first (SQLite header,
        ``quick_check``, schema version) and refused untouched if it is not a
        healthy warroom database. Missing folders are an error unless
        ``create_parents`` (for the default location only): they are then created
        owner-only. ``adopt_empty`` (with ``create``) lets an empty regular file
        become the new database. ``read_only`` opens an existing database through a
        connection that cannot write: nothing is created or changed, and a file or
        folder the caller cannot write is fine; every write then raises
        :class:`StoreError`.
        """
        resolved = Path(path).expanduser().absolute()
        if read_only:
            create = False
        is_new = prepare_file(resolved, create=create, create_parents=create_parents,
                              adopt_empty=adopt_empty, read_only=read_only)
        if not is_new:
            vet_existing(resolved)
        try:
            conn = connect_read_only(resolved, threads=True) if read_only else connect(resolved)
        except sqlite3.Error as exc:
            raise translate(exc, resolved, "opening it") from None
        store = cls(resolved, conn, clock or SystemTime())
        store.read_only = read_only
        return store

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self) -> str:
        """Show the path and whether the store is open."""
        state = "open" if self._conn is not None else "closed"
        return f"<SqliteStore {str(self.path)!r} {state}>"

    @property
    def location(self) -> str:
        """The database file's path."""
        return str(self.path)

    @property
    def server_author(self) -> None:
        """``None``: on SQLite the author of an entry is what the seat says."""
        return None

    # -- plumbing --------------------------------------------------------------

    @contextlib.contextmanager
    def _using(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, with sqlite3 errors translated."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"the store {self.path} is closed")
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise translate(exc, self.path, doing) from None

    @contextlib.contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction: committed at the end, rolled back on any error."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only: nothing was written ({doing})")
        with self._using(doing) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    def _require(self, conn: sqlite3.Connection, incident_id: int) -> None:
        row = conn.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None:
            raise IncidentNotFoundError(f"no incident with id {incident_id}")

    def _now(self) -> datetime:
        now = self._clock.now()
        if now.tzinfo is None:
            raise ValueError("the clock must return timezone-aware instants")
        return now.astimezone(UTC)

    def _insert(
        self,
        conn: sqlite3.Connection,
        incident_id: int,
        news: Sequence[NewEvent],
        encoded: Sequence[Encoded],
    ) -> list[Event]:
        """Append ``news`` with ids max+1.. inside the caller's write transaction."""
        last = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE incident_id = ?", (incident_id,)
        ).fetchone()[0]
        recorded = self._now()
        recorded_text = ts(recorded)
        events = [
            Event.from_new(new, id=last + i, recorded_at=recorded)
            for i, new in enumerate(news, start=1)
        ]
        conn.executemany(
            _INSERT_EVENT,
            [
                (incident_id, last + i, kind, occurred, recorded_text, author, text, key, data)
                for i, (kind, occurred, author, text, key, data) in enumerate(encoded, start=1)
            ],
        )
        return events

    # -- incidents -------------------------------------------------------------

    def create_incident(
        self, declared: NewEvent, *, slug: str | None = None
    ) -> tuple[IncidentRecord, Event]:
        """Create an incident and its declared event (id 1) in one transaction.

        Without ``slug``, one is made from the UTC date of ``declared.occurred_at``
        and the title (``2026-11-27-checkout-api-errors``), suffixed ``-2``, ``-3``…
        to be unique. A given ``slug`` that exists raises :class:`DuplicateSlugError`.
        """
        if not isinstance(declared.data, DeclaredData):
            raise ValueError("create_incident needs a NewEvent whose data is DeclaredData")
        if slug is not None:
            _check_slug(slug)
        with self._writing("creating the incident") as conn:
            record = self._create(conn, declared, slug)
            (event,) = self._insert(conn, record.id, [declared], [encode(declared)])
        return record, event

    def _create(
        self, conn: sqlite3.Connection, declared: NewEvent, slug: str | None
    ) -> IncidentRecord:
        """Insert the incident row for ``declared`` inside the caller's write transaction."""
        assert isinstance(declared.data, DeclaredData)
        title = declared.data.title
        if slug is None:
            slug = free_slug(conn, base_slug(title, declared.occurred_at))
        elif self._slug_taken(conn, slug):
            raise DuplicateSlugError(f"an incident with slug {slug!r} already exists")
        created = self._now()
        cursor = conn.execute(
            "INSERT INTO incidents (slug, title, created_at) VALUES (?, ?, ?)",
            (slug, title, ts(created)),
        )
        incident_id = cursor.lastrowid
        assert incident_id is not None
        return IncidentRecord(id=incident_id, slug=slug, title=title, created_at=created)

    @staticmethod
    def _slug_taken(conn: sqlite3.Connection, slug: str) -> bool:
        return conn.execute(SLUG_TAKEN, (slug,)).fetchone() is not None

    def incidents(self) -> list[IncidentRecord]:
        """Every incident, newest first."""
        with self._using("listing incidents") as conn:
            rows = conn.execute(
                f"SELECT {INCIDENT_COLUMNS} FROM incidents ORDER BY created_at DESC, id DESC"
            ).fetchall()
        return [_record(row) for row in rows]

    def incident(self, ref: str | int) -> IncidentRecord:
        """The incident with id ``ref`` (an int or a digit string) or slug ``ref``."""
        arg: int | str
        if isinstance(ref, int) and not isinstance(ref, bool):
            query, arg, what = "id = ?", ref, f"id {ref}"
        else:
            text = str(ref).strip()
            if is_id_ref(text):
                query, arg, what = "id = ?", int(text), f"id {text}"
            else:
                query, arg, what = "slug = ?", text, f"slug {text!r}"
        with self._using("looking up the incident") as conn:
            row = conn.execute(
                f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE {query}", (arg,)
            ).fetchone()
        if row is None:
            raise IncidentNotFoundError(f"no incident with {what}")
        return _record(row)

    # -- events ----------------------------------------------------------------

    def append(self, incident_id: int, new: NewEvent) -> Event:
        """Append one event; returns it (with its id) only after COMMIT."""
        return self.append_many(incident_id, [new])[0]

    def append_many(self, incident_id: int, news: Sequence[NewEvent]) -> list[Event]:
        """Append several events in one transaction, with consecutive ids.

        An event with an idempotency key (``once``) must be appended alone: if the
        incident already holds the entry written with that key, nothing is stored
        and that entry is returned (checked inside the write transaction).
        """
        if not news:
            return []
        once = news[0].once
        if any(new.once for new in news) and len(news) > 1:
            raise ValueError("an event with an idempotency key is appended on its own")
        encoded = [encode(new) for new in news]
        with self._writing("appending to the incident") as conn:
            self._require(conn, incident_id)
            if once is not None:
                earlier = self._once_event(conn, incident_id, once)
                if earlier is not None:
                    return [earlier]
            events = self._insert(conn, incident_id, news, encoded)
            if once is not None:
                conn.execute("INSERT INTO once_keys (incident_id, key, seq) VALUES (?, ?, ?)",
                             (incident_id, once, events[0].id))
            return events

    def _once_event(self, conn: sqlite3.Connection, incident_id: int, key: str) -> Event | None:
        rows = conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND seq ="
            " (SELECT seq FROM once_keys WHERE incident_id = ? AND key = ?)",
            (incident_id, incident_id, key),
        ).fetchall()
        return decode_rows(rows, incident_id)[0] if rows else None

    def once_event(self, incident_id: int, key: str) -> Event | None:
        """The entry written with idempotency key ``key`` in the incident, if any."""
        with self._using("reading events") as conn:
            self._require(conn, incident_id)
            if conn.execute("PRAGMA user_version").fetchone()[0] < 3:
                return None  # opened read-only before the keys' table existed
            return self._once_event(conn, incident_id, key)

    def page_group_owner(self, group: str) -> int | None:
        """The latest incident holding a page entry of alert group ``group`` (or None)."""
        with self._using("looking up the alert group") as conn:
            return group_owner(conn, group)

    def append_pages(
        self,
        batches: Sequence[PageBatch],
        *,
        group: str,
        owner: int | None,
        incident_id: int | None = None,
        declared: NewEvent | None = None,
    ) -> PagesWritten:
        """Write the batches whose key no page entry holds yet, in one transaction.

        The entries go to ``incident_id``, or (when it is None) to a new incident
        declared by ``declared``. ``owner`` is the incident the caller saw holding
        ``group`` (:meth:`page_group_owner`); if another writer changed that meanwhile,
        :class:`~warroom.store.pages.StaleGroupError` is raised and nothing is written,
        so the caller plans again. When every batch is already recorded nothing is
        written and nothing is declared.
        """
        request = PageRequest(batches, group, owner, incident_id, declared)
        return self.append_pages_many([request])[0]

    def append_pages_many(self, requests: Sequence[PageRequest]) -> list[PagesWritten]:
        """:meth:`append_pages` for several notifications in one transaction (one commit).

        All or nothing: a stale owner in any request raises
        :class:`~warroom.store.pages.StaleGroupError` and nothing is written. The
        requests should name distinct alert groups (a later one would see an earlier
        one's writes and be stale).
        """
        for request in requests:
            request.check()
        encoded = [[(b.key, [(n, encode(n)) for n in b.events]) for b in r.batches]
                   for r in requests]
        with self._writing("recording the page") as conn:
            return [self._write_request(conn, request, batches)
                    for request, batches in zip(requests, encoded, strict=True)]

    def _write_request(
        self,
        conn: sqlite3.Connection,
        request: PageRequest,
        batches: list[tuple[str, list[tuple[NewEvent, Encoded]]]],
    ) -> PagesWritten:
        if group_owner(conn, request.group) != request.owner:
            raise StaleGroupError("another writer recorded a page of this alert group")
        recorded = recorded_keys(conn, [key for key, _ in batches])
        pairs = [pair for key, batch in batches if key not in recorded for pair in batch]
        duplicates = sum(1 for key, _ in batches if key in recorded)
        if not pairs:
            return PagesWritten(None, [], False, duplicates)
        if request.incident_id is None:
            assert request.declared is not None
            record = self._create(conn, request.declared, None)
            pairs.insert(0, (request.declared, encode(request.declared)))
        else:
            self._require(conn, request.incident_id)
            row = conn.execute(
                f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = ?", (request.incident_id,)
            ).fetchone()
            record = _record(row)
        events = self._insert(conn, record.id, [n for n, _ in pairs], [e for _, e in pairs])
        return PagesWritten(record, events, request.incident_id is None, duplicates)

    def import_incident(
        self, *, slug: str, title: str, created_at: datetime, events: Sequence[Event]
    ) -> IncidentRecord:
        """Store a whole incident as given: ids, event and recorded times verbatim.

        Raises :class:`DuplicateSlugError` if the slug exists; nothing is written
        on any error.
        """
        _check_slug(slug)
        seen: set[int] = set()
        for event in events:
            if event.id in seen:
                raise StoreError(f"cannot import {slug!r}: event id {event.id} appears twice")
            seen.add(event.id)
        rows = [(event.id, *encode(event), ts(event.recorded_at)) for event in events]
        with self._writing("importing the incident") as conn:
            if self._slug_taken(conn, slug):
                raise DuplicateSlugError(f"an incident with slug {slug!r} already exists")
            cursor = conn.execute(
                "INSERT INTO incidents (slug, title, created_at) VALUES (?, ?, ?)",
                (slug, title, ts(created_at)),
            )
            incident_id = cursor.lastrowid
            conn.executemany(
                _INSERT_EVENT,
                [
                    (incident_id, seq, kind, occurred, recorded, author, text, key, data)
                    for seq, kind, occurred, author, text, key, data, recorded in rows
                ],
            )
        assert incident_id is not None
        return IncidentRecord(id=incident_id, slug=slug, title=title, created_at=created_at)

    def events(self, incident_id: int) -> list[Event]:
        """Every event of the incident, ordered by id."""
        return self.events_since(incident_id, 0)

    def events_since(self, incident_id: int, last_id: int) -> list[Event]:
        """The incident's events with an id greater than ``last_id``, ordered by id."""
        with gc_paused():
            with self._using("reading events") as conn:
                self._require(conn, incident_id)
                rows = select_since(conn, incident_id, last_id)
            return decode_rows(rows, incident_id)

    def event_log(self, incident_id: int) -> EventLog:
        """Every event of the incident, ordered by id, as a compact :class:`EventLog`.

        The same events as :meth:`events` in a fifth of the memory (no :class:`Event`
        object is kept per row; the log builds them when read): how the console reads
        a 100k-event incident. The rows are decoded in chunks while the store is locked,
        by :func:`~warroom.store.codec.decode_log_fast` when the ids have no gap (the
        usual case), else (or if that path gives up) by the reference path.
        """
        with gc_paused(), self._using("reading events") as conn:
            self._require(conn, incident_id)
            return read_log(conn, incident_id)

    def last_event_id(self, incident_id: int) -> int:
        """The incident's highest event id (0 if it has none)."""
        with self._using("reading events") as conn:
            self._require(conn, incident_id)
            return conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE incident_id = ?", (incident_id,)
            ).fetchone()[0]

    def changed(self) -> bool:
        """True once after another connection or process committed; never for our own commits."""
        with self._using("checking for changes") as conn:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._data_version:
                return False
            self._data_version = version
            return True


def _check_slug(slug: str) -> None:
    if not is_valid_slug(slug):
        raise StoreError(
            f"invalid slug {slug!r}: use lower-case letters, digits and inner hyphens "
            "(not only digits)"
        )
