"""The commands about incidents and their entries: ``new``, ``log``, ``list`` and ``show``.

Each imports what it uses when it runs, so a scripted ``warroom log`` loads the
parser, the store and the printing of one line, not the exporters or the console.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warroom.cli.context import outbox_cli
from warroom.cli.errors import UsageError

if TYPE_CHECKING:
    from warroom.cli.context import Context
    from warroom.store import Store

__all__ = ["cmd_list", "cmd_log", "cmd_new", "cmd_show"]


def cmd_new(ctx: Context) -> int:
    """``warroom new TITLE``: declare an incident and print its slug."""
    from warroom.service import declare_incident

    args = ctx.args
    at = ctx.parse_at(args.at)
    policy = ctx.policy()  # recorded in the declaration: the incident's policy
    # Commas separate services, as in the console's dialog; a name may hold spaces.
    services = [part.strip() for value in args.service for part in value.split(",")]
    with ctx.store(create=True) as store:
        record = declare_incident(
            store, args.title, severity=args.sev, services=[s for s in services if s], at=at,
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
        if ref is None and len(words) == 1:
            _refuse_a_lone_incident_ref(store, text)
        session = ctx.session(store, ref)
        event = session.log(text, at=at, once=args.once)
        if args.json:
            line = safe_json(event.model_dump(mode="json"), indent=None)
        else:
            from warroom.cli.fit import terminal_width
            from warroom.cli.lines import event_line

            line = event_line(session, event, terminal_width(ctx.out))
    print_committed(line, ctx.out)  # stored: exit 0 even if printing fails
    return 0


def _refuse_a_lone_incident_ref(store: Store, text: str) -> None:
    """``warroom log SLUG`` forgot the text: refuse rather than log the slug as a note."""
    slug = text.strip()
    if any(record.slug == slug for record in store.incidents()):
        raise UsageError(
            f"{slug!r} is an incident, not an entry: give the text too "
            f"(warroom log {slug} \"TEXT\"); to log the word itself, write /note {slug}"
        )


def cmd_list(ctx: Context) -> int:
    """``warroom list``: every incident, open ones first."""
    from warroom.cli.render import incident_rows, list_table
    from warroom.cli.stream import safe_json

    now = ctx.time.now()
    with ctx.store(create=False, read_only=True) as store:
        rows = incident_rows(store, ctx.policy(), now)
    if ctx.args.json:
        print(safe_json(rows), file=ctx.out)
    else:
        from warroom.cli.fit import terminal_width

        print(list_table(rows, ctx.config.tz(), now, terminal_width(ctx.out)), file=ctx.out)
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
            from warroom.cli.fit import terminal_width

            # On a terminal a person reads it: fit it to the width.
            print(show_text(session, terminal_width(ctx.out)), file=ctx.out)
    return 0
