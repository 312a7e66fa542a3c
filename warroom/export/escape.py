"""Markdown and YAML escaping of user text: the one place that makes it safe.

:func:`md_escape_inline` is the only way user text enters a Markdown export. The
contract, checked by the tests with markdown-it-py (CommonMark + GFM tables):

- the text is first passed through :func:`~warroom.domain.sanitize.one_line`:
  terminal control sequences are stripped, every newline is shown as ``" ⏎ "``
  and a tab as a space — so an entry always stays on one line and in one table
  cell;
- a GFM parser then reads the escaped text back as exactly that one-line text,
  whatever it contains (pipes, backticks, ``<script>``, a leading ``#``, list
  markers, entities, emoji, right-to-left text, very long lines), in a table
  cell, a list item, a heading or a paragraph;
- no raw HTML from user text survives: ``<`` and ``&`` are escaped, so the parser
  sees text, never an HTML tag, an entity or an autolink.

How: every character that can start inline markup (``\\ ` [ ] < > & |``)
is backslash-escaped (CommonMark allows a backslash before any ASCII
punctuation). The emphasis and strikethrough delimiters (``* _ ~``) are escaped
only where GFM needs it: a run that could *close* emphasis (right-flanking, read
cautiously at the ends of the text, where the neighbour is unknown) is escaped, so
no emphasis or strikethrough can ever form — an opener without a closer stays
text. Prose keeps ``about ~20%``, ``5 * 3`` and ``snake_case`` unescaped. A
leading block marker (``#``, ``+``, ``-``, ``=``, ``>``, ``1.``/``1)``) is
escaped too; leading and trailing white space, which Markdown
would trim, is written as numeric character references (``&#32;``).

:func:`md_escape_many` gives the same result for many texts at once (an export's
timeline column), doing the backslash escaping in a few passes over all of them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

from warroom.domain.sanitize import clean_text, one_line

__all__ = ["md_escape_inline", "md_escape_lines", "md_escape_many", "yaml_scalar"]

_SPECIALS = "`[]<>&|"  # and the backslash itself; * _ ~ by _delimiter_run
#: A run of one emphasis or strikethrough delimiter.
_DELIMITER_RUN = re.compile(r"\*+|_+|~+")
_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>&|~]")
_LEADING_MARKERS = frozenset("#+-=>")
_ORDERED_MARKER = re.compile(r"(\d{1,9})([.)])")


def _backslash_escape(s: str) -> str:
    s = s.replace("\\", "\\\\")  # the backslash first
    for ch in _SPECIALS:
        if ch in s:
            s = s.replace(ch, "\\" + ch)
    if "*" in s or "_" in s or "~" in s:
        s = _DELIMITER_RUN.sub(_delimiter_run, s)
    return s


def _surely_punctuation(ch: str) -> bool:
    """Punctuation under every CommonMark version (symbols count only in newer ones)."""
    return (ch.isascii() and not ch.isalnum() and not ch.isspace()) or unicodedata.category(
        ch
    ).startswith("P")


def _maybe_space_or_punctuation(ch: str) -> bool:
    if ch.isspace() or (ch.isascii() and not ch.isalnum()):
        return True
    return not ch.isascii() and unicodedata.category(ch)[0] in "PSZ"


def _delimiter_run(match: re.Match[str]) -> str:
    """A run of ``*``, ``_`` or ``~``: escaped when it could close emphasis.

    Texts are one line each (``md_escape_many`` joins them with newlines): a run at
    the start of a text, or after only white space (which may be encoded), has an
    unknown neighbour before it and is always escaped; at the end the neighbour
    after it is taken as white space.
    """
    s, start, end = match.string, match.start(), match.end()
    run = match.group(0)
    escaped = "".join("\\" + ch for ch in run)
    line_start = s.rfind("\n", 0, start) + 1
    if start == line_start or s[line_start:start].isspace():
        return escaped
    before = s[start - 1]
    after = s[end] if end < len(s) and s[end] != "\n" else " "
    if before.isspace():
        return run  # not right-flanking: it cannot close
    if run[0] == "_" and before.isalnum() and after.isalnum():
        return run  # inside a word: "_" neither opens nor closes
    if _surely_punctuation(before) and not _maybe_space_or_punctuation(after):
        return run  # punctuation before, a letter after: not right-flanking
    return escaped


def _encode_space(ch: str) -> str:
    return f"&#{ord(ch)};"


def md_escape_inline(text: str) -> str:
    """Escape user text for any inline Markdown context (see the module docstring)."""
    # Printable text holds no control character, newline or tab: one_line() would
    # return it unchanged, so skip it on the hot path.
    s = text if text.isprintable() else one_line(text)
    if not s:
        return s
    if _NEEDS_ESCAPE.search(s):
        s = _backslash_escape(s)
    return _escape_ends(s)


def _escape_ends(s: str) -> str:
    """Escape a leading block marker and encode edge white space of backslash-escaped text."""
    if not s:
        return s
    first = s[0]
    if first in _LEADING_MARKERS:
        s = "\\" + s
    elif first.isdigit():
        match = _ORDERED_MARKER.match(s)
        if match:
            s = f"{match.group(1)}\\{match.group(2)}{s[match.end() :]}"
    if first.isspace() or s[-1].isspace():
        s = _escape_edges(s)
    return s


def md_escape_many(texts: Iterable[str]) -> list[str]:
    """``[md_escape_inline(t) for t in texts]``, faster for many texts.

    The one-line texts hold no newline, so they are joined with newlines, escaped
    in a few ``str.replace`` passes over the whole, and split again; only the
    start and end of each text are then looked at one by one.
    """
    lines = list(texts)
    if not lines:
        return []
    if not "".join(lines).isprintable():
        lines = [line if line.isprintable() else one_line(line) for line in lines]
    joined = "\n".join(lines)
    if _NEEDS_ESCAPE.search(joined):
        lines = _backslash_escape(joined).split("\n")
    return [_escape_ends(line) for line in lines]


def _escape_edges(s: str) -> str:
    start = 0
    while start < len(s) and s[start].isspace():
        start += 1
    end = len(s)
    while end > start and s[end - 1].isspace():
        end -= 1
    head = "".join(_encode_space(ch) for ch in s[:start])
    tail = "".join(_encode_space(ch) for ch in s[end:])
    return head + s[start:end] + tail


def md_escape_lines(text: str) -> list[str]:
    """Split multi-line user text into lines, each escaped with :func:`md_escape_inline`."""
    return [md_escape_inline(line) for line in clean_text(text).split("\n")]


#: Escaped in front-matter strings: noncharacters, and ``<``/``>`` so that a renderer
#: without front-matter support, showing the block as text, never sees an HTML tag.
_YAML_UNSAFE = re.compile("[<>\ufeff\ufffe\uffff]")


def yaml_scalar(value: str | float | bool | None) -> str:
    """A YAML 1.2 scalar written as JSON (strings double-quoted and escaped).

    Strings are cleaned with :func:`clean_text` first; JSON scalars are valid YAML
    and read back the same, so a YAML or a JSON parser gives the same value. ``<``
    and ``>`` are written ``\u003c``/``\u003e`` (the same text once parsed), so no
    HTML tag appears in the front matter as written.
    """
    if isinstance(value, str):
        dumped = json.dumps(clean_text(value), ensure_ascii=False)
        return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
    return json.dumps(value)
