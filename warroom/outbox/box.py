"""The outbox file: entries typed while the PostgreSQL server could not be reached.

A small SQLite file in the user data folder (``$WARROOM_OUTBOX`` names another),
created ``0600``, every change committed with ``synchronous=FULL`` (fsync'd) before
anyone is told. Each entry keeps what is needed to send it later exactly once and
to the right database:

- ``client_id``: a random id made here; the server stores it with the event and
  recognises a second send of it (a retry after an answer was lost);
- ``database_id``: which database it belongs to (see ``PgStore.database_identity``);
  unknown when this seat never reached the server, then it is bound to the first
  database the same URI reaches;
- the incident as typed (id or slug; none: the single open one), the line as typed,
  the parsed event (its time is the time it was typed) and the time;
- the author: the database role it was typed as. Only a connection as that same role
  sends it (the server makes the connecting role the author), so an entry never
  lands under someone else's name.

An entry is deleted once the server has it. One the server refuses stays, marked
refused with the reason, until someone deals with it. A file that is not a healthy
outbox is refused with one line and left as it is, for inspection.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time as _time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warroom.errors import WarroomError

if TYPE_CHECKING:  # the models load only when an entry is read or written
    from warroom.domain.events import NewEvent

__all__ = [
    "ENV_OUTBOX",
    "Entry",
    "Outbox",
    "OutboxCorruptError",
    "OutboxError",
    "default_outbox_path",
]

#: The variable naming the outbox file (tests, or a seat that keeps it elsewhere).
ENV_OUTBOX = "WARROOM_OUTBOX"

#: ``PRAGMA application_id`` of an outbox ("WROB").
APPLICATION_ID = 0x57524F42
#: ``PRAGMA user_version``: the outbox layout this code writes.
OUTBOX_VERSION = 1

QUEUED, REFUSED = "queued", "refused"

_SCHEMA = (
    """
    CREATE TABLE entries (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        client_id    TEXT NOT NULL UNIQUE,
        database_id  TEXT,
        location     TEXT NOT NULL,
        incident_ref TEXT,
        incident_id  INTEGER,
        line         TEXT NOT NULL,
        event        TEXT NOT NULL,
        author       TEXT NOT NULL,
        typed_at     TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('queued', 'refused')),
        reason       TEXT,
        refused_at   TEXT
    )
    """,
    "CREATE INDEX entries_pending ON entries (database_id, state, seq)",
    """
    CREATE TABLE targets (
        location    TEXT PRIMARY KEY,
        database_id TEXT NOT NULL,
        role        TEXT,
        seen_at     TEXT NOT NULL
    )
    """,
)

_COLUMNS = ("seq, client_id, database_id, location, incident_ref, incident_id, line, event,"
            " author, typed_at, state, reason, refused_at")


class OutboxError(WarroomError):
    """The outbox cannot be used; ``str(error)`` is one line for the user."""


class OutboxCorruptError(OutboxError):
    """The outbox file is not a healthy outbox; it was left untouched for inspection."""


def default_outbox_path() -> Path:
    """``$WARROOM_OUTBOX``, else ``outbox.sqlite3`` in the platform's user data folder."""
    named = os.environ.get(ENV_OUTBOX, "").strip()
    if named:
        return Path(named).expanduser()
    from platformdirs import user_data_path

    return user_data_path("warroom") / "outbox.sqlite3"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class Entry:
    """One entry in the outbox (queued, or refused by the server with ``reason``)."""

    seq: int
    client_id: str
    database_id: str | None
    location: str
    incident_ref: str | None
    incident_id: int | None
    line: str
    event: str
    author: str
    typed_at: datetime
    state: str
    reason: str | None
    refused_at: datetime | None

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> Entry:
        """An entry from a row of ``SELECT {_COLUMNS}``."""
        (seq, client_id, database_id, location, ref, incident_id, line, event, author,
         typed_at, state, reason, refused_at) = row
        return cls(
            seq=int(str(seq)), client_id=str(client_id),
            database_id=None if database_id is None else str(database_id),
            location=str(location), incident_ref=None if ref is None else str(ref),
            incident_id=None if incident_id is None else int(str(incident_id)),
            line=str(line), event=str(event), author=str(author),
            typed_at=datetime.fromisoformat(str(typed_at)), state=str(state),
            reason=None if reason is None else str(reason),
            refused_at=None if refused_at is None else datetime.fromisoformat(str(refused_at)),
        )

    def new_event(self) -> NewEvent:
        """The parsed entry as it was typed (raises pydantic's ValidationError if damaged)."""
        from warroom.domain.events import NewEvent

        return NewEvent.model_validate_json(self.event)

    def as_json(self) -> dict[str, object]:
        """A JSON-ready view (for ``warroom sync --export``)."""
        return {
            "client_id": self.client_id, "state": self.state, "reason": self.reason,
            "refused_at": None if self.refused_at is None else _stamp(self.refused_at),
            "database_id": self.database_id, "location": self.location,
            "incident": self.incident_ref, "incident_id": self.incident_id,
            "line": self.line, "author": self.author, "typed_at": _stamp(self.typed_at),
            "event": json.loads(self.event),
        }


class Outbox:
    """An open outbox file. Safe to share between processes (SQLite locking)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        """Wrap an open, checked connection; use :meth:`open` instead."""
        self.path = path
        self._conn = conn

    # ------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: Path | None = None, *, create: bool) -> Outbox | None:
        """Open the outbox (``None`` if it does not exist and ``create`` is false).

        Raises :class:`OutboxCorruptError` for a file that is not a healthy outbox
        (left as it is) and :class:`OutboxError` when it cannot be created.
        """
        path = default_outbox_path() if path is None else path
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if not create:
                return None
            _create_file(path)
        except OSError as error:
            raise OutboxError(f"cannot use the outbox {path}: {error.strerror or error}") from None
        else:
            import stat

            if not stat.S_ISREG(info.st_mode):
                raise OutboxCorruptError(f"the outbox {path} is not a regular file; "
                                         "it was left as it is")
            if info.st_mode & 0o077:
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o600)  # entries are private: owner only
        try:
            conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=10,
                                   isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise OutboxError(f"cannot open the outbox {path}: {error}") from None
        try:
            conn.execute("PRAGMA synchronous = FULL")
            _check_or_initialise(conn, path)
        except sqlite3.DatabaseError as error:
            conn.close()
            raise _corrupt(path, str(error)) from None
        except OutboxError:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        """Close the file (idempotent)."""
        self._conn.close()

    def __enter__(self) -> Outbox:
        """Use in a ``with`` block; closed at the end."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the outbox."""
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise OutboxError(f"cannot write the outbox {self.path}: {error}") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def sending(self, timeout: float) -> Iterator[bool]:
        """Hold the right to send (one process at a time, so entries go in order).

        Yields whether it was obtained within ``timeout`` seconds.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no flock: SQLite alone orders the writes
            yield True
            return
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = _time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held = True
                    break
                except BlockingIOError:
                    if _time.monotonic() >= deadline:
                        held = False
                        break
                    _time.sleep(0.01)
            yield held
        finally:
            os.close(fd)  # releases the lock

    # --------------------------------------------------------------- writing
    def add(
        self,
        *,
        location: str,
        database_id: str | None,
        incident_ref: str | None,
        incident_id: int | None,
        line: str,
        event: NewEvent,
        author: str,
        typed_at: datetime,
        client_id: str | None = None,
    ) -> Entry:
        """Queue one entry; returns it once it is on disk (fsync'd)."""
        client_id = client_id or uuid.uuid4().hex
        try:
            with self._write() as conn:
                cursor = conn.execute(
                    "INSERT INTO entries (client_id, database_id, location, incident_ref,"
                    " incident_id, line, event, author, typed_at, state)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
                    (client_id, database_id, location, incident_ref, incident_id, line,
                     event.model_dump_json(), author, _stamp(typed_at)),
                )
                seq = cursor.lastrowid
        except sqlite3.Error as error:
            raise OutboxError(f"cannot write the outbox {self.path}: {error}") from None
        entry = self.entry(int(seq or 0))
        assert entry is not None
        return entry

    def remember(self, location: str, database_id: str, role: str | None, at: datetime) -> None:
        """Note which database ``location`` reached (written only when it changed)."""
        row = self._conn.execute("SELECT database_id, role FROM targets WHERE location = ?",
                                 (location,)).fetchone()
        if row is not None and tuple(row) == (database_id, role):
            return
        with self._write() as conn:
            conn.execute(
                "INSERT INTO targets (location, database_id, role, seen_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (location) DO UPDATE SET database_id = excluded.database_id,"
                " role = excluded.role, seen_at = excluded.seen_at",
                (location, database_id, role, _stamp(at)),
            )

    def bind(self, location: str, database_id: str) -> int:
        """Entries typed for ``location`` before its database was known now belong to it."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE entries SET database_id = ? WHERE database_id IS NULL AND location = ?",
                (database_id, location),
            )
            return cursor.rowcount

    def set_incident(self, seq: int, incident_id: int) -> None:
        """Record which incident the entry resolved to (a retry goes to the same one)."""
        with self._write() as conn:
            conn.execute("UPDATE entries SET incident_id = ? WHERE seq = ?", (incident_id, seq))

    def landed(self, *seqs: int) -> None:
        """The server has these entries: remove them."""
        if not seqs:
            return
        with self._write() as conn:
            conn.executemany("DELETE FROM entries WHERE seq = ?", [(seq,) for seq in seqs])

    def refuse(self, seq: int, reason: str, at: datetime) -> None:
        """The server refused the entry: keep it, marked refused with the reason."""
        with self._write() as conn:
            conn.execute(
                "UPDATE entries SET state = 'refused', reason = ?, refused_at = ? WHERE seq = ?",
                (reason, _stamp(at), seq),
            )

    def requeue_refused(self, database_id: str) -> int:
        """Put the database's refused entries back in the queue (e.g. after a new grant)."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE entries SET state = 'queued', reason = NULL, refused_at = NULL"
                " WHERE state = 'refused' AND database_id = ?", (database_id,),
            )
            return cursor.rowcount

    # --------------------------------------------------------------- reading
    def identity_of(self, location: str) -> tuple[str, str | None] | None:
        """The database (and role) ``location`` reached last time, if it ever did."""
        row = self._conn.execute("SELECT database_id, role FROM targets WHERE location = ?",
                                 (location,)).fetchone()
        return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))

    def entry(self, seq: int) -> Entry | None:
        """The entry ``seq`` (``None`` once it has landed)."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM entries WHERE seq = ?",
                                 (seq,)).fetchone()
        return None if row is None else Entry.from_row(row)

    def entry_by_client_id(self, client_id: str) -> Entry | None:
        """The entry queued (or refused) with ``client_id``, if any."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM entries WHERE client_id = ?",
                                 (client_id,)).fetchone()
        return None if row is None else Entry.from_row(row)

    def pending(self, database_id: str, limit: int = 100, *,
                author: str | None = None) -> list[Entry]:
        """The database's queued entries in the order they were typed (the first ``limit``);
        ``author``: only those typed as that database role."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM entries WHERE database_id = ? AND state = 'queued'"
            " AND (? IS NULL OR author = ?) ORDER BY seq LIMIT ?",
            (database_id, author, author, limit),
        ).fetchall()
        return [Entry.from_row(row) for row in rows]

    def count(self, database_id: str | None = None, state: str = QUEUED, *,
              author: str | None = None) -> int:
        """How many entries are in ``state`` (for one database, or all; ``author``: only
        those typed as that role)."""
        row = self._conn.execute(
            "SELECT count(*) FROM entries WHERE state = ? AND (? IS NULL OR database_id = ?)"
            " AND (? IS NULL OR author = ?)",
            (state, database_id, database_id, author, author)).fetchone()
        return int(row[0]) if row else 0

    def count_at(self, location: str) -> int:
        """How many entries typed for the URI ``location`` are queued."""
        row = self._conn.execute(
            "SELECT count(*) FROM entries WHERE state = ? AND location = ?",
            (QUEUED, location)).fetchone()
        return int(row[0]) if row else 0

    def entries(self) -> list[Entry]:
        """Every entry in the outbox (queued and refused), in the order typed."""
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY seq").fetchall()
        return [Entry.from_row(row) for row in rows]


def _create_file(path: Path) -> None:
    """Create an empty outbox file, owner-only, and make its name durable."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except FileExistsError:
        return  # another process made it first
    except OSError as error:
        raise OutboxError(
            f"cannot create the outbox {path}: {error.strerror or error}") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _corrupt(path: Path, detail: str) -> OutboxCorruptError:
    return OutboxCorruptError(
        f"the outbox {path} is damaged ({detail}); it was left as it is for inspection: "
        "move it aside to start a new one (its entries were not sent)"
    )


def _check_or_initialise(conn: sqlite3.Connection, path: Path) -> None:
    """Check an existing outbox; lay out a new (empty) one."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == 0 and version == 0:
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables == 0:  # new (or made by a process that stopped before this)
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {OUTBOX_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise _corrupt(path, "not a warroom outbox")
    if version > OUTBOX_VERSION:
        raise OutboxError(f"the outbox {path} was written by a newer warroom (layout "
                          f"{version}); upgrade warroom to send its entries")
    problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise _corrupt(path, problems[0] if problems else "quick_check failed")
