"""``warroom report``, ``warroom oncall check`` and ``warroom runbook lint|new``.

:func:`register` adds the sub-commands to the main parser; each sets ``run`` to its
handler, which takes the CLI context (``warroom.cli.context.Context``).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from warroom.cli.context import Context

__all__ = ["register"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

REPORT_HELP = """\
Pages are the firing page events written by alert ingestion; an incident with none
that was detected by an alert ('/detected alert') counts one page at its detection
time. An incident counts in the period it began (earliest of impact start, detection,
declaration); its severity is the highest it reached. Only entries at or before
--until count, so a database and --until always give the same report. Weeks start at
the policy's hand-off ([oncall] week_starts, handoff, zone); a page outside the
working days and hours ([oncall] work_days, work_start, work_end) is after hours.
"""


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``report``, ``oncall`` and ``runbook`` to the sub-parsers ``sub``."""
    p = sub.add_parser(
        "report", help="on-call health across incidents (pages, acks, runbooks, post-mortems)",
        description="On-call health across every incident of the database.",
        epilog=REPORT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--since", metavar="DATE",
                   help="first day (YYYY-MM-DD or a time; default: 4 weeks before --until); "
                   "goes back to the start of its on-call week")
    p.add_argument("--until", metavar="DATE",
                   help="end, exclusive (YYYY-MM-DD: midnight in the policy's zone; default: now)")
    p.add_argument("--service", action="append", default=[], metavar="NAME",
                   help="only incidents touching this service (repeat for several)")
    p.add_argument("--rotation", metavar="ROTATION.toml",
                   help="attribute pages to the person on call (see 'warroom oncall check')")
    p.add_argument("--format", choices=("text", "md", "json"), default="text")
    p.set_defaults(run=cmd_report)
    common(p)

    p = sub.add_parser("oncall", help="on-call rotation tools")
    _plain(p)
    oncall = p.add_subparsers(dest="oncall_command", metavar="COMMAND", required=True,
                              parser_class=type(p))
    q = oncall.add_parser("check", help="check a rotation file against the rotation rules")
    q.add_argument("rotation", metavar="ROTATION.toml")
    q.add_argument("--format", choices=("text", "json"), default="text")
    q.set_defaults(run=cmd_oncall_check)
    common(q)
    common(p)

    p = sub.add_parser("runbook", help="runbook tools")
    _plain(p)
    runbook = p.add_subparsers(dest="runbook_command", metavar="COMMAND", required=True,
                               parser_class=type(p))
    q = runbook.add_parser("lint", help="check runbooks: title, six sections, owner, date")
    q.add_argument("files", nargs="+", metavar="FILE")
    q.set_defaults(run=cmd_runbook_lint)
    common(q)
    q = runbook.add_parser("new", help="write a runbook skeleton")
    q.add_argument("title", metavar="TITLE", help="'ALERT - SERVICE Runbook'")
    q.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="file to write (default '-': standard output)")
    q.add_argument("--force", action="store_true", help="overwrite an existing file")
    q.set_defaults(run=cmd_runbook_new)
    common(q)
    common(p)


def _plain(parser: argparse.ArgumentParser) -> None:
    """A command group parses the ordinary way (an intermixed parse cannot hold
    sub-commands); its sub-commands still take options anywhere."""
    if hasattr(parser, "_intermixing"):
        parser._intermixing = True


def _instant(ctx: Context, value: str, option: str, zone: str) -> datetime:
    if _DATE.fullmatch(value):
        from datetime import date

        try:
            day = date.fromisoformat(value)
        except ValueError:
            from warroom.cli.errors import UsageError

            raise UsageError(f"{option} {value!r} is not a real date") from None
        return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return ctx.parse_at(value, option=option)


def cmd_report(ctx: Context) -> int:
    """``warroom report``: the on-call health report."""
    from warroom.cli.errors import UsageError
    from warroom.report.health import build_report

    args = ctx.args
    policy = ctx.policy()
    zone = policy.oncall.zone
    until = _instant(ctx, args.until, "--until", zone) if args.until else ctx.time.now()
    since = (_instant(ctx, args.since, "--since", zone) if args.since
             else until - timedelta(weeks=4))
    if since >= until:
        raise UsageError("--since must be before --until")
    if until - since > timedelta(days=3660):
        raise UsageError("the period is longer than 10 years")
    from warroom.report.source import load_inputs

    rotation = _rotation(Path(args.rotation), policy) if args.rotation else None
    with ctx.store(create=False) as store:
        inputs = load_inputs(store)
    report = build_report(inputs, policy, since=since, until=until, services=args.service,
                          rotation=rotation)
    if args.format == "json":
        from warroom.report.render_json import render_json

        text = render_json(report)
    elif args.format == "md":
        from warroom.report.render_md import render_markdown

        text = render_markdown(report)
    else:
        from warroom.report.render_text import render_text

        isatty = getattr(ctx.out, "isatty", None)
        text = render_text(report, color=bool(isatty and isatty()))
    ctx.out.write(text)
    return 0


def _read_small(path: Path) -> str:
    """A small UTF-8 file's text; one-line CommandError otherwise."""
    from warroom.cli.errors import CommandError

    try:
        raw = path.read_bytes()[:1_000_001]
        text = raw.decode("utf-8")
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text") from None
    if len(raw) > 1_000_000:
        raise CommandError(f"{path}: too large for a rotation file")
    return text


def _rotation(path: Path, policy: Any) -> Any:
    from warroom.cli.errors import CommandError
    from warroom.report.rotation import load_rotation

    try:
        return load_rotation(_read_small(path), policy.oncall)
    except ValueError as error:
        raise CommandError(f"{path}: {error}") from None


def cmd_oncall_check(ctx: Context) -> int:
    """``warroom oncall check ROTATION.toml``: one line per problem; exit 1 if any."""
    from warroom.domain.sanitize import one_line
    from warroom.report.rotation import check_rotation_text

    path = Path(ctx.args.rotation)
    text = _read_small(path)
    problems = check_rotation_text(text, ctx.policy().oncall)
    name = one_line(str(path))
    if ctx.args.format == "json":
        document = {"file": name, "ok": not problems,
                    "problems": [{"rule": p.rule, "message": p.message} for p in problems]}
        print(json.dumps(document, ensure_ascii=False, indent=2), file=ctx.out)
    else:
        for problem in problems:
            print(f"{name}: {problem.rule}: {problem.message}", file=ctx.out)
    return 1 if problems else 0


def cmd_runbook_lint(ctx: Context) -> int:
    """``warroom runbook lint FILE...``: ``FILE:LINE: problem`` lines; exit 1 if any."""
    from warroom.report.runbook import lint_file

    today = ctx.time.now().astimezone(ZoneInfo(ctx.policy().oncall.zone)).date()
    stale = ctx.policy().runbooks.stale_days
    found = False
    for name in ctx.args.files:
        for problem in lint_file(Path(name), today=today, stale_days=stale):
            found = True
            print(problem.format(name), file=ctx.out)
    return 1 if found else 0


def cmd_runbook_new(ctx: Context) -> int:
    """``warroom runbook new TITLE [-o FILE]``: write a skeleton that lint accepts once filled."""
    from warroom.cli.errors import UsageError
    from warroom.cli.files import write_output
    from warroom.domain.sanitize import one_line
    from warroom.report.runbook import skeleton, title_problem

    title = one_line(ctx.args.title).strip()
    problem = title_problem(title, placeholders_ok=True)
    if problem is not None:
        raise UsageError(problem)
    today = ctx.time.now().astimezone(ZoneInfo(ctx.policy().oncall.zone)).date()
    write_output(skeleton(title, today), ctx.args.output, force=ctx.args.force, out=ctx.out)
    return 0
