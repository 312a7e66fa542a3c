"""Fixtures of the report tests: the isolated CLI runner of the CLI tests."""

from tests.cli.conftest import cli  # noqa: F401  (re-exported fixture)
