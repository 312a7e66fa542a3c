"""The PostgreSQL store's write parameters: the arrays each append or import sends.

:class:`~warroom.store.postgres.store.PgStore` runs one server function per write
(``warroom_append``, ``warroom_import``); the functions here build their arguments
from the events, refuse what PostgreSQL cannot store (a NUL character), and tell the
unique-key failures that a retry or an idempotency key can answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

from warroom.domain.events import Event, NewEvent
from warroom.store.codec import Encoded, encode
from warroom.store.errors import StoreError


def check_nul(encoded: Encoded) -> None:
    """Refuse an encoded entry whose author or text holds a NUL (PostgreSQL text cannot)."""
    kind, _occurred, author, text, _key, _data = encoded
    if "\x00" in author or "\x00" in text:
        raise StoreError(
            f"the {kind} entry contains a NUL character, which PostgreSQL cannot store; "
            "nothing was written"
        )


def append_params(
    incident_id: int, news: Sequence[NewEvent], client_keys: Sequence[str] | None
) -> tuple[Any, ...]:
    """The arguments of ``warroom_append`` for ``news``; raises if one cannot be stored."""
    encoded = [encode(new) for new in news]
    for one in encoded:
        check_nul(one)
    return (
        incident_id,
        [e[0] for e in encoded],
        [new.occurred_at for new in news],
        [e[3] for e in encoded],
        [bool(e[4]) for e in encoded],
        [e[5] for e in encoded],
        # An idempotency key (log --once) is the client key: the server hands back
        # the entry stored with it instead of storing a second one.
        list(client_keys) if client_keys is not None else
        [f"once:{new.once}" if new.once else uuid.uuid4().hex for new in news],
    )


def import_params(
    slug: str, title: str, created_at: datetime, events: Sequence[Event]
) -> tuple[Any, ...]:
    """The arguments of ``warroom_import``; raises if an event cannot be stored."""
    encoded = [encode(event) for event in events]
    for one in encoded:
        check_nul(one)
    return (
        slug, title, created_at,
        [event.id for event in events],
        [e[0] for e in encoded],
        [event.occurred_at for event in events],
        [event.recorded_at for event in events],
        [e[2] for e in encoded],
        [e[3] for e in encoded],
        [bool(e[4]) for e in encoded],
        [e[5] for e in encoded],
    )


def lost_once_race(exc: Exception, news: Sequence[NewEvent]) -> bool:
    """Whether ``exc`` says another writer stored the same idempotency key first."""
    diag = getattr(exc, "diag", None)
    return (len(news) == 1 and news[0].once is not None
            and getattr(diag, "constraint_name", None) == "events_client_key")


def client_key_taken(exc: psycopg.Error) -> bool:
    """Whether ``exc`` is the unique client key refusing a second copy of an entry."""
    diag = getattr(exc, "diag", None)
    return (getattr(exc, "sqlstate", None) == "23505"
            and getattr(diag, "constraint_name", None) == "events_client_key")
