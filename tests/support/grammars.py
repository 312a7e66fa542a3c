"""Hypothesis strategies built from the grammars the user types, each with its answer.

Random text almost never parses, so a property fed with ``st.text()`` checks
little more than "does not crash". These strategies generate what a scribe
would type — time expressions, scribe lines with ``@TIME`` and ``!`` prefixes
and every command, Markdown block markers — together with the answer an
independent model of the grammar gives (the instant, the event data, the text),
or ``None`` when the input must be refused. A slice of each strategy is
deliberately broken (an hour of 25, an unknown command, a missing argument) so
the refusals are exercised too.

The tests count how many examples reached their assertions and fail when that
share drops (see :class:`Reach`), so a strategy that stops producing parseable
input is noticed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from hypothesis import event
from hypothesis import strategies as st

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
    Role,
    RoleAssignedData,
    RoleReleasedData,
    RunbookData,
    Severity,
    SeveritySetData,
    StatusPhase,
    StatusUpdateData,
)

#: How far after ``now`` a typed time may lie (the parser's clock-skew tolerance).
TOLERANCE = timedelta(seconds=60)


class Reach:
    """Counts the outcomes of a property's examples; checks enough reached the assertions.

    ``reach.hit("parsed")`` inside the property (also reported as a Hypothesis
    event, see ``--hypothesis-show-statistics``); after the run,
    ``reach.at_least("parsed", 0.5)`` fails if fewer than half the examples got there.
    """

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.total = 0

    def example(self) -> None:
        """Count one example (call once per example, before any early return)."""
        self.total += 1

    def hit(self, outcome: str) -> None:
        """Record that the current example reached ``outcome``."""
        self.counts[outcome] += 1
        event(outcome)

    def at_least(self, outcome: str, share: float) -> None:
        """Fail unless ``outcome`` was reached by at least ``share`` of the examples."""
        assert self.total >= 20, f"only {self.total} examples ran"
        reached = self.counts[outcome] / self.total
        assert reached >= share, (
            f"{outcome}: {self.counts[outcome]} of {self.total} examples "
            f"({reached:.0%}) < {share:.0%}; counts: {dict(self.counts)}"
        )


# --- time expressions -----------------------------------------------------------


@dataclass(frozen=True)
class TimeCase:
    """A time as typed, and the instant it means (``None``: it must be refused)."""

    text: str
    expected: datetime | None
    form: str


def _future(instant: datetime, now: datetime) -> datetime | None:
    return None if instant > now + TOLERANCE else instant


@st.composite
def _relative(draw: st.DrawFn, now: datetime, spaces: bool) -> TimeCase:
    units = draw(
        st.lists(st.sampled_from("hms"), min_size=1, max_size=3, unique=True).map(
            lambda us: sorted(us, key="hms".index)
        )
    )
    amounts = {u: draw(st.integers(0, {"h": 48, "m": 600, "s": 100_000}[u])) for u in units}
    parts = [f"{amounts[u]}{draw(st.sampled_from([u, u.upper()]))}" for u in units]
    joiner = draw(st.sampled_from([" ", ""])) if spaces else ""
    sign = draw(st.sampled_from(["-"] * 9 + ["+"]))
    text = sign + joiner.join(parts)
    delta = timedelta(
        hours=amounts.get("h", 0), minutes=amounts.get("m", 0), seconds=amounts.get("s", 0)
    )
    expected = now - delta if sign == "-" else None
    return TimeCase(text, expected, "relative")


@st.composite
def _clock(draw: st.DrawFn, now: datetime, tz: tzinfo) -> TimeCase:
    hour = draw(st.integers(0, 26))  # 24 and up: refused
    minute = draw(st.integers(0, 64))  # 60 and up: refused
    second = draw(st.none() | st.integers(0, 59))
    hh = f"{hour:02d}" if hour >= 10 or draw(st.booleans()) else str(hour)
    text = f"{hh}:{minute:02d}" + (f":{second:02d}" if second is not None else "")
    if hour > 23 or minute > 59:
        return TimeCase(text, None, "clock")
    today = now.astimezone(tz).date()
    wall = datetime.combine(today, time(hour, minute, second or 0), tzinfo=tz)
    return TimeCase(text, _future(wall.astimezone(UTC), now), "clock")


@st.composite
def _iso(draw: st.DrawFn, now: datetime, spaces: bool) -> TimeCase:
    year = draw(st.integers(now.year - 1, now.year))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))  # the 31st of November, say: refused
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    second = draw(st.none() | st.integers(0, 59))
    fraction = draw(st.none() | st.text("0123456789", min_size=1, max_size=6))
    sep = draw(st.sampled_from(["T", "t", " "] if spaces else ["T", "t"]))
    text = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}"
    micro = 0
    if second is not None:
        text += f":{second:02d}"
        if fraction is not None:
            text += draw(st.sampled_from(".,")) + fraction
            micro = int(fraction.ljust(6, "0"))
    zone = draw(st.sampled_from(["Z", "z", "+hh:mm", "-hh:mm", "+hhmm", "-hh", "none"]))
    offset = timedelta(
        hours=draw(st.integers(0, 14)),
        minutes=0 if zone.endswith("hh") else draw(st.sampled_from([0, 30, 45])),
    )
    if zone in ("Z", "z"):
        text += zone
        offset = timedelta(0)
    elif zone != "none":
        hh, mm = divmod(int(offset.total_seconds()) // 60, 60)
        shown = zone[1:].replace("hh", f"{hh:02d}").replace("mm", f"{mm:02d}")
        text += zone[0] + shown
        if zone[0] == "-":
            offset = -offset
    try:
        day_ok = date(year, month, day)
    except ValueError:
        return TimeCase(text, None, "iso")
    if zone == "none":
        return TimeCase(text, None, "iso")
    local = datetime.combine(day_ok, time(hour, minute, second or 0, micro))
    instant = local.replace(tzinfo=timezone(offset)).astimezone(UTC)
    return TimeCase(text, _future(instant, now), "iso")


def time_expressions(
    now: datetime, tz: tzinfo, *, spaces: bool = True
) -> st.SearchStrategy[TimeCase]:
    """Times as a scribe types them (``14:02``, ``-1h30m``, ``2026-11-27T14:02Z``…).

    Without ``spaces`` none contains white space (an ``@TIME`` prefix ends at one).
    """
    return st.one_of(_relative(now, spaces), _clock(now, tz), _iso(now, spaces))


# --- scribe lines ---------------------------------------------------------------

#: Words free text is made of: natural, some with markup, digits or other scripts,
#: none of which a command reads as an argument (no ``alert``, ``L2``, ``P1``, ``due``).
WORDS = (
    "checkout",
    "errors",
    "rolled",
    "back",
    "the",
    "EU",
    "API",
    "is",
    "slow",
    "503s",
    "p99>2s",
    "cache",
    "hit",
    "ratio",
    "dropped",
    "db-primary",
    "failover",
    "#42",
    "<b>bold</b>",
    "`kubectl`",
    "a|b",
    "*x*",
    "naïve",
    "漢字",
    "🔥",
    "ok.",
    "(maybe)",
    "rate=12%",
    "5",
    "v2.3.1",
)
NAMES = ("alice", "bob", "carol", "d.ave", "e_ve", "frank-o", "Zoë", "李雷")


def _words(min_size: int = 1, max_size: int = 6, exclude: str = "") -> st.SearchStrategy[str]:
    vocabulary = [w for w in WORDS if not any(ch in w for ch in exclude)]
    return st.lists(st.sampled_from(vocabulary), min_size=min_size, max_size=max_size).map(" ".join)


def _maybe(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.just("") | text


@dataclass(frozen=True)
class LineCase:
    """A scribe line and what it must log (``data is None``: it must be refused)."""

    line: str
    data: EventData | None
    text: str = ""
    occurred: datetime | None = None
    key: bool = False
    command: str = "note"
    backdated: bool = field(default=False)


def _args(*parts: str) -> str:
    return " ".join(p for p in parts if p)


#: What a command line is made of, the richer grammars more often.
_WEIGHTED = (
    *("sev", "sevN", "role", "release", "started", "detected", "ack", "phase-shortcut"),
    *("phase", "reopen", "decision", "cmd", "fix", "mark", "pm", "note"),
    *("unmark", "cause", "runbook"),
    *("status", "checkpoint", "escalate") * 2,
    *("action",) * 6,
)
_ROLE_WORD = {Role.IC: "ic", Role.COMMS: "comms", Role.TECH: "tech", Role.SCRIBE: "scribe"}
_Command = tuple[str, str, EventData | None, str]


def _case(name: str, args: str, data: EventData | None, text: str) -> _Command:
    return name, args, data, text


@st.composite
def _command(draw: st.DrawFn, today: date) -> _Command:
    """One command: (its name as typed, its arguments, the data, the text it logs)."""
    free = draw(_maybe(_words()))
    which = draw(st.sampled_from(_WEIGHTED))
    if which == "note":
        text = draw(_words())
        return _case("note", text, NoteData(), text)
    if which == "sev":
        n = draw(st.integers(1, 4))
        token = draw(st.sampled_from([str(n), f"sev{n}", f"SEV{n}"]))
        return _case("sev", _args(token, free), SeveritySetData(severity=Severity(n)), free)
    if which == "sevN":
        n = draw(st.integers(1, 4))
        return _case(f"sev{n}", free, SeveritySetData(severity=Severity(n)), free)
    if which in ("role", "pm"):
        role = draw(st.sampled_from(list(Role)))
        name = draw(st.sampled_from(NAMES))
        at = draw(st.sampled_from(["", "@"]))
        if which == "pm":
            return _case("pm", _args(at + name, free), PostmortemOwnerData(person=name), free)
        data = RoleAssignedData(role=role, person=name)
        return _case(_ROLE_WORD[role], _args(at + name, free), data, free)
    if which == "release":
        role = draw(st.sampled_from(list(Role)))
        token = draw(st.sampled_from([_ROLE_WORD[role], _ROLE_WORD[role].upper()]))
        return _case("release", _args(token, free), RoleReleasedData(role=role), free)
    if which == "started":
        return _case(draw(st.sampled_from(["started", "impact"])), free, ImpactStartedData(), free)
    if which == "detected":
        source = draw(st.none() | st.sampled_from(list(DetectionSource)))
        if source is None:
            return _case("detected", free, DetectedData(), free)
        return _case("detected", _args(source.value, free), DetectedData(source=source), free)
    if which == "ack":
        return _case("ack", free, AcknowledgedData(), free)
    if which == "phase-shortcut":
        phase = draw(st.sampled_from([p for p in Phase if p is not Phase.DETECTED]))
        return _case(phase.value, free, PhaseChangedData(phase=phase), free)
    if which == "phase":
        phase = draw(st.sampled_from(list(Phase)))
        return _case("phase", _args(phase.value, free), PhaseChangedData(phase=phase), free)
    if which == "reopen":
        return _case("reopen", free, PhaseChangedData(phase=Phase.RESPONDING, reopened=True), free)
    if which in ("decision", "cmd"):
        text = draw(_words())
        data: EventData = DecisionData() if which == "decision" else CommandData()
        return _case(which, text, data, text)
    if which == "status":
        phase = draw(st.sampled_from(list(StatusPhase)))
        text = draw(_words())
        return _case("status", _args(phase.value, text), StatusUpdateData(phase=phase), text)
    if which == "checkpoint":
        answers = draw(st.lists(_words(exclude="|"), min_size=4, max_size=4))
        args = " | ".join(answers)
        know, next_, escalate, status_page = answers
        data = CheckpointData(know=know, next=next_, escalate=escalate, status_page=status_page)
        return _case("checkpoint", args, data, args)
    if which == "action":
        owner = draw(st.none() | st.sampled_from(NAMES))
        text = draw(_words())
        due_days = draw(st.none() | st.integers(0, 60))
        due_form = draw(st.sampled_from(["+Nd", "iso"]))
        priority = draw(st.none() | st.sampled_from(list(Priority)))
        done = draw(st.none() | _words())
        due = today + timedelta(days=due_days) if due_days is not None else None
        due_text = ""
        if due is not None:
            due_text = f"due +{due_days}d" if due_form == "+Nd" else f"due {due.isoformat()}"
        tail = [due_text, priority.value if priority else ""]
        if draw(st.booleans()):
            tail.reverse()
        args = _args(f"@{owner}" if owner else "", text, *tail)
        if done is not None:
            args += f" done: {done}"
        data = ActionItemData(owner=owner, due=due, priority=priority, done_when=done)
        return _case("action", args, data, text)
    if which == "escalate":
        level = draw(st.none() | st.integers(0, 4))
        if level is None:
            return _case("escalate", free, EscalationData(), free)
        token = draw(st.sampled_from([f"L{level}", f"l{level}"]))
        return _case("escalate", _args(token, free), EscalationData(level=level), free)
    if which == "cause":
        if draw(st.booleans()):
            tag = draw(st.sampled_from(["Config-Drift", "capacity", "DEPLOY", "dns.ttl"]))
            return _case("cause", _args(f"#{tag}", free), CauseData(tag=tag.casefold()), free)
        text = draw(_words(exclude="#"))
        return _case("cause", text, CauseData(tag=text.casefold()), text)
    if which == "runbook":
        ref = draw(
            st.sampled_from(
                ["docs/runbooks/checkout.md", "https://wiki.example.com/rb/db-failover", "rb.md"]
            )
        )
        return _case("runbook", _args(ref, free), RunbookData(ref=ref), free)
    target = draw(st.integers(1, 10_000))
    ref = draw(st.sampled_from([str(target), f"#{target}"]))
    if which == "fix":
        text = draw(_words())
        return _case("fix", _args(ref, text), CorrectionData(target=target), text)
    if which == "unmark":
        return _case("unmark", _args(ref, free), KeyUnmarkData(target=target), free)
    return _case("mark", _args(ref, free), KeyMarkData(target=target), free)


#: Ways to break a valid command line, each refused by the parser.
_BREAKERS = (
    ("unknown command", lambda name, args: ("frobnicate", args)),
    ("severity 5", lambda name, args: ("sev", "5 " + args)),
    ("bad status phase", lambda name, args: ("status", "pending " + args)),
    ("missing text", lambda name, args: ("decision", "")),
    ("bad entry id", lambda name, args: ("fix", "0 " + args)),
    ("level 7", lambda name, args: ("escalate", "L7 " + args)),
    ("bad role", lambda name, args: ("release", "boss " + args)),
)


@st.composite
def scribe_lines(draw: st.DrawFn, now: datetime, tz: tzinfo) -> LineCase:
    """Scribe lines — ``[@TIME] [!] /command args`` or plain text — and what they log."""
    today = now.astimezone(tz).date()
    when = draw(st.none() | time_expressions(now, tz, spaces=False))
    key = draw(st.booleans())
    plain = draw(st.integers(0, 9)) == 0
    if plain:
        text = draw(_words())
        name, args, data, logged = "", "", NoteData(), text
        body = text
    else:
        name, args, data, logged = draw(_command(today))
        if draw(st.integers(0, 9)) == 0:  # broken on purpose
            _, breaker = draw(st.sampled_from(_BREAKERS))
            name, args = breaker(name, args)
            data = None
        shown = draw(st.sampled_from([name, name, name.upper(), name.capitalize()]))
        body = _args(f"/{shown}", args)
    prefixes = []
    if when is not None:
        prefixes.append(f"@{when.text}")
        if when.expected is None:
            data = None
    if key:
        prefixes.append("!")
    if len(prefixes) == 2 and draw(st.booleans()):
        prefixes.reverse()
    line = " ".join([*prefixes, body])
    occurred = when.expected if when is not None else now
    return LineCase(
        line=line,
        data=data,
        text=logged,
        occurred=occurred,
        key=key,
        command=name or "note",
        backdated=when is not None,
    )


# --- Markdown block markers -----------------------------------------------------


def block_marker_texts() -> st.SearchStrategy[str]:
    """Text starting with what Markdown reads as the start of a block.

    Headings, list bullets, ordered-list numbers of any length (``123.``, ``1)``),
    block quotes, thematic breaks, setext underlines, fences, indented code, HTML
    blocks, tables, then some words.
    """
    number = st.integers(0, 10**10).map(str)
    marker = st.one_of(
        st.sampled_from(
            [
                "#",
                "##",
                "######",
                "-",
                "+",
                "*",
                ">",
                ">>",
                "***",
                "---",
                "___",
                "===",
                "```",
                "~~~",
                "    ",
                "\t",
                "<div>",
                "<!--",
                "|",
                "- [ ]",
            ]
        ),
        st.tuples(number, st.sampled_from(".)")).map("".join),
    )
    return st.tuples(marker, st.sampled_from(["", " "]), _maybe(_words())).map("".join)
