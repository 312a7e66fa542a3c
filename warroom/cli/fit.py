"""Fitting the CLI's text to a terminal's width.

On a terminal a person reads the output: a line longer than the terminal goes on
under itself (a hanging indent) instead of being cut mid-word by the terminal, and
``key value`` fields move to the next line when the line is full. Piped or
redirected, nothing is wrapped: one line per item, as scripts read it.
"""

from __future__ import annotations

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
    slug) folds over the next lines, whole, rather than overflowing. Widths are
    terminal cells (a CJK character takes two), wrapped as the console wraps
    (:func:`warroom.cells.wrap_text`).
    """
    if width is None or len(line) <= width // 2:  # no character takes more than 2 cells
        return [line]
    from rich.cells import cell_len

    if cell_len(line) <= width:
        return [line]
    import sys

    from warroom.cells import wrap_text

    width = max(width, indent + MIN_TEXT)
    text = line.lstrip(" ")
    lead = len(line) - len(text)
    first = wrap_text(text, width - lead, 2)[0]  # the first line only (the rest: below)
    rest = text[len(first):].lstrip(" ")
    more = wrap_text(rest, width - indent, sys.maxsize) if rest else []
    return [line[:lead] + first, *(" " * indent + part for part in more)]


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
