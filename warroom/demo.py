"""The bundled demo incident, made "live": shifted so its last entry was a minute ago.

``sample_data/demo_incident.json`` is a JSON export (the format ``warroom export
--format json`` writes and ``warroom import`` reads). :func:`build_demo` reads it,
moves every instant by the same offset so that the latest one lies
:data:`LIVE_LAG` before ``now``, and imports it into a store. Because clocks are
computed from the stored times, the demo's countdowns then tick for real.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from warroom.bundled import bundled_dir
from warroom.domain.events import ActionItemData, Event

if TYPE_CHECKING:
    from warroom.store import IncidentRecord, Store

#: How long before ``now`` the demo's latest entry lands.
LIVE_LAG = timedelta(minutes=1)



class DemoError(ValueError):
    """The demo incident file is missing or unreadable."""


def demo_path() -> Path:
    """Where the demo incident lives: the repository's ``sample_data/``, or its copy
    inside the package (``warroom/sample_data``) in a non-editable install."""
    path = bundled_dir("sample_data") / "demo_incident.json"
    if not path.is_file():
        raise DemoError(f"the demo incident is missing (looked for {path})")
    return path


def latest_instant(events: Sequence[Event]) -> datetime:
    """The latest event or recorded time of ``events``."""
    if not events:
        raise DemoError("the demo incident has no events")
    return max(max(e.occurred_at, e.recorded_at) for e in events)


def shift_events(events: Sequence[Event], offset: timedelta) -> list[Event]:
    """``events`` with every instant moved by ``offset`` (due dates by whole days)."""
    days = timedelta(days=round(offset / timedelta(days=1)))
    shifted: list[Event] = []
    for event in events:
        update: dict[str, object] = {
            "occurred_at": event.occurred_at + offset,
            "recorded_at": event.recorded_at + offset,
        }
        data = event.data
        if isinstance(data, ActionItemData) and data.due is not None:
            update["data"] = data.model_copy(update={"due": data.due + days})
        shifted.append(event.model_copy(update=update))
    return shifted


def free_slug(store: Store, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not taken in ``store`` yet."""
    from warroom.store import IncidentNotFoundError

    candidate, n = base, 1
    while True:
        try:
            store.incident(candidate)
        except IncidentNotFoundError:
            return candidate
        n += 1
        candidate = f"{base}-{n}"


def build_demo(
    store: Store, *, now: datetime, path: Path | None = None, slug: str | None = None
) -> IncidentRecord:
    """Import the demo incident into ``store``, live at ``now``; returns its record."""
    from warroom.export.json_export import read_export_file

    document = read_export_file(path or demo_path())
    incident = document.incident
    events = list(document.events)
    offset = (now - LIVE_LAG) - latest_instant(events)
    return store.import_incident(
        slug=slug or free_slug(store, incident.slug),
        title=incident.title,
        created_at=incident.created_at + offset,
        events=shift_events(events, offset),
    )
