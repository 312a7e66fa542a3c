"""The ``warroom`` argument parser: every sub-command, its options and the common ones.

Errors are :class:`~warroom.cli.errors.UsageError` exceptions (exit 2), never a usage
dump; options may stand anywhere, also between positionals; ``--at -5m`` is a time,
not an option.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

from warroom import __version__
from warroom.cli.context import outbox_cli
from warroom.cli.errors import PROG, UsageError

__all__ = [
    "OWN_COMMANDS", "TIME_OPTIONS", "build_parser", "command_word", "common_options",
    "glue_time_options",
]


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are exceptions, not a usage dump and exit."""

    def error(self, message: str) -> NoReturn:
        """Raise :class:`UsageError` instead of printing usage and exiting."""
        command = self.prog.removeprefix(PROG).strip()
        hint = f" (see '{PROG} {command} --help')" if command else f" (see '{PROG} --help')"
        raise UsageError(message + hint)


class _CommandParser(_Parser):
    """A sub-command's parser: options may stand anywhere, also between positionals.

    ``warroom log 1 --at -5m "text"`` would otherwise leave ``text`` unrecognised,
    because argparse fills positionals greedily in one pass. The sub-parsers action
    calls :meth:`parse_known_args`, which therefore runs the intermixed parse (options
    first, then positionals); that parse calls back in, hence the guard.
    """

    _intermixing = False

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        """Parse with options and positionals intermixed."""
        if self._intermixing or self._subparsers is not None:  # (intermixing has no sub-commands)
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def common_options(parser: argparse.ArgumentParser) -> None:
    """Options every command takes; SUPPRESS keeps a sub-command from clobbering them."""
    group = parser.add_argument_group("common options")
    group.add_argument("--db", metavar="PATH|URI", default=argparse.SUPPRESS,
                       help="database file or postgresql:// URI (default: $WARROOM_DB, "
                       "config 'db', user data dir)")
    group.add_argument("--policy", metavar="FILE", default=argparse.SUPPRESS,
                       help="policy TOML merged over the defaults and the config's policy")
    group.add_argument("--author", metavar="NAME", default=argparse.SUPPRESS,
                       help="author of entries (default: $WARROOM_AUTHOR, config, OS user); "
                       "on PostgreSQL the database role is the author")


#: The commands this module defines; the others (``db``, ``report``, ``alerts``, ``sync``,
#: ``policy``…) are registered by their own modules.
OWN_COMMANDS = frozenset({"demo", "new", "log", "list", "open", "show", "export", "import"})
#: The common options that take a value (``--db X``), for :func:`command_word`.
_VALUED_OPTIONS = ("--db", "--policy", "--author")


def command_word(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (its first positional), or ``None`` (none, or unsure).

    Skips the common options and their values, also abbreviated (``--po FILE``);
    any other option before the command, or ``--``, makes it unsure.
    """
    items = list(argv)
    index = 0
    while index < len(items):
        token = items[index]
        if not token.startswith("-"):
            return token
        if token == "--" or not token.startswith("--"):
            return None
        name = token.split("=", 1)[0]
        valued = [o for o in _VALUED_OPTIONS if len(name) > 2 and o.startswith(name)]
        if not valued:
            return None
        index += 1 if "=" in token else 2
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``warroom`` argument parser (the whole of it without ``argv``).

    When ``argv`` names one of :data:`OWN_COMMANDS`, the command groups other modules
    register are left out: parsing that command does not need them, and a scripted
    ``warroom log`` then does not import them.
    """
    parser = _Parser(
        prog=PROG,
        description="A terminal war-room console for production incidents. "
        "Without a command, opens the console.",
        epilog="Times: ISO 8601 with a zone (2026-11-27T14:02Z), HH:MM today in your zone, "
        "or relative (-5m, -1h30m). INCIDENT: an id or a slug; omitted, the single open one.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    common_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    p = sub.add_parser("demo", help="open the console on a live copy of the demo incident")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="print the demo incident's state instead of opening the console")
    p.add_argument("--force", action="store_true",
                   help="add the demo to a database that already holds incidents (marked DEMO)")
    common_options(p)

    p = sub.add_parser("new", help="declare an incident; prints its slug")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--sev", type=_severity, metavar="1-4",
                   help="severity (omit for unclassified: SEV2 by default after 10 minutes)")
    p.add_argument("--service", action="append", default=[], metavar="NAME",
                   help="an affected service (repeat, or separate with commas, for several)")
    p.add_argument("--at", metavar="TIME", help="when it was declared (default: now)")
    p.add_argument("--slug", help="slug to use instead of one made from the title")
    common_options(p)

    p = sub.add_parser(
        "log", help="write one entry in the scribe command language",
        usage="%(prog)s [INCIDENT] TEXT [--at TIME] [--json] [--once KEY] [-i INCIDENT] "
        "[common options]",
    )
    p.add_argument("words", nargs="+", metavar="[INCIDENT] TEXT",
                   help="the entry, quoted (e.g. '/sev 1 checkout down', '@-5m /detected'), "
                   "optionally after the incident's id or slug")
    p.add_argument("-i", "--incident", metavar="INCIDENT",
                   help="incident id or slug (instead of the first argument)")
    p.add_argument("--at", metavar="TIME", help="when it happened (default: now)")
    p.add_argument("--json", action="store_true", help="print the stored event as JSON")
    p.add_argument("--once", metavar="KEY",
                   help="idempotency key: if an entry was already written with KEY in this "
                   "incident, store nothing and print that entry (safe retries)")
    common_options(p)

    p = sub.add_parser("list", help="list incidents, open ones first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    common_options(p)

    p = sub.add_parser("open", help="open the console straight on an incident's war room")
    p.add_argument("incident", nargs="?", metavar="INCIDENT")
    common_options(p)

    p = sub.add_parser("show", help="an incident's state, roles and clocks")
    p.add_argument("incident", nargs="?", metavar="INCIDENT")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    common_options(p)

    p = sub.add_parser("export", help="export an incident (post-mortem Markdown or JSON)")
    p.add_argument("incident", nargs="?", metavar="INCIDENT")
    p.add_argument("--format", choices=("md", "json"), default="md",
                   help="md: post-mortem draft (default); json: every event + metrics")
    p.add_argument("-o", "--output", metavar="PATH", default="-",
                   help="file to write (default '-': standard output)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--as-of", metavar="TIME",
                   help="compute state and metrics at TIME (default: now while the incident "
                   "is open, else its last entry, so re-exports are identical)")
    common_options(p)

    p = sub.add_parser("import", help="import an incident from a JSON export")
    p.add_argument("file", metavar="FILE.json")
    common_options(p)

    if argv is None or command_word(argv) not in OWN_COMMANDS:
        _register_other_commands(sub)
    return parser


def _register_other_commands(sub: Any) -> None:
    """The command groups other modules define: db, report, alerts, sync, policy."""
    from warroom.cli.db import add_db_parser

    add_db_parser(sub, common_options)
    from warroom.report.cli import register as register_report_commands

    register_report_commands(sub, common_options)  # report, oncall check, runbook lint|new

    from warroom.alerts.cli import register as register_alerts

    register_alerts(sub, common_options)
    outbox_cli().register(sub, common_options)  # sync
    from warroom.cli.policy import register as register_policy

    register_policy(sub, common_options)  # policy set


#: Options whose value is a time and may look like an option (``--at -5m``).
TIME_OPTIONS = ("--at", "--as-of")


def glue_time_options(argv: Sequence[str]) -> list[str]:
    """Turn ``--at -5m`` into ``--at=-5m`` so argparse does not take ``-5m`` for an option."""
    glued: list[str] = []
    items = list(argv)
    index = 0
    while index < len(items):
        token = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        if (token in TIME_OPTIONS and following is not None
                and following[:1] in "+-" and following[1:2].isdigit()):
            glued.append(f"{token}={following}")
            index += 2
            continue
        glued.append(token)
        index += 1
    return glued


def _severity(value: str) -> int:
    text = value.strip().upper().removeprefix("SEV")
    if text not in {"1", "2", "3", "4"}:
        raise argparse.ArgumentTypeError(f"severity must be 1, 2, 3 or 4, not {value!r}")
    return int(text)
