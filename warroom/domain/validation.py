"""One short, readable line for a pydantic ``ValidationError``.

Policy files, the config file, JSON imports and the CLI all report a bad value the
same way: *where* (a dotted path such as ``events[3].data.kind``) and *what*, in
plain words, with the offending value shown short and escaped::

    events[3].data.kind: unknown kind 'teleport' (expected one of: declared, …)
    severity.1.ack_minutes: should be an integer (got 'soon')
    incident.slug: missing

Pydantic's own messages are kept where they already read well; its class reprs
(``<EventKind.NOTE: 'note'>``), "Input should be" and "Value error," prefixes and
``[key]`` location markers are not shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from warroom.domain.values import show_value

__all__ = [
    "AUTHOR_MAX_CHARS",
    "EARLIEST_INSTANT",
    "Problem",
    "author_problem",
    "dotted_path",
    "first_problem",
    "instant_problem",
    "show_value",
]

Location = tuple[int | str, ...]

#: Error types whose fix is "give a value of this JSON type".
_EXPECTED_TYPE = {
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
    "tuple_type": "an array",
    "set_type": "an array",
    "frozen_set_type": "an array",
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "datetime_type": "an ISO 8601 date and time with a zone",
    "datetime_parsing": "an ISO 8601 date and time with a zone",
    "datetime_from_date_parsing": "an ISO 8601 date and time with a zone",
    "timezone_aware": "an ISO 8601 date and time with a zone",
}
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True, slots=True)
class Problem:
    """The first problem of a validation error, ready to print."""

    #: Where, as a dotted path (``""`` for the top level).
    where: str
    #: What is wrong, in plain words.
    what: str
    #: Pydantic's error type (``missing``, ``extra_forbidden``, …).
    kind: str
    #: How many other problems the error holds.
    others: int = 0

    @property
    def more(self) -> str:
        """``" (and 2 more problems)"``, or ``""`` when this is the only one."""
        if not self.others:
            return ""
        return f" (and {self.others} more problem{'s' if self.others > 1 else ''})"


def dotted_path(loc: Location) -> str:
    """``events[3].data`` from a pydantic location (``[key]`` markers dropped)."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item != "[key]":
            parts.append(f".{item}" if parts else str(item))
    return "".join(parts)


def _expected_tags(ctx: dict[str, Any]) -> list[str]:
    """``declared, note, …`` from pydantic's ``<EventKind.DECLARED: 'declared'>, …``."""
    return _QUOTED.findall(str(ctx.get("expected_tags", "")))


#: Error types that mean the same to the user as another: a dataclass (a projection
#: such as the metrics an export carries) refuses an unknown field as an unexpected
#: keyword argument where a model says ``extra_forbidden``.
_SAME_AS = {"unexpected_keyword_argument": "extra_forbidden"}


def _kind(detail: ErrorDetails) -> str:
    """Pydantic's error type of ``detail``, aliases folded (see :data:`_SAME_AS`)."""
    kind = detail["type"]
    return _SAME_AS.get(kind, kind)


def _what(detail: ErrorDetails) -> str:
    kind = _kind(detail)
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    value = detail.get("input")
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "union_tag_invalid":
        field = str(ctx.get("discriminator", "tag")).strip("'\"")
        tags = _expected_tags(ctx)
        expected = f" (expected one of: {', '.join(tags)})" if tags else ""
        tag = value.get(field, ctx.get("tag")) if isinstance(value, dict) else ctx.get("tag")
        return f"unknown {field} {show_value(tag)}{expected}"
    if kind == "union_tag_not_found":
        return "missing"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if kind in _EXPECTED_TYPE:
        return f"should be {_EXPECTED_TYPE[kind]} (got {show_value(value)})"
    message = detail["msg"]
    if message.startswith("Input should "):
        message = message.removeprefix("Input ")
    elif message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    return f"{message} (got {show_value(value)})"


def first_problem(
    error: ValidationError, *, locate: Callable[[Location], str] = dotted_path
) -> Problem:
    """The first problem of ``error``: where (via ``locate``) and what, in plain words."""
    details: Sequence[ErrorDetails] = error.errors(include_url=False)
    if not details:  # pragma: no cover - pydantic always gives at least one
        return Problem(where="", what=str(error).splitlines()[0], kind="unknown")
    first = details[0]
    loc: Location = tuple(first["loc"])
    kind = _kind(first)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        ctx = first.get("ctx") or {}
        loc = (*loc, str(ctx.get("discriminator", "tag")).strip("'\""))
    if loc and loc[-1] == "[key]" and kind not in ("missing", "extra_forbidden"):
        what = "invalid key: " + _what(first)
    else:
        what = _what(first)
    return Problem(where=locate(loc), what=what, kind=kind, others=len(details) - 1)


# ------------------------------------------------------------------ record bounds
#: The earliest instant an entry may carry (anything before is a typo or an attack).
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
#: The longest author name an entry may carry.
AUTHOR_MAX_CHARS = 200


def instant_problem(at: datetime, now: datetime, tolerance: timedelta) -> str | None:
    """Why ``at`` cannot be a time of the record (``None`` when it can).

    Times lie between :data:`EARLIEST_INSTANT` and ``now`` plus ``tolerance`` (clock
    skew between machines): the same bounds for an entry typed, logged or imported.
    """
    if at.tzinfo is None:
        return "has no time zone"
    if at < EARLIEST_INSTANT:
        return f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z is before 1970"
    if at > now + tolerance:
        return f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z is in the future"
    return None


def author_problem(author: str) -> str | None:
    """Why ``author`` cannot be an entry's author (``None`` when it can)."""
    if not author.strip():
        return "is empty"
    if len(author) > AUTHOR_MAX_CHARS:
        return f"is {len(author):,} characters long (at most {AUTHOR_MAX_CHARS})"
    return None
