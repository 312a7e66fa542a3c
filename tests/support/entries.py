"""New entries (``NewEvent``) as a writer hands them to the store, built in one place."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.times import T0
from warroom.domain.events import DeclaredData, NewEvent, NoteData, Severity

__all__ = ["declared", "note"]


def declared(
    title: str = "Checkout API errors",
    at: datetime = T0,
    *,
    severity: Severity | None = Severity.SEV2,
    services: tuple[str, ...] = ("checkout",),
    author: str = "alice",
) -> NewEvent:
    """A declared event for ``create_incident``."""
    return NewEvent(
        occurred_at=at,
        author=author,
        data=DeclaredData(title=title, severity=severity, services=services),
    )


def note(text: str, minutes: float = 1, author: str = "bob") -> NewEvent:
    """A note ``minutes`` after T0."""
    return NewEvent(
        occurred_at=T0 + timedelta(minutes=minutes), author=author, text=text, data=NoteData()
    )
