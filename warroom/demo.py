"""The bundled demo incident, made "live": shifted so its last entry was a minute ago.

``sample_data/demo_incident.json`` is a JSON export (the format ``warroom export
--format json`` writes and ``warroom import`` reads). :func:`build_demo` reads it,
moves every instant by the same offset so that the latest one lies
:data:`LIVE_LAG` before ``now``, and imports it into a store. Because clocks are
computed from the stored times, the demo's countdowns then tick for real.

:func:`plan_demo` prepares that import with the standard library only (no pydantic,
no store): the console draws the demo's war room from the plan's record, then runs
:meth:`DemoPlan.build` in a worker.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warroom.bundled import bundled_dir
from warroom.domain.slugs import first_free_slug
from warroom.errors import WarroomError

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.store import IncidentRecord, Store
    from warroom.store.peek import RecordPeek

#: How long before ``now`` the demo's latest entry lands.
LIVE_LAG = timedelta(minutes=1)


class DemoError(WarroomError, ValueError):
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
    from warroom.domain.eventlog import latest_instant as latest_of

    latest = latest_of(events)
    if latest is None:
        raise DemoError("the demo incident has no events")
    return latest


def shift_events(events: Sequence[Event], offset: timedelta) -> list[Event]:
    """``events`` with every instant moved by ``offset`` (due dates by whole days)."""
    from warroom.domain.events import ActionItemData

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

    def taken(slug: str) -> bool:
        try:
            store.incident(slug)
        except IncidentNotFoundError:
            return False
        return True

    return first_free_slug(base, taken)


def build_demo(
    store: Store, *, now: datetime, path: Path | None = None, slug: str | None = None,
    mark: bool = False,
) -> IncidentRecord:
    """Import the demo incident into ``store``, live at ``now``; returns its record.

    ``mark`` (a demo going into a database that holds real incidents) makes it
    unmistakable: its title starts with :data:`DEMO_MARK` and its slug with ``demo-``.
    """
    from warroom.domain.events import DeclaredData
    from warroom.export.json_export import read_export_file

    document = read_export_file(path or demo_path())
    incident = document.incident
    events = list(document.events)
    offset = (now - LIVE_LAG) - latest_instant(events)
    title, base = incident.title, incident.slug
    if mark:
        title, base = f"{DEMO_MARK}{title}", f"demo-{base}"
        events = [
            e.model_copy(update={"data": e.data.model_copy(update={"title": title})})
            if isinstance(e.data, DeclaredData) else e
            for e in events
        ]
    return store.import_incident(
        slug=slug or free_slug(store, base),
        title=title,
        created_at=incident.created_at + offset,
        events=shift_events(events, offset),
    )


#: How a demo incident put into a database of real incidents is titled.
DEMO_MARK = "[DEMO] "


def incidents_in(target: Path | str) -> int:
    """How many incidents the database ``target`` holds (0: no file, or an empty one).

    Opened read-only; a file the store refuses raises its one-line error, untouched.
    """
    from warroom.store.files import open_database

    if isinstance(target, Path):
        try:
            if target.stat().st_size == 0 and target.is_file():
                return 0
        except FileNotFoundError:
            return 0
    with open_database(target, create=False, read_only=True) as store:
        return len(store.incidents())


def refuse_real_database(target: Path | str, *, force: bool) -> bool:
    """Whether the demo goes into a database that already holds incidents (with ``force``).

    Without ``force`` such a database is refused (:class:`DemoError`): a fake open
    SEV1 among real incidents misleads, and makes ``log`` without an incident ambiguous.
    """
    count = incidents_in(target)
    if count and not force:
        raise DemoError(
            f"{target} already holds {count} incident{'s' if count > 1 else ''}: the demo "
            "would add a fake open SEV1 among them; give a new file, or --force to add it "
            f"anyway (titled '{DEMO_MARK.strip()} …')"
        )
    return bool(count)


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """The demo incident's import into ``db_path``, planned before anything heavy is loaded.

    ``record`` is the incident as it will be stored (id, slug, title, creation time),
    enough for the war room's first frame; :meth:`build` does the import.
    """

    db_path: Path
    source: Path
    now: datetime
    record: RecordPeek

    def build(self, store: Store) -> IncidentRecord:
        """Import the demo into ``store`` (the plan's database) as planned; returns its record.

        Raises :class:`DemoError` if another process declared an incident there
        since the plan was made (the demo then got another id).
        """
        record = build_demo(store, now=self.now, path=self.source, slug=self.record.slug)
        if record.id != self.record.id:
            raise DemoError(
                f"another incident was declared in {self.db_path} while the demo was "
                f"imported; the demo is incident {record.slug} (warroom open {record.slug})"
            )
        return record


def plan_demo(db_path: Path, *, now: datetime, path: Path | None = None) -> DemoPlan | None:
    """Plan the demo's import into ``db_path``, live at ``now`` (standard library only).

    ``None`` when anything is unusual (the demo file cannot be read, the database is
    not one the store would open as it is): the caller then builds the demo the
    ordinary way, which reports the problem. Used by the console only (through the
    store's first-frame reader, :mod:`warroom.store.peek`).
    """
    from warroom.store.peek import RecordPeek, peek_new_incident

    try:
        source = path or demo_path()
        document = json.loads(source.read_text(encoding="utf-8"))
        incident: dict[str, Any] = document["incident"]
        latest = max(
            datetime.fromisoformat(event[name])
            for event in document["events"] for name in ("occurred_at", "recorded_at")
        )
        created = datetime.fromisoformat(incident["created_at"])
        title, slug = incident["title"], incident["slug"]
        if not (isinstance(title, str) and isinstance(slug, str)) or latest.tzinfo is None:
            return None
        offset = (now - LIVE_LAG) - latest
    except (OSError, ValueError, TypeError, KeyError, DemoError):
        return None
    planned = peek_new_incident(db_path, slug)
    if planned is None:
        return None
    ident, free = planned
    return DemoPlan(db_path=db_path, source=source, now=now,
                    record=RecordPeek(ident, free, title, created + offset))
