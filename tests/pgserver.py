"""The PostgreSQL the tests use: ``$WARROOM_TEST_PG_DSN``, one fresh schema per test.

Without the variable the PostgreSQL tests skip with one line locally and FAIL when
``CI=true`` (``.ci/run`` starts a throw-away server and sets it).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest

#: The variable naming the test server (a libpq URI of a role that may create schemas).
ENV = "WARROOM_TEST_PG_DSN"

SKIP_REASON = f"PostgreSQL tests need ${ENV} (a libpq URI; .ci/run starts a server and sets it)"


def base_dsn() -> str:
    """The test server's URI; skips (locally) or fails (CI) without one."""
    dsn = os.environ.get(ENV, "").strip()
    if not dsn:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but ${ENV} is not set: the PostgreSQL tests cannot run")
        pytest.skip(SKIP_REASON)
    return dsn


def with_schema(dsn: str, schema: str) -> str:
    """``dsn`` with ``search_path`` set to ``schema`` (libpq ``options``)."""
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_dsn() -> Iterator[str]:
    """A URI whose ``search_path`` is a fresh schema with warroom's tables (dropped after)."""
    import psycopg

    from warroom.store.postgres import init_database

    base = base_dsn()
    schema = f"wrt_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    dsn = with_schema(base, schema)
    try:
        init_database(dsn)
        yield dsn
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def as_role(dsn: str, role: str) -> str:
    """``dsn`` connecting as ``role`` instead (the test server trusts its socket)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(dsn)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "user"] + [("user", role)]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{netloc}{parts.path}?{urlencode(query)}"


@pytest.fixture
def make_role(pg_dsn: str) -> Iterator[Callable[[str], tuple[str, str]]]:
    """``make_role(name)`` creates a login role (unique per test); gives (role, its URI)."""
    import psycopg

    made: list[str] = []
    tag = uuid.uuid4().hex[:6]

    def make(name: str) -> tuple[str, str]:
        role = f"{name}_{tag}"
        with psycopg.connect(base_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
        made.append(role)
        return role, as_role(pg_dsn, role)

    yield make
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        for role in made:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
