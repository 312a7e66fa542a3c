"""The one line ``warroom log`` prints for an entry, and the two time stamps of CLI output.

Kept apart from :mod:`warroom.cli.render` so that ``log`` (run once per entry by
scripts) loads the describer and nothing of ``show``'s clocks and summaries.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from warroom.domain.describe import describe_event
from warroom.domain.sanitize import one_line

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.service import IncidentSession

__all__ = ["event_line", "local_stamp", "utc_stamp"]


def utc_stamp(at: datetime) -> str:
    """``2026-11-27 14:02:00Z``: an instant in UTC, to the second, zone shown."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def local_stamp(at: datetime, tz: tzinfo) -> str:
    """``14:02 CET``: a local wall-clock time with its zone abbreviation."""
    local = at.astimezone(tz)
    return f"{local:%H:%M} {local.tzname() or local.strftime('%z')}"


def event_line(session: IncidentSession, event: Event) -> str:
    """``#12  2026-11-27 14:02:00Z  note  alice: text`` (``*`` marks key events).

    The text is the domain describer's one-line form (:mod:`warroom.domain.describe`),
    the words the console's timeline writes; an entry with nothing to say names its kind.
    """
    parts = describe_event(event, session.display_text(event),
                           corrected=session.is_corrected(event), key=session.is_key(event))
    key = "*" if parts.key else " "
    text = one_line(parts.line() or parts.label)
    fixed = " (corrected)" if parts.corrected else ""
    return (f"#{event.id}{key} {utc_stamp(event.occurred_at)}  {event.kind}  "
            f"{one_line(event.author)}: {text}{fixed}")
