"""Choosing the database: a file or a PostgreSQL URI; passwords never on argv or in the env."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.support.times import T0
from warroom.cli import main
from warroom.config import config_from_mapping
from warroom.dbtarget import has_password, is_postgres_uri, redact
from warroom.domain.timesource import FrozenTime


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, time=FrozenTime(T0))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("uri", [
    "postgresql://alice:s3cret@db.example/warroom",
    "postgres://alice:s3cret@db.example/warroom?sslmode=verify-full",
    "postgresql:///warroom?host=/run/pg&password=s3cret",
])
def test_a_password_on_the_command_line_or_in_the_environment_is_refused(
    uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run("list", "--db", uri)
    assert code == 1 and out == ""
    assert "--db contains a password" in err and "~/.pgpass" in err and "s3cret" not in err
    monkeypatch.setenv("WARROOM_DB", uri)
    code, _out, err = run("list")
    assert code == 1 and "$WARROOM_DB contains a password" in err and "s3cret" not in err


def test_a_password_in_the_config_file_is_refused() -> None:
    with pytest.raises(ValueError, match="config file contains a password") as info:
        config_from_mapping({"db": "postgresql://a:s3cret@h/db"})
    assert "s3cret" not in str(info.value)


def test_uris_are_kept_as_written_and_paths_stay_paths(tmp_path: Path) -> None:
    uri = "postgresql:///warroom?host=/run/pg"
    config = config_from_mapping({"db": uri}, source=tmp_path / "config.toml")
    assert config.db_target(env={}) == uri
    assert config.db_target("postgresql:///?service=warroom", env={}) == (
        "postgresql:///?service=warroom")
    assert config.db_target(env={"WARROOM_DB": "incidents.db"}) == Path("incidents.db")
    assert config_from_mapping({"db": "x.db"}, source=tmp_path / "c.toml").db_target(
        env={}) == tmp_path / "x.db"


def test_uri_helpers() -> None:
    assert is_postgres_uri("postgres://h/db") and is_postgres_uri(" POSTGRESQL:///db")
    assert not is_postgres_uri("/tmp/postgresql.db")
    assert not has_password("postgresql://alice@h/db?sslmode=verify-full")
    assert redact("failed for postgresql://alice:pw@h/db?password=pw2") == (
        "failed for postgresql://alice:***@h/db?password=***")


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    code, _out, err = run("list", "--db", "postgresql://nobody@127.0.0.1:1/warroom")
    assert code == 1 and err.startswith("warroom: error: cannot reach the database server")
    assert err.count("\n") == 1


def test_db_commands_need_postgresql(tmp_path: Path) -> None:
    code, _out, err = run("db", "init", "--db", str(tmp_path / "x.db"))
    assert code == 1 and "SQLite file, which needs no setup" in err


def test_a_refused_login_is_an_error_to_fix_not_a_server_out_of_reach() -> None:
    import psycopg

    from warroom.store import StoreUnavailableError
    from warroom.store.postgres.connect import is_connection_lost, translate

    where = "postgresql:///warroom?user=alice"
    for said in ('FATAL:  password authentication failed for user "alice"',
                 "fe_sendauth: no password supplied",
                 'FATAL:  database "warroom" does not exist'):
        exc = psycopg.OperationalError(
            f'connection failed: connection to server on socket "/run/pg" failed: {said}')
        error = translate(exc, where, "connecting")
        assert not isinstance(error, StoreUnavailableError), said
        assert not is_connection_lost(exc)
        assert "refused the login" in str(error) and "\n" not in str(error)
    down = psycopg.OperationalError('connection failed: connection to server on socket '
                                    '"/run/pg/.s.PGSQL.5432" failed: No such file or directory')
    assert isinstance(translate(down, where, "connecting"), StoreUnavailableError)
    starting = psycopg.OperationalError("connection failed: FATAL:  the database system is "
                                        "starting up")
    assert isinstance(translate(starting, where, "connecting"), StoreUnavailableError)


def test_a_server_that_vanishes_without_a_word_is_noticed_by_tcp_timeouts() -> None:
    from warroom.store.postgres.connect import DEAD_PEER_OPTIONS, dead_peer_options

    options = dead_peer_options("postgresql://alice@db.example/warroom")
    assert options == DEAD_PEER_OPTIONS and int(options["tcp_user_timeout"]) > 0
    mine = dead_peer_options("postgresql://alice@db.example/warroom?keepalives_idle=60")
    assert "keepalives_idle" not in mine and "tcp_user_timeout" in mine
