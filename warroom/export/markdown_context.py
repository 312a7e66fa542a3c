"""What every section of the post-mortem draft shares: the render context and small cell helpers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from warroom.domain.clocks import effective_severity
from warroom.domain.eventlog import EventLog
from warroom.domain.events import Event, EventKind, Severity
from warroom.domain.metrics import Metrics, Window
from warroom.domain.policy import Policy
from warroom.domain.postmortem_rule import PostmortemContext, PostmortemVerdict
from warroom.domain.state import IncidentState
from warroom.domain.summary import IncidentLike
from warroom.domain.timefmt import format_seconds, stamp_utc
from warroom.export.escape import md_escape_inline

KEY_MARK = "★"
NOT_RECORDED = "not recorded"


def sev_label(severity: Severity | None) -> str:
    """A severity's label, ``unclassified`` for none."""
    return severity.label if severity is not None else "unclassified"


def final_severity_label(state: IncidentState, policy: Policy, now: datetime) -> str:
    """Final severity: the last one set, else what the policy assumes (``SEV2 (default)``)."""
    if state.severity is not None:
        return state.severity.label
    return effective_severity(state, policy, now).label


def highest_severity(state: IncidentState) -> Severity | None:
    """The worst severity the incident ever had (``None`` if never classified)."""
    values = [c.severity for c in state.severity_history if c.severity is not None]
    return min(values) if values else None


# --------------------------------------------------------------------------- context


@dataclass(frozen=True, slots=True)
class Ctx:
    """Everything a section of the draft reads, computed once per render."""

    record: IncidentLike
    timeline: EventLog
    #: Events looked up by id later (the mitigation event only).
    by_id: dict[int, Event]
    #: The key events, in timeline order.
    key_events: list[Event]
    state: IncidentState
    metrics: Metrics
    policy: Policy
    now: datetime
    tz: tzinfo
    corrected_by: dict[int, list[int]]
    by_kind: dict[EventKind, list[int]]
    #: Whether a post-mortem is required (``None`` while the incident is open).
    postmortem: PostmortemVerdict | None = None
    #: Other incidents' causes and the linked runbook's lint problems.
    review: PostmortemContext = field(default_factory=PostmortemContext)

    @property
    def local(self) -> bool:
        """Whether a local-time column is wanted (``tz`` is not UTC itself)."""
        return _is_local(self.tz)

    def text_of(self, event: Event) -> str:
        """The display (corrected) text of an event."""
        return self.state.corrections.get(event.id, event.text)


def _is_local(tz: tzinfo) -> bool:
    if tz is UTC:
        return False
    key = getattr(tz, "key", None) or getattr(tz, "name", None)
    return key not in ("UTC", "Etc/UTC", "Z")


def ref(event_id: int | None) -> str:
    """``#ID``, or a dash when there is no event."""
    return f"#{event_id}" if event_id is not None else "—"


def refs(ids: Iterable[int]) -> str:
    """``#1, #2`` for the ids, or a dash when there are none."""
    ids = list(ids)
    return ", ".join(f"#{i}" for i in ids) if ids else "—"


def at_or_missing(at: datetime | None) -> str:
    """A UTC stamp, or ``not recorded``."""
    return stamp_utc(at) if at is not None else NOT_RECORDED


def cell(text: str) -> str:
    """User text escaped for a table cell."""
    return md_escape_inline(text)


def code_span(text: str) -> str:
    """A slug inside a code span: slugs are ours, but keep backticks out anyway."""
    return text.replace("`", "'")


def window_line(window: Window) -> str:
    """One span of a windowed metric: start → end and its duration, with the events."""
    start = f"{stamp_utc(window.start)} ({ref(window.start_event)})"
    if window.missing:
        return f"{start} → end {NOT_RECORDED}"
    if window.end is None:
        return f"{start} → not yet (open)"
    end = f"{stamp_utc(window.end)} ({ref(window.end_event)})"
    return f"{start} → {end}: {format_seconds(window.seconds)}"
