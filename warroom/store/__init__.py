"""The store: incidents and their append-only event logs, on SQLite or PostgreSQL.

:class:`Store` is the one interface (``Store.open(target)`` opens a file or a
PostgreSQL URI); :class:`SqliteStore` is the embedded backend, and
``warroom.store.postgres.PgStore`` the team-mode one (imported only when used).
Everything public is exported here; import from ``warroom.store``.
"""

from warroom.store.errors import (
    DuplicateSlugError,
    IncidentNotFoundError,
    NotADatabaseError,
    NotAMemberError,
    ReadOnlyMemberError,
    SchemaTooNewError,
    StoreBusyError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
)
from warroom.store.pages import PageBatch, PageRequest, PagesWritten, StaleGroupError
from warroom.store.protocol import Store
from warroom.store.records import IncidentRecord, slugify
from warroom.store.schema import SCHEMA_VERSION
from warroom.store.sqlite_conn import BUSY_TIMEOUT_S
from warroom.store.store import SqliteStore

__all__ = [
    "BUSY_TIMEOUT_S",
    "SCHEMA_VERSION",
    "DuplicateSlugError",
    "IncidentNotFoundError",
    "IncidentRecord",
    "NotADatabaseError",
    "NotAMemberError",
    "PageBatch",
    "PageRequest",
    "PagesWritten",
    "ReadOnlyMemberError",
    "SchemaTooNewError",
    "SqliteStore",
    "StaleGroupError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "StoreUnavailableError",
    "slugify",
]
