"""The scribe command language: one line of input → one :class:`NewEvent`.

One pure parser used by the console and the CLI alike::

    [@TIME] [!] text            a note (``!`` marks it a key event)
    [@TIME] [!] /command args   a typed event (see :data:`~warroom.domain.commands.COMMANDS`)
    //text                      a note whose text starts with ``/``

``@TIME`` back-dates the entry (:func:`~warroom.domain.timeparse.parse_time`:
``@14:02``, ``@2026-11-27T14:02Z``, ``@-5m``). Text is sanitised with
:func:`~warroom.domain.sanitize.clean_text` before it reaches the event. Every
problem is a :class:`ParseError` whose message names it; nothing else escapes.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from pydantic import ValidationError

from warroom.domain.command_args import parse_command, split_first
from warroom.domain.commands import ParseError
from warroom.domain.events import EventData, NewEvent, NoteData
from warroom.domain.sanitize import clean_text
from warroom.domain.timeparse import TimeParseError, parse_time, resolve_tz

__all__ = ["MAX_ENTRY_CHARS", "ParseError", "is_bare_checkpoint", "parse_entry"]

#: The longest entry accepted, in characters (a 1 MB paste is refused, not cut).
MAX_ENTRY_CHARS = 100_000
_BARE_CHECKPOINT = re.compile(r"\s*(?:@\S+\s+)?(?:!\s*)?(?:@\S+\s+)?/checkpoint\s*", re.IGNORECASE)


def _split_prefixes(line: str, now: datetime, tz: tzinfo) -> tuple[datetime | None, bool, str]:
    """Strip the ``@TIME`` and ``!`` prefixes (either order, each at most once)."""
    occurred: datetime | None = None
    key = False
    body = line
    while True:
        if occurred is None and body.startswith("@"):
            token, rest = split_first(body)
            try:
                occurred = parse_time(token[1:], now, tz)
            except TimeParseError as exc:
                looks_like_time = token[1:2].isdigit() or token[1:2] in {"+", "-"}
                hint = "" if looks_like_time else " (to log text starting with @, use /note)"
                raise ParseError(f"{exc}{hint}") from None
            if not rest:
                raise ParseError(f"nothing to log after {token[:80]}")
            body = rest
        elif not key and body.startswith("!"):
            key = True
            body = body[1:].lstrip()
            if not body:
                raise ParseError("nothing to log after '!'")
        else:
            return occurred, key, body


def _clean_author(author: str) -> str:
    cleaned = " ".join(clean_text(author).split())
    if not cleaned:
        raise ParseError("the author is empty")
    if len(cleaned) > 200:
        raise ParseError("the author is longer than 200 characters")
    return cleaned


def parse_entry(line: str, *, now: datetime, tz: tzinfo | str, author: str) -> NewEvent:
    """Parse one line of the scribe command language into a :class:`NewEvent`.

    ``now`` (aware) is the default event time and the reference for ``@TIME``;
    ``tz`` is the scribe's zone for ``@HH:MM`` and relative due dates;
    ``author`` is who logs it. Raises :class:`ParseError` (and nothing else)
    for an empty line, an over-long one, an unknown command or a malformed
    argument; the message names the problem and shows the usage.
    """
    if not isinstance(line, str):
        raise ParseError("an entry must be text")
    if len(line) > MAX_ENTRY_CHARS:
        raise ParseError(
            f"entry too long: {len(line):,} characters (at most {MAX_ENTRY_CHARS:,}); "
            "split it or attach it elsewhere"
        )
    try:
        zone = resolve_tz(tz)
    except TimeParseError as exc:
        raise ParseError(str(exc)) from None
    who = _clean_author(author)
    body = clean_text(line).strip()
    if not body:
        raise ParseError("nothing to log")
    occurred, key, body = _split_prefixes(body, now, zone)
    if body.startswith("//"):
        data: EventData = NoteData()
        text = body[1:]
    elif body.startswith("/"):
        data, text = parse_command(body, now, zone)
    else:
        data, text = NoteData(), body
    try:
        return NewEvent(
            occurred_at=occurred if occurred is not None else now,
            author=who,
            text=text.strip(),
            key=key,
            data=data,
        )
    except ValidationError as exc:  # pragma: no cover - every field is checked above
        raise ParseError(f"cannot log this entry: {exc.errors()[0]['msg']}") from None


def is_bare_checkpoint(line: str) -> bool:
    """True if ``line`` is ``/checkpoint`` with no answers (the console opens a form)."""
    return _BARE_CHECKPOINT.fullmatch(clean_text(line)) is not None
