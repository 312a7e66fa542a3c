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

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from warroom.cli.console import cmd_console, cmd_demo, cmd_open
from warroom.cli.context import Context, outbox_cli
from warroom.cli.errors import PROG, CommandError, UsageError
from warroom.cli.parser import build_parser, glue_time_options

if TYPE_CHECKING:
    from warroom.domain.timesource import TimeSource

__all__ = ["COMMANDS", "PROG", "CommandError", "Context", "UsageError", "build_parser", "main"]


# ------------------------------------------------------------------ commands
def cmd_new(ctx: Context) -> int:
    """``warroom new TITLE``: declare an incident and print its slug."""
    from warroom.service import declare_incident

    args = ctx.args
    at = ctx.parse_at(args.at)
    policy = ctx.policy()  # recorded in the declaration: the incident's policy
    with ctx.store(create=True) as store:
        record = declare_incident(
            store, args.title, severity=args.sev, services=args.service, at=at,
            author=ctx.author_for(store), slug=args.slug, policy=policy,
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
        return outbox_cli().log_team(ctx, ref, text, at, args.json, once=args.once)
    from warroom.cli.stream import print_committed, safe_json

    with ctx.store(create=False) as store:
        session = ctx.session(store, ref)
        event = session.log(text, at=at, once=args.once)
        if args.json:
            line = safe_json(event.model_dump(mode="json"), indent=None)
        else:
            from warroom.cli.render import event_line

            line = event_line(session, event)
    print_committed(line, ctx.out)  # stored: exit 0 even if printing fails
    return 0


def cmd_list(ctx: Context) -> int:
    """``warroom list``: every incident, open ones first."""
    from warroom.cli.render import incident_rows, list_table
    from warroom.cli.stream import safe_json

    with ctx.store(create=False, read_only=True) as store:
        rows = incident_rows(store, ctx.policy(), ctx.time.now())
    if ctx.args.json:
        print(safe_json(rows), file=ctx.out)
    else:
        print(list_table(rows, ctx.config.tz()), file=ctx.out)
    return 0


def cmd_show(ctx: Context) -> int:
    """``warroom show [INCIDENT]``: state, roles and clocks."""
    from warroom.cli.render import show_json, show_text
    from warroom.cli.stream import safe_json

    with ctx.store(create=False, read_only=True) as store:
        session = ctx.session(store, ctx.args.incident)
        if ctx.args.json:
            print(safe_json(show_json(session)), file=ctx.out)
        else:
            print(show_text(session), file=ctx.out)
    return 0


def cmd_export(ctx: Context) -> int:
    """``warroom export [INCIDENT]``: the post-mortem draft or the JSON export."""
    from warroom.cli.files import render_export, write_output

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
    from warroom.cli.files import import_document, read_import

    document = read_import(Path(ctx.args.file), now=ctx.time.now())  # a bad file creates nothing
    with ctx.store(create=True) as store:
        record = import_document(store, document)
    print(record.slug, file=ctx.out)
    return 0


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
    from warroom.cli.db import cmd_db

    return cmd_db(ctx)


def _alerts_cli() -> Any:
    from warroom.alerts import cli

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
    from warroom.cli.stream import SafeOutput

    out = cast(TextIO, SafeOutput(out if out is not None else sys.stdout))  # one sanitiser
    err = err if err is not None else sys.stderr

    def fail(message: object, code: int) -> int:
        print(f"{PROG}: error: {_one_line(message)}", file=err)
        return code

    try:
        try:
            raw = sys.argv[1:] if argv is None else argv
            args = build_parser().parse_args(glue_time_options(raw))
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
