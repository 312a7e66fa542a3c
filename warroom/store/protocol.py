"""The one storage interface: what every backend (SQLite, PostgreSQL) provides.

Nothing above ``warroom/store/`` knows which backend it has: the CLI, the service and
the console hold a :class:`Store` and call these methods. ``Store.open(target)``
opens whichever backend ``target`` names: a file path is an SQLite database, a
``postgresql://`` (or ``postgres://``) URI a PostgreSQL one (team mode).

The backends differ where the database, not the seat, is the authority:

- ``recorded_at`` is the store's clock on SQLite and the server's clock on PostgreSQL;
- the author of a new entry is what the seat says on SQLite, and the database role
  that wrote it on PostgreSQL (:attr:`Store.server_author` says which applies).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, runtime_checkable

from warroom.domain.eventlog import EventLog
from warroom.domain.events import Event, NewEvent
from warroom.domain.timesource import TimeSource
from warroom.store.pages import PageBatch, PageRequest, PagesWritten
from warroom.store.records import IncidentRecord


@runtime_checkable
class Store(Protocol):
    """A warroom database: incidents and their append-only event logs.

    Every method is thread-safe; errors are :class:`~warroom.store.StoreError` with a
    one-line message, and nothing is written when one is raised.
    """

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        clock: TimeSource | None = None,
        create: bool = True,
        create_parents: bool = False,
    ) -> Store:
        """Open the database ``path`` names: a file (SQLite) or a PostgreSQL URI.

        Called on the protocol itself, it picks the backend; each backend's own
        ``open`` opens its kind only. ``create``/``create_parents`` concern SQLite
        files; a PostgreSQL database must have been set up with ``warroom db init``.
        """
        from warroom.dbtarget import is_postgres_uri

        if isinstance(path, str) and is_postgres_uri(path):
            from warroom.store.postgres import PgStore

            return PgStore.open(path, clock=clock, create=create, create_parents=create_parents)
        from warroom.store.store import SqliteStore

        return SqliteStore.open(path, clock=clock, create=create, create_parents=create_parents)

    @property
    def location(self) -> str:
        """Where the database is, for messages: a file path or a URI without its password."""
        ...

    @property
    def server_author(self) -> str | None:
        """The author the database writes on every new entry (its role), or ``None``.

        ``None`` on SQLite, where a seat's author is taken as given.
        """
        ...

    def close(self) -> None:
        """Close the connection (idempotent)."""
        ...

    def __enter__(self) -> Store:
        """Use the store in a ``with`` block; it is closed at the end."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        ...

    def create_incident(
        self, declared: NewEvent, *, slug: str | None = None
    ) -> tuple[IncidentRecord, Event]:
        """Create an incident and its declared event (id 1) at once."""
        ...

    def incidents(self) -> list[IncidentRecord]:
        """Every incident this seat may see, newest first."""
        ...

    def incident(self, ref: str | int) -> IncidentRecord:
        """The incident with id ``ref`` (an int or a digit string) or slug ``ref``."""
        ...

    def append(self, incident_id: int, new: NewEvent) -> Event:
        """Append one event; returns it (with its id) only after COMMIT."""
        ...

    def append_many(self, incident_id: int, news: Sequence[NewEvent]) -> list[Event]:
        """Append several events at once, with consecutive ids.

        An event whose ``once`` key the incident already holds is not stored: the
        entry written with that key is returned instead (checked in the same
        transaction as the append, so two racing writers store one entry).
        """
        ...

    def once_event(self, incident_id: int, key: str) -> Event | None:
        """The entry written with idempotency key ``key`` (``NewEvent.once``), if any."""
        ...

    def import_incident(
        self, *, slug: str, title: str, created_at: datetime, events: Sequence[Event]
    ) -> IncidentRecord:
        """Store a whole incident as given: ids, authors, event and recorded times verbatim."""
        ...

    def page_group_owner(self, group: str) -> int | None:
        """The latest incident holding a page entry of alert group ``group`` (or None)."""
        ...

    def append_pages(
        self,
        batches: Sequence[PageBatch],
        *,
        group: str,
        owner: int | None,
        incident_id: int | None = None,
        declared: NewEvent | None = None,
    ) -> PagesWritten:
        """Write the batches whose idempotency key no page entry holds yet, all at once.

        To ``incident_id``, or to a new incident declared by ``declared``; raises
        :class:`~warroom.store.StaleGroupError` (nothing written) when the group's owner
        is no longer ``owner``. See :mod:`warroom.store.pages`.
        """
        ...

    def append_pages_many(self, requests: Sequence[PageRequest]) -> list[PagesWritten]:
        """Several :meth:`append_pages` requests (distinct groups) in one transaction."""
        ...

    def events(self, incident_id: int) -> list[Event]:
        """Every event of the incident, ordered by id."""
        ...

    def events_since(self, incident_id: int, last_id: int) -> list[Event]:
        """The incident's events with an id greater than ``last_id``, ordered by id."""
        ...

    def event_log(self, incident_id: int) -> EventLog:
        """Every event of the incident as a compact :class:`EventLog`."""
        ...

    def last_event_id(self, incident_id: int) -> int:
        """The incident's highest event id (0 if it has none)."""
        ...

    def changed(self) -> bool:
        """True once after another seat committed; never for this store's own commits."""
        ...
