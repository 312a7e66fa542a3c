"""Parse the times a scribe types: ISO 8601 with a zone, ``HH:MM`` today, ``-5m``.

Used for back-dating entries (``@14:02 …``) and for the CLI's ``--at``. The
rules are strict on purpose: a time that could mean two things is an error
that says how to write it unambiguously, never a guess.

- ``2026-11-27T14:02Z``, ``2026-11-27T14:02:30+01:00`` — an absolute instant;
  an ISO date-time *without* a zone is an error.
- ``14:02`` or ``14:02:30`` — that wall-clock time today in the scribe's zone;
  a time skipped by a daylight-saving change (spring forward) or one that
  happens twice (fall back) is an error.
- ``-5m``, ``-90s``, ``-2h``, ``-1h30m`` — that long before now (the past only).

A result more than :data:`FUTURE_TOLERANCE` after ``now`` is an error.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warroom.errors import WarroomError

__all__ = [
    "FUTURE_TOLERANCE",
    "TimeParseError",
    "format_offset",
    "local_to_utc",
    "parse_time",
    "resolve_tz",
]

#: How far after ``now`` a time may lie (clock skew between machines).
FUTURE_TOLERANCE = timedelta(seconds=60)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ]"
    r"(?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?)"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?", re.ASCII)
_RELATIVE = re.compile(r"(?P<sign>[+-])(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?", re.ASCII)


class TimeParseError(WarroomError, ValueError):
    """A time string that cannot be read, or that names an impossible moment (exit 2)."""

    exit_code = 2


def resolve_tz(tz: tzinfo | str) -> tzinfo:
    """Return ``tz`` as a ``tzinfo``; a string is an IANA name such as ``Europe/Berlin``."""
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TimeParseError(f"unknown time zone {tz!r}") from exc


def format_offset(offset: timedelta | None) -> str:
    """Format a UTC offset the ISO way: ``Z``, ``+01:00``, ``-04:00``."""
    if not offset:
        return "Z"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _zone_name(tz: tzinfo, when: datetime) -> str:
    key = getattr(tz, "key", None)
    return str(key) if key else (tz.tzname(when) or "local time")


def local_to_utc(wall: datetime, tz: tzinfo | str) -> datetime:
    """Turn a naive wall-clock time in ``tz`` into an aware UTC instant.

    Raises :class:`TimeParseError` when the wall time does not exist in ``tz``
    (skipped by a spring-forward change) or exists twice (a fall-back change),
    naming both possible offsets so the user can write the one they mean.
    """
    zone = resolve_tz(tz)
    if wall.tzinfo is not None:
        raise ValueError("local_to_utc expects a naive wall-clock time")
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    off1, off2 = first.utcoffset(), second.utcoffset()
    shown = wall.isoformat(timespec="seconds" if wall.second else "minutes")
    name = _zone_name(zone, first)
    if off1 == off2:
        return first.astimezone(UTC)
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None, fold=0)
    if round_trip != wall:
        raise TimeParseError(
            f"{shown} does not exist in {name} (the clocks jumped forward that day); "
            f"give the time with its offset, e.g. {shown}{format_offset(off1)} "
            f"or {shown}{format_offset(off2)}"
        )
    raise TimeParseError(
        f"{shown} happened twice in {name} (the clocks went back that day); "
        f"give the offset you mean: {shown}{format_offset(off1)} "
        f"or {shown}{format_offset(off2)}"
    )


def _check_not_future(result: datetime, now: datetime, original: str, tz: tzinfo) -> datetime:
    if result > now + FUTURE_TOLERANCE:
        local_now = now.astimezone(tz)
        raise TimeParseError(
            f"{original!r} is in the future (now is "
            f"{local_now.isoformat(timespec='minutes')}); entries can only be back-dated"
        )
    return result


def _parse_iso(s: str, original: str, tz: tzinfo) -> datetime:
    match = _ISO.fullmatch(s)
    if match is None:
        if _ISO_DATE.fullmatch(s):
            raise TimeParseError(f"{original!r} is a date without a time; write e.g. {s}T14:02Z")
        raise TimeParseError(
            f"cannot read {original!r} as a time; use e.g. 2026-11-27T14:02Z, 14:02 or -5m"
        )
    text = s.replace(",", ".").replace(" ", "T")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TimeParseError(f"{original!r} is not a valid date and time") from exc
    if parsed.tzinfo is None:
        try:
            hint = format_offset(parsed.replace(tzinfo=tz).utcoffset())
        except (OverflowError, ValueError):  # pragma: no cover - defensive
            hint = "Z"
        raise TimeParseError(
            f"{original!r} has no time zone; add Z for UTC or an offset, "
            f"e.g. {match['date']}T{match['time']}{hint}"
        )
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise TimeParseError(f"{original!r} is out of range") from exc


def _parse_clock(match: re.Match[str], original: str, now: datetime, tz: tzinfo) -> datetime:
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"]) if match["s"] is not None else 0
    if hour > 23 or minute > 59 or second > 59:
        raise TimeParseError(f"{original!r} is not a valid time of day (00:00 to 23:59:59)")
    today: date = now.astimezone(tz).date()
    wall = datetime.combine(today, time(hour, minute, second))
    result = local_to_utc(wall, tz)
    if result > now + FUTURE_TOLERANCE:
        yesterday = wall - timedelta(days=1)
        try:
            offset = format_offset(local_to_utc(yesterday, tz).astimezone(tz).utcoffset())
        except TimeParseError:
            offset = format_offset(result.astimezone(tz).utcoffset())
        local_now = now.astimezone(tz).strftime("%H:%M")
        raise TimeParseError(
            f"{original!r} is in the future (it is {local_now} now in {_zone_name(tz, wall)}); "
            f"for yesterday give the full date, e.g. "
            f"{yesterday.isoformat(timespec='minutes')}{offset}"
        )
    return result


def _parse_relative(match: re.Match[str], original: str, now: datetime) -> datetime:
    parts = [match["h"], match["m"], match["s"]]
    if all(p is None for p in parts):
        raise TimeParseError(
            f"cannot read {original!r}; relative times look like -5m, -90s, -1h30m"
        )
    if match["sign"] == "+":
        raise TimeParseError(
            f"{original!r} is in the future; relative times go back only, e.g. -{original[1:]}"
        )
    hours, minutes, seconds = (int(p) if p is not None else 0 for p in parts)
    try:
        return now - timedelta(hours=hours, minutes=minutes, seconds=seconds)
    except (OverflowError, ValueError) as exc:
        raise TimeParseError(f"{original!r} is too far back") from exc


def parse_time(s: str, now: datetime, tz: tzinfo | str) -> datetime:
    """Parse a time the user typed into an aware UTC ``datetime``.

    ``now`` is the current instant (aware); ``tz`` is the user's zone (a
    ``tzinfo`` such as ``ZoneInfo("Europe/Berlin")`` or an IANA name) used for
    ``HH:MM``. Raises :class:`TimeParseError` naming the input for anything
    malformed, ambiguous, nonexistent or in the future.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("parse_time needs an aware 'now'")
    zone = resolve_tz(tz)
    original = s
    text = s.strip().upper()
    if not text:
        raise TimeParseError("empty time; use e.g. 14:02, -5m or 2026-11-27T14:02Z")
    if len(text) > 64:
        raise TimeParseError(f"cannot read {original[:40]!r}… as a time")
    if _ISO_DATE.match(text):
        result = _parse_iso(text, original, zone)
    elif (clock := _CLOCK.fullmatch(text)) is not None:
        result = _parse_clock(clock, original, now, zone)
    elif (relative := _RELATIVE.fullmatch(text.replace(" ", "").lower())) is not None:
        result = _parse_relative(relative, original, now)
    else:
        raise TimeParseError(
            f"cannot read {original!r} as a time; use e.g. 14:02, 14:02:30, -5m, -1h30m "
            "or 2026-11-27T14:02Z"
        )
    return _check_not_future(result, now, original, zone)
