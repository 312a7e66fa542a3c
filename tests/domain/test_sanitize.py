"""The sanitiser: hostile terminal sequences out, every printable character kept."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warroom.domain.sanitize import clean_text, one_line

ESC = "\x1b"
BIDI_CONTROLS = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
MARKS = {"\u200e", "\u200f", "\u061c"}


def is_forbidden(ch: str) -> bool:
    """A character that must never leave the sanitiser."""
    code = ord(ch)
    if ch in "\t\n":
        return False
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or ch in BIDI_CONTROLS
        or ch in MARKS
        or ch in "\u2028\u2029"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # CSI: colours, cursor moves, erase, private modes.
        (f"{ESC}[31mred{ESC}[0m", "red"),
        (f"a{ESC}[2J{ESC}[Hb", "ab"),
        (f"x{ESC}[?1049hy{ESC}[?25l", "xy"),
        (f"{ESC}[38;2;255;0;0mrgb", "rgb"),
        # OSC 0/2 title, OSC 8 hyperlink, OSC 52 clipboard; BEL and ST terminated.
        (f"{ESC}]0;pwned\x07title", "title"),
        (f"{ESC}]2;pwned{ESC}\\title", "title"),
        (f"{ESC}]8;;https://evil.example\x07click{ESC}]8;;\x07", "click"),
        (f"{ESC}]52;c;cm0gLXJmIH4=\x07copy", "copy"),
        # DCS, SOS, PM, APC.
        (f"{ESC}P1$r0m{ESC}\\dcs", "dcs"),
        (f"{ESC}Xsos body{ESC}\\a", "a"),
        (f"{ESC}^pm body{ESC}\\b", "b"),
        (f"{ESC}_apc body{ESC}\\c", "c"),
        # Short ESC forms: reset, save cursor, charset designation.
        (f"{ESC}cafter", "after"),
        (f"{ESC}7{ESC}8x", "x"),
        (f"{ESC}(Bx", "x"),
        # 8-bit C1 forms.
        ("\x9b31mred", "red"),
        ("\x9d0;title\x07t", "t"),
        ("\x9d0;title\x9ct", "t"),
        ("\x90qdcs\x9cd", "d"),
        ("\x9fapc\x9ce", "e"),
        # Bare controls.
        ("nul\x00byte", "nulbyte"),
        ("bell\x07", "bell"),
        ("back\x08space", "backspace"),
        ("del\x7fete", "delete"),
        ("c1\x85\x8dx", "c1x"),
        ("lone esc" + ESC, "lone esc"),
        # Line endings.
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        # Bidi overrides, isolates and marks.
        ("\u202eevil\u202c", "evil"),
        ("\u2066x\u2069\u200e\u200f\u061c", "x"),
        # Lone surrogates.
        ("a\ud800b\udfffc", "abc"),
        # Unterminated strings lose only their introducer; the text is kept.
        (f"{ESC}]0;no terminator", "0;no terminator"),
        (f"{ESC}[", ""),
        # Nested introducers.
        (f"{ESC}{ESC}[31mx", "x"),
        (f"{ESC}[{ESC}[31mx", "x"),
    ],
)
def test_strips(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII [bold]markup[/] stays literal",
        "emoji 👩‍👩‍👧‍👦 family with ZWJ and 🇩🇪 flag",
        "CJK 数据库 故障 and fullwidth ＡＢＣ",
        "RTL עברית and العربية letters",
        "ZWNJ in Persian: می‌خواهم",
        "combining e\u0301 and zero-width\u200bspace",
        "",
    ],
)
def test_keeps_printable_text(text: str) -> None:
    assert clean_text(text) == text


def test_one_line_shows_newlines_and_tabs() -> None:
    assert one_line("a\nb\tc\r\nd") == "a ⏎ b c ⏎ d"
    assert one_line(f"{ESC}[1mx{ESC}[0m") == "x"


def test_large_input_is_linear() -> None:
    """Many unterminated introducers must not make the scan quadratic."""
    hostile = (f"{ESC}]" + "a" * 10 + "\x9d" + "b" * 10) * 50_000  # ~1.1 M chars
    out = clean_text(hostile)
    assert ESC not in out
    assert "\x9d" not in out
    assert out.count("a") == 500_000


printable = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs"),
        # Tag characters (U+E0000–E007F) are invisible text: removed, not printable.
        blacklist_characters="".join(
            BIDI_CONTROLS | MARKS | {"\u2028", "\u2029"} | {chr(c) for c in range(0xE0000, 0xE0080)}
        ),
    )
)
hostile_pieces = st.sampled_from(
    [
        ESC,
        "[",
        "]",
        "P",
        "\\",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "\x90",
        "\r",
        "\n",
        "0;",
        "m",
        "\ud800",
    ]
)
hostile = st.lists(st.one_of(hostile_pieces, st.text(max_size=3)), max_size=40).map("".join)


@settings(max_examples=300)
@given(st.one_of(st.text(), hostile))
def test_idempotent(s: str) -> None:
    once = clean_text(s)
    assert clean_text(once) == once


@settings(max_examples=300)
@given(st.one_of(st.text(), hostile))
def test_no_control_characters_out(s: str) -> None:
    out = clean_text(s)
    assert not any(is_forbidden(ch) for ch in out)
    assert "\n" not in one_line(s)
    assert "\t" not in one_line(s)


@settings(max_examples=300)
@given(printable)
def test_printable_text_unchanged(s: str) -> None:
    assert clean_text(s) == s


@given(st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.characters()))
def test_never_raises_and_output_encodes(s: str) -> None:
    out = clean_text(s)
    out.encode("utf-8")  # no surrogate left: always encodable


def test_printable_strategy_covers_format_characters() -> None:
    """Cf characters other than bidi controls (ZWJ, ZWNJ, soft hyphen) are printable data."""
    for ch in "\u200c\u200d\u00ad\u2060":
        assert unicodedata.category(ch) == "Cf"
        assert clean_text(f"a{ch}b") == f"a{ch}b"
