"""The CLI on PostgreSQL: ``db init/grant/revoke``, every command, authors, refusals."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.support.times import T0
from warroom.cli import main
from warroom.domain.timesource import FrozenTime, SystemTime
from warroom.store import Store
from warroom.store.postgres.schema import PG_SCHEMA_VERSION

MakeRole = Callable[[str], tuple[str, str]]


def run(*argv: str) -> tuple[int, str, str]:
    """``warroom ARGV`` on a frozen clock: (exit code, stdout, stderr).

    The frozen clock is the seat's; the server records its own time (the present).
    """
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, time=FrozenTime(T0))
    return code, out.getvalue(), err.getvalue()


def test_db_init_is_idempotent_and_refuses_a_newer_schema(pg_dsn: str) -> None:
    assert run("db", "init", "--db", pg_dsn) == (
        0, f"warroom's schema is up to date (version {PG_SCHEMA_VERSION})\n", "")
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("UPDATE warroom_meta SET value = '99' WHERE name = 'schema_version'")
    code, _out, err = run("db", "init", "--db", pg_dsn)
    assert code == 1 and "newer warroom (schema version 99" in err
    code, _out, err = run("list", "--db", pg_dsn)
    assert code == 1 and "newer warroom" in err and err.count("\n") == 1


def test_every_command_works_and_the_role_is_the_author(pg_dsn: str, tmp_path: Path) -> None:
    code, slug, err = run("new", "Checkout API errors", "--sev", "2", "--db", pg_dsn)
    assert code == 0, err
    slug = slug.strip()
    assert run("log", "/ic alice", "--db", pg_dsn)[0] == 0
    code, out, _ = run("log", slug, "rollback started", "--json", "--db", pg_dsn)
    assert code == 0 and json.loads(out)["author"] == "postgres" and json.loads(out)["id"] == 3
    code, out, _ = run("list", "--json", "--db", pg_dsn)
    assert code == 0 and [row["slug"] for row in json.loads(out)] == [slug]
    code, out, _ = run("show", "--db", pg_dsn)
    assert code == 0 and "alice" in out
    exported = tmp_path / "incident.json"
    assert run("export", "--format", "json", "-o", str(exported), "--db", pg_dsn)[0] == 0
    document = json.loads(exported.read_text())
    document["incident"]["slug"] = "copied"
    exported.write_text(json.dumps(document))
    out_io, err_io = io.StringIO(), io.StringIO()  # the server's times are not "future"
    code = main(["import", str(exported), "--db", pg_dsn], out=out_io, err=err_io,
                time=SystemTime())
    assert (code, out_io.getvalue()) == (0, "copied\n"), err_io.getvalue()
    copied_md = run("export", "copied", "--as-of", "2026-11-27T15:00Z", "--db", pg_dsn)[1]
    original_md = run("export", slug, "--as-of", "2026-11-27T15:00Z", "--db", pg_dsn)[1]
    assert copied_md.replace("copied", slug) == original_md


def test_author_option_is_refused_with_the_reason(pg_dsn: str) -> None:
    run("new", "Checkout API errors", "--db", pg_dsn)
    code, out, err = run("log", "hello", "--author", "bob", "--db", pg_dsn)
    assert code == 2 and out == ""
    assert "--author is not used with PostgreSQL" in err and "(postgres)" in err
    with Store.open(pg_dsn) as store:
        assert store.last_event_id(store.incidents()[0].id) == 1


def test_a_non_member_gets_one_line(pg_dsn: str, make_role: MakeRole) -> None:
    code, slug, _ = run("new", "Checkout API errors", "--db", pg_dsn)
    role, dsn = make_role("outsider")
    assert run("db", "grant", role, "--incident", slug.strip(), "--db", pg_dsn)[0] == 0
    assert run("db", "revoke", role, "--incident", slug.strip(), "--db", pg_dsn)[0] == 0
    code, out, err = run("log", slug.strip(), "hello", "--db", dsn)
    assert code == 1 and out == ""
    assert err == (f"warroom: error: you (database role {role}) are not a member of incident "
                   f"{slug.strip()}\n")


def test_grant_read_only_then_writer(pg_dsn: str, make_role: MakeRole) -> None:
    _code, slug, _ = run("new", "Checkout API errors", "--db", pg_dsn)
    slug = slug.strip()
    role, dsn = make_role("reader")
    code, out, _ = run("db", "grant", role, "--incident", slug, "--read-only", "--db", pg_dsn)
    assert (code, out) == (0, f"{role} is now a read-only member of incident {slug}\n")
    code, _out, err = run("log", slug, "hello", "--db", dsn)
    assert code == 1 and "read-only member" in err
    assert run("show", slug, "--db", dsn)[0] == 0
    run("db", "grant", role, "--incident", slug, "--db", pg_dsn)
    code, out, _ = run("log", slug, "hello", "--db", dsn)
    assert code == 0 and f" {role}: hello" in out
