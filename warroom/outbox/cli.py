"""The outbox on the command line: ``warroom log`` that queues, flushing, ``warroom sync``.

- :func:`log_team` is ``warroom log`` on PostgreSQL: it sends what is queued for the
  database first, then the new entry with a client id of its own. If the server
  cannot be reached (refused, timed out, dropped mid-statement) the entry is queued
  in the outbox instead, ``queued (server unreachable): …`` is printed on stderr and
  the exit status is 0: the entry is safe and is sent later, exactly once.
- :func:`flush_on_connect` runs in every other command that connects to PostgreSQL.
- ``warroom sync`` sends and reports; ``--list`` and ``--export FILE`` show what is
  queued or refused without connecting; ``--retry-refused`` queues refused entries
  again (e.g. after ``warroom db grant``).
"""

from __future__ import annotations

import argparse
import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from warroom.domain.words import counted
from warroom.outbox.box import Outbox, OutboxError, default_outbox_path  # no models

S = TypeVar("S")

if TYPE_CHECKING:
    from warroom.cli.context import Context
    from warroom.domain.events import Event, NewEvent
    from warroom.outbox.box import Entry
    from warroom.outbox.flush import FlushReport
    from warroom.service import IncidentSession
    from warroom.store.postgres import PgStore

__all__ = ["flush_on_connect", "log_team", "open_team_store", "register", "waiting_note"]

#: Seconds ``warroom log`` waits for another process sending the same outbox.
SEND_WAIT_S = 15.0


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``sync`` to the sub-parsers ``sub``."""
    p = sub.add_parser(
        "sync", help="team mode: send entries queued while the server was unreachable",
        description="Send the entries queued in this seat's outbox for the database (each "
        "lands once, in the order typed) and report. --list and --export show queued and "
        "refused entries without connecting.",
    )
    p.add_argument("--list", dest="list_entries", action="store_true",
                   help="list queued and refused entries (no connection)")
    p.add_argument("--export", metavar="FILE",
                   help="write queued and refused entries as JSON ('-': standard output)")
    p.add_argument("--force", action="store_true", help="overwrite the --export file")
    p.add_argument("--retry-refused", action="store_true",
                   help="queue the database's refused entries again, then send")
    p.set_defaults(run=cmd_sync)
    common(p)


# ---------------------------------------------------------------------- helpers
def _open(ctx: Context, *, create: bool, required: bool) -> Outbox | None:
    """The outbox; a damaged one is one line (an error if ``required``, else a warning)."""
    from warroom.cli.errors import CommandError

    try:
        return Outbox.open(default_outbox_path(), create=create)
    except OutboxError as error:
        if required:
            raise CommandError(str(error)) from None
        print(f"warroom: warning: {error}", file=ctx.err)
        return None


def flush(store: PgStore, outbox: Outbox, **options: Any) -> FlushReport:
    """:func:`warroom.outbox.flush.flush` (imported when first used)."""
    from warroom.outbox.flush import flush as send_queued

    return send_queued(store, outbox, **options)


def _tell(ctx: Context, report: FlushReport) -> None:
    """What a flush before a command did, on stderr (nothing if nothing happened)."""
    if report.sent:
        count = len(report.sent)
        print(f"warroom: sent {counted(count, 'queued entry', 'queued entries')}", file=ctx.err)
    if report.refused:
        refused = len(report.refused)
        print(f"warroom: the server refused {counted(refused, 'queued entry', 'queued entries')}; "
              f"{'it is' if refused == 1 else 'they are'} kept ('warroom sync --list' shows why)",
              file=ctx.err)
    if report.left:
        why = "another warroom is sending them" if report.busy else "server unreachable"
        print(f"warroom: {_stay_queued(report.left)} ({why})", file=ctx.err)


def open_team_store(opening: Callable[[], S], target: str) -> S:
    """``opening()``; a server out of reach also says what waits here for it (one line)."""
    from warroom.dbtarget import redact
    from warroom.store import StoreUnavailableError

    try:
        return opening()
    except StoreUnavailableError as error:
        note = waiting_note(redact(target))
        if not note:
            raise
        raise StoreUnavailableError(f"{error}{note}") from None


def waiting_note(location: str) -> str:
    """What this seat's outbox holds for ``location``, for a command that cannot reach it:
    ``"; 2 entries typed on this seat wait …"`` (``""``: nothing, or no usable outbox)."""
    path = default_outbox_path()
    if not path.exists():
        return ""
    try:
        box = Outbox.open(path, create=False)
    except OutboxError:
        return ""
    if box is None:
        return ""
    with box:
        count = box.count_at(location)
    if not count:
        return ""
    one = count == 1
    return (f"; {counted(count, 'entry', 'entries')} typed on this seat "
            f"{'waits' if one else 'wait'} in its outbox and {'goes' if one else 'go'} out "
            "when the server answers ('warroom sync --list' shows them)")


def _stay_queued(count: int) -> str:
    """``1 entry stays queued``, ``3 entries stay queued``."""
    return f"{counted(count, 'entry', 'entries')} {'stays' if count == 1 else 'stay'} queued"


def _role_of(uri: str) -> str | None:
    """The role a libpq URI names (``user@`` or ``?user=``), else ``$PGUSER``, else ``None``."""
    import os
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    named = parse_qs(parts.query).get("user")
    if named:
        return named[0]
    if "@" in parts.netloc:
        return unquote(parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]) or None
    return os.environ.get("PGUSER") or None


def _where(entry: Entry) -> str:
    if entry.incident_ref:
        return f"incident {entry.incident_ref}"
    if entry.incident_id is not None:
        return f"incident #{entry.incident_id}"
    return "the open incident"


def flush_on_connect(ctx: Context, store: PgStore) -> None:
    """Send what is queued for ``store``'s database before a command uses it."""
    if ctx.args.command in ("log", "sync"):  # they send it themselves
        return
    path = default_outbox_path()
    if not path.exists() and not path.is_symlink():
        return
    from warroom.store import StoreError, StoreUnavailableError

    outbox = _open(ctx, create=False, required=False)
    if outbox is None:
        return
    with outbox:
        try:
            report = flush(store, outbox, time=ctx.time, tz=ctx.config.tz(),
                           author=store.server_author or ctx.author)
        except StoreUnavailableError:
            return  # the command itself says so
        except (OutboxError, StoreError) as error:  # the command goes on; they stay queued
            print(f"warroom: warning: queued entries not sent: {error}", file=ctx.err)
            return
    _tell(ctx, report)


# --------------------------------------------------------------------------- log
@dataclass
class _Attempt:
    """What is known about the entry being written, for queueing it if the server goes."""

    client_id: str
    typed: datetime
    once: str | None = None
    identity: str | None = None
    role: str | None = None
    incident_id: int | None = None
    new: NewEvent | None = None


def log_team(ctx: Context, ref: str | None, text: str, at: datetime | None,
             as_json: bool, *, once: str | None = None) -> int:
    """``warroom log`` on PostgreSQL; see the module docstring.

    ``once`` (``--once KEY``) is the entry's client id (``once:KEY``): the server
    stores one entry per key, whether it comes now or later from the outbox.
    """
    from warroom.store import StoreUnavailableError

    if once is not None:
        from warroom.service import ONCE_KEY_MAX, SessionError

        if not 1 <= len(once) <= ONCE_KEY_MAX or not once.isprintable():
            raise SessionError(f"--once: the key must be 1–{ONCE_KEY_MAX} printable characters")
    client_id = f"once:{once}" if once is not None else uuid.uuid4().hex
    attempt = _Attempt(client_id=client_id, typed=ctx.time.now(), once=once)
    try:
        with ctx.store(create=False) as store:
            return _log_online(ctx, cast("PgStore", store), attempt, ref, text, at, as_json)
    except StoreUnavailableError as error:  # no server, or gone before the outbox was open
        return _queue(ctx, attempt, ref, text, at, str(error))


def _log_online(ctx: Context, store: PgStore, attempt: _Attempt, ref: str | None, text: str,
                at: datetime | None, as_json: bool) -> int:
    from warroom.store import StoreUnavailableError

    attempt.role = store.server_author
    attempt.identity = store.database_identity()
    session = ctx.session(store, ref)  # (no such incident, a bad entry: one line, as ever)
    attempt.incident_id = session.record.id
    earlier = None if attempt.once is None else store.once_event(session.record.id, attempt.once)
    if earlier is not None:  # written before with this key: nothing new is stored
        return _print_event(ctx, session, earlier, as_json)
    new = session.parse(text, at=at)
    if attempt.once is not None:
        new = new.model_copy(update={"once": attempt.once})
    attempt.new = new
    outbox = _open(ctx, create=True, required=False)
    with contextlib.ExitStack() as stack:
        behind = 0
        if outbox is not None:
            stack.enter_context(outbox)
            # Held from sending what is queued to this entry's commit: entries land in
            # the order typed, also when several commands run at once.
            held = stack.enter_context(outbox.sending(SEND_WAIT_S))
            if held:
                report = flush(store, outbox, time=ctx.time, tz=ctx.config.tz(),
                               author=store.server_author or ctx.author, locked=True)
                report.left = 0  # said below, if they hold this entry back
                _tell(ctx, report)
            else:
                outbox.remember(store.location, attempt.identity, attempt.role, ctx.time.now())
            behind = outbox.count(attempt.identity, author=attempt.role)
        try:
            if behind:  # keep the typed order: behind the entries still queued
                return _queue(ctx, attempt, ref, text, at,
                              f"{counted(behind, 'earlier entry', 'earlier entries')} "
                              f"{'is' if behind == 1 else 'are'} still queued", outbox=outbox)
            event = store.append_many(session.record.id, [new],
                                      client_keys=[attempt.client_id])[0]
        except StoreUnavailableError as error:
            # Queued with the same client id: if the append did land (its answer was
            # lost), the server recognises the id when it is sent again.
            return _queue(ctx, attempt, ref, text, at, str(error), outbox=outbox)
    with contextlib.suppress(StoreUnavailableError):
        session.refresh()
    return _print_event(ctx, session, event, as_json)


def _print_event(ctx: Context, session: IncidentSession, event: Event, as_json: bool) -> int:
    """Print a stored entry as ``warroom log`` does; exit status 0."""
    from warroom.cli.stream import print_committed, safe_json

    if as_json:
        line = safe_json(event.model_dump(mode="json"), indent=None)
    else:
        from warroom.cli.fit import terminal_width
        from warroom.cli.lines import event_line

        line = event_line(session, event, terminal_width(ctx.out))
    print_committed(line, ctx.out)  # stored: exit 0 even if printing fails
    return 0


def _queue(ctx: Context, attempt: _Attempt, ref: str | None, text: str, at: datetime | None,
           why: str, outbox: Outbox | None = None) -> int:
    """Put the entry in the outbox (fsync'd), say so on stderr; exit status 0."""
    from warroom.cli.errors import CommandError, UsageError
    from warroom.dbtarget import redact
    from warroom.domain.sanitize import one_line

    location = redact(str(ctx.db_target))
    own = outbox is None
    if outbox is None:
        try:
            outbox = Outbox.open(default_outbox_path(), create=True)
        except OutboxError as error:
            raise CommandError(f"cannot reach the server and cannot queue the entry: {error}; "
                               "nothing was stored") from None
        assert outbox is not None
    try:
        known = outbox.identity_of(location)
        if attempt.identity is None and known is not None:
            attempt.identity, attempt.role = known[0], attempt.role or known[1]
        if ctx.opt("author") is not None:
            raise UsageError("--author is not used with PostgreSQL: the server records the "
                             "database role you connect as as the author of every entry")
        author = attempt.role or _role_of(str(ctx.db_target)) or ctx.author
        new = attempt.new
        if new is None:  # the server was gone before the entry could be checked there
            from warroom.domain.parser import parse_entry

            entry_now = at if at is not None else attempt.typed
            new = parse_entry(text, now=entry_now, tz=ctx.config.tz(), author=author)
        already = outbox.entry_by_client_id(attempt.client_id)
        if already is not None:  # --once KEY queued before: one entry per key
            print(one_line(f"already queued with --once {attempt.once}: {already.line}"),
                  file=ctx.err)
            return 0
        entry = outbox.add(
            location=location, database_id=attempt.identity, incident_ref=ref,
            incident_id=attempt.incident_id, line=text, event=new, author=author,
            typed_at=attempt.typed, client_id=attempt.client_id,
        )
        waiting = outbox.count(attempt.identity, author=author) if attempt.identity else None
    except OutboxError as error:
        raise CommandError(f"cannot queue the entry: {error}; nothing was stored") from None
    finally:
        if own:
            outbox.close()
    stamp = entry.typed_at.astimezone(ctx.config.tz()).strftime("%H:%M:%S")
    count = f", {waiting} queued" if waiting else ""
    unknown = "" if attempt.identity else "; this seat has not reached that server before"
    message = (f"queued (server unreachable): {text} [{_where(entry)}, typed {stamp}{count}]; "
               "'warroom sync' or any warroom command sends it once the server is back "
               f"({why}{unknown})")
    print(one_line(message), file=ctx.err)
    return 0


# -------------------------------------------------------------------------- sync
def cmd_sync(ctx: Context) -> int:
    """``warroom sync``: send the outbox's entries for the database and report."""
    from warroom.cli.errors import CommandError
    from warroom.domain.sanitize import one_line
    from warroom.store import StoreUnavailableError

    args = ctx.args
    if args.list_entries or args.export:
        return _show(ctx)
    target = ctx.db_target
    if not isinstance(target, str):
        raise CommandError(f"'warroom sync' sends entries queued for a PostgreSQL database; "
                           f"{target} is an SQLite file, which is always written directly")
    outbox = _open(ctx, create=False, required=True)
    if outbox is None:
        print("the outbox is empty: nothing was queued", file=ctx.out)
        return 0
    with outbox:
        try:
            with ctx.store(create=False) as store:
                pg: PgStore = store  # type: ignore[assignment]
                if args.retry_refused:
                    outbox.requeue_refused(pg.database_identity())
                report = flush(pg, outbox, time=ctx.time, tz=ctx.config.tz(),
                               author=pg.server_author or ctx.author)
                location = pg.location
                identity = pg.database_identity()
        except StoreUnavailableError as error:
            raise CommandError(f"{error}; {_stay_queued(outbox.count())}") from None
        refused = outbox.count(identity, state="refused")
        entries = outbox.entries()
        elsewhere = sum(1 for entry in entries if entry.database_id != identity)
        others = sum(1 for entry in entries if entry.database_id == identity
                     and entry.state == "queued" and entry.author != pg.server_author)
    for entry, event in report.sent:
        print(one_line(f"sent #{event.id} ({_where(entry)}): {entry.line}"), file=ctx.out)
    for entry, reason in report.refused:
        print(one_line(f"refused ({_where(entry)}): {entry.line} — {reason}"), file=ctx.out)
    print(f"{len(report.sent)} sent to {location}, {len(report.refused)} refused now, "
          f"{report.left} still queued, {refused} refused in all, {elsewhere} for other "
          "databases", file=ctx.out)
    if others:
        print(f"{others} typed as another database role stay queued: connect as that role to "
              "send them ('warroom sync --list' shows who)", file=ctx.out)
    if report.unreachable:
        raise CommandError(f"{report.unreachable}; {_stay_queued(report.left)}")
    if report.busy:
        raise CommandError("another warroom is sending this outbox; try again in a moment")
    return 0


def _show(ctx: Context) -> int:
    """``sync --list`` / ``--export FILE``: the outbox's entries, without connecting."""
    import json

    from warroom.cli.files import write_output
    from warroom.domain.sanitize import one_line

    args = ctx.args
    outbox = _open(ctx, create=False, required=True)
    entries = [] if outbox is None else outbox.entries()
    if outbox is not None:
        outbox.close()
    if args.export:
        document = {"outbox": str(default_outbox_path()),
                    "entries": [entry.as_json() for entry in entries]}
        write_output(json.dumps(document, ensure_ascii=False, indent=2) + "\n", args.export,
                     force=args.force, out=ctx.out)
        if args.export != "-":
            exported = counted(len(entries), "entry", "entries")
            print(f"exported {exported} to {args.export}", file=ctx.err)
    if args.list_entries:
        tz = ctx.config.tz()
        if not entries:
            print("the outbox is empty", file=ctx.out)
        for entry in entries:
            stamp = entry.typed_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
            reason = f" — {entry.reason}" if entry.reason else ""
            print(one_line(f"{entry.seq:>5} {entry.state:<8} {stamp}  {entry.location}  "
                           f"{_where(entry)}: {entry.line}{reason}"), file=ctx.out)
    return 0
