"""Team mode on PostgreSQL: membership, row-level security, append-only, server-set authors."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from tests.support.entries import declared, note
from tests.support.times import T0
from warroom.store import (
    IncidentNotFoundError,
    NotAMemberError,
    ReadOnlyMemberError,
    Store,
    StoreError,
)
from warroom.store.postgres import grant, revoke

MakeRole = Callable[[str], tuple[str, str]]


def _incident(pg_dsn: str, title: str = "Checkout API errors") -> tuple[int, str]:
    with Store.open(pg_dsn) as admin:
        record, _ = admin.create_incident(declared(title))
        admin.append(record.id, note("admin note"))
    return record.id, record.slug


def test_a_non_member_sees_nothing_and_cannot_write(pg_dsn: str, make_role: MakeRole) -> None:
    incident, slug = _incident(pg_dsn)
    role, dsn = make_role("mallory")
    grant(pg_dsn, role, incident=slug)
    revoke(pg_dsn, role, incident=slug)  # has the privileges, not the membership
    with Store.open(dsn) as store:
        assert store.incidents() == []
        with pytest.raises(NotAMemberError, match=f"not a member of incident {slug}"):
            store.incident(slug)
        with pytest.raises(NotAMemberError, match="not a member"):
            store.events(incident)
        with pytest.raises(NotAMemberError, match="not a member"):
            store.append(incident, note("let me in"))
        with pytest.raises(IncidentNotFoundError):
            store.incident("no-such-incident")
    with Store.open(pg_dsn) as admin:
        assert admin.last_event_id(incident) == 2


def test_a_role_never_granted_cannot_even_open(pg_dsn: str, make_role: MakeRole) -> None:
    _incident(pg_dsn)
    _role, dsn = make_role("stranger")
    with pytest.raises(StoreError, match=r"no warroom schema that role \S+ can see"):
        Store.open(dsn).incidents()


def test_a_read_only_member_reads_but_does_not_append(pg_dsn: str, make_role: MakeRole) -> None:
    incident, slug = _incident(pg_dsn)
    _incident(pg_dsn, "Another incident")
    role, dsn = make_role("viewer")
    assert "read-only" in grant(pg_dsn, role, incident=slug, read_only=True)
    with Store.open(dsn) as store:
        assert [r.slug for r in store.incidents()] == [slug]
        assert [e.text for e in store.events(incident)] == ["", "admin note"]
        with pytest.raises(ReadOnlyMemberError, match=f"read-only member of incident {slug}"):
            store.append(incident, note("can I?"))
        with pytest.raises(NotAMemberError, match="may not declare"):
            store.create_incident(declared("mine"))
        assert store.last_event_id(incident) == 2


def test_a_writer_appends_as_its_role_and_revoke_ends_it(
    pg_dsn: str, make_role: MakeRole
) -> None:
    incident, slug = _incident(pg_dsn)
    role, dsn = make_role("priya")
    grant(pg_dsn, role, incident=slug)
    with Store.open(dsn) as store:
        assert store.server_author == role
        event = store.append(incident, note("on it", author="somebody-else"))
        assert (event.id, event.author) == (3, role)
        assert "no longer" in revoke(pg_dsn, role, incident=slug)
        with pytest.raises(NotAMemberError):
            store.append(incident, note("still here?"))
        assert store.incidents() == []
    with Store.open(pg_dsn) as admin:
        assert [e.author for e in admin.events(incident)][-1] == role


def test_a_member_of_every_incident_declares_and_becomes_its_writer(
    pg_dsn: str, make_role: MakeRole
) -> None:
    role, dsn = make_role("ic")
    grant(pg_dsn, role)
    with Store.open(dsn) as store:
        record, event = store.create_incident(declared("Search is slow"))
        assert event.author == role
        revoke(pg_dsn, role)  # the all-incidents grant; the declared incident stays theirs
        assert store.append(record.id, note("still the writer")).id == 2
        assert [r.id for r in store.incidents()] == [record.id]


def test_members_cannot_insert_update_or_delete_rows_directly(
    pg_dsn: str, make_role: MakeRole
) -> None:
    incident, slug = _incident(pg_dsn)
    role, dsn = make_role("sneaky")
    grant(pg_dsn, role, incident=slug)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in (
            "INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text,"
            " key, data, db_user) VALUES (%s, 99, 'note', now(), now(), 'ceo', 'forged', false,"
            " '{\"kind\": \"note\"}', 'ceo')",
            "UPDATE events SET text = 'rewritten' WHERE incident_id = %s",
            "DELETE FROM events WHERE incident_id = %s",
            "UPDATE incidents SET last_seq = 0 WHERE id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, (incident,))
    with Store.open(pg_dsn) as admin:
        assert [e.text for e in admin.events(incident)] == ["", "admin note"]


def test_the_log_is_append_only_for_the_owner_too(pg_dsn: str) -> None:
    incident, _slug = _incident(pg_dsn)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE warroom_owner")
        for statement in (
            "UPDATE events SET text = 'rewritten'",
            "DELETE FROM events",
            "TRUNCATE events CASCADE",
            "DELETE FROM incidents",
            "UPDATE incidents SET title = 'renamed'",
            "UPDATE incidents SET last_seq = 0",
        ):
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute(statement)
    with Store.open(pg_dsn) as admin:
        assert [e.text for e in admin.events(incident)] == ["", "admin note"]
        assert admin.append(incident, note("the counter still works")).id == 3


def test_an_author_cannot_be_forged_even_by_a_raw_insert(pg_dsn: str) -> None:
    incident, _slug = _incident(pg_dsn)
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE warroom_owner")
        conn.execute(
            "INSERT INTO events (incident_id, seq, kind, occurred_at, recorded_at, author, text,"
            " key, data, db_user) VALUES (%s, 3, 'note', %s, %s, 'ceo', 'forged', false,"
            " '{\"kind\": \"note\"}', 'ceo')",
            (incident, T0, T0),
        )
    with Store.open(pg_dsn) as admin:
        forged = admin.events(incident)[-1]
        assert forged.author == "postgres" and forged.recorded_at != T0


def test_an_import_keeps_authors_and_records_the_importer(
    pg_dsn: str, make_role: MakeRole
) -> None:
    role, dsn = make_role("importer")
    grant(pg_dsn, role)
    with Store.open(pg_dsn) as admin:
        record, _ = admin.create_incident(declared())
        admin.append(record.id, note("x"))
        events = admin.events(record.id)
    events = [e.model_copy(update={"author": f"original-{e.id}"}) for e in events]
    with Store.open(dsn) as store:
        copy = store.import_incident(slug="copied", title="Copied", created_at=T0, events=events)
        assert store.events(copy.id) == events
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute(
            "SELECT author, db_user, imported FROM events WHERE incident_id = %s ORDER BY seq",
            (copy.id,),
        ).fetchall()
    assert rows == [("original-1", role, True), ("original-2", role, True)]


def test_grant_names_unknown_roles_and_incidents(pg_dsn: str) -> None:
    with pytest.raises(StoreError, match="no database role 'ghost'"):
        grant(pg_dsn, "ghost")
    with pytest.raises(StoreError, match="no incident 'nope'"):
        grant(pg_dsn, "postgres", incident="nope")
