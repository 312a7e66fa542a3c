"""Setting up a PostgreSQL database for warroom: ``db init``, ``db grant``, ``db revoke``.

Run by an administrator: a superuser, or the database's owner with ``CREATEROLE``
(to create the owning role once) who is a member of that role. Seats never need
these.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from warroom.dbtarget import redact
from warroom.store.errors import SchemaTooNewError, StoreError
from warroom.store.postgres.connect import connect, translate
from warroom.store.postgres.schema import (
    DATABASE_ID,
    MEMBER_FUNCTIONS,
    MEMBER_TABLES,
    OWNER,
    PG_SCHEMA_VERSION,
    V1,
)
from warroom.store.records import is_id_ref

#: Serialises concurrent ``db init`` runs on one database.
_INIT_LOCK = 0x5752_4D31  # "WRM1"


def _too_new(location: str, version: int) -> str:
    return (
        f"{location} was set up by a newer warroom (schema version {version}, this one "
        f"understands up to {PG_SCHEMA_VERSION}); upgrade warroom. Nothing was changed."
    )


def schema_version(conn: psycopg.Connection[tuple[object, ...]]) -> int | None:
    """The warroom schema version in the connection's current schema (``None``: none)."""
    row = conn.execute("SELECT to_regclass('warroom_meta') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute(
        "SELECT value FROM warroom_meta WHERE name = 'schema_version'"
    ).fetchone()
    return int(str(found[0])) if found else None


def init_database(dsn: str) -> tuple[int | None, int]:
    """Create or migrate the schema; returns (version found, version now). Idempotent.

    A schema of a newer version is refused untouched (:class:`SchemaTooNewError`).
    The role that runs it becomes a writer of every incident.
    """
    location = redact(dsn)
    with connect(dsn, location) as conn:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
                found = schema_version(conn)
                if found is not None and found > PG_SCHEMA_VERSION:
                    raise SchemaTooNewError(_too_new(location, found))
                if found is None:
                    _create(conn)
                has_id = conn.execute(
                    "SELECT 1 FROM warroom_meta WHERE name = 'database_id'").fetchone()
                if has_id is None:  # new, or set up before databases had an id
                    if found is not None:
                        _as_owner(conn, location)
                    conn.execute(DATABASE_ID, (found is None,))
                return found, PG_SCHEMA_VERSION
        except psycopg.Error as exc:
            raise translate(exc, location, "setting up the database") from None


def _create(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Version 1, owned by :data:`OWNER`, in the current schema (inside a transaction)."""
    row = conn.execute("SELECT current_schema(), session_user").fetchone()
    if row is None or row[0] is None:
        raise StoreError("no schema to create warroom's tables in (check the search_path)")
    schema, admin = str(row[0]), str(row[1])
    owner = sql.Identifier(OWNER)
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,)).fetchone()
    if not exists:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(owner))
    member = conn.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", (OWNER,)).fetchone()
    if not (member and member[0]):
        conn.execute(sql.SQL("GRANT {} TO {}").format(owner, sql.Identifier(admin)))
    conn.execute(sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(
        sql.Identifier(schema), owner))
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(owner))
    conn.execute(sql.SQL("SET LOCAL search_path = {}, pg_temp").format(sql.Identifier(schema)))
    for statement in V1:
        text = statement.replace("{schema}", sql.Identifier(schema).as_string(conn))
        conn.execute(text.encode())
    conn.execute(
        "INSERT INTO warroom_meta (name, value) VALUES ('schema_version', %s)",
        (str(PG_SCHEMA_VERSION),),
    )
    conn.execute(
        "INSERT INTO members (incident_id, member, can_write) VALUES (NULL, %s, true)", (admin,)
    )


def _incident_id(conn: psycopg.Connection[tuple[object, ...]], ref: str) -> int:
    text = ref.strip()
    if is_id_ref(text):
        row = conn.execute("SELECT id FROM incidents WHERE id = %s", (int(text),)).fetchone()
    else:
        row = conn.execute("SELECT id FROM incidents WHERE slug = %s", (text,)).fetchone()
    if row is None:
        raise StoreError(f"no incident {text!r}")
    return int(str(row[0]))


def _as_owner(conn: psycopg.Connection[tuple[object, ...]], location: str) -> None:
    """Check the schema and act as :data:`OWNER` for the rest of the transaction."""
    version = schema_version(conn)
    if version is None:
        raise StoreError(f"{location} has no warroom schema yet; run 'warroom db init' first")
    if version > PG_SCHEMA_VERSION:
        raise SchemaTooNewError(_too_new(location, version))
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(OWNER)))


def grant(dsn: str, role: str, *, incident: str | None = None, read_only: bool = False) -> str:
    """Make the existing database role ``role`` a member; returns a one-line summary.

    Of every incident (``incident=None``) or one (id or slug); a writer unless
    ``read_only``. Granting again changes the access.
    """
    location = redact(dsn)
    with connect(dsn, location) as conn:
        try:
            with conn.transaction():
                known = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
                if known.fetchone() is None:
                    raise StoreError(
                        f"there is no database role {role!r}; create it first "
                        f"(CREATE ROLE \"{role}\" LOGIN) and give it a password or certificate"
                    )
                who = sql.Identifier(role)
                schema = conn.execute("SELECT current_schema()").fetchone()
                if schema is None or schema[0] is None:
                    raise StoreError(f"{location} has no warroom schema yet; run "
                                     "'warroom db init' first")
                # As the admin (the owning role has no grant option on the schema).
                conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(
                    sql.Identifier(str(schema[0])), who))
                _as_owner(conn, location)
                target = None if incident is None else _incident_id(conn, incident)
                conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, MEMBER_TABLES)), who))
                conn.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(
                    sql.SQL(", ").join(map(sql.SQL, MEMBER_FUNCTIONS)), who))
                conn.execute(
                    "INSERT INTO members (incident_id, member, can_write) VALUES (%s, %s, %s)"
                    " ON CONFLICT (member, coalesce(incident_id, 0))"
                    " DO UPDATE SET can_write = EXCLUDED.can_write",
                    (target, role, not read_only),
                )
        except psycopg.Error as exc:
            raise translate(exc, location, "granting access") from None
    what = "every incident" if incident is None else f"incident {incident}"
    access = "read-only member" if read_only else "writer"
    return f"{role} is now a {access} of {what}"


def revoke(dsn: str, role: str, *, incident: str | None = None) -> str:
    """Undo :func:`grant`: of every incident (the all-incidents grant) or of one."""
    location = redact(dsn)
    with connect(dsn, location) as conn:
        try:
            with conn.transaction():
                _as_owner(conn, location)
                if incident is None:
                    cursor = conn.execute(
                        "DELETE FROM members WHERE member = %s AND incident_id IS NULL", (role,)
                    )
                else:
                    target = _incident_id(conn, incident)
                    cursor = conn.execute(
                        "DELETE FROM members WHERE member = %s AND incident_id = %s",
                        (role, target),
                    )
                removed = cursor.rowcount
        except psycopg.Error as exc:
            raise translate(exc, location, "revoking access") from None
    what = "every incident" if incident is None else f"incident {incident}"
    if not removed:
        return f"{role} had no membership of {what}; nothing changed"
    return f"{role} is no longer a member of {what}"
