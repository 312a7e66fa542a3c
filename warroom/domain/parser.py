"""The scribe command language: one line of input → one :class:`NewEvent`.

One pure parser used by the console and the CLI alike::

    [@TIME] [!] text            a note (``!`` marks it a key event)
    [@TIME] [!] /command args   a typed event (see :data:`COMMANDS`)
    //text                      a note whose text starts with ``/``

``@TIME`` back-dates the entry (:func:`~warroom.domain.timeparse.parse_time`:
``@14:02``, ``@2026-11-27T14:02Z``, ``@-5m``). Text is sanitised with
:func:`~warroom.domain.sanitize.clean_text` before it reaches the event. Every
problem is a :class:`ParseError` whose message names it; nothing else escapes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from pydantic import ValidationError

from warroom.domain.events import (
    AcknowledgedData,
    ActionItemData,
    CauseData,
    CheckpointData,
    CommandData,
    CorrectionData,
    DecisionData,
    DetectedData,
    DetectionSource,
    EscalationData,
    EventData,
    ImpactStartedData,
    KeyMarkData,
    KeyUnmarkData,
    NewEvent,
    NoteData,
    Phase,
    PhaseChangedData,
    PostmortemOwnerData,
    Priority,
    Role,
    RoleAssignedData,
    RoleReleasedData,
    RunbookData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.sanitize import clean_text
from warroom.domain.timeparse import TimeParseError, parse_time, resolve_tz

__all__ = [
    "COMMANDS",
    "MAX_ENTRY_CHARS",
    "PHASE_COMMANDS",
    "ROLE_COMMANDS",
    "CommandSpec",
    "ParseError",
    "is_bare_checkpoint",
    "parse_entry",
]

#: The longest entry accepted, in characters (a 1 MB paste is refused, not cut).
MAX_ENTRY_CHARS = 100_000
#: The longest person name accepted.
MAX_NAME_CHARS = 64

_NAME = re.compile(r"@?([\w.\-]{1,64})")
_ID = re.compile(r"#?(\d{1,12})", re.ASCII)
_SEVERITY = re.compile(r"(?:sev)?([1-4])", re.ASCII | re.IGNORECASE)
_SEV_SHORTCUT = re.compile(r"sev([1-4])", re.ASCII)
_LEVEL = re.compile(r"l([0-9]+)", re.ASCII | re.IGNORECASE)
_PRIORITY = re.compile(r"p([0-9]+)", re.ASCII | re.IGNORECASE)
_DONE = re.compile(r"(?:^|\s)done:", re.IGNORECASE)
_RELATIVE_DAYS = re.compile(r"\+(\d{1,4})d", re.ASCII | re.IGNORECASE)
_BARE_CHECKPOINT = re.compile(r"\s*(?:@\S+\s+)?(?:!\s*)?(?:@\S+\s+)?/checkpoint\s*", re.IGNORECASE)


class ParseError(ValueError):
    """An entry that cannot be logged; the message names the problem (one line)."""


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command of the language, for completion and help screens."""

    name: str
    usage: str
    help: str
    takes_name: bool = False


#: Role commands and the role each one assigns.
ROLE_COMMANDS: dict[str, Role] = {
    "ic": Role.IC,
    "comms": Role.COMMS,
    "tech": Role.TECH,
    "scribe": Role.SCRIBE,
}

#: Phase-change commands and the phase each one moves to.
PHASE_COMMANDS: dict[str, Phase] = {
    "triaged": Phase.TRIAGED,
    "responding": Phase.RESPONDING,
    "mitigated": Phase.MITIGATED,
    "resolved": Phase.RESOLVED,
    "postmortem": Phase.POSTMORTEM,
    "closed": Phase.CLOSED,
}

_SPECS: tuple[CommandSpec, ...] = (
    CommandSpec("sev", "/sev N [reason]", "Set or change the severity (1-4 or sev1-sev4)."),
    CommandSpec("ic", "/ic NAME [note]", "Assign the Incident Commander.", True),
    CommandSpec("comms", "/comms NAME [note]", "Assign the Communications Lead.", True),
    CommandSpec("tech", "/tech NAME [note]", "Assign the Technical Lead.", True),
    CommandSpec("scribe", "/scribe NAME [note]", "Assign the Scribe.", True),
    CommandSpec("release", "/release ROLE [note]", "Leave a role empty (ic, comms, tech, scribe)."),
    CommandSpec("started", "/started [text]", "Customer impact started (back-date with @TIME)."),
    CommandSpec("impact", "/impact [text]", "Same as /started."),
    CommandSpec(
        "detected",
        "/detected [alert|customer|other] [text]",
        "The first signal: an alert, a customer report or other.",
    ),
    CommandSpec("ack", "/ack [text]", "The page was acknowledged."),
    CommandSpec("triaged", "/triaged [text]", "Phase: triaged."),
    CommandSpec("responding", "/responding [text]", "Phase: responding."),
    CommandSpec("mitigated", "/mitigated [text]", "Phase: mitigated (customer impact stopped)."),
    CommandSpec("resolved", "/resolved [text]", "Phase: resolved (fix confirmed)."),
    CommandSpec("postmortem", "/postmortem [text]", "Phase: post-mortem."),
    CommandSpec("closed", "/closed [text]", "Phase: closed."),
    CommandSpec("phase", "/phase PHASE [text]", "Move to any phase: " + ", ".join(Phase) + "."),
    CommandSpec("reopen", "/reopen [text]", "Re-open: back to responding."),
    CommandSpec("decision", "/decision TEXT", "Log a decision."),
    CommandSpec("cmd", "/cmd TEXT", "Announce a command about to run against production."),
    CommandSpec(
        "status",
        "/status PHASE TEXT",
        "Post a status update (" + "|".join(StatusPhase) + ").",
    ),
    CommandSpec(
        "checkpoint",
        "/checkpoint [KNOW | NEXT | ESCALATE | STATUS PAGE]",
        "IC checkpoint: the four answers, separated by |.",
    ),
    CommandSpec(
        "action",
        "/action [@OWNER] TEXT [due YYYY-MM-DD|+Nd] [P0|P1|P2] [done: DEFINITION]",
        "Add a post-incident action item.",
    ),
    CommandSpec("escalate", "/escalate [L0-L4] [reason]", "Escalate (one level up by default)."),
    CommandSpec("fix", "/fix ID TEXT", "Correct the text of entry ID."),
    CommandSpec("mark", "/mark ID [text]", "Mark entry ID as a key event."),
    CommandSpec("unmark", "/unmark ID [text]", "Take back the key mark of entry ID."),
    CommandSpec("pm", "/pm NAME [note]", "Name the post-mortem owner.", True),
    CommandSpec("note", "/note TEXT", "Log a note (text may start with / or @)."),
    CommandSpec(
        "cause",
        "/cause #TAG [text] | /cause TEXT",
        "Tag the cause (SEV3s sharing a tag recur and need a post-mortem).",
    ),
    CommandSpec(
        "runbook", "/runbook PATH_OR_URL [note]", "Link the runbook the response followed."
    ),
)

#: Every command name (aliases included) → its spec.
COMMANDS: dict[str, CommandSpec] = {spec.name: spec for spec in _SPECS}


@dataclass(frozen=True, slots=True)
class _Ctx:
    """What a command handler needs besides its arguments."""

    name: str
    args: str
    now: datetime
    tz: tzinfo

    def fail(self, problem: str) -> ParseError:
        """An error naming the problem and showing the command's usage."""
        return ParseError(f"/{self.name}: {problem} — usage: {COMMANDS[self.name].usage}")


_Result = tuple[EventData, str]


def _split_first(args: str) -> tuple[str, str]:
    parts = args.split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _name(ctx: _Ctx, token: str, what: str = "NAME") -> str:
    if not token:
        raise ctx.fail(f"missing {what}")
    match = _NAME.fullmatch(token)
    if match is None:
        raise ctx.fail(
            f"{token[:80]!r} is not a valid {what} "
            f"(1-{MAX_NAME_CHARS} letters, digits, '.', '_' or '-')"
        )
    return match.group(1)


def _required_text(ctx: _Ctx, what: str = "TEXT") -> str:
    if not ctx.args:
        raise ctx.fail(f"missing {what}")
    return ctx.args


def _event_id(ctx: _Ctx, token: str) -> int:
    if not token:
        raise ctx.fail("missing ID")
    match = _ID.fullmatch(token)
    if match is None or int(match.group(1)) < 1:
        raise ctx.fail(f"{token[:80]!r} is not an entry ID (a positive number such as 12 or #12)")
    return int(match.group(1))


def _sev(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    if not token:
        raise ctx.fail("missing N")
    match = _SEVERITY.fullmatch(token)
    if match is None:
        raise ctx.fail(f"severity {token[:80]!r} is not 1, 2, 3 or 4")
    return SeveritySetData(severity=Severity(int(match.group(1)))), rest


def _role(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    return RoleAssignedData(role=ROLE_COMMANDS[ctx.name], person=_name(ctx, token)), rest


def _release(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    if not token:
        raise ctx.fail("missing ROLE")
    role = ROLE_COMMANDS.get(token.lower().lstrip("/"))
    if role is None:
        raise ctx.fail(f"{token[:80]!r} is not a role (ic, comms, tech, scribe)")
    return RoleReleasedData(role=role), rest


def _started(ctx: _Ctx) -> _Result:
    return ImpactStartedData(), ctx.args


def _detected(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    try:
        source = DetectionSource(token.lower())
    except ValueError:
        return DetectedData(), ctx.args
    return DetectedData(source=source), rest


def _ack(ctx: _Ctx) -> _Result:
    return AcknowledgedData(), ctx.args


def _phase_shortcut(ctx: _Ctx) -> _Result:
    return PhaseChangedData(phase=PHASE_COMMANDS[ctx.name]), ctx.args


def _phase(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    if not token:
        raise ctx.fail("missing PHASE")
    try:
        phase = Phase(token.lower())
    except ValueError:
        raise ctx.fail(f"{token[:80]!r} is not a phase ({', '.join(Phase)})") from None
    return PhaseChangedData(phase=phase), rest


def _reopen(ctx: _Ctx) -> _Result:
    return PhaseChangedData(phase=Phase.RESPONDING, reopened=True), ctx.args


def _decision(ctx: _Ctx) -> _Result:
    return DecisionData(), _required_text(ctx)


def _cmd(ctx: _Ctx) -> _Result:
    return CommandData(), _required_text(ctx)


def _note(ctx: _Ctx) -> _Result:
    return NoteData(), _required_text(ctx)


def _status(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    if not token:
        raise ctx.fail("missing PHASE")
    try:
        phase = StatusPhase(token.lower())
    except ValueError:
        raise ctx.fail(f"{token[:80]!r} is not a status phase ({', '.join(StatusPhase)})") from None
    if not rest:
        raise ctx.fail("missing TEXT (the update, posted verbatim)")
    return StatusUpdateData(phase=phase), rest


def _checkpoint(ctx: _Ctx) -> _Result:
    answers = [part.strip() for part in ctx.args.split("|", 3)] if ctx.args else []
    answers += [""] * (4 - len(answers))
    know, next_, escalate, status_page = answers
    data = CheckpointData(know=know, next=next_, escalate=escalate, status_page=status_page)
    return data, ctx.args


def _due(ctx: _Ctx, token: str) -> date | None:
    """Read an action's due date, or ``None`` if ``token`` is not meant as one."""
    today = ctx.now.astimezone(ctx.tz).date()
    lowered = token.lower()
    if lowered == "today":
        return today
    if lowered == "tomorrow":
        return today + timedelta(days=1)
    relative = _RELATIVE_DAYS.fullmatch(token)
    if relative is not None:
        return today + timedelta(days=int(relative.group(1)))
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", token, re.ASCII):
        try:
            return date.fromisoformat(token)
        except ValueError:
            pass
        try:
            year, month, day = (int(p) for p in token.split("-"))
            return date(year, month, day)
        except ValueError:
            raise ctx.fail(f"due date {token!r} is not a real date") from None
    if token[:1].isdigit() or token[:1] == "+":
        raise ctx.fail(f"due date {token[:80]!r} is not YYYY-MM-DD or +Nd")
    return None


def _peel(s: str) -> tuple[str, str]:
    """Split off the last whitespace-separated word: ``("a b", "c")`` from ``"a b c"``."""
    parts = s.rstrip().rsplit(maxsplit=1)
    if len(parts) < 2:
        return "", parts[0] if parts else ""
    return parts[0].rstrip(), parts[1]


def _action(ctx: _Ctx) -> _Result:
    args = ctx.args
    done_when: str | None = None
    done = _DONE.search(args)
    if done is not None:
        done_when = args[done.end() :].strip()
        args = args[: done.start()].strip()
        if not done_when:
            raise ctx.fail("'done:' needs a DEFINITION of done")
    owner: str | None = None
    if args.startswith("@"):
        token, args = _split_first(args)
        owner = _name(ctx, token, "OWNER")
    due: date | None = None
    priority: Priority | None = None
    rest = args.strip()
    while rest:  # peel "due DATE" and "P0|P1|P2" off the end, in either order
        head, last = _peel(rest)
        before_due, word = _peel(head)
        if priority is None and (match := _PRIORITY.fullmatch(last)) is not None:
            if match.group(1) not in {"0", "1", "2"}:
                raise ctx.fail(f"priority {last[:80]!r} is not P0, P1 or P2")
            priority = Priority(f"P{match.group(1)}")
            rest = head
        elif due is None and word.lower() == "due" and (parsed := _due(ctx, last)) is not None:
            due = parsed
            rest = before_due
        else:
            break
    text = rest
    if not text:
        raise ctx.fail("missing TEXT (what is to be done)")
    data = ActionItemData(owner=owner, due=due, priority=priority, done_when=done_when)
    return data, text


def _escalate(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    match = _LEVEL.fullmatch(token)
    if match is None:
        return EscalationData(), ctx.args
    level = int(match.group(1))
    if level > 4:
        raise ctx.fail(f"level {token!r} is not L0 to L4")
    return EscalationData(level=level), rest


def _fix(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    target = _event_id(ctx, token)
    if not rest:
        raise ctx.fail("missing TEXT (the corrected text)")
    return CorrectionData(target=target), rest


def _mark(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    return KeyMarkData(target=_event_id(ctx, token)), rest


def _unmark(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    return KeyUnmarkData(target=_event_id(ctx, token)), rest


def _pm(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    return PostmortemOwnerData(person=_name(ctx, token)), rest


def _cause(ctx: _Ctx) -> _Result:
    token, rest = _split_first(_required_text(ctx, "TAG or TEXT"))
    if token.startswith("#"):
        tag = token[1:]
        if not tag:
            raise ctx.fail("'#' needs a TAG")
        return CauseData(tag=tag.casefold()[:200]), rest
    return CauseData(tag=" ".join(ctx.args.split()).casefold()[:200]), ctx.args


def _runbook(ctx: _Ctx) -> _Result:
    token, rest = _split_first(ctx.args)
    if not token:
        raise ctx.fail("missing PATH_OR_URL")
    if len(token) > 2000:
        raise ctx.fail("PATH_OR_URL is longer than 2000 characters")
    return RunbookData(ref=token), rest


_HANDLERS: dict[str, Callable[[_Ctx], _Result]] = {
    "sev": _sev,
    **dict.fromkeys(ROLE_COMMANDS, _role),
    "release": _release,
    "started": _started,
    "impact": _started,
    "detected": _detected,
    "ack": _ack,
    **dict.fromkeys(PHASE_COMMANDS, _phase_shortcut),
    "phase": _phase,
    "reopen": _reopen,
    "decision": _decision,
    "cmd": _cmd,
    "status": _status,
    "checkpoint": _checkpoint,
    "action": _action,
    "escalate": _escalate,
    "fix": _fix,
    "mark": _mark,
    "unmark": _unmark,
    "pm": _pm,
    "note": _note,
    "cause": _cause,
    "runbook": _runbook,
}


def _unknown(name: str) -> ParseError:
    shown = name[:40]
    close = difflib.get_close_matches(name.lower(), COMMANDS, n=1, cutoff=0.5)
    hint = f"did you mean /{close[0]}? " if close else ""
    return ParseError(
        f"unknown command /{shown} — {hint}try /help (use // or /note to log text starting with /)"
    )


def _command(body: str, now: datetime, tz: tzinfo) -> _Result:
    head, args = _split_first(body[1:])
    if not head or body[1:2].isspace():
        raise ParseError("empty command after '/' — try /help (use // to log text starting with /)")
    name = head.lower()
    shortcut = _SEV_SHORTCUT.fullmatch(name)
    if shortcut is not None:  # "/sev1 reason" is "/sev 1 reason"
        name, args = "sev", f"{shortcut.group(1)} {args}".strip()
    handler = _HANDLERS.get(name)
    if handler is None:
        raise _unknown(head)
    return handler(_Ctx(name=name, args=args, now=now, tz=tz))


def _split_prefixes(line: str, now: datetime, tz: tzinfo) -> tuple[datetime | None, bool, str]:
    """Strip the ``@TIME`` and ``!`` prefixes (either order, each at most once)."""
    occurred: datetime | None = None
    key = False
    body = line
    while True:
        if occurred is None and body.startswith("@"):
            token, rest = _split_first(body)
            try:
                occurred = parse_time(token[1:], now, tz)
            except TimeParseError as exc:
                looks_like_time = token[1:2].isdigit() or token[1:2] in {"+", "-"}
                hint = "" if looks_like_time else " (to log text starting with @, use /note)"
                raise ParseError(f"{exc}{hint}") from None
            if not rest:
                raise ParseError(f"nothing to log after {token[:80]}")
            body = rest
        elif not key and body.startswith("!"):
            key = True
            body = body[1:].lstrip()
            if not body:
                raise ParseError("nothing to log after '!'")
        else:
            return occurred, key, body


def _clean_author(author: str) -> str:
    cleaned = " ".join(clean_text(author).split())
    if not cleaned:
        raise ParseError("the author is empty")
    if len(cleaned) > 200:
        raise ParseError("the author is longer than 200 characters")
    return cleaned


def parse_entry(line: str, *, now: datetime, tz: tzinfo | str, author: str) -> NewEvent:
    """Parse one line of the scribe command language into a :class:`NewEvent`.

    ``now`` (aware) is the default event time and the reference for ``@TIME``;
    ``tz`` is the scribe's zone for ``@HH:MM`` and relative due dates;
    ``author`` is who logs it. Raises :class:`ParseError` (and nothing else)
    for an empty line, an over-long one, an unknown command or a malformed
    argument; the message names the problem and shows the usage.
    """
    if not isinstance(line, str):
        raise ParseError("an entry must be text")
    if len(line) > MAX_ENTRY_CHARS:
        raise ParseError(
            f"entry too long: {len(line):,} characters (at most {MAX_ENTRY_CHARS:,}); "
            "split it or attach it elsewhere"
        )
    try:
        zone = resolve_tz(tz)
    except TimeParseError as exc:
        raise ParseError(str(exc)) from None
    who = _clean_author(author)
    body = clean_text(line).strip()
    if not body:
        raise ParseError("nothing to log")
    occurred, key, body = _split_prefixes(body, now, zone)
    if body.startswith("//"):
        data: EventData = NoteData()
        text = body[1:]
    elif body.startswith("/"):
        data, text = _command(body, now, zone)
    else:
        data, text = NoteData(), body
    try:
        return NewEvent(
            occurred_at=occurred if occurred is not None else now,
            author=who,
            text=text.strip(),
            key=key,
            data=data,
        )
    except ValidationError as exc:  # pragma: no cover - every field is checked above
        raise ParseError(f"cannot log this entry: {exc.errors()[0]['msg']}") from None


def is_bare_checkpoint(line: str) -> bool:
    """True if ``line`` is ``/checkpoint`` with no answers (the console opens a form)."""
    return _BARE_CHECKPOINT.fullmatch(clean_text(line)) is not None
