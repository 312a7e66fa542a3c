"""The store: incidents and their append-only event logs, on SQLite or PostgreSQL.

:class:`Store` is the one interface (``Store.open(target)`` opens a file or a
PostgreSQL URI); :class:`SqliteStore` is the embedded backend, and
``warroom.store.postgres.PgStore`` the team-mode one (imported only when used).
Everything public is exported here; import from ``warroom.store``.

The names are loaded on first use, so importing a light module of the package
(:mod:`warroom.store.peek`, the console's first-frame reader, and
:mod:`warroom.store.schema_constants`) does not load pydantic and the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warroom.lazy import lazy_names

if TYPE_CHECKING:
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
    from warroom.store.schema_constants import SCHEMA_VERSION
    from warroom.store.sqlite_conn import BUSY_TIMEOUT_S
    from warroom.store.store import SqliteStore

#: Where each exported name is defined.
_HOMES = {
    "BUSY_TIMEOUT_S": "sqlite_conn",
    "SCHEMA_VERSION": "schema_constants",
    "DuplicateSlugError": "errors",
    "IncidentNotFoundError": "errors",
    "IncidentRecord": "records",
    "NotADatabaseError": "errors",
    "NotAMemberError": "errors",
    "PageBatch": "pages",
    "PageRequest": "pages",
    "PagesWritten": "pages",
    "ReadOnlyMemberError": "errors",
    "SchemaTooNewError": "errors",
    "SqliteStore": "store",
    "StaleGroupError": "pages",
    "Store": "protocol",
    "StoreBusyError": "errors",
    "StoreError": "errors",
    "StoreFullError": "errors",
    "StoreUnavailableError": "errors",
    "slugify": "records",
}

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


__getattr__, __dir__ = lazy_names(__name__, _HOMES, __all__)
