"""The ``warroom`` command line: the console, the demo and the scripting sub-commands.

Every sub-command takes ``--db PATH`` (else ``$WARROOM_DB``, else the config file's
``db``, else the platform's user data folder), ``--policy FILE`` and ``--author NAME``.
Errors are one line on stderr (``warroom: error: …``): exit 2 for a malformed
invocation (bad option, time or entry syntax), 1 for anything else, 130 on Ctrl-C.
Heavy modules (Textual, the exporters) are imported only by the commands that need
them, so scripted ``warroom log`` calls start fast. ``WARROOM_DEBUG=1`` shows the
traceback of an unexpected error instead of its one-line summary.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from warroom import __version__

if TYPE_CHECKING:
    from warroom.config import Config
    from warroom.domain.policy import Policy
    from warroom.domain.timesource import TimeSource
    from warroom.service import IncidentSession
    from warroom.store import IncidentRecord, Store

PROG = "warroom"


class UsageError(Exception):
    """The invocation is malformed (exit 2)."""


class CommandError(Exception):
    """The invocation is well-formed but cannot be carried out (exit 1)."""


# ------------------------------------------------------------------ argparse
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


def _common(parser: argparse.ArgumentParser) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    """The full ``warroom`` argument parser."""
    parser = _Parser(
        prog=PROG,
        description="A terminal war-room console for production incidents. "
        "Without a command, opens the console.",
        epilog="Times: ISO 8601 with a zone (2026-11-27T14:02Z), HH:MM today in your zone, "
        "or relative (-5m, -1h30m). INCIDENT: an id or a slug; omitted, the single open one.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)

    p = sub.add_parser("demo", help="open the console on a live copy of the demo incident")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="print the demo incident's state instead of opening the console")
    p.add_argument("--force", action="store_true",
                   help="add the demo to a database that already holds incidents (marked DEMO)")
    _common(p)

    p = sub.add_parser("new", help="declare an incident; prints its slug")
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--sev", type=_severity, metavar="1-4",
                   help="severity (omit for unclassified: SEV2 by default after 10 minutes)")
    p.add_argument("--service", action="append", default=[], metavar="NAME",
                   help="an affected service (repeat for several)")
    p.add_argument("--at", metavar="TIME", help="when it was declared (default: now)")
    p.add_argument("--slug", help="slug to use instead of one made from the title")
    _common(p)

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
    _common(p)

    p = sub.add_parser("list", help="list incidents, open ones first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _common(p)

    p = sub.add_parser("open", help="open the console straight on an incident's war room")
    p.add_argument("incident", nargs="?", metavar="INCIDENT")
    _common(p)

    p = sub.add_parser("show", help="an incident's state, roles and clocks")
    p.add_argument("incident", nargs="?", metavar="INCIDENT")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _common(p)

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
    _common(p)

    p = sub.add_parser("import", help="import an incident from a JSON export")
    p.add_argument("file", metavar="FILE.json")
    _common(p)

    from warroom.cli_db import add_db_parser

    add_db_parser(sub, _common)
    from warroom.report.cli import register as register_report_commands

    register_report_commands(sub, _common)  # report, oncall check, runbook lint|new

    from warroom.alerts.cli import register as register_alerts

    register_alerts(sub, _common)
    _outbox_cli().register(sub, _common)  # sync
    return parser


#: Options whose value is a time and may look like an option (``--at -5m``).
TIME_OPTIONS = ("--at", "--as-of")


def _glue_time_options(argv: Sequence[str]) -> list[str]:
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


# ------------------------------------------------------------------- context
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
            store = Store.open(target, clock=self.time)
            self._refuse_author_option(store)
            _outbox_cli().flush_on_connect(self, store)  # queued entries go first
        else:
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


# ------------------------------------------------------------------ commands
def cmd_new(ctx: Context) -> int:
    """``warroom new TITLE``: declare an incident and print its slug."""
    from warroom.service import declare_incident

    args = ctx.args
    at = ctx.parse_at(args.at)
    with ctx.store(create=True) as store:
        record = declare_incident(
            store, args.title, severity=args.sev, services=args.service, at=at,
            author=ctx.author_for(store), slug=args.slug,
        )
    print(record.slug, file=ctx.out)
    return 0


def cmd_log(ctx: Context) -> int:
    """``warroom log [INCIDENT] TEXT``: write one entry; print it once committed."""
    args = ctx.args
    words: list[str] = list(args.words)
    ref: str | None = args.incident
    if ref is not None:
        text = " ".join(words)
    elif len(words) == 1:
        text = words[0]
    elif len(words) == 2:
        ref, text = words
    else:
        raise UsageError(
            "too many arguments: quote the entry text, e.g. warroom log INCIDENT \"text\""
        )
    at = ctx.parse_at(args.at) if args.at is not None else None
    if ctx.is_postgres:  # queued in the outbox if the server cannot be reached
        return _outbox_cli().log_team(ctx, ref, text, at, args.json, once=args.once)
    from warroom.cli_stream import print_committed, safe_json

    with ctx.store(create=False) as store:
        session = ctx.session(store, ref)
        event = session.log(text, at=at, once=args.once)
        if args.json:
            line = safe_json(event.model_dump(mode="json"), indent=None)
        else:
            from warroom.cli_output import event_line

            line = event_line(session, event)
    print_committed(line, ctx.out)  # stored: exit 0 even if printing fails
    return 0


def cmd_list(ctx: Context) -> int:
    """``warroom list``: every incident, open ones first."""
    from warroom.cli_output import incident_rows, list_table
    from warroom.cli_stream import safe_json

    with ctx.store(create=False, read_only=True) as store:
        rows = incident_rows(store, ctx.policy(), ctx.time.now())
    if ctx.args.json:
        print(safe_json(rows), file=ctx.out)
    else:
        print(list_table(rows, ctx.config.tz()), file=ctx.out)
    return 0


def cmd_show(ctx: Context) -> int:
    """``warroom show [INCIDENT]``: state, roles and clocks."""
    from warroom.cli_output import show_json, show_text
    from warroom.cli_stream import safe_json

    with ctx.store(create=False, read_only=True) as store:
        session = ctx.session(store, ctx.args.incident)
        if ctx.args.json:
            print(safe_json(show_json(session)), file=ctx.out)
        else:
            print(show_text(session), file=ctx.out)
    return 0


def cmd_export(ctx: Context) -> int:
    """``warroom export [INCIDENT]``: the post-mortem draft or the JSON export."""
    from warroom.cli_files import render_export, write_output

    args = ctx.args
    as_of = ctx.parse_at(args.as_of, option="--as-of") if args.as_of else None
    with ctx.store(create=False, read_only=True) as store:
        session = ctx.session(store, args.incident)
        text = render_export(session, args.format, as_of=as_of)
    written = write_output(text, args.output, force=args.force, out=ctx.out)
    if written:
        print(written, file=ctx.out)
    return 0


def cmd_import(ctx: Context) -> int:
    """``warroom import FILE.json``: read an export back; prints the new slug."""
    from warroom.cli_files import import_document, read_import

    document = read_import(Path(ctx.args.file), now=ctx.time.now())  # a bad file creates nothing
    with ctx.store(create=True) as store:
        record = import_document(store, document)
    print(record.slug, file=ctx.out)
    return 0


def cmd_demo(ctx: Context) -> int:
    """``warroom demo``: a fresh live copy of the demo incident, in the console.

    With the default policy and a database the demo can go into as it is (a new
    file, or a healthy warroom database), the console draws the demo's war room
    first and imports the incident in its worker; otherwise (and for ``--print``)
    the demo is built first, so any problem is one line before the console starts.
    """
    import tempfile

    keep = ctx.opt("db")
    if keep:
        from warroom.demo import refuse_real_database

        populated = refuse_real_database(ctx.db_target, force=ctx.args.force)
        if populated or ctx.is_postgres:
            return _build_demo(ctx, ctx.db_target, keep=True, mark=populated)
    with tempfile.TemporaryDirectory(prefix="warroom-demo-") as tmp:
        path = Path(keep).expanduser() if keep else Path(tmp) / "demo.db"
        if not ctx.args.print_only and not _custom_policy(ctx):
            _console_module()  # not in this build: one line, before anything is built
            from warroom.demo import plan_demo

            plan = plan_demo(path, now=ctx.time.now())
            if plan is not None:
                return _run_app(ctx, db=path, demo=plan)
        return _build_demo(ctx, path, keep=keep is not None)


def _build_demo(ctx: Context, path: Path | str, *, keep: bool, mark: bool = False) -> int:
    """``warroom demo`` the ordinary way: build the demo into ``path``, then print or open it."""
    from warroom.cli_output import show_text
    from warroom.demo import build_demo
    from warroom.store import Store

    ctx.policy()  # a bad policy is an error before anything is built
    with Store.open(path, clock=ctx.time, create=True) as store:
        record = build_demo(store, now=ctx.time.now(), mark=mark)
        if ctx.args.print_only:
            print(show_text(ctx.session(store, record)), file=ctx.out)
            if keep:
                print(f"demo database: {path} (incident {record.slug})", file=ctx.out)
            return 0
    return _run_console(ctx, path, incident=record.slug)


def cmd_console(ctx: Context) -> int:
    """``warroom``: open the console on the configured database.

    With the default policy and a database the store will open as it is, the
    incident list is drawn before the store and the models load (its worker opens
    the store and reads the incidents); anything else (no database yet, a file the
    store would refuse, a custom policy) goes through the store first, so a problem
    is one line and a non-zero exit.
    """
    target = ctx.db_target
    if not _custom_policy(ctx) and not isinstance(target, str):
        _console_module()  # not in this build: one line, before the database is touched
        from warroom.tui.record_peek import database_ready

        if database_ready(target):
            return _run_app(ctx, db=target)
    return _run_console(ctx, target, incident=None, create_parents=ctx.db_is_default)


def _custom_policy(ctx: Context) -> bool:
    """Whether a policy other than the defaults is asked for (``--policy`` or the config).

    The fast start-up paths leave those to the ordinary path, which checks the
    policy (one line for a bad one) before the console starts.
    """
    return bool(ctx.opt("policy") or ctx.config.policy_file or ctx.config.policy)


def cmd_open(ctx: Context) -> int:
    """``warroom open [INCIDENT]``: the console straight on one incident's war room.

    With the default policy and an incident the database holds, the war room is drawn
    before the store and the models load (they load in its worker); anything else
    goes through the store first, so a problem is one line and a non-zero exit.
    """
    incident = ctx.args.incident
    if incident is not None and not _custom_policy(ctx) and not ctx.is_postgres:
        _console_module()  # not in this build: one line, before the database is touched
        from warroom.tui.record_peek import peek_incident

        if peek_incident(ctx.db_path, incident) is not None:
            return _run_app(ctx, db=ctx.db_path, incident_ref=incident)
    from warroom.service import open_incident

    _console_module()  # not in this build: one line, before the database is touched
    policy = ctx.policy()
    from warroom.store.files import cannot_write

    # No database, no such incident: one line. One the user cannot write: shown read-only.
    with ctx.store(create=False, read_only=cannot_write(ctx.db_target)) as store:
        record = open_incident(store, incident)
        return _run_app(ctx, store=store, policy=policy, incident_ref=record.slug)


def _console_module() -> Any:
    """``warroom.tui.app``, or a one-line error when the console is not in this build."""
    try:
        from warroom.tui import app
    except ImportError as error:
        if error.name and not error.name.startswith("warroom.tui"):
            raise
        raise CommandError(
            "the console is not available in this build; "
            "try 'warroom demo --print' or 'warroom show'"
        ) from None
    return app


def _run_app(ctx: Context, **source: Any) -> int:
    """Build the console on ``source`` (``store=`` or ``db=``, ``incident_ref=``,
    ``policy=``, ``demo=``) with the context's clock, config, zone and author; run it;
    its exit code. A console that could not open its database (it exits at once)
    is one line, as for any command."""
    store = source.get("store")
    author = ctx.author_for(store) if store is not None else ctx.author
    from warroom.cli_keys import unknown_binding_problem

    module = _console_module()
    problem = unknown_binding_problem(ctx.config.keybindings, ctx.config.source)
    if problem:  # a misspelt id would be ignored silently
        raise CommandError(problem)
    app = module.make_app(
        clock=ctx.time, config=ctx.config, tz=ctx.config.tz(), author=author, **source
    )
    app.run()
    error = getattr(app, "start_error", None)
    if error:
        raise CommandError(error)
    return int(getattr(app, "return_code", 0) or 0)


def _run_console(
    ctx: Context, db: Path | str, *, incident: str | None, create_parents: bool = False
) -> int:
    _console_module()  # not in this build: one line, before the database is touched
    from warroom.store.files import cannot_write, open_database

    policy = ctx.policy()
    store = open_database(db, clock=ctx.time, create=True, create_parents=create_parents,
                          adopt_empty=False, read_only=cannot_write(db))  # shown, not written
    ctx._refuse_author_option(store)
    if isinstance(db, str):
        _outbox_cli().flush_on_connect(ctx, store)
    try:
        return _run_app(ctx, store=store, policy=policy, incident_ref=incident)
    finally:
        store.close()


COMMANDS: dict[str | None, Callable[[Context], int]] = {
    None: cmd_console,
    "demo": cmd_demo,
    "open": cmd_open,
    "new": cmd_new,
    "log": cmd_log,
    "list": cmd_list,
    "show": cmd_show,
    "export": cmd_export,
    "import": cmd_import,
    "db": lambda ctx: _db_command(ctx),
    "alerts": lambda ctx: _alerts_cli().run(ctx),
}


def _db_command(ctx: Context) -> int:
    from warroom.cli_db import cmd_db

    return cmd_db(ctx)


def _alerts_cli() -> Any:
    from warroom.alerts import cli

    return cli


def _outbox_cli() -> Any:
    from warroom.outbox import cli

    return cli


# ---------------------------------------------------------------------- main
def _exit_code_for_entry_error(error: BaseException) -> int | None:
    """2 for an entry that does not parse, 1 for one that parses but cannot apply."""
    service = sys.modules.get("warroom.service")
    if service is not None and isinstance(error, service.EntryError):
        return 1
    parser = sys.modules.get("warroom.domain.parser")
    if parser is not None and isinstance(error, parser.ParseError):
        return 2
    return None


def _one_line(message: object) -> str:
    text = " ".join(str(message).split())
    try:
        from warroom.domain.sanitize import one_line

        text = one_line(text)
    except ImportError:  # pragma: no cover
        pass
    return text or "unexpected error"


def _describe(error: BaseException) -> str:
    """One line for an exception a user can cause."""
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        from warroom.domain.validation import first_problem

        problem = first_problem(error)
        where = f" for {problem.where}" if problem.where else ""
        return f"invalid value{where}: {problem.what}"
    if isinstance(error, OSError):
        name = error.filename
        reason = error.strerror or str(error)
        return f"{name}: {reason}" if name else reason
    return str(error)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None, time: TimeSource | None = None) -> int:
    """Run ``warroom`` with ``argv``; returns the exit code (never raises, bar SystemExit(0)).

    ``time`` injects the clock (tests); by default the system clock.
    """
    from warroom.cli_stream import SafeOutput

    out = cast(TextIO, SafeOutput(out if out is not None else sys.stdout))  # one sanitiser
    err = err if err is not None else sys.stderr

    def fail(message: object, code: int) -> int:
        print(f"{PROG}: error: {_one_line(message)}", file=err)
        return code

    try:
        try:
            raw = sys.argv[1:] if argv is None else argv
            args = build_parser().parse_args(_glue_time_options(raw))
        except SystemExit as done:  # --help / --version
            return int(done.code or 0)
        if time is None:
            from warroom.domain.timesource import SystemTime

            time = SystemTime()
        ctx = Context(args=args, out=out, time=time, err=err)
        return (getattr(args, "run", None) or COMMANDS[args.command])(ctx)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: silence the flush at exit too.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except UsageError as error:
        return fail(error, 2)
    except Exception as error:
        code = _exit_code_for_entry_error(error)
        if code is not None:
            return fail(error, code)
        if _is_user_error(error):
            return fail(_describe(error), 1)
        if os.environ.get("WARROOM_DEBUG"):  # developers: the full traceback
            raise
        return fail(f"internal error ({type(error).__name__}): {error}", 1)


def _is_user_error(error: BaseException) -> bool:
    """Errors a user can cause, reported as one line; anything else is a bug."""
    from pydantic import ValidationError

    kinds: list[type[BaseException]] = [CommandError, OSError, ValidationError, ValueError]
    store = sys.modules.get("warroom.store")
    if store is not None:  # StoreError and its subclasses (not a ValueError)
        kinds.append(store.StoreError)
    return isinstance(error, tuple(kinds))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
