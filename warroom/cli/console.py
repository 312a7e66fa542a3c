"""The commands that open the console: ``warroom``, ``warroom open`` and ``warroom demo``.

Where it is safe (the default policy, a database that opens as it is), the console is
drawn before the store and the models load; anything else goes through the store
first, so a problem is one line and a non-zero exit before the console starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warroom.cli.context import Context, outbox_cli
from warroom.cli.errors import CommandError

__all__ = ["cmd_console", "cmd_demo", "cmd_open", "console_module"]


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
            console_module()  # not in this build: one line, before anything is built
            from warroom.demo import plan_demo

            plan = plan_demo(path, now=ctx.time.now())
            if plan is not None:
                return _run_app(ctx, db=path, demo=plan)
        return _build_demo(ctx, path, keep=keep is not None)


def _build_demo(ctx: Context, path: Path | str, *, keep: bool, mark: bool = False) -> int:
    """``warroom demo`` the ordinary way: build the demo into ``path``, then print or open it."""
    from warroom.cli.fit import terminal_width
    from warroom.cli.render import show_text
    from warroom.demo import build_demo
    from warroom.store import Store

    ctx.policy()  # a bad policy is an error before anything is built
    with Store.open(path, clock=ctx.time, create=True) as store:
        record = build_demo(store, now=ctx.time.now(), mark=mark)
        if ctx.args.print_only:
            print(show_text(ctx.session(store, record), terminal_width(ctx.out)), file=ctx.out)
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
        console_module()  # not in this build: one line, before the database is touched
        from warroom.store.peek import database_ready

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
        console_module()  # not in this build: one line, before the database is touched
        from warroom.store.peek import peek_incident

        if peek_incident(ctx.db_path, incident) is not None:
            return _run_app(ctx, db=ctx.db_path, incident_ref=incident)
    from warroom.service import open_incident

    console_module()  # not in this build: one line, before the database is touched
    policy = ctx.policy()
    from warroom.store.files import cannot_write

    # No database, no such incident: one line. One the user cannot write: shown read-only.
    with ctx.store(create=False, read_only=cannot_write(ctx.db_target)) as store:
        record = open_incident(store, incident)
        return _run_app(ctx, store=store, policy=policy, incident_ref=record.slug)


def console_module() -> Any:
    """``warroom.tui.factory`` (its ``make_app``), or a one-line error when the console is
    not in this build."""
    try:
        from warroom.tui import factory
    except ImportError as error:
        if error.name and not error.name.startswith("warroom.tui"):
            raise
        raise CommandError(
            "the console is not available in this build; "
            "try 'warroom demo --print' or 'warroom show'"
        ) from None
    return factory


def _run_app(ctx: Context, **source: Any) -> int:
    """Build the console on ``source`` (``store=`` or ``db=``, ``incident_ref=``,
    ``policy=``, ``demo=``) with the context's clock, config, zone and author; run it;
    its exit code. A console that could not open its database (it exits at once)
    is one line, as for any command."""
    store = source.get("store")
    author = ctx.author_for(store) if store is not None else ctx.author
    from warroom.cli.keys import unknown_binding_problem

    module = console_module()
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
    console_module()  # not in this build: one line, before the database is touched
    from warroom.store.files import cannot_write, open_database

    policy = ctx.policy()

    def opening() -> Any:
        return open_database(db, clock=ctx.time, create=True, create_parents=create_parents,
                             adopt_empty=False, read_only=cannot_write(db))  # shown, not written

    # PostgreSQL out of reach: the one line also says what waits in this seat's outbox.
    store = outbox_cli().open_team_store(opening, db) if isinstance(db, str) else opening()
    ctx._refuse_author_option(store)
    if isinstance(db, str):
        outbox_cli().flush_on_connect(ctx, store)
    try:
        return _run_app(ctx, store=store, policy=policy, incident_ref=incident)
    finally:
        store.close()
