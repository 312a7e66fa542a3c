"""The database path before SQLite sees it: what may be opened, created or refused.

Only a regular file is ever opened as a database (a symbolic link is followed, and
what it points to must be a regular file too); a directory, a device, a FIFO or a
socket is refused in one line without being opened, so nothing blocks and nothing
is changed. A database is created only where no file exists, or — when the caller
says so (``warroom new``, ``import``, ``demo``) — in an empty regular file. A
read-only open never creates, initialises or changes the mode of anything.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from warroom.fileguard import FileRefusedError, require_regular
from warroom.store import schema
from warroom.store.errors import NotADatabaseError, StoreError

if TYPE_CHECKING:
    from warroom.domain.timesource import TimeSource
    from warroom.store.protocol import Store

__all__ = [
    "cannot_write",
    "missing_database_message",
    "open_database",
    "prepare_file",
    "writable_problem",
]


def open_database(
    target: str | Path,
    *,
    clock: TimeSource | None = None,
    create: bool,
    create_parents: bool = False,
    adopt_empty: bool = True,
    read_only: bool = False,
) -> Store:
    """Open ``target`` as :meth:`Store.open` does, with the file options for a SQLite file.

    ``adopt_empty`` and ``read_only`` are described at ``SqliteStore.open``; a
    PostgreSQL URI is opened by its backend (whose roles decide who may write).
    """
    from warroom.dbtarget import is_postgres_uri
    from warroom.store.protocol import Store as AnyStore
    from warroom.store.store import SqliteStore

    if isinstance(target, str) and is_postgres_uri(target):
        return AnyStore.open(target, clock=clock, create=create, create_parents=create_parents)
    return SqliteStore.open(target, clock=clock, create=create, create_parents=create_parents,
                            adopt_empty=adopt_empty, read_only=read_only)


def missing_database_message(path: Path) -> str:
    """Why there is no database at ``path``, with the advice that fits.

    A missing folder is named (``warroom new`` would fail on it too); otherwise the
    advice is to declare an incident, which creates the database.
    """
    folder = path.parent
    if not folder.is_dir():
        return (
            f"no database at {path}: the folder {folder} does not exist "
            "(check the path, or create the folder first)"
        )
    return f"no database at {path} (declare an incident with 'warroom new' to create one)"


def cannot_write(target: Path | str) -> bool:
    """Whether ``target`` is an existing database file this user cannot write (or whose
    folder they cannot write): the console and ``open`` then show it read-only."""
    return (isinstance(target, Path) and target.is_file()
            and writable_problem(target) is not None)


def writable_problem(path: Path) -> str | None:
    """Why a writer could not use the existing database ``path`` (``None`` when it can)."""
    if not os.access(path, os.W_OK):
        return f"{path} is not writable (permission denied)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"the directory {path.parent} is not writable; SQLite needs it for {path.name}-wal"
    return None


def prepare_file(
    path: Path,
    *,
    create: bool,
    create_parents: bool = False,
    adopt_empty: bool = True,
    read_only: bool = False,
) -> bool:
    """Vet the raw file, or create it with mode 0600. Returns True for a new (empty) file.

    ``create``: a missing file may be created (its folder only with
    ``create_parents``, mode 0700). ``adopt_empty``: with ``create``, an existing empty
    regular file becomes the new database (its mode set to 0600); otherwise it is
    refused. ``read_only``: nothing is created or changed, and a file the caller
    cannot write is fine. Raises :class:`StoreError` (one line) on refusal.
    """
    try:
        info = require_regular(path, "database")
    except FileRefusedError as error:
        raise StoreError(str(error)) from None
    if info is not None:
        try:
            is_new = schema.check_header(path)
        except FileNotFoundError:
            return prepare_file(path, create=create, create_parents=create_parents,
                                adopt_empty=adopt_empty, read_only=read_only)
        except PermissionError:
            raise StoreError(f"cannot read {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
        if is_new:
            if read_only or not (create and adopt_empty):
                raise NotADatabaseError(
                    f"{path} is an empty file, not a warroom database; refused "
                    "(it was not changed)"
                )
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        if not read_only:
            problem = writable_problem(path)
            if problem:
                raise StoreError(problem)
        return is_new
    if read_only or not create:
        raise StoreError(missing_database_message(path))
    if not create_parents and not path.parent.exists():
        raise StoreError(f"cannot create database {path}: folder {path.parent} does not exist")
    try:
        if create_parents:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Owner-only from the first byte: SQLite gives -wal and -shm the same mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        # Another process created it a moment ago: judge the file it made.
        return prepare_file(path, create=True, adopt_empty=True)
    except OSError as exc:
        raise StoreError(f"cannot create database {path}: {exc.strerror or exc}") from None
    return True
