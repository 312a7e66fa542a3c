"""How the timeline names and describes entries, and what its filter is (no widgets).

The kind labels, the milestone kinds and the filter choices are keyed by the kind's
value (``EventKind`` is a StrEnum): the timeline is drawn before the domain models
load. :func:`describe` gives an entry's one-line text, cleaned for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.domain.describe import describe_event, text_only
from warroom.domain.sanitize import one_line

if TYPE_CHECKING:
    from warroom.domain.events import Event

__all__ = ["KIND_FILTERS", "KIND_LABELS", "MILESTONE_KINDS", "TimelineFilter", "describe"]

# Event kinds are named by value (``EventKind`` is a StrEnum, so ``EventKind.NOTE``
# finds the "note" entries): the timeline is drawn before the domain models load.

#: Short, fixed-width labels of each kind (upper case: facts; lower case: chatter).
KIND_LABELS: dict[str, str] = {
    "declared": "DECLARED",
    "impact_started": "IMPACT",
    "detected": "DETECTED",
    "acknowledged": "ACK",
    "severity_set": "SEVERITY",
    "role_assigned": "ROLE",
    "role_released": "ROLE",
    "phase_changed": "PHASE",
    "note": "note",
    "decision": "DECISION",
    "command": "COMMAND",
    "status_update": "STATUS",
    "checkpoint": "CHECKPT",
    "action_item": "ACTION",
    "escalation": "ESCALATE",
    "correction": "fix",
    "key_mark": "mark",
    "key_unmark": "unmark",
    "postmortem_owner": "PM OWNER",
    "page": "PAGE",
    "cause": "CAUSE",
    "runbook": "RUNBOOK",
    "policy_set": "POLICY",
}

#: Lifecycle facts: highlighted as milestones.
MILESTONE_KINDS: frozenset[str] = frozenset(
    {
        "declared",
        "impact_started",
        "detected",
        "acknowledged",
        "severity_set",
        "phase_changed",
        "escalation",
    }
)

#: The filter choices: id → (label, kinds or None for "every kind").
KIND_FILTERS: dict[str, tuple[str, frozenset[str] | None]] = {
    "all": ("All entries", None),
    "key": ("Key events & milestones", MILESTONE_KINDS),
    "notes": ("Notes", frozenset({"note"})),
    "decisions": ("Decisions", frozenset({"decision"})),
    "commands": ("Production commands", frozenset({"command"})),
    "status": ("Status updates", frozenset({"status_update"})),
    "roles": (
        "Roles",
        frozenset({"role_assigned", "role_released", "postmortem_owner"}),
    ),
    "checkpoints": ("Checkpoints", frozenset({"checkpoint"})),
    "actions": ("Action items", frozenset({"action_item"})),
    "corrections": ("Corrections & marks", frozenset({"correction", "key_mark", "key_unmark"})),
}


def describe(event: Event, corrections: dict[int, str] | None = None) -> str:
    """The one-line text of ``event`` (corrected if corrected), cleaned for display.

    The domain describer's one-line form (:mod:`warroom.domain.describe`), the
    words ``warroom log`` and ``warroom show`` print too.
    """
    corrected = (corrections or {}).get(event.id)
    if text_only(event.data.kind):  # a note, a decision…: the line is the text
        return one_line(event.text if corrected is None else corrected)
    return one_line(describe_event(event, corrected).line())


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """What the timeline shows: a kind group (see :data:`KIND_FILTERS`) and search text."""

    kind: str = "all"
    text: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return self.kind != "all" or bool(self.text.strip())

    def matches(
        self, event: Event, corrections: dict[int, str], key_ids: frozenset[int]
    ) -> bool:
        """Whether ``event`` is shown: its kind is in the group and the text is found.

        The text is looked for in the entry's (corrected) text, its author and its
        described line; the "key" group also takes entries marked key (``key_ids``).
        """
        _, kinds = KIND_FILTERS.get(self.kind, KIND_FILTERS["all"])
        if (
            kinds is not None
            and event.kind not in kinds
            and not (self.kind == "key" and event.id in key_ids)
        ):
            return False
        needle = self.text.strip().casefold()
        if needle:
            text = corrections.get(event.id, event.text)
            if needle not in text.casefold() and needle not in event.author.casefold():
                return needle in describe(event, corrections).casefold()
        return True


#: The timeline's help (shown by the help screen for the focused widget).
TIMELINE_HELP = """\
## Timeline

Every entry of the incident, oldest at the top; a long one goes on under its
text (up to a third of the view, then "…": Enter shows it whole).
The view follows new entries unless you scroll up; **End** follows again.

| key | does |
|---|---|
| ↑ ↓ PgUp PgDn Home End | move the selection |
| Enter | the whole entry (full text, event and recorded time) |
| Ctrl+K | mark the selected entry as a key event, or take its mark back (asks first) |
| Ctrl+E | correct the selected entry (fills `/fix ID` in the scribe input) |
| Ctrl+F | filter by kind or search text |

Letters typed here go to the scribe input, with the text: no key of the list
writes to the record without asking.

Markers: **★** key event · **✎** corrected (the corrected text is shown) ·
lifecycle milestones in their own colour.
"""
