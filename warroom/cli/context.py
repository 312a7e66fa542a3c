"""What a ``warroom`` command runs with: its arguments, the config, the clock, the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from warroom.cli.errors import CommandError, UsageError

if TYPE_CHECKING:
    from warroom.config import Config
    from warroom.domain.policy import Policy
    from warroom.domain.timesource import TimeSource
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store

__all__ = ["Context", "outbox_cli"]


def outbox_cli() -> Any:
    """The outbox's command module (imported when a PostgreSQL command needs it)."""
    from warroom.outbox import cli

    return cli


@dataclass
class Context:
    """What a command needs: parsed arguments, config, time, and a lazily opened store."""

    args: argparse.Namespace
    out: TextIO
    time: TimeSource
    err: TextIO = field(default_factory=lambda: sys.stderr)
    config: Config = field(init=False)

    def __post_init__(self) -> None:
        from warroom.config import load_config

        self.config = load_config()

    def opt(self, name: str) -> Any:
        """A common option, or ``None`` when not given."""
        return getattr(self.args, name, None)

    @property
    def db_target(self) -> Path | str:
        """The database: a file path, or a PostgreSQL URI (a string)."""
        try:
            return self.config.db_target(self.opt("db"))
        except ValueError as error:
            raise CommandError(str(error)) from None

    @property
    def is_postgres(self) -> bool:
        """Whether the database is a PostgreSQL one (team mode)."""
        return isinstance(self.db_target, str)

    @property
    def db_path(self) -> Path:
        """The database file to use (SQLite; see :attr:`db_target`)."""
        target = self.db_target
        if isinstance(target, str):
            raise CommandError("this needs an SQLite database file, not a PostgreSQL URI")
        return target

    @property
    def db_is_default(self) -> bool:
        """Whether the database is the platform's default one (whose folder may be created).

        A path given by ``--db``, ``$WARROOM_DB`` or the config must be in an existing
        folder: a typo there is an error, not a new directory tree.
        """
        from warroom.config import default_db_path

        return self.db_target == default_db_path()

    @property
    def author(self) -> str:
        """The author to write entries as."""
        return self.config.author_name(self.opt("author"))

    def policy(self) -> Policy:
        """The policy: defaults, config, ``--policy``."""
        return self.config.load_policy(self.opt("policy"))

    @contextmanager
    def store(self, *, create: bool, read_only: bool = False) -> Iterator[Store]:
        """Open the store; ``read_only`` (show, list, export) creates and changes nothing."""
        from warroom.store import Store
        from warroom.store.files import open_database

        target = self.db_target
        if isinstance(target, str):
            store = outbox_cli().open_team_store(lambda: Store.open(target, clock=self.time),
                                                 target)
            self._refuse_author_option(store)
            outbox_cli().flush_on_connect(self, store)  # queued entries go first
        else:
            if not create and self.db_is_default and not (target.exists() or target.is_symlink()):
                from warroom.store import StoreError

                # The default folder is created by the first 'new' or console: no
                # "create the folder first" advice for a new user's first 'list'.
                raise StoreError(
                    f"no incidents yet (no database at {target}): "
                    "'warroom new TITLE' declares one, or 'warroom' opens the console"
                )
            store = open_database(target, clock=self.time, create=create, read_only=read_only,
                                  create_parents=create and self.db_is_default)
        try:
            yield store
        finally:
            store.close()

    def _refuse_author_option(self, store: Store) -> None:
        """``--author`` means nothing where the server sets the author: say so, write nothing."""
        role = store.server_author
        if role is not None and self.opt("author") is not None:
            store.close()
            raise UsageError(
                f"--author is not used with PostgreSQL: the server records the database role "
                f"you connect as ({role}) as the author of every entry; connect as another "
                "role to write as someone else"
            )

    def author_for(self, store: Store) -> str:
        """The author of entries written through ``store``: the server's role, else ours."""
        return store.server_author or self.author

    def session(self, store: Store, ref: str | IncidentRecord | None) -> IncidentSession:
        """A session on ``ref`` (a record, an id or slug, or the single open incident)."""
        from warroom.service import IncidentSession, open_incident
        from warroom.store import IncidentRecord

        record = ref if isinstance(ref, IncidentRecord) else open_incident(store, ref)
        return IncidentSession(
            store, record, time=self.time, policy=self.policy(), tz=self.config.tz(),
            author=self.author_for(store),
        )

    def parse_at(self, value: str | None, option: str = "--at") -> datetime:
        """A time option as an aware UTC instant (now when not given)."""
        now = self.time.now()
        if value is None:
            return now
        from warroom.domain.timeparse import TimeParseError, parse_time

        try:
            return parse_time(value, now, self.config.tz()).astimezone(UTC)
        except TimeParseError as error:
            raise UsageError(f"{option} {value!r}: {error}") from None
