"""One summary of an incident for every list: ``warroom list`` and the console's incident list.

:func:`summarize` reads what a list row shows from the folded state — the
severity in force (an unclassified incident as the default it is run on, from the
incident's own recorded policy), the phase, when it was declared, how long it has
lasted (the ``duration`` metric of docs/rules.md §7: for a resolved incident, up to
its resolution, not up to now), the number of entries and the most urgent clock —
and :func:`order` puts the rows in the one list order
(:mod:`warroom.domain.ordering`). :func:`list_totals` counts them.

The most urgent clock is the first active one (running, due soon or overdue) in
the clocks' urgency order, whatever the phase: a resolved incident still owes a
post-mortem owner, and its row says so (it no longer owes a classification or an
acknowledgement: those clocks stop at resolution).

The module loads no domain model at import time (the console's list is drawn
before the models load); :func:`summarize` imports the rules it applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from warroom.domain.clockbase import Clock
    from warroom.domain.events import Severity
    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState

__all__ = ["IncidentLike", "IncidentSummary", "ListTotals", "list_totals", "order",
           "summarize"]


class IncidentLike(Protocol):
    """What a list or an export needs of an incident's record (the store's
    ``IncidentRecord``): its identity, not its state."""

    @property
    def slug(self) -> str:
        """Short stable name of the incident."""
        ...

    @property
    def title(self) -> str:
        """The incident's title."""
        ...

    @property
    def created_at(self) -> datetime:
        """When the record was created."""
        ...


R = TypeVar("R", bound=IncidentLike)


@dataclass(frozen=True, slots=True)
class IncidentSummary(Generic[R]):
    """One incident as a list shows it (pure data, see :func:`summarize`)."""

    #: The incident's identity (the store's record).
    record: R
    #: Whether the incident is open (not yet resolved).
    is_open: bool
    #: The severity in force (``None``: unclassified, not yet defaulted).
    severity: Severity | None
    #: How the severity reads (``SEV2``, ``SEV2 (default)``, ``unclassified``).
    severity_label: str
    #: The phase's value.
    phase: str
    #: When the incident was declared (else created).
    declared_at: datetime
    #: The most urgent active clock, if any.
    urgent: Clock | None
    #: How many entries the timeline holds.
    event_count: int
    #: When it was resolved, if it was.
    resolved_at: datetime | None = None
    #: The severity last set (``None``: never classified).
    recorded_severity: Severity | None = None
    #: How long it has lasted, in seconds: impact started (else declared) to resolved
    #: (else now); ``None`` when the record does not say (docs/rules.md §7).
    duration: float | None = None


def summarize(record: R, state: IncidentState, policy: Policy, now: datetime) -> IncidentSummary[R]:
    """The summary of ``record`` (folded into ``state``) at ``now``.

    ``policy`` is the seat's; the incident's recorded policy, if any, is the one
    applied (the rows of every seat agree).
    """
    from warroom.domain.clocks import clocks, effective_severity
    from warroom.domain.metrics import incident_duration
    from warroom.domain.state import policy_in_force

    in_force = policy_in_force(state, policy)
    effective = effective_severity(state, in_force, now)
    urgent = next((c for c in clocks(state, in_force, now) if c.is_active), None)
    return IncidentSummary(
        record=record,
        is_open=state.is_open,
        severity=effective.severity,
        severity_label=effective.label,
        phase=state.phase.value,
        declared_at=state.declared_at or record.created_at,
        urgent=urgent,
        event_count=state.event_count,
        resolved_at=state.resolved_at,
        recorded_severity=state.severity,
        duration=incident_duration(state, now),
    )


def order(
    summaries: Sequence[IncidentSummary[R]], policy: Policy, closed_shown: int | None = None
) -> list[IncidentSummary[R]]:
    """``summaries`` in the one list order (open first, worst severity, newest; then the
    closed ones, newest first, at most ``closed_shown`` of them)."""
    from warroom.domain.ordering import order_incidents

    return order_incidents(summaries, is_open=lambda s: s.is_open, severity=lambda s: s.severity,
                           declared_at=lambda s: s.declared_at, policy=policy,
                           closed_shown=closed_shown)


@dataclass(frozen=True, slots=True)
class ListTotals:
    """How many incidents a list holds."""

    open: int
    closed: int

    @property
    def total(self) -> int:
        """Every incident."""
        return self.open + self.closed


def list_totals(summaries: Sequence[IncidentSummary[R]]) -> ListTotals:
    """How many of ``summaries`` are open and closed."""
    open_count = sum(1 for s in summaries if s.is_open)
    return ListTotals(open=open_count, closed=len(summaries) - open_count)
