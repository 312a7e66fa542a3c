"""The PostgreSQL store (team mode): :class:`PgStore`.

One autocommit connection per store (guarded by a lock, so worker threads may share
it), every write one round trip through a ``SECURITY DEFINER`` function; a second
connection LISTENs for other seats' commits (:meth:`PgStore.changed`). The author
and the recorded time of a new entry come from the server. A lost connection is
re-opened on the next call; an append whose answer was lost is retried with the same
client keys, which the server recognises, so it is stored once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from warroom.dbtarget import redact
from warroom.domain.eventlog import EventLog
from warroom.domain.events import DeclaredData, Event, NewEvent
from warroom.domain.timesource import TimeSource
from warroom.store.closing import ClosesOnExit
from warroom.store.codec import encode, gc_paused
from warroom.store.errors import (
    IncidentNotFoundError,
    NotAMemberError,
    SchemaTooNewError,
    StoreError,
)
from warroom.store.pages import PageBatch, PageRequest, PagesWritten
from warroom.store.postgres.admin import schema_version
from warroom.store.postgres.connect import connect, is_connection_lost, reconnect, translate
from warroom.store.postgres.decode import NOTE_JSON, decode_events, decode_log
from warroom.store.postgres.schema import CHANNEL, LEGACY_IDENTITY, PG_SCHEMA_VERSION
from warroom.store.postgres.writes import (
    append_params,
    check_nul,
    client_key_taken,
    import_params,
    lost_once_race,
)
from warroom.store.records import IncidentRecord, base_slug, is_id_ref, is_valid_slug

Conn = psycopg.Connection[tuple[Any, ...]]

#: A plain note's payload (what most events carry) comes back as NULL: fewer strings.
_COLUMNS = (
    "seq, occurred_at, recorded_at, author, text, key,"
    f" CASE WHEN data = '{NOTE_JSON}' THEN NULL ELSE data END"
)
_SINCE = (
    f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND seq > %s"
    " ORDER BY incident_id, seq"  # the primary key's order: an index scan, no sort
)
_ONCE = f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND client_key = %s"
_INCIDENT = "SELECT id, slug, title, created_at FROM incidents"
_IDENTITY = (
    "SELECT coalesce((SELECT value FROM warroom_meta WHERE name = 'database_id'), "
    f"{LEGACY_IDENTITY})"
)
_IMPORT = "SELECT warroom_import(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_APPEND = "SELECT o_seq, o_recorded, o_author FROM warroom_append(%s, %s, %s, %s, %s, %s, %s)"


def _record(row: tuple[Any, ...]) -> IncidentRecord:
    return IncidentRecord(id=row[0], slug=row[1], title=row[2], created_at=row[3])


class PgStore(ClosesOnExit):
    """A warroom database on a PostgreSQL server. Satisfies :class:`~warroom.store.Store`."""

    def __init__(self, dsn: str, conn: Conn, role: str) -> None:
        """Wrap an open, checked connection; use :meth:`open` instead."""
        self._dsn = dsn
        self._location = redact(dsn)
        self._conn: Conn | None = conn
        self._role = role
        self._lock = threading.RLock()
        self._listener: Conn | None = None
        self._listen_lock = threading.Lock()
        #: A foreign NOTIFY seen by :meth:`wait_changed`, not yet reported by :meth:`changed`.
        self._pending = False
        self._closed = False
        #: The database's identity when opened: a reconnect must find the same one.
        self._identity: str | None = None

    # -- lifecycle -------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: TimeSource | None = None,
        create: bool = True,
        create_parents: bool = False,
    ) -> PgStore:
        """Connect to the database the URI ``path`` names and check its warroom schema.

        ``clock`` is not used for stored times (the server's clock is) and
        ``create``/``create_parents`` do not apply: ``warroom db init`` sets a
        database up.
        """
        dsn = str(path)
        location = redact(dsn)
        conn = connect(dsn, location)
        try:
            version = schema_version(conn)
            row = conn.execute("SELECT session_user").fetchone()
        except psycopg.Error as exc:
            conn.close()
            raise translate(exc, location, "opening it") from None
        if version is None:
            conn.close()
            role = row[0] if row else "?"
            raise StoreError(
                f"{location} has no warroom schema that role {role} can see: set it up with "
                f"'warroom db init' (as the database's owner), or ask for 'warroom db grant "
                f"{role}'"
            )
        if version < PG_SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{location} has warroom schema version {version}; run 'warroom db init' "
                "as the database's owner to upgrade it"
            )
        if version > PG_SCHEMA_VERSION:
            conn.close()
            raise SchemaTooNewError(
                f"{location} was set up by a newer warroom (schema version {version}, this "
                f"one understands up to {PG_SCHEMA_VERSION}); upgrade warroom to use it"
            )
        assert row is not None
        store = cls(dsn, conn, str(row[0]))
        store._identity = store.database_identity()
        return store

    @property
    def location(self) -> str:
        """The URI without its password."""
        return self._location

    @property
    def server_author(self) -> str:
        """The database role this store connects as: the author of every new entry."""
        return self._role

    def database_identity(self) -> str:
        """Which database this is, the same through any URI that reaches it.

        The ``database_id`` that ``warroom db init`` stores; for a database set up
        before there was one, the server's system identifier, database and schema
        (``db init`` then stores that same value). The local outbox uses it so an
        entry is never sent to another database.
        """
        rows = self._read("identifying the database", _IDENTITY, ())
        return str(rows[0][0])

    def close(self) -> None:
        """Close both connections (idempotent)."""
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        with self._listen_lock:
            if self._listener is not None:
                self._listener.close()
                self._listener = None

    def __repr__(self) -> str:
        """Show the location (no password) and whether the store is open."""
        return f"<PgStore {self._location!r} {'closed' if self._closed else 'open'}>"

    # -- plumbing --------------------------------------------------------------
    def _connection(self) -> Conn:
        """The open connection, re-opened if it was lost."""
        if self._closed:
            raise StoreError(f"the store {self._location} is closed")
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                with contextlib.suppress(psycopg.Error):
                    self._conn.close()
            self._conn = None
            self._conn = reconnect(self._dsn, self._location, _IDENTITY, self._identity)
        return self._conn

    @contextlib.contextmanager
    def _using(self, doing: str) -> Iterator[Conn]:
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except psycopg.Error as exc:
                raise translate(exc, self._location, doing) from None

    def _read(self, doing: str, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run a read, once more on a fresh connection if the first one was lost."""
        for attempt in (1, 2):
            with self._lock:
                conn = self._connection()
                try:
                    return conn.execute(query, params, binary=True).fetchall()
                except psycopg.Error as exc:
                    if attempt == 1 and is_connection_lost(exc):
                        continue
                    raise translate(exc, self._location, doing) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _missing(self, incident_id: int | None, slug: str | None, what: str) -> StoreError:
        """Not found, or there but hidden from this role (not a member)."""
        try:
            rows = self._read("looking up the incident",
                              "SELECT warroom_incident_hint(%s, %s)", (incident_id, slug))
        except StoreError:
            rows = []
        hidden = rows[0][0] if rows else None
        if hidden is not None:
            return NotAMemberError(
                f"you (database role {self._role}) are not a member of incident {hidden}"
            )
        return IncidentNotFoundError(f"no incident with {what}")

    def _require(self, incident_id: int) -> None:
        rows = self._read("looking up the incident", "SELECT 1 FROM incidents WHERE id = %s",
                          (incident_id,))
        if not rows:
            raise self._missing(incident_id, None, f"id {incident_id}")

    # -- incidents -------------------------------------------------------------
    def create_incident(
        self, declared: NewEvent, *, slug: str | None = None
    ) -> tuple[IncidentRecord, Event]:
        """Create an incident and its declared event (id 1) in one round trip.

        The declaring role becomes a writer of the incident; the slug is made as on
        SQLite (the date and the title, ``-2``… when taken).
        """
        if not isinstance(declared.data, DeclaredData):
            raise ValueError("create_incident needs a NewEvent whose data is DeclaredData")
        if slug is not None:
            _check_slug(slug)
        encoded = encode(declared)
        check_nul(encoded)
        kind, _occurred, _author, text, key, data = encoded
        title = declared.data.title
        base = base_slug(title, declared.occurred_at)
        with self._using("creating the incident") as conn:
            row = conn.execute(
                "SELECT o_id, o_slug, o_created, o_author"
                " FROM warroom_declare(%s, %s, %s, %s, %s, %s, %s, %s)",
                (slug, base, title, kind, declared.occurred_at, text, bool(key), data),
            ).fetchone()
        assert row is not None
        record = IncidentRecord(id=row[0], slug=row[1], title=title, created_at=row[2])
        event = Event.from_new(declared, id=1, recorded_at=row[2]).model_copy(
            update={"author": row[3]}
        )
        return record, event

    def incidents(self) -> list[IncidentRecord]:
        """Every incident this role is a member of, newest first."""
        rows = self._read("listing incidents",
                          f"{_INCIDENT} ORDER BY created_at DESC, id DESC", ())
        return [_record(row) for row in rows]

    def incident(self, ref: str | int) -> IncidentRecord:
        """The incident with id ``ref`` (an int or a digit string) or slug ``ref``."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            ident, slug, what = ref, None, f"id {ref}"
        else:
            text = str(ref).strip()
            if is_id_ref(text):
                ident, slug, what = int(text), None, f"id {text}"
            else:
                ident, slug, what = None, text, f"slug {text!r}"
        if ident is not None:
            rows = self._read("looking up the incident", f"{_INCIDENT} WHERE id = %s", (ident,))
        else:
            rows = self._read("looking up the incident", f"{_INCIDENT} WHERE slug = %s", (slug,))
        if not rows:
            raise self._missing(ident, slug, what)
        return _record(rows[0])

    # -- events ----------------------------------------------------------------
    def append(self, incident_id: int, new: NewEvent) -> Event:
        """Append one event; returns it (with its id, author and recorded time) after COMMIT."""
        return self.append_many(incident_id, [new])[0]

    def append_many(
        self, incident_id: int, news: Sequence[NewEvent], *,
        client_keys: Sequence[str] | None = None,
    ) -> list[Event]:
        """Append several events in one statement, with consecutive ids.

        If the connection is lost before the answer arrives, the append is sent once
        more on a new connection with the same client keys: the server hands back
        what it stored the first time instead of storing it twice. ``client_keys``
        (one per event; default: fresh ones) lets a caller retry later with the same
        keys (the local outbox does); resend the same batch, never a regrouped one.
        """
        if not news:
            return []
        if client_keys is not None and len(client_keys) != len(news):
            raise ValueError("append_many needs one client key per event")
        params = append_params(incident_id, news, client_keys)
        rows: list[tuple[Any, ...]] = []
        retries = {"lost": 1, "raced": 1}
        while True:
            with self._lock:
                conn = self._connection()
                try:
                    rows = conn.execute(_APPEND, params).fetchall()
                    break
                except psycopg.Error as exc:
                    # Lost: send it again. Raced: the first send of these keys committed
                    # while this one waited (an answer lost mid-statement); the retry
                    # finds the stored rows.
                    why = "lost" if is_connection_lost(exc) else (
                        "raced" if client_key_taken(exc) and client_keys is not None
                        else "")
                    if why and retries[why]:
                        retries[why] -= 1
                        continue
                    if lost_once_race(exc, news):  # another seat stored it a moment ago
                        earlier = self.once_event(incident_id, news[0].once or "")
                        if earlier is not None:
                            return [earlier]
                    raise translate(exc, self._location, "appending to the incident") from None
        rows.sort()
        return [
            Event.from_new(new, id=seq, recorded_at=recorded).model_copy(
                update={"author": author}
            )
            for new, (seq, recorded, author) in zip(news, rows, strict=True)
        ]

    def import_incident(
        self, *, slug: str, title: str, created_at: datetime, events: Sequence[Event]
    ) -> IncidentRecord:
        """Store a whole incident as given (ids, authors, times); the importer is recorded.

        Raises :class:`~warroom.store.DuplicateSlugError` if the slug exists; nothing
        is written on any error.
        """
        _check_slug(slug)
        seen: set[int] = set()
        for event in events:
            if event.id in seen:
                raise StoreError(f"cannot import {slug!r}: event id {event.id} appears twice")
            seen.add(event.id)
        params = import_params(slug, title, created_at, events)
        with self._using("importing the incident") as conn:
            row = conn.execute(_IMPORT, params).fetchone()
        assert row is not None
        return IncidentRecord(id=row[0], slug=slug, title=title,
                              created_at=created_at.astimezone(UTC))

    def page_group_owner(self, group: str) -> int | None:
        """The latest incident holding a page entry of alert group ``group`` (or None)."""
        from warroom.store.postgres.pages import GROUP_OWNER

        rows = self._read("looking up the alert group", GROUP_OWNER, (group,))
        return rows[0][0] if rows and rows[0][0] is not None else None

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

        See :meth:`warroom.store.Store.append_pages`; the group is locked for the
        transaction, so concurrent receivers queue up instead of failing.
        """
        request = PageRequest(batches, group, owner, incident_id, declared)
        return self.append_pages_many([request])[0]

    def append_pages_many(self, requests: Sequence[PageRequest]) -> list[PagesWritten]:
        """Several :meth:`append_pages` in one transaction (all or nothing)."""
        from warroom.store.postgres.pages import write_pages

        for request in requests:
            request.check()
            news = [n for b in request.batches for n in b.events]
            for new in [*news, *([request.declared] if request.declared else [])]:
                check_nul(encode(new))
        with self._using("recording the page") as conn:
            return write_pages(conn, requests)

    def events(self, incident_id: int) -> list[Event]:
        """Every event of the incident, ordered by id."""
        return self.events_since(incident_id, 0)

    def events_since(self, incident_id: int, last_id: int) -> list[Event]:
        """The incident's events with an id greater than ``last_id``, ordered by id."""
        with gc_paused():
            rows = self._read("reading events", _SINCE, (incident_id, last_id))
            if not rows:
                self._require(incident_id)
                return []
            return decode_events(rows, incident_id)

    def event_log(self, incident_id: int) -> EventLog:
        """Every event of the incident, ordered by id, as a compact :class:`EventLog`."""
        with gc_paused():
            rows = self._read("reading events", _SINCE, (incident_id, 0))
            if not rows:
                self._require(incident_id)
            return decode_log(rows, incident_id)

    def once_event(self, incident_id: int, key: str) -> Event | None:
        """The entry written with idempotency key ``key`` (``NewEvent.once``), if any."""
        rows = self._read("reading events", _ONCE, (incident_id, f"once:{key}"))
        return decode_events(rows, incident_id)[0] if rows else None

    def last_event_id(self, incident_id: int) -> int:
        """The incident's highest event id (0 if it has none)."""
        rows = self._read("reading events", "SELECT last_seq FROM incidents WHERE id = %s",
                          (incident_id,))
        if not rows:
            raise self._missing(incident_id, None, f"id {incident_id}")
        return int(rows[0][0])

    def changed(self) -> bool:
        """True once after another seat committed (a NOTIFY arrived), never for our own.

        The first call starts listening (and is False). A lost listening connection
        is re-opened and counts as a change: notifications sent meanwhile are lost,
        so the caller reads what is new.
        """
        with self._listen_lock:
            if self._closed:
                raise StoreError(f"the store {self._location} is closed")
            listener = self._listener
            if listener is None or listener.closed or listener.broken:
                fresh = listener is not None
                if listener is not None:
                    with contextlib.suppress(psycopg.Error):
                        listener.close()
                self._listener = None
                listener = connect(self._dsn, self._location)
                try:
                    listener.execute(f"LISTEN {CHANNEL}")
                except psycopg.Error as exc:
                    listener.close()
                    raise translate(exc, self._location, "listening for changes") from None
                self._listener = listener
                return fresh
            pending, self._pending = self._pending, False
            try:
                notices = list(listener.notifies(timeout=0))
            except psycopg.Error:
                with contextlib.suppress(psycopg.Error):
                    listener.close()
                return True
            return pending or any(notice.pid != self._own_pid() for notice in notices)

    def _own_pid(self) -> int | None:
        conn = self._conn
        return conn.info.backend_pid if conn is not None and not conn.closed else None

    def wait_changed(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds for another seat's commit; True if one came.

        What it sees is also reported by the next :meth:`changed`.
        """
        with self._listen_lock:
            listener = self._listener
            if listener is None or self._pending:
                return self._pending
        try:
            for notice in listener.notifies(timeout=timeout):
                if notice.pid != self._own_pid():
                    with self._listen_lock:
                        self._pending = True
                    return True
        except psycopg.Error:
            return True  # changed() re-opens the listener and reports a change
        return False


def _check_slug(slug: str) -> None:
    if not is_valid_slug(slug):
        raise StoreError(
            f"invalid slug {slug!r}: use lower-case letters, digits and inner hyphens "
            "(not only digits)"
        )
