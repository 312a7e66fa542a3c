"""Reading exported Markdown back with markdown-it-py, the way a GFM renderer would."""

from __future__ import annotations

import json
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: GFM as markdown-it-py ships it (tables, strikethrough, linkify, raw HTML on).
GFM = MarkdownIt("gfm-like")
#: CommonMark + tables: no linkify, whose link text normalisation (percent
#: decoding, punycode) would rewrite URL-like random text.
CM_TABLES = MarkdownIt("commonmark").enable("table")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (values written as JSON scalars) and the Markdown body."""
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    values: dict[str, Any] = {}
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        values[key] = json.loads(value)
    return values, body


def parse(text: str, md: MarkdownIt = GFM) -> list[Token]:
    """Tokens of the Markdown body (front matter removed)."""
    _, body = split_front_matter(text)
    return md.parse(body)


def inline_text(token: Token) -> str:
    """The plain text a reader sees in an inline token."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def html_tokens(tokens: list[Token]) -> list[Token]:
    """Every raw-HTML token, block or inline."""
    found = [t for t in tokens if t.type == "html_block"]
    for token in tokens:
        found.extend(c for c in token.children or [] if c.type == "html_inline")
    return found


def tables(tokens: list[Token]) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    result: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    row: list[str] | None = None
    for token in tokens:
        if token.type == "table_open":
            current = []
        elif token.type == "table_close":
            assert current is not None
            result.append(current)
            current = None
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            assert current is not None and row is not None
            current.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(inline_text(token))
    return result


def table_after(tokens: list[Token], heading: str) -> list[list[str]]:
    """The first table after the heading whose text is ``heading``."""
    seen = False
    for index, token in enumerate(tokens):
        if (
            token.type == "inline"
            and token.content == heading
            and index
            and (tokens[index - 1].type == "heading_open")
        ):
            seen = True
        if seen and token.type == "table_open":
            return tables(tokens[index:])[0]
    raise AssertionError(f"no table after {heading!r}")


def headings(tokens: list[Token], level: int) -> list[str]:
    """The texts of the headings of one level, in order."""
    tag = f"h{level}"
    return [
        inline_text(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == tag
    ]


def timeline_rows(text: str, md: MarkdownIt = GFM) -> dict[int, dict[str, str]]:
    """Timeline rows by event id, each as {column header: cell text}."""
    table = table_after(parse(text, md), "Timeline")
    header, *rows = table
    return {int(row[0]): dict(zip(header, row, strict=True)) for row in rows}
