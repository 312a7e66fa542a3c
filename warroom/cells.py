"""Text in terminal cells: wrapping a line of text at spaces to a width.

Shared by the console's panes that wrap short texts themselves (a timeline entry
under its text column, a clock's hint under its name, a roster name) and by the
command line's output on a terminal (:mod:`warroom.cli.fit`), so both fold a long
word the same way instead of cutting it. Rich's cell widths only: no Textual, no
I/O. Widths are
terminal cells (a CJK character or an emoji takes two), as Rich measures them:
by grapheme, so an emoji sequence (👩‍💻, a flag, a character and its accent) is
one unit that is never split across lines.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size, split_graphemes

__all__ = ["ELLIPSIS", "fit_cells", "wrap_text"]

ELLIPSIS = "…"


def wrap_text(text: str, room: int, max_lines: int) -> list[str]:
    """``text`` in lines of at most ``room`` cells, broken at spaces where it can be.

    A word longer than a line (a URL, a hash, a stack-trace token) is folded, as
    terminals and Rich's ``fold`` do: it starts on a line of its own and goes on
    over the next ones, broken between characters, never inside a wide character
    or an emoji sequence; nothing of it is lost. (A character wider than ``room``
    itself, a 2-cell one in 1 cell, still takes a line.) At most ``max_lines``
    lines: the last one then ends with an ellipsis. The work is bounded by what
    is shown, not by the length of ``text``.
    """
    room = max(1, room)
    lines: list[str] = []
    rest = text
    while rest:
        fit = fit_cells(rest, room)
        if fit >= len(rest):
            lines.append(rest)
            break
        if len(lines) >= max_lines - 1:  # the last line: end it with an ellipsis
            lines.append(_ellipsized(rest, room))
            break
        space = rest.rfind(" ", 0, fit + 1)
        if space > 0 and rest[:space].strip(" "):
            line, rest = rest[:space].rstrip(" "), rest[space + 1:].lstrip(" ")
        else:  # one word longer than the line: fold it where the line ends
            fit = fit or _first_grapheme(rest)
            line, rest = rest[:fit], rest[fit:]
        lines.append(line)
    return lines or [""]


def _ellipsized(rest: str, room: int) -> str:
    """The start of ``rest`` and an ellipsis in ``room`` cells (after a word if that keeps
    more than half the line)."""
    words = fit_cells(rest, room - 2)  # room for " …"
    space = rest.rfind(" ", 0, words + 1)
    if space > 0 and cell_len(rest[:space]) > room // 2:
        return rest[:space].rstrip(" ") + " " + ELLIPSIS
    return rest[:fit_cells(rest, room - 1)].rstrip(" ") + ELLIPSIS


def fit_cells(text: str, room: int) -> int:
    """How many characters of ``text``, from its start, fit in ``room`` cells.

    Whole graphemes only: the count never ends inside a wide character's sequence
    (an emoji with its joiners, a letter and its combining accent). Looks at no
    more of ``text`` than the line needs.
    """
    if room <= 0:
        return 0
    if text[:room + 1].isascii():  # a cell a character, and none joins the one before
        return min(len(text), room)
    used = 0
    for index, char in enumerate(text):
        cells = get_character_cell_size(char)
        if not cells:  # a joiner, a variation selector, an accent: count by grapheme
            return _fit_graphemes(text, room)
        used += cells
        if used > room:
            return index
    return len(text)


def _fit_graphemes(text: str, room: int) -> int:
    """:func:`fit_cells` counted grapheme by grapheme (as Rich measures them)."""
    window = 2 * room + 8  # room + 1 graphemes overflow; joiners make some longer
    while True:
        spans, _ = split_graphemes(text[:window])
        used = 0
        for start, _end, cells in spans:
            used += cells
            if used > room:
                return start
        if window >= len(text):
            return len(text)
        window *= 2  # all fits so far (zero-width marks): the last grapheme may go on


def _first_grapheme(text: str) -> int:
    """How many characters the first grapheme of ``text`` takes."""
    spans, _ = split_graphemes(text[:64])
    return spans[0][1] if spans else len(text)
