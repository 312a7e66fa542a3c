"""Connecting to PostgreSQL and turning its errors into one-line store errors.

libpq reads the URI as it is (TLS, ``sslmode``, ``.pgpass``, service files); every
message goes through :func:`~warroom.dbtarget.redact`, so none shows a password.
"""

from __future__ import annotations

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import make_conninfo

from warroom.dbtarget import redact
from warroom.store.errors import (
    DatabaseReplacedError,
    DuplicateSlugError,
    IncidentNotFoundError,
    NotAMemberError,
    ReadOnlyMemberError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
)
from warroom.store.postgres.schema import (
    APPEND_ONLY,
    DUPLICATE_SLUG,
    NOT_FOUND,
    NOT_MEMBER,
    READ_ONLY,
)

#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_S = 10

#: SQLSTATEs of a server that answers but cannot take the statement now: a statement or
#: lock timeout (a slow server, a locked table), too many connections, a read-only
#: standby (mid-failover), a serialization failure or a deadlock. Nothing was written,
#: and sending it again later may work: the same as a server out of reach.
_BUSY = frozenset({"57014", "55P03", "53300", "25006", "40001", "40P01"})

#: What libpq says when the server (or the client's setup) refuses this login: a wrong
#: or missing password, no pg_hba.conf entry, no such database or role. Sending again
#: later would not help, so it is an error to fix, not an outage to wait out.
_LOGIN_REFUSED = (
    "authentication failed", "no password supplied", "no pg_hba.conf entry",
    "does not exist", "permission denied for database",
)

_BY_SQLSTATE: dict[str, type[StoreError]] = {
    NOT_FOUND: IncidentNotFoundError,
    NOT_MEMBER: NotAMemberError,
    READ_ONLY: ReadOnlyMemberError,
    DUPLICATE_SLUG: DuplicateSlugError,
    APPEND_ONLY: StoreError,
}


#: Over TCP, a server that vanished without closing the connection (a network
#: partition, a host that died) is noticed within about half a minute instead of the
#: kernel's two hours, so the seat says it is offline and queues what is typed:
#: keepalives on an idle connection, ``tcp_user_timeout`` (ms) on a write unanswered.
#: A URI's own values win; a Unix socket ignores them.
DEAD_PEER_OPTIONS = {
    "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5",
    "keepalives_count": "3", "tcp_user_timeout": "20000",
}


def dead_peer_options(dsn: str) -> dict[str, str]:
    """The :data:`DEAD_PEER_OPTIONS` that ``dsn`` does not set itself."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = conninfo_to_dict(dsn)
    except psycopg.Error:
        return {}  # connecting reports what is wrong with it
    return {key: value for key, value in DEAD_PEER_OPTIONS.items() if key not in given}


def connect(dsn: str, location: str) -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection in UTC (:class:`StoreUnavailableError`: no server)."""
    try:
        extra = dead_peer_options(dsn)
        conninfo = make_conninfo(dsn, **extra) if extra else dsn
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.Error as exc:
        raise translate(exc, location, "connecting") from None
    try:
        # Every read is by primary key: after a bulk import (statistics not yet
        # gathered) the planner would otherwise pick a bitmap scan and sort 100k rows.
        conn.execute("SET TIME ZONE 'UTC'; SET enable_bitmapscan = off")
    except psycopg.Error as exc:
        conn.close()
        raise translate(exc, location, "connecting") from None
    return conn


def reconnect(dsn: str, location: str, identity_query: str,
              expected: str | None) -> psycopg.Connection[tuple[object, ...]]:
    """A new connection to the database a store opened (identity ``expected``).

    Raises :class:`~warroom.store.errors.DatabaseReplacedError` when the server now
    holds another warroom database under that name (dropped and set up again, or the
    URI reaches another server): entries meant for the old one must not land in it.
    """
    conn = connect(dsn, location)
    if expected is None:
        return conn
    try:
        row = conn.execute(identity_query).fetchone()
    except psycopg.Error as exc:
        conn.close()
        raise translate(exc, location, "reconnecting") from None
    if row is None or str(row[0]) != expected:
        conn.close()
        raise DatabaseReplacedError(
            f"{location} is no longer the database this seat opened (it was dropped and "
            "set up again, or the URI now reaches another server); nothing more is "
            "written to it from here: start warroom again"
        )
    return conn


def _first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return redact(lines[0] if lines else type(exc).__name__)


def is_connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` means the connection is gone (not a refusal by the server)."""
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        sqlstate = getattr(exc, "sqlstate", None)
        if sqlstate is None:
            return not login_refused(exc)
        return sqlstate.startswith(("08", "57P"))
    return False


def login_refused(exc: BaseException) -> bool:
    """Whether ``exc`` is the server refusing this login (password, role, database)."""
    text = str(exc)
    return ("FATAL" in text and any(phrase in text for phrase in _LOGIN_REFUSED)) or (
        "no password supplied" in text)


def translate(exc: psycopg.Error, location: str, doing: str) -> StoreError:
    """A one-line :class:`StoreError` for a psycopg error (never with a password)."""
    sqlstate = getattr(exc, "sqlstate", None)
    detail = _first_line(exc)
    if sqlstate in _BY_SQLSTATE:
        return _BY_SQLSTATE[sqlstate](detail)
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return NotAMemberError(
            f"{location}: permission denied while {doing} ({detail}); members write only "
            "through warroom, and 'warroom db grant' gives access"
        )
    if isinstance(exc, pg_errors.DiskFull):
        return StoreFullError(f"{location}: the server's disk is full while {doing}; "
                              "nothing was written")
    if isinstance(exc, pg_errors.UndefinedTable | pg_errors.UndefinedFunction):
        return StoreError(
            f"{location} has no warroom schema (or not this version's); run 'warroom db init' "
            f"as the database's owner ({detail})"
        )
    if sqlstate is None and login_refused(exc):
        return StoreError(
            f"the database server {location} refused the login while {doing}: {detail}; "
            "check the URI's role and database, and its password in ~/.pgpass or the "
            "service file"
        )
    if sqlstate in _BUSY:
        return StoreUnavailableError(
            f"the database server {location} cannot take it now while {doing}: {detail}"
        )
    if is_connection_lost(exc):
        return StoreUnavailableError(
            f"cannot reach the database server {location} while {doing}: {detail}"
        )
    return StoreError(f"database error on {location} while {doing}: {detail}")
