"""How a person reads a time: one duration style and one instant style, for every view.

**Durations** (:func:`format_span`): the two largest units, a zero second one left
out — ``45s``, ``4m``, ``4m 03s``, ``1h 02m``, ``2d 03h`` — for a countdown, a role
held, an incident's age, a post-mortem metric or an on-call figure alike.
:func:`format_remaining` says how a countdown stands (``4m 03s``, ``due now``,
``2s overdue`` — never a minus sign a tired reader can miss); :func:`format_seconds`
is the same style from a number of seconds (``not recorded`` for none);
:func:`duration_words` spells a duration out for prose (``1 hour 23 minutes``).

**Instants**: in UTC to the second with the zone written out
(:func:`stamp_utc`, ``2026-11-27 14:02:10 UTC``); in the reader's zone as wall time
with the zone's name (:func:`format_zoned`, ``15:02 CET``, the day added when it is
not today; :func:`stamp_local` in full for a document). Machine-readable text
(JSON, ``--json``) uses ISO 8601 with ``Z`` (:func:`iso_utc`, :func:`json_instant`).

:func:`utc_seconds` and :func:`json_instant` are on the hot path of an export (one
or two calls per event, 100k events): they give the same text as ``isoformat`` /
pydantic's JSON serialiser, about six times faster, from a cached date part and
precomputed ``HH:MM:`` and ``SS`` tables.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

__all__ = [
    "duration_words",
    "format_remaining",
    "format_seconds",
    "format_span",
    "format_zoned",
    "iso_utc",
    "json_instant",
    "stamp_local",
    "stamp_utc",
    "utc_seconds",
    "zone_label",
]


def format_span(td: timedelta) -> str:
    """A span without its sign, in its two largest units, a zero second one left out:
    ``"45s"``, ``"4m"``, ``"4m 03s"``, ``"1h"``, ``"1h 02m"``, ``"2d 03h"``.
    Fractions of a second are dropped.
    """
    seconds = abs(td) // timedelta(seconds=1)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m {secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"


def format_remaining(td: timedelta) -> str:
    """A countdown: ``"4m 03s"``, ``"1h 02m"``; ``"due now"`` at the deadline (where a
    reminder stays); past it ``"2s overdue"``, ``"12m 10s overdue"``, ``"1h 02m overdue"``.
    """
    if td > timedelta(0):
        return format_span(td)
    if td == timedelta(0):
        return "due now"
    return f"{format_span(-td)} overdue"


def format_seconds(seconds: float | None, missing: str = "not recorded") -> str:
    """:func:`format_span` of a number of seconds (rounded), ``missing`` for ``None``;
    a negative one gets a minus sign (a metric whose milestones are out of order).
    """
    if seconds is None:
        return missing
    total = round(seconds)
    text = format_span(timedelta(seconds=abs(total)))
    return f"-{text}" if total < 0 else text


def format_zoned(at: datetime, tz: tzinfo, *, now: datetime | None = None) -> str:
    """``at`` as local wall time with its zone: ``"14:02 UTC"``, ``"15:02 CET"``.

    The date is added (``"26 Nov 23:58 UTC"``) when it is not the day of ``now``
    in the same zone. A zone without an abbreviation shows its offset
    (``"14:02 UTC+05:30"``).
    """
    local = at.astimezone(tz)
    name = zone_label(local, tz)
    clock = local.strftime("%H:%M")
    if now is not None and now.astimezone(tz).date() != local.date():
        clock = f"{local.day} {local.strftime('%b')} {clock}"
    return f"{clock} {name}"


def zone_label(when: datetime, tz: tzinfo) -> str:
    """The short name of ``tz`` at ``when`` (``"CET"``, ``"EDT"``, ``"UTC"``); a zone
    without one shows its offset (``"UTC+05:30"``)."""
    local = when.astimezone(tz)
    name = local.tzname() or ""
    if name and name[0] not in "+-" and not name.isdigit():
        return name
    offset = local.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        return "UTC"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


#: Where the fast formatters count days from.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: "HH:MM:" for each minute of a day, by minute of the day.
_HH_MM = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))
#: "SS" for each second of a minute.
_SS = tuple(f"{s:02d}" for s in range(60))


class _Days(dict[int, str]):
    """Days since 1970-01-01 (UTC) -> ``YYYY-MM-DD`` plus a separator, filled on demand."""

    #: Cleared when it grows past this many days (an incident spans a few).
    LIMIT = 4096

    def __init__(self, sep: str) -> None:
        super().__init__()
        self.sep = sep

    def __missing__(self, days: int) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        day = _EPOCH + timedelta(days=days)
        text = self[days] = f"{day.year:04d}-{day.month:02d}-{day.day:02d}{self.sep}"
        return text


_DAYS_SPACE = _Days(" ")
_DAYS_T = _Days("T")


def utc_seconds(at: datetime) -> str:
    """The instant in UTC to the second, e.g. ``2026-11-27 14:02:10`` (no zone suffix).

    Exact for any aware datetime, whatever its zone: the same text as
    ``at.astimezone(UTC).isoformat(sep=" ", timespec="seconds")[:19]``.
    """
    delta = at - _EPOCH
    seconds = delta.seconds
    return _DAYS_SPACE[delta.days] + _HH_MM[seconds // 60] + _SS[seconds % 60]


def json_instant(at: datetime) -> str:
    """An aware datetime as pydantic writes it in JSON, without the quotes.

    ``2026-11-27T14:02:10Z``, with ``.ffffff`` when it has microseconds. A datetime
    in another zone than :data:`datetime.UTC` is handed to pydantic itself (it
    keeps the zone's offset), so the text is always exactly pydantic's.
    """
    if at.tzinfo is not UTC:
        import pydantic_core  # loaded only for this rare path

        return pydantic_core.to_json(at).decode()[1:-1]
    delta = at - _EPOCH
    seconds = delta.seconds
    text = _DAYS_T[delta.days] + _HH_MM[seconds // 60] + _SS[seconds % 60]
    micro = delta.microseconds
    return f"{text}.{micro:06d}Z" if micro else text + "Z"


def iso_utc(at: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` suffix, e.g. ``2026-11-27T14:02:10Z`` (µs if any)."""
    text = (at if at.tzinfo is UTC else at.astimezone(UTC)).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def stamp_utc(at: datetime) -> str:
    """Human UTC timestamp with the zone, e.g. ``2026-11-27 14:02:10 UTC``."""
    return utc_seconds(at) + " UTC"


def stamp_local(at: datetime, tz: tzinfo) -> str:
    """Timestamp in ``tz`` with the zone and offset, e.g. ``2026-11-27 15:02:10 CET (+01:00)``."""
    local = at.astimezone(tz)
    offset = local.isoformat()[-6:]
    return f"{local.isoformat(sep=' ', timespec='seconds')[:19]} {zone_label(local, tz)} ({offset})"


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
