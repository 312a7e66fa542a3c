"""``warroom``'s entry point: parse the arguments, run the command, one error line, exit code.

The commands live in one module per group: :mod:`~warroom.cli.console` (the
console, ``open``, ``demo``), :mod:`~warroom.cli.incidents` (``new``, ``log``,
``list``, ``show``), :mod:`~warroom.cli.files` (``export``, ``import``),
:mod:`~warroom.cli.db` and :mod:`~warroom.cli.policy`; ``report``, ``alerts`` and
``sync`` come from their own packages.

Every sub-command takes ``--db PATH`` (else ``$WARROOM_DB``, else the config file's
``db``, else the platform's user data folder), ``--policy FILE`` and ``--author NAME``.
Errors are one line on stderr (``warroom: error: …``): exit 2 for a malformed
invocation (bad option, time or entry syntax), 1 for anything else, 130 on Ctrl-C.
Heavy modules (Textual, the exporters) are imported only by the commands that need
them, so scripted ``warroom log`` calls start fast. ``WARROOM_DEBUG=1`` shows the
traceback of an unexpected error instead of its one-line summary.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO, cast

from warroom.cli.context import Context
from warroom.cli.errors import PROG, CommandError, UsageError, WarroomError
from warroom.cli.parser import build_parser, glue_time_options

if TYPE_CHECKING:
    from warroom.domain.timesource import TimeSource

__all__ = [
    "COMMANDS", "PROG", "CommandError", "Context", "UsageError", "WarroomError", "build_parser",
    "main",
]


# ------------------------------------------------------------------ commands
def _lazy(module: str, name: str) -> Callable[[Context], int]:
    """The command ``name`` of ``module``, imported only when it runs."""

    def run(ctx: Context) -> int:
        command: Callable[[Context], int] = getattr(importlib.import_module(module), name)
        return command(ctx)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Run :func:`{module}.{name}`."
    return run


#: Each command (``None``: the console) and the function that runs it; the modules of
#: the commands are imported only when one of theirs runs. (Commands registered by
#: other packages' parsers, e.g. ``report`` or ``sync``, set ``run`` on their arguments.)
COMMANDS: dict[str | None, Callable[[Context], int]] = {
    None: _lazy("warroom.cli.console", "cmd_console"),
    "demo": _lazy("warroom.cli.console", "cmd_demo"),
    "open": _lazy("warroom.cli.console", "cmd_open"),
    "new": _lazy("warroom.cli.incidents", "cmd_new"),
    "log": _lazy("warroom.cli.incidents", "cmd_log"),
    "list": _lazy("warroom.cli.incidents", "cmd_list"),
    "show": _lazy("warroom.cli.incidents", "cmd_show"),
    "export": _lazy("warroom.cli.files", "cmd_export"),
    "import": _lazy("warroom.cli.files", "cmd_import"),
    "db": _lazy("warroom.cli.db", "cmd_db"),
    "alerts": _lazy("warroom.alerts.cli", "run"),
}


# ---------------------------------------------------------------------- main
def _one_line(message: object) -> str:
    text = " ".join(str(message).split())
    try:
        from warroom.domain.sanitize import one_line

        text = one_line(text)
    except ImportError:  # pragma: no cover
        pass
    return text or "unexpected error"


def _outside_problem(error: Exception) -> str | None:
    """One line for an error from outside warroom that a user can cause, else ``None``.

    Two kinds: an :class:`OSError` (the system refused a file, a socket…) and a
    pydantic ``ValidationError`` (a model refused a value). warroom's own errors
    derive from :class:`WarroomError` and never reach this; anything else is a bug.
    """
    if isinstance(error, OSError):
        name = error.filename
        reason = error.strerror or str(error)
        return f"{name}: {reason}" if name else reason
    if not isinstance(error, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return None
    from warroom.domain.validation import first_problem

    problem = first_problem(error)
    where = f" for {problem.where}" if problem.where else ""
    return f"invalid value{where}: {problem.what}"


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
            raw = glue_time_options(sys.argv[1:] if argv is None else argv)
            args = build_parser(raw).parse_args(raw)
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
    except WarroomError as error:  # ours: the error says which exit code it means
        return fail(error, error.exit_code)
    except Exception as error:
        problem = _outside_problem(error)  # a file the system refused, a model's validation
        if problem is not None:
            return fail(problem, 1)
        if os.environ.get("WARROOM_DEBUG"):  # developers: the full traceback
            raise
        return fail(f"internal error ({type(error).__name__}): {error}", 1)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
