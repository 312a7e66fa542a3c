"""How a person reads a countdown: one formatter for every view (header, lists, ``show``).

:func:`format_remaining` is the text of a clock's remaining time: ``4m 03s`` while it
runs, ``due now`` at the deadline, ``2s overdue`` once it has passed — never a minus
sign a tired reader can miss.
"""

from __future__ import annotations

from datetime import timedelta

__all__ = ["format_remaining", "format_span"]


def format_span(td: timedelta) -> str:
    """A span without its sign: ``"4m 03s"`` under an hour, ``"1h 02m"`` from an hour on.

    Fractions of a second are dropped.
    """
    seconds = abs(td) // timedelta(seconds=1)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s"


def format_remaining(td: timedelta) -> str:
    """A countdown: ``"4m 03s"``, ``"1h 02m"``; ``"due now"`` at the deadline (where a
    reminder stays); past it ``"2s overdue"``, ``"12m 10s overdue"``, ``"1h 02m overdue"``
    (seconds alone under a minute).
    """
    if td > timedelta(0):
        return format_span(td)
    if td == timedelta(0):
        return "due now"
    late = -td
    if late < timedelta(minutes=1):
        return f"{late // timedelta(seconds=1)}s overdue"
    return f"{format_span(late)} overdue"
