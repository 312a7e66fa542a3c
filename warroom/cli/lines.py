"""The one line ``warroom log`` prints for an entry.

Kept apart from :mod:`warroom.cli.render` so that ``log`` (run once per entry by
scripts) loads the describer and nothing of ``show``'s clocks and summaries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from warroom.cli.fit import hang
from warroom.domain.describe import describe_event
from warroom.domain.sanitize import one_line
from warroom.domain.timefmt import stamp_utc

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.service import IncidentSession

__all__ = ["event_line"]


def event_line(session: IncidentSession, event: Event, width: int | None = None) -> str:
    """``#12  2026-11-27 14:02:00 UTC  note  alice: text`` (``*`` marks key events).

    The text is the domain describer's one-line form (:mod:`warroom.domain.describe`),
    the words the console's timeline writes; an entry with nothing to say names its kind.
    With ``width`` (a terminal's), a longer line goes on under itself, indented.
    """
    parts = describe_event(event, session.display_text(event),
                           corrected=session.is_corrected(event), key=session.is_key(event))
    key = "*" if parts.key else " "
    text = one_line(parts.line() or parts.label)
    fixed = " (corrected)" if parts.corrected else ""
    line = (f"#{event.id}{key} {stamp_utc(event.occurred_at)}  {event.kind}  "
            f"{one_line(event.author)}: {text}{fixed}")
    return "\n".join(hang(line, width, _TEXT_INDENT))


#: How far a wrapped entry's next lines are indented.
_TEXT_INDENT = 4
