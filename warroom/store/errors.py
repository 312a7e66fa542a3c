"""Errors raised by the store.

Every error is a :class:`StoreError`; ``str(error)`` is one line a user can read
(the CLI prints it, the console shows it as a notification). Nothing is written
when one is raised: a failed write is rolled back, a refused file is untouched.
"""

from __future__ import annotations

from warroom.errors import WarroomError


class StoreError(WarroomError):
    """Base class of every store error; ``str(e)`` is a one-line user-facing message (exit 1)."""


class NotADatabaseError(StoreError):
    """The file is not a (healthy) warroom database: corrupt, truncated or foreign.

    The file was refused before anything was written to it.
    """


class SchemaTooNewError(StoreError):
    """The database was written by a newer warroom; it was refused, untouched."""


class IncidentNotFoundError(StoreError):
    """No incident has the given id or slug."""


class DuplicateSlugError(StoreError):
    """An incident with that slug already exists."""


class StoreFullError(StoreError):
    """The disk (or the database's size limit) is full; the write was rolled back."""


class StoreBusyError(StoreError):
    """Another process held the write lock for longer than the busy timeout."""


class NotAMemberError(StoreError):
    """Team mode: the database role is not a member of the incident (or of any)."""


class ReadOnlyMemberError(StoreError):
    """Team mode: the database role may read the incident but not write to it."""


class StoreUnavailableError(StoreError):
    """Team mode: the database server cannot be reached (or the connection was lost)."""


class DatabaseReplacedError(StoreError):
    """Team mode: after a reconnect the server holds another warroom database (by id)."""
