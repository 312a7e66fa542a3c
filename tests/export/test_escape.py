"""md_escape_inline and yaml_scalar: the only ways user text enters an export."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from tests.export.incident import NOW, RECORD, declared, entry, number
from tests.export.mdparse import GFM, html_tokens, inline_text, parse
from tests.support.grammars import Reach, block_marker_texts
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.sanitize import one_line
from warroom.export.escape import md_escape_inline, md_escape_lines, md_escape_many, yaml_scalar
from warroom.export.markdown import render_postmortem


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain text", "plain text"),
        ("a|b", "a\\|b"),
        ("<script>", "\\<script\\>"),
        ("# title", "\\# title"),
        ("1. item", "1\\. item"),
        ("12) item", "12\\) item"),
        ("  padded ", "&#32;&#32;padded&#32;"),
        (" x", "&#32;x"),
        ("   three", "&#32;&#32;&#32;three"),
        ("tail\u3000", "tail&#12288;"),
        ("two\nlines", "two ⏎ lines"),
        ("back\\slash", "back\\\\slash"),
        ("", ""),
    ],
)
def test_escapes(text: str, escaped: str) -> None:
    assert md_escape_inline(text) == escaped


CONTEXTS = ["{}", "- {}", "> {}", "# {}", "| a |\n|---|\n| {} |", "1. {}"]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(
    "text",
    [
        "- x", "+ x", "> x", "# x", "1. x", "    code", "<div>", "***", "===", "`a`", "x  ",
        "123. x", "2026) x", "123456789. x",
    ],
)
def test_text_reads_back_the_same_in_every_context(context: str, text: str) -> None:
    tokens = GFM.parse(context.format(md_escape_inline(text)))
    inlines = [t for t in tokens if t.type == "inline"]
    assert [inline_text(t) for t in inlines][-1] == text
    assert html_tokens(tokens) == []


_LEAF_BLOCKS = ("fence", "code_block", "hr", "html_block")


def _blocks(tokens: list[Token]) -> list[str]:
    """The block structure a reader sees: the kinds of block, in order."""
    return [t.type for t in tokens if t.type.endswith("_open") or t.type in _LEAF_BLOCKS]


def test_text_starting_with_a_block_marker_reads_back_as_that_text() -> None:
    """Headings, bullets, numbers of any length, quotes, fences… stay text after escaping."""
    reach = Reach()

    @settings(max_examples=300)
    @given(block_marker_texts(), st.sampled_from(CONTEXTS))
    def check(text: str, context: str) -> None:
        reach.example()
        expected = one_line(text)
        escaped = GFM.parse(context.format(md_escape_inline(text)))
        inlines = [t for t in escaped if t.type == "inline"]
        assert [inline_text(t) for t in inlines][-1] == expected, (text, context)
        assert html_tokens(escaped) == []
        assert _blocks(escaped) == _blocks(GFM.parse(context.format("plain words")))
        if _blocks(GFM.parse(context.format(text))) != _blocks(escaped):
            reach.hit("the marker would have made a block")

    check()
    reach.at_least("the marker would have made a block", 0.4)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("$*a", "$*a"),  # an ASCII symbol counts as punctuation before a letter
        ("(*é", "(*é"),  # a non-ASCII letter after is a letter
        ("«*b", "«*b"),  # non-ASCII punctuation before
        ("a*b", "a\\*b"),  # between letters it could close: escaped
    ],
)
def test_a_delimiter_that_can_only_open_stays_readable(text: str, escaped: str) -> None:
    assert md_escape_inline(text) == escaped
    assert inline_text(GFM.parse(f"x {escaped} y")[1]) == f"x {text} y"


def test_multi_line_text_is_escaped_line_by_line() -> None:
    assert md_escape_lines("503. errors since 14:00 UTC\nWe are on it.") == [
        "503\\. errors since 14:00 UTC",
        "We are on it.",
    ]
    assert md_escape_lines("one line, several words") == ["one line, several words"]
    assert md_escape_lines("a\r\n\nb") == ["a", "", "b"]


def test_yaml_scalars_stay_readable() -> None:
    """Non-ASCII text is written as itself in the front matter, not as \\u escapes."""
    title = "Zahlungsausfall für Kunden 漢字 🔥"
    assert yaml_scalar(title) == f'"{title}"'


def test_yaml_scalars_are_json_scalars() -> None:
    assert yaml_scalar('say "hi"\n\x1b[31m') == '"say \\"hi\\"\\n"'
    assert json.loads(yaml_scalar("\ufeffbom")) == "\ufeffbom"
    assert yaml_scalar(None) == "null" and yaml_scalar(12.5) == "12.5"
    assert yaml_scalar(True) == "true"


TRICKY = ["", "plain", "a|b", "<b>&amp;", "# h", "12) x", "  pad ", "two\nlines", "tab\there",
          "back\\slash", "\x1b[31mred", "é😀", "\u2028sep", "- x", "\t", "\r\n"]


@given(st.lists(st.text(max_size=30) | st.sampled_from(TRICKY), max_size=30))
def test_escape_many_is_escape_inline_of_each(texts: list[str]) -> None:
    assert md_escape_many(texts) == [md_escape_inline(t) for t in texts]
    assert md_escape_many(iter(texts)) == [md_escape_inline(t) for t in texts]


def test_escape_many_of_nothing_and_of_plain_texts() -> None:
    assert md_escape_many([]) == []
    assert md_escape_many([""]) == [""]
    assert md_escape_many(["a", "b c"]) == ["a", "b c"]
    assert md_escape_many(TRICKY) == [md_escape_inline(t) for t in TRICKY]


def _inside(tokens: list[Token], block: str) -> list[Token]:
    """The tokens inside every ``block`` (e.g. ``blockquote``), in order."""
    inside: list[Token] = []
    depth = 0
    for token in tokens:
        if token.type == f"{block}_close":
            depth -= 1
        if depth:
            inside.append(token)
        if token.type == f"{block}_open":
            depth += 1
    return inside


def test_a_status_update_starting_with_a_long_number_stays_text() -> None:
    # A status update posted verbatim as "503. errors …": in the post-mortem it must
    # not turn into an ordered list starting at 503.
    events = number(
        [
            declared(),
            entry("@14:05 /status investigating 503. errors since 14:00 UTC\nWe are on it."),
        ]
    )
    tokens = parse(render_postmortem(RECORD, events, DEFAULT_POLICY, now=NOW))
    assert [t for t in tokens if t.type == "ordered_list_open"] == []
    quoted = [inline_text(t) for t in _inside(tokens, "blockquote") if t.type == "inline"]
    assert "503. errors since 14:00 UTC\nWe are on it." in quoted, quoted


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("about ~20% of card payments", "about ~20% of card payments"),
        ("5 * 3 retries", "5 * 3 retries"),
        ("module.egress_euw1.aws_nat_gateway", "module.egress_euw1.aws_nat_gateway"),
        ("PROCESSOR_ENDPOINT=x", "PROCESSOR_ENDPOINT=x"),
        ("a **b** c", "a **b\\*\\* c"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("_x_", "\\_x\\_"),
        ("2*3", "2\\*3"),
    ],
)
def test_delimiters_are_escaped_only_where_gfm_needs_it(text: str, escaped: str) -> None:
    assert md_escape_inline(text) == escaped


_DELIMITER_TEXT = st.text(alphabet=st.sampled_from(list("*_~ a1.,(é\u00a0€-")), max_size=24)
_CONTEXTS = ["{}", "- {}", "> {}", "# {}", "| a |\n|---|\n| {} |", "x {} y", "({})", "**b:** {}"]


def _markup(tokens: list) -> list[str]:
    marks = {"em_open", "strong_open", "s_open"}
    inlines = [t for t in tokens if t.type == "inline"]
    return [c.type for t in inlines for c in t.children or [] if c.type in marks]


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(_DELIMITER_TEXT, min_size=1, max_size=3), context=st.sampled_from(_CONTEXTS))
def test_no_emphasis_or_strikethrough_forms_from_user_text(texts: list[str], context: str) -> None:
    """Several escaped texts side by side in one inline still read back as written."""
    from warroom.domain.sanitize import one_line

    joined = " ".join(md_escape_inline(t) for t in texts)
    tokens = GFM.parse(context.format(joined))
    assert _markup(tokens) == _markup(GFM.parse(context.format("x"))), (texts, context)
    expected = " ".join(one_line(t) for t in texts).strip()
    if expected and context in ("{}", "# {}", "| a |\n|---|\n| {} |", "- {}", "> {}"):
        inlines = [inline_text(t) for t in tokens if t.type == "inline"]
        assert inlines[-1].strip() == expected, (texts, context)
