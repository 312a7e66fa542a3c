"""The SQLite store: incidents and their append-only event logs.

Everything public is exported here; import from ``warroom.store``.
"""

from warroom.store.errors import (
    DuplicateSlugError,
    IncidentNotFoundError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreBusyError,
    StoreError,
    StoreFullError,
)
from warroom.store.pages import PageBatch, PagesWritten, StaleGroupError
from warroom.store.records import IncidentRecord, slugify
from warroom.store.schema import SCHEMA_VERSION
from warroom.store.store import BUSY_TIMEOUT_S, Store

__all__ = [
    "BUSY_TIMEOUT_S",
    "SCHEMA_VERSION",
    "DuplicateSlugError",
    "IncidentNotFoundError",
    "IncidentRecord",
    "NotADatabaseError",
    "PageBatch",
    "PagesWritten",
    "SchemaTooNewError",
    "StaleGroupError",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreFullError",
    "slugify",
]
