"""The outbox against a real PostgreSQL, made unreachable by a proxy the test controls.

The shared test server is never stopped: the seat reaches it through a loopback
proxy (:mod:`tests.outbox.proxy`) that the test takes down, brings back, or makes
cut a connection right after a commit (the answer lost).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest

from tests.outbox.conftest import run
from tests.outbox.proxy import Proxy
from tests.pgserver import base_dsn, with_schema
from warroom.outbox.box import Outbox
from warroom.store import Store
from warroom.store.postgres import init_database

MakeRole = Callable[[str], tuple[str, str]]


def _socket_of(dsn: str) -> str:
    query = parse_qs(urlsplit(dsn).query)
    port = query.get("port", ["5432"])[0]
    return f"{query['host'][0]}/.s.PGSQL.{port}"


@pytest.fixture
def proxy(pg_dsn: str) -> Iterator[Proxy]:
    """A proxy to the test server."""
    gate = Proxy(_socket_of(pg_dsn))
    yield gate
    gate.close()


def through(proxy: Proxy, dsn: str) -> str:
    """``dsn`` (its database, role and options) reached through ``proxy``."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(dsn).query).items() if k not in ("host",
                                                                                      "port")}
    return proxy.dsn(urlsplit(dsn).path.lstrip("/") or "postgres", **query)


def _texts(dsn: str, slug: str) -> list[str]:
    with Store.open(dsn) as store:
        record = store.incident(slug)
        events = store.events(record.id)
    assert [e.id for e in events] == list(range(1, len(events) + 1))  # gap-free
    return [e.text for e in events[1:]]


def _new(dsn: str, title: str = "Checkout API errors") -> str:
    result = run("new", title, "--db", dsn)
    assert result.code == 0, result.err
    return result.out.strip()


def test_typed_during_an_outage_lands_once_in_order_with_its_typed_time(
    pg_dsn: str, proxy: Proxy, outbox_path: Path
) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    assert run("log", slug, "before", "--db", seat).code == 0
    proxy.down()
    for text in ("one", "two", "three"):
        result = run("log", slug, text, "--db", seat)
        assert result.code == 0 and result.err.startswith("queued (server unreachable): ")
    assert _texts(pg_dsn, slug) == ["before"]  # the server never saw them
    proxy.up()
    shown = run("show", slug, "--db", seat)  # any command that connects sends them first
    assert shown.code == 0 and shown.err == "warroom: sent 3 queued entries\n"
    assert _texts(pg_dsn, slug) == ["before", "one", "two", "three"]
    with Store.open(pg_dsn) as store:
        events = store.events(store.incident(slug).id)
    assert all(e.occurred_at < e.recorded_at for e in events[2:])  # typed (frozen) vs server
    assert run("sync", "--db", seat).out.startswith("0 sent")
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None and box.entries() == []


def test_a_new_entry_waits_behind_the_queued_ones(pg_dsn: str, proxy: Proxy) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    proxy.down()
    assert run("log", slug, "queued first", "--db", seat).code == 0
    proxy.up()
    result = run("log", slug, "typed second", "--db", seat)
    assert result.code == 0 and result.out.startswith("#3 ")
    assert result.err == "warroom: sent 1 queued entry\n"
    assert _texts(pg_dsn, slug) == ["queued first", "typed second"]


def test_a_commit_whose_answer_is_lost_is_stored_once(pg_dsn: str, proxy: Proxy) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    # The answer is lost and the retry finds the server gone: the entry is queued with
    # the client id of the write that did commit.
    proxy.cut_after_commit(then_down=True)
    result = run("log", slug, "ambiguous", "--db", seat)
    assert proxy.cuts == 1
    assert result.code == 0 and result.err.startswith("queued (server unreachable): ambiguous")
    assert _texts(pg_dsn, slug) == ["ambiguous"]  # it did commit
    proxy.up()
    synced = run("sync", "--db", seat)
    assert synced.code == 0
    assert synced.out.splitlines()[0] == f"sent #2 (incident {slug}): ambiguous"
    assert _texts(pg_dsn, slug) == ["ambiguous"]  # sent again, stored once
    # The answer is lost but the server is still there: the store's own retry, once.
    proxy.cut_after_commit(then_down=False)
    result = run("log", slug, "retried at once", "--db", seat)
    assert proxy.cuts == 2 and result.code == 0 and result.out.startswith("#3 ")
    assert _texts(pg_dsn, slug) == ["ambiguous", "retried at once"]


@pytest.fixture
def other_database(pg_dsn: str) -> Iterator[str]:
    """A second warroom database (a schema of its own) on the same server."""
    schema = f"wrt_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    dsn = with_schema(base_dsn(), schema)
    try:
        init_database(dsn)
        yield dsn
    finally:
        with psycopg.connect(base_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_entries_never_go_to_another_database(
    pg_dsn: str, other_database: str, proxy: Proxy, outbox_path: Path
) -> None:
    seat_a = through(proxy, pg_dsn)
    slug = _new(seat_a)
    other_slug = _new(other_database)
    assert other_slug == slug  # the same slug in both: only the identity tells them apart
    assert run("log", slug, "seen", "--db", seat_a).code == 0  # this seat knows database A
    proxy.down()
    assert run("log", slug, "for A", "--db", seat_a).code == 0
    synced = run("sync", "--db", other_database)
    assert synced.code == 0 and "0 sent" in synced.out and "1 for other databases" in synced.out
    shown = run("show", "--db", other_database)
    assert shown.code == 0 and "sent" not in shown.err
    assert _texts(other_database, slug) == []
    proxy.up()
    assert run("sync", "--db", seat_a).out.startswith(f"sent #3 (incident {slug}): for A")
    assert _texts(pg_dsn, slug) == ["seen", "for A"]
    assert _texts(other_database, slug) == []


def test_a_database_recreated_behind_the_same_uri_gets_nothing(
    pg_dsn: str, proxy: Proxy, outbox_path: Path
) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    assert run("log", slug, "seen", "--db", seat).code == 0
    proxy.down()
    assert run("log", slug, "for the old one", "--db", seat).code == 0
    schema = parse_qs(urlsplit(pg_dsn).query)["options"][0].split("=", 1)[1]
    with psycopg.connect(base_dsn(), autocommit=True) as conn:  # replaced meanwhile
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    init_database(pg_dsn)
    assert _new(pg_dsn) == slug
    proxy.up()
    synced = run("sync", "--db", seat)
    assert "0 sent" in synced.out and "1 for other databases" in synced.out
    assert _texts(pg_dsn, slug) == []
    with Outbox.open(outbox_path, create=False) as box:
        assert box is not None and [e.state for e in box.entries()] == ["queued"]


def test_an_entry_typed_before_the_seat_ever_connected_binds_to_that_uri(
    pg_dsn: str, proxy: Proxy
) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(pg_dsn)  # declared by someone else; this seat has never connected
    proxy.down()
    result = run("log", slug, "first words", "--db", seat)
    assert result.code == 0 and "this seat has not reached that server before" in result.err
    proxy.up()
    assert run("sync", "--db", seat).out.startswith(f"sent #2 (incident {slug}): first words")


def test_a_refused_entry_is_kept_listed_exported_and_can_be_retried(
    pg_dsn: str, proxy: Proxy, make_role: MakeRole, tmp_path: Path
) -> None:
    slug = _new(pg_dsn)
    role, role_dsn = make_role("scribe")
    assert run("db", "grant", role, "--incident", slug, "--db", pg_dsn).code == 0
    seat = through(proxy, role_dsn)
    assert run("log", slug, "member", "--db", seat).code == 0
    proxy.down()
    assert run("log", slug, "typed while offline", "--db", seat).code == 0
    assert run("db", "revoke", role, "--incident", slug, "--db", pg_dsn).code == 0
    proxy.up()
    synced = run("sync", "--db", seat)
    assert synced.code == 0
    assert synced.out.splitlines()[0] == (
        f"refused (incident {slug}): typed while offline — you (database role {role}) are "
        f"not a member of incident {slug}")
    listed = run("sync", "--list").out
    assert "refused" in listed and "typed while offline" in listed and "not a member" in listed
    target = tmp_path / "refused.json"
    assert run("sync", "--export", str(target)).code == 0
    [entry] = json.loads(target.read_text())["entries"]
    assert entry["state"] == "refused" and "not a member" in entry["reason"]
    assert run("sync", "--db", seat).out.startswith("0 sent")  # not sent again by itself
    assert run("db", "grant", role, "--incident", slug, "--db", pg_dsn).code == 0
    retried = run("sync", "--retry-refused", "--db", seat)
    assert retried.out.startswith(f"sent #3 (incident {slug}): typed while offline")
    assert _texts(pg_dsn, slug) == ["member", "typed while offline"]
    assert run("sync", "--list").out == "the outbox is empty\n"


def test_a_correction_typed_offline_is_checked_when_it_is_sent(
    pg_dsn: str, proxy: Proxy
) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    assert run("log", slug, "teh typo", "--db", seat).code == 0
    proxy.down()
    assert run("log", slug, "/fix 2 the typo", "--db", seat).code == 0
    assert run("log", slug, "/fix 9 no such entry", "--db", seat).code == 0
    proxy.up()
    lines = run("sync", "--db", seat).out.splitlines()
    assert lines[0] == f"sent #3 (incident {slug}): /fix 2 the typo"
    assert lines[1].startswith(f"refused (incident {slug}): /fix 9 no such entry — /fix: there "
                               "is no entry #9")
    assert _texts(pg_dsn, slug) == ["teh typo", "the typo"]


def test_log_once_offline_queues_one_entry_per_key(pg_dsn: str, proxy: Proxy) -> None:
    seat = through(proxy, pg_dsn)
    slug = _new(seat)
    proxy.down()
    first = run("log", slug, "paged the DBA", "--once", "page-1", "--db", seat)
    again = run("log", slug, "paged the DBA", "--once", "page-1", "--db", seat)
    assert first.code == 0 and first.err.startswith("queued (server unreachable): ")
    assert again.code == 0 and again.err.startswith("already queued with --once page-1")
    proxy.up()
    assert run("sync", "--db", seat).out.startswith(f"sent #2 (incident {slug}): paged the DBA")
    retried = run("log", slug, "paged the DBA", "--once", "page-1", "--db", seat)
    assert retried.code == 0 and retried.out.startswith("#2 ")
    assert _texts(pg_dsn, slug) == ["paged the DBA"]


def test_a_database_set_up_before_it_had_an_id_keeps_its_identity(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("SET ROLE warroom_owner")
        conn.execute("DELETE FROM warroom_meta WHERE name = 'database_id'")
    with Store.open(pg_dsn) as store:
        legacy = store.database_identity()  # type: ignore[attr-defined]
    assert legacy.count("/") == 2  # system identifier / database / schema
    assert run("db", "init", "--db", pg_dsn).code == 0  # stores that same value
    with Store.open(pg_dsn) as store:
        assert store.database_identity() == legacy  # type: ignore[attr-defined]
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        row = conn.execute("SELECT value FROM warroom_meta WHERE name = 'database_id'")
        assert row.fetchone() == (legacy,)


def test_an_entry_is_sent_only_as_the_role_it_was_typed_as(
    pg_dsn: str, proxy: Proxy, make_role: MakeRole
) -> None:
    slug = _new(pg_dsn)
    role, role_dsn = make_role("scribe")
    assert run("db", "grant", role, "--db", pg_dsn).code == 0
    seat = through(proxy, role_dsn)
    assert run("log", slug, "as the scribe", "--db", seat).code == 0
    proxy.down()
    assert run("log", slug, "typed offline", "--db", seat).code == 0
    admin = run("show", slug, "--db", pg_dsn)  # the same seat, as another role
    assert admin.code == 0 and "sent" not in admin.err
    synced = run("sync", "--db", pg_dsn)
    assert "0 sent" in synced.out and "1 typed as another database role" in synced.out
    proxy.up()
    assert run("sync", "--db", seat).out.startswith(f"sent #3 (incident {slug}): typed offline")
    with Store.open(pg_dsn) as store:
        events = store.events(store.incident(slug).id)
    assert [(e.text, e.author) for e in events[1:]] == [
        ("as the scribe", role), ("typed offline", role)]
