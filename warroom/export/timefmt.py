"""Time and duration formatting shared by the exports: every timestamp names its zone."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

__all__ = [
    "duration_words",
    "format_duration",
    "iso_utc",
    "stamp_local",
    "stamp_utc",
    "zone_name",
]


def iso_utc(at: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, e.g. ``2026-11-27T14:02:10Z`` (µs if any)."""
    text = (at if at.tzinfo is UTC else at.astimezone(UTC)).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def stamp_utc(at: datetime) -> str:
    """Human UTC timestamp with the zone, e.g. ``2026-11-27 14:02:10 UTC``."""
    return at.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19] + " UTC"


def zone_name(at: datetime) -> str:
    """The zone of an aware datetime: its abbreviation, else its UTC offset."""
    name = at.tzname()
    if name and not name.startswith(("+", "-")):
        return name
    offset = at.isoformat()[-6:]
    return f"UTC{offset}"


def stamp_local(at: datetime, tz: tzinfo) -> str:
    """Timestamp in ``tz`` with the zone and offset, e.g. ``2026-11-27 15:02:10 CET (+01:00)``."""
    local = at.astimezone(tz)
    offset = local.isoformat()[-6:]
    return f"{local.isoformat(sep=' ', timespec='seconds')[:19]} {zone_name(local)} ({offset})"


def format_duration(seconds: float | None) -> str:
    """Compact duration: ``45s``, ``4m 00s``, ``1h 02m 05s``, ``2d 03h 00m``.

    ``None`` gives ``not recorded``.
    """
    if seconds is None:
        return "not recorded"
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}h {minutes:02d}m"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m {secs:02d}s"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"


def duration_words(seconds: float | None) -> str:
    """Duration in words: ``1 hour 23 minutes``, ``45 seconds``; None → ``not recorded``."""
    if seconds is None:
        return "not recorded"
    sign = "minus " if seconds < 0 else ""
    total = round(abs(seconds))
    if total < 60:
        return f"{sign}{total} second{'s' if total != 1 else ''}"
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    for value, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")):
        if value:
            parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
    return sign + " ".join(parts)
