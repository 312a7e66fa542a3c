"""Fitting the CLI's text to a terminal's width.

On a terminal a person reads the output: a line longer than the terminal goes on
under itself (a hanging indent) instead of being cut mid-word by the terminal, and
``key value`` fields move to the next line when the line is full. Piped or
redirected, nothing is wrapped: one line per item, as scripts read it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Protocol

__all__ = ["MIN_TEXT", "fields", "hang", "terminal_width"]

#: The fewest columns a wrapped line's text gets, however deep its indent.
MIN_TEXT = 20


class _Output(Protocol):
    def isatty(self) -> bool: ...


def terminal_width(out: _Output) -> int | None:
    """The terminal's width when ``out`` is a terminal, else ``None`` (do not wrap)."""
    try:
        if not out.isatty():
            return None
    except (OSError, ValueError):
        return None
    import shutil

    return shutil.get_terminal_size().columns


def hang(line: str, width: int | None, indent: int) -> list[str]:
    """``line`` as is, or wrapped to ``width`` with its next lines ``indent`` columns in.

    The line's own leading spaces stay; a word longer than the room (a URL, a
    slug) is broken rather than left to overflow.
    """
    if width is None or len(line) <= width:
        return [line]
    return textwrap.wrap(line, width=max(width, indent + MIN_TEXT),
                         subsequent_indent=" " * indent, break_on_hyphens=False) or [line]


def fields(parts: Iterable[str], width: int | None, *, indent: str = "  ",
           sep: str = "   ") -> list[str]:
    """``parts`` on one line, ``sep`` apart; on a terminal, as many per line as fit."""
    items = [part for part in parts if part]
    if width is None:
        return [indent + sep.join(items)]
    lines: list[str] = []
    current = ""
    for part in items:
        joined = f"{current}{sep}{part}" if current else part
        if current and len(indent) + len(joined) > width:
            lines.append(indent + current)
            current = part
        else:
            current = joined
    lines.append(indent + current)
    return [wrapped for line in lines for wrapped in hang(line, width, len(indent) + 2)]
