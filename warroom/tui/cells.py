"""Text in terminal cells: wrapping a line of text at spaces to a width.

Shared by the panes that wrap short texts themselves (a timeline entry under its
text column, a clock's hint under its name) instead of cutting them. Widths are
terminal cells (a CJK character or an emoji takes two), as Rich measures them.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size, set_cell_size

__all__ = ["ELLIPSIS", "wrap_text"]

ELLIPSIS = "…"


def wrap_text(text: str, room: int, max_lines: int) -> list[str]:
    """``text`` in lines of at most ``room`` cells, broken at spaces where it can be.

    A word longer than a line is cut. At most ``max_lines`` lines: the last one then
    ends with an ellipsis.
    """
    room = max(1, room)
    lines: list[str] = []
    rest = text
    while rest:
        fit = _fitting(rest, room)
        if fit >= len(rest):
            lines.append(rest)
            break
        if len(lines) >= max_lines - 1:  # the last line: end it with an ellipsis
            space = rest.rfind(" ", 0, _fitting(rest, room - 2) + 1)
            if space > room // 2:  # after a whole word
                lines.append(rest[:space].rstrip(" ") + " " + ELLIPSIS)
            else:
                lines.append(set_cell_size(rest, room - 1).rstrip() + ELLIPSIS)
            break
        space = rest.rfind(" ", 0, fit + 1)
        if space > 0:
            line, rest = rest[:space].rstrip(" "), rest[space + 1:].lstrip(" ")
        else:  # one long word (a URL, a path): cut it where the line ends
            fit = max(1, fit)
            line, rest = rest[:fit], rest[fit:]
        lines.append(line)
    return lines or [""]


def _fitting(text: str, room: int) -> int:
    """How many characters of ``text``, from its start, fit in ``room`` cells."""
    if text.isascii():
        return min(len(text), room)
    used = 0
    for index, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > room:
            return index
    return len(text)
