"""The one sanitiser for untrusted text: strip terminal control sequences.

Everything a person or a script types into the record goes through
:func:`clean_text` before it is stored, so that no byte of user text can move
the cursor, set the window title, write the clipboard, open a hyperlink or
reorder what the reader sees. The rules:

- whole escape sequences are removed, body included: CSI (``ESC [ … final``),
  OSC (``ESC ] … BEL`` or ``ESC ] … ESC \\``), DCS/SOS/PM/APC
  (``ESC P|X|^|_ … ST``), two- and three-character ``ESC`` forms (``ESC c``,
  ``ESC ( B``) and the 8-bit C1 forms (``0x9B`` CSI, ``0x9D`` OSC, ``0x90``
  DCS, ``0x98`` SOS, ``0x9E`` PM, ``0x9F`` APC, bodies up to ST ``0x9C`` or BEL);
- ``\\r\\n`` and a lone ``\\r`` become ``\\n``; U+2028/U+2029 become ``\\n``;
- every other C0 control except ``\\t`` and ``\\n``, DEL, every C1 control
  (U+0080–U+009F), surrogate code points, the bidi embedding/override/isolate
  controls (U+202A–U+202E, U+2066–U+2069) and the marks U+200E, U+200F and
  U+061C are dropped.

- the Unicode tag characters (U+E0000–U+E007F), invisible text that some
  renderers and models read, are dropped too.

Zero-width joiners (U+200C/U+200D), emoji, CJK and right-to-left letters are
kept: scripts and emoji sequences need them. An unterminated string sequence
(``ESC ]`` with no terminator) loses only its introducer, so no typed text is
swallowed. :func:`clean_text` is idempotent and leaves printable text unchanged.
"""

from __future__ import annotations

import re

__all__ = ["JSON_UNSAFE", "clean_text", "json_escape_unsafe", "one_line"]

# A string body may not contain another sequence introducer (ESC, BEL or any C1):
# this keeps the scan linear and makes an unterminated string give up at the next
# introducer instead of swallowing the rest of the text.
_BODY = "[^\x07\x1b\x80-\x9f]*"
_ST = "(?:\x07|\x1b\\\\|\x9c)"

_SEQUENCE = re.compile(
    "|".join(
        (
            # 7-bit CSI: parameters, intermediates, final byte.
            "\x1b\\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # 7-bit OSC, DCS, SOS, PM, APC with their bodies.
            f"\x1b[\\]PX^_]{_BODY}{_ST}",
            # Other escape sequences: ESC, intermediates, final (ESC c, ESC ( B, ESC 7).
            "\x1b[\x20-\x2f]*[\x30-\x7e]",
            # 8-bit CSI.
            "\x9b[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # 8-bit OSC, DCS, SOS, PM, APC.
            f"[\x90\x98\x9d\x9e\x9f]{_BODY}{_ST}",
        )
    )
)

# Single characters dropped after the sequences are gone (\t and \n are kept,
# \r has been turned into \n already).
_DROPPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\U000e0000-\U000e007f]"
)

#: Every character :func:`clean_text` may change: text without one comes back as it is
#: (sequences start with ESC or a C1 control; ``\r``, U+2028 and U+2029 become ``\n``).
_TOUCHED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\U000e0000-\U000e007f]"
)

#: Characters JSON allows raw inside strings that a terminal or an editor acts on
#: (DEL, C1 controls, bidi controls, line/paragraph separators, surrogates, Unicode
#: tags): JSON
#: written by warroom (the export, ``--json`` output) has them as ``\uXXXX`` escapes,
#: which read back as the same text.
JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\U000e0000-\U000e007f]"
)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a tag character: JSON spells it as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_escape_unsafe(json_text: str) -> str:
    """JSON text with every :data:`JSON_UNSAFE` character written as a ``\\uXXXX`` escape.

    Only valid where such characters can only sit inside strings (true of any JSON
    document: outside strings only ASCII punctuation, digits and letters appear).
    """
    return JSON_UNSAFE.sub(_json_escape, json_text)


_NEWLINES = re.compile("\r\n?|[\u2028\u2029]")


def clean_text(s: str) -> str:
    """Return ``s`` without terminal control sequences or unsafe characters.

    Never raises for any ``str`` (lone surrogates included); the result holds
    no C0 control but ``\\t`` and ``\\n``, no DEL, no C1 control, no surrogate
    and no bidi control. Idempotent; printable text comes back unchanged.
    """
    if s.isprintable() or _TOUCHED.search(s) is None:
        # Fast paths: str.isprintable() is False for every character removed below,
        # and text without any character that could change comes back as it is.
        return s
    s = _SEQUENCE.sub("", s)
    s = _NEWLINES.sub("\n", s)
    return _DROPPED.sub("", s)


def one_line(s: str) -> str:
    """:func:`clean_text`, then newlines shown as ``" ⏎ "`` and tabs as a space."""
    return clean_text(s).replace("\n", " ⏎ ").replace("\t", " ")
