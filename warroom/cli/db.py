"""``warroom db …``: set up a PostgreSQL database for team mode and manage its members.

- ``warroom db init`` creates or migrates the schema (idempotent; a newer schema is
  refused untouched);
- ``warroom db grant ROLE [--incident REF] [--read-only]`` makes an existing database
  role a member (of every incident, or of one; a writer unless ``--read-only``);
- ``warroom db revoke ROLE [--incident REF]`` undoes it.

Run them as the database's owner (or a superuser); seats never need them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warroom.cli.context import Context


def add_db_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``db`` and its sub-commands to the ``warroom`` parser's sub-parsers ``sub``."""
    p = sub.add_parser("db", help="team mode: set up a PostgreSQL database, manage members")
    actions = p.add_subparsers(dest="db_action", metavar="ACTION", required=True,
                               parser_class=type(p))
    q = actions.add_parser("init", help="create or migrate warroom's schema (idempotent)")
    common(q)
    q = actions.add_parser("grant", help="make a database role a member (writer by default)")
    q.add_argument("role", metavar="ROLE", help="an existing database role")
    q.add_argument("--incident", metavar="REF", help="one incident (id or slug); default: all")
    q.add_argument("--read-only", action="store_true", help="may read, not write")
    common(q)
    q = actions.add_parser("revoke", help="end a role's membership")
    q.add_argument("role", metavar="ROLE")
    q.add_argument("--incident", metavar="REF",
                   help="one incident's membership; default: the all-incidents one")
    common(q)
    common(p)


def cmd_db(ctx: Context) -> int:
    """Run ``warroom db ACTION`` against the configured PostgreSQL database."""
    from warroom.cli.errors import CommandError

    target = ctx.db_target
    if not isinstance(target, str):
        raise CommandError(
            f"'warroom db' sets up PostgreSQL databases (--db postgresql://…); {target} is an "
            "SQLite file, which needs no setup"
        )
    from warroom.store.postgres import grant, init_database, revoke

    args = ctx.args
    if args.db_action == "init":
        found, now = init_database(target)
        if found is None:
            message = f"created warroom's schema (version {now})"
        elif found < now:
            message = f"migrated warroom's schema from version {found} to {now}"
        else:
            message = f"warroom's schema is up to date (version {now})"
    elif args.db_action == "grant":
        message = grant(target, args.role, incident=args.incident, read_only=args.read_only)
    else:
        message = revoke(target, args.role, incident=args.incident)
    print(message, file=ctx.out)
    return 0
