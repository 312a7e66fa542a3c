"""Runbook lint and skeleton, with a real Markdown parser (markdown-it-py).

A runbook passes lint when it has:

- a level-1 title of the form ``ALERT - SERVICE Runbook`` (placeholders filled in);
- the six sections, as headings: Symptom, Impact, Investigation steps, Mitigation
  steps, Escalation, Context — each once, none empty;
- an escalation that says after how many minutes, a context with at least one link;
- a ``Last updated: YYYY-MM-DD`` line, not in the future and not older than the
  policy's ``runbooks.stale_days``;
- an ``Owner: NAME`` line;
- no ``TODO`` left from the skeleton.

Each problem is a :class:`Problem` (line number, text). A file that is not text,
too large or unreadable is one problem, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from warroom.domain.sanitize import one_line

__all__ = [
    "MAX_BYTES",
    "SECTIONS",
    "Problem",
    "lint_file",
    "lint_text",
    "skeleton",
    "title_problem",
]

#: The six sections of a runbook, in order.
SECTIONS: tuple[str, ...] = (
    "Symptom",
    "Impact",
    "Investigation steps",
    "Mitigation steps",
    "Escalation",
    "Context",
)
#: Larger files are refused (a runbook is a page, not a log dump).
MAX_BYTES = 1_000_000

_TITLE = re.compile(r"(?P<alert>\S.*?) - (?P<service>\S.*?) Runbook")
_PLACEHOLDER = re.compile(r"\[(?:Alert|Service)\]", re.IGNORECASE)
_UPDATED = re.compile(r"last[- ]updated\s*:\s*(?P<value>\S*)", re.IGNORECASE)
_OWNER = re.compile(r"owner\s*:\s*(?P<value>.*)", re.IGNORECASE)
_MINUTES = re.compile(r"\d+\s*(?:min\b|mins\b|minutes?\b|m\b)", re.IGNORECASE)
_TODO = re.compile(r"\bTODO\b")


@dataclass(frozen=True, order=True)
class Problem:
    """One lint problem at a 1-based line (0: the whole file)."""

    line: int
    text: str

    def format(self, name: str) -> str:
        """``FILE:LINE: problem`` on one line."""
        return f"{one_line(name)}:{self.line}: {one_line(self.text)}"


def title_problem(title: str, *, placeholders_ok: bool = False) -> str | None:
    """What is wrong with a runbook title, or ``None`` (``[Alert]`` allowed if asked)."""
    if _TITLE.fullmatch(title.strip()) is None:
        return f"title {title.strip()[:80]!r} is not of the form 'ALERT - SERVICE Runbook'"
    if not placeholders_ok and _PLACEHOLDER.search(title):
        return "title still has the placeholder [Alert] or [Service]"
    return None


def _line(token: Token, offset: int = 0) -> int:
    return (token.map[0] + 1 + offset) if token.map else 1


@dataclass
class _Section:
    name: str
    line: int
    level: int
    body: list[Token]


def _sections(tokens: list[Token]) -> tuple[list[tuple[int, str]], list[_Section]]:
    """The level-1 titles and the level-2+ sections (each with its body tokens)."""
    titles: list[tuple[int, str]] = []
    sections: list[_Section] = []
    current: _Section | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            text = tokens[index + 1].content if index + 1 < len(tokens) else ""
            level = int(token.tag[1:])
            if level == 1:
                titles.append((_line(token), text))
                current = None
            elif current is None or level <= current.level:
                current = _Section(text, _line(token), level, [])
                sections.append(current)
            index += 3
            continue
        if current is not None:
            current.body.append(token)
        index += 1
    return titles, sections


def _canonical(name: str) -> str:
    return " ".join(name.strip().rstrip(":").split()).casefold()


def _inline_lines(tokens: list[Token]) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for token in tokens:
        if token.type == "inline":
            for offset, text in enumerate(token.content.splitlines()):
                lines.append((_line(token, offset), text))
    return lines


def _check_sections(sections: list[_Section], problems: list[Problem]) -> None:
    wanted = {_canonical(name): name for name in SECTIONS}
    seen: dict[str, int] = {}
    for section in sections:
        key = _canonical(section.name)
        if key not in wanted:
            continue
        name = wanted[key]
        if key in seen:
            problems.append(Problem(section.line, f"section '{name}' again "
                                                  f"(first at line {seen[key]})"))
            continue
        seen[key] = section.line
        content = [t for t in section.body if t.type in ("inline", "fence", "code_block",
                                                        "html_block")]
        if not any(t.content.strip() for t in content):
            problems.append(Problem(section.line, f"section '{name}' is empty"))
            continue
        text = " ".join(t.content for t in content)
        if name == "Escalation" and _MINUTES.search(text) is None:
            problems.append(Problem(section.line, "escalation does not say after how many "
                                                  "minutes (e.g. 'after 15 minutes')"))
        if name == "Context" and not _has_link(section.body):
            problems.append(Problem(section.line, "context has no link"))
    last = max((s.line for s in sections), default=1)
    for key, name in wanted.items():
        if key not in seen:
            problems.append(Problem(last if sections else 1, f"missing section '{name}'"))


def _has_link(tokens: list[Token]) -> bool:
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                return True
        if token.type == "inline" and re.search(r"https?://\S", token.content):
            return True
    return False


def _check_meta(lines: list[tuple[int, str]], today: date, stale_days: int,
                problems: list[Problem]) -> None:
    updated = next(((n, m) for n, text in lines if (m := _UPDATED.search(text))), None)
    if updated is None:
        problems.append(Problem(1, "no 'Last updated: YYYY-MM-DD' line"))
    else:
        line, match = updated
        value = match.group("value").strip("*_`")
        try:
            when = date.fromisoformat(value)
        except ValueError:
            problems.append(Problem(line, f"last-updated date {value[:40]!r} is not YYYY-MM-DD"))
        else:
            age = (today - when).days
            if age < 0:
                problems.append(Problem(line, f"last-updated date {when} is in the future"))
            elif age > stale_days:
                problems.append(Problem(line, f"stale: last updated {when}, {age} days ago "
                                              f"(more than {stale_days})"))
    owner = next(((n, m) for n, text in lines if (m := _OWNER.match(text.strip()))), None)
    if owner is None:
        problems.append(Problem(1, "no 'Owner: NAME' line"))
    elif not owner[1].group("value").strip(" *_`") or _TODO.search(owner[1].group("value")):
        problems.append(Problem(owner[0], "the owner is not named"))


def lint_text(text: str, *, today: date, stale_days: int) -> list[Problem]:
    """Every problem of the runbook ``text`` (see the module docstring), by line."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    problems: list[Problem] = []
    titles, sections = _sections(tokens)
    if not titles:
        problems.append(Problem(1, "no title (a level-1 heading 'ALERT - SERVICE Runbook')"))
    else:
        line, title = titles[0]
        if (wrong := title_problem(title)) is not None:
            problems.append(Problem(line, wrong))
        for extra, _ in titles[1:]:
            problems.append(Problem(extra, "a second level-1 title"))
    _check_sections(sections, problems)
    _check_meta(_inline_lines(tokens), today, stale_days, problems)
    for number, line_text in enumerate(text.splitlines(), start=1):
        if _TODO.search(line_text):
            problems.append(Problem(number, "TODO left in the runbook"))
    return sorted(set(problems))


def lint_file(path: Path, *, today: date, stale_days: int) -> list[Problem]:
    """Lint one file; unreadable, binary, non-UTF-8 or huge files are one problem."""
    try:
        if path.is_dir():
            return [Problem(0, "is a directory, not a runbook file")]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return [Problem(0, f"too large for a runbook ({size:,} bytes; at most "
                               f"{MAX_BYTES:,})")]
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return [Problem(0, f"cannot read: {error.strerror or error}")]
    if len(raw) > MAX_BYTES:
        return [Problem(0, f"too large for a runbook (more than {MAX_BYTES:,} bytes)")]
    if b"\x00" in raw:
        return [Problem(0, "not a text file (binary)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [Problem(line, "not UTF-8 text")]
    return lint_text(text, today=today, stale_days=stale_days)


def skeleton(title: str, today: date) -> str:
    """A runbook skeleton titled ``title``: it passes lint once every TODO is filled in."""
    return f"""# {title}

Owner: TODO (a team or a person)

Last updated: {today.isoformat()}

## Symptom

TODO: the alert condition, verbatim (e.g. `rate(http_requests_total{{code=~"5.."}}[5m]) > 0.05`).

## Impact

TODO: who is affected and how (customers, internal users, data).

## Investigation steps

1. TODO: what to check first, what normal looks like, what abnormal means.

## Mitigation steps

1. TODO: the safe first action (rollback, failover, scale up), and how to verify it.

## Escalation

TODO: who to page, and after how many minutes (e.g. the database on-call after 15 minutes).

## Context

- TODO: links to dashboards, logs, design documents (e.g. <https://grafana.example.com/d/abc>).
"""
