"""Incidents written to a real store, as a scribe would log them (for console and seat tests)."""

from __future__ import annotations

from datetime import UTC

from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession, declare_incident
from warroom.store import IncidentRecord, Store

__all__ = ["SEED_LINES", "seed_incident"]

#: The lines the seeded incident holds after its declaration (one a minute).
SEED_LINES: tuple[str, ...] = (
    "/detected alert checkout 5xx above 5%",
    "/ack",
    "/ic alice",
    "/tech bob",
    "/decision roll back checkout to v41",
    "/cmd kubectl rollout undo deploy/checkout",
    "! payments error rate back to 0.2%",
)


def seed_incident(store: Store, clock: FrozenTime, *, title: str = "Checkout errors in EU",
                  lines: tuple[str, ...] = SEED_LINES, severity: int | None = 2,
                  author: str = "alice") -> IncidentRecord:
    """Declare an incident at ``clock``'s now and log ``lines`` a minute apart."""
    start = clock.now()
    record = declare_incident(store, title, severity=severity, services=("checkout",),
                              at=start, author=author, policy=DEFAULT_POLICY)
    session = IncidentSession(store, record, time=clock, tz=UTC, author=author)
    for line in lines:
        clock.advance(minutes=1)
        session.log(line)
    return record
