"""PostgreSQL-only tests: a fresh schema per test (``pg_dsn``) and login roles (``make_role``)."""

from tests.pgserver import make_role, pg_dsn  # noqa: F401  (fixtures)
