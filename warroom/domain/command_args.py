"""The scribe commands' arguments: ``/command args`` → the event's data and text.

One handler per command (see :data:`~warroom.domain.commands.COMMANDS`) reads
its arguments — names, entry ids, severities, phases, due dates — and fails with
a :class:`~warroom.domain.commands.ParseError` naming the problem and showing the
command's usage. :func:`parse_command` picks the handler; the whole line (time and
key prefixes, author, length) is :func:`~warroom.domain.parser.parse_entry`'s.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from warroom.domain.commands import COMMANDS, PHASE_COMMANDS, ROLE_COMMANDS, ParseError
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
    NoteData,
    Phase,
    PhaseChangedData,
    PostmortemOwnerData,
    Priority,
    RoleAssignedData,
    RoleReleasedData,
    RunbookData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)

__all__ = ["MAX_NAME_CHARS", "parse_command", "split_first"]

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


def split_first(args: str) -> tuple[str, str]:
    """The first word of ``args`` and the rest (stripped); ``("", "")`` when empty."""
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
    token, rest = split_first(ctx.args)
    if not token:
        raise ctx.fail("missing N")
    match = _SEVERITY.fullmatch(token)
    if match is None:
        raise ctx.fail(f"severity {token[:80]!r} is not 1, 2, 3 or 4")
    return SeveritySetData(severity=Severity(int(match.group(1)))), rest


def _role(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    return RoleAssignedData(role=ROLE_COMMANDS[ctx.name], person=_name(ctx, token)), rest


def _release(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    if not token:
        raise ctx.fail("missing ROLE")
    role = ROLE_COMMANDS.get(token.lower().lstrip("/"))
    if role is None:
        raise ctx.fail(f"{token[:80]!r} is not a role (ic, comms, tech, scribe)")
    return RoleReleasedData(role=role), rest


def _started(ctx: _Ctx) -> _Result:
    return ImpactStartedData(), ctx.args


def _detection_source(word: str) -> DetectionSource | None:
    """The source ``word`` names: exactly, as a plural or as a prefix of 4+ letters."""
    for source in DetectionSource:
        if word in (source.value, source.value + "s") or (
            len(word) >= 4 and source.value.startswith(word)
        ):
            return source
    return None


def _detected(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    source = _detection_source(token.lower())
    if source is not None:
        return DetectedData(source=source), rest
    names = [s.value for s in DetectionSource]
    close = difflib.get_close_matches(token.lower(), names, n=1, cutoff=0.75)
    if close:
        # A misspelt source would be recorded as text "via alert": wrong for a
        # customer report, which the rules escalate at once.
        raise ctx.fail(
            f"{token[:80]!r} is not a source ({', '.join(names)}): did you mean {close[0]}?"
        )
    return DetectedData(), ctx.args


def _ack(ctx: _Ctx) -> _Result:
    return AcknowledgedData(), ctx.args


def _phase_shortcut(ctx: _Ctx) -> _Result:
    return PhaseChangedData(phase=PHASE_COMMANDS[ctx.name]), ctx.args


def _phase(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
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
    token, rest = split_first(ctx.args)
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
        token, args = split_first(args)
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
    token, rest = split_first(ctx.args)
    match = _LEVEL.fullmatch(token)
    if match is None:
        return EscalationData(), ctx.args
    level = int(match.group(1))
    if level > 4:
        raise ctx.fail(f"level {token!r} is not L0 to L4")
    return EscalationData(level=level), rest


def _fix(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    target = _event_id(ctx, token)
    if not rest:
        raise ctx.fail("missing TEXT (the corrected text)")
    return CorrectionData(target=target), rest


def _mark(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    return KeyMarkData(target=_event_id(ctx, token)), rest


def _unmark(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    return KeyUnmarkData(target=_event_id(ctx, token)), rest


def _pm(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
    return PostmortemOwnerData(person=_name(ctx, token)), rest


def _cause(ctx: _Ctx) -> _Result:
    token, rest = split_first(_required_text(ctx, "TAG or TEXT"))
    if token.startswith("#"):
        tag = token[1:]
        if not tag:
            raise ctx.fail("'#' needs a TAG")
        return CauseData(tag=tag.casefold()[:200]), rest
    return CauseData(tag=" ".join(ctx.args.split()).casefold()[:200]), ctx.args


def _runbook(ctx: _Ctx) -> _Result:
    token, rest = split_first(ctx.args)
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


def parse_command(body: str, now: datetime, tz: tzinfo) -> _Result:
    """Parse ``/command args`` (``body`` starts with ``/``) into its data and text.

    Raises :class:`~warroom.domain.commands.ParseError` naming the problem (an
    unknown command suggests the closest one).
    """
    head, args = split_first(body[1:])
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
