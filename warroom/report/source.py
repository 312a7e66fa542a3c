"""Read every incident of a store as report input (the one place the report touches I/O)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from warroom.domain.postmortem_rule import CauseRecord, cause_record
from warroom.report.health import IncidentInput

if TYPE_CHECKING:
    from warroom.store import Store

__all__ = ["cause_records", "load_inputs"]


def load_inputs(store: Store) -> list[IncidentInput]:
    """Every incident of ``store`` with all its events."""
    return [IncidentInput(slug=r.slug, events=store.events(r.id)) for r in store.incidents()]


def cause_records(store: Store, until: datetime | None = None) -> list[CauseRecord]:
    """The recurrence rule's view of every incident (events up to ``until``, if given)."""
    from warroom.domain.fold import fold

    records: list[CauseRecord] = []
    for item in load_inputs(store):
        events = [e for e in item.events if until is None or e.occurred_at <= until]
        record = cause_record(item.slug, fold(events), events)
        if record is not None:
            records.append(record)
    return records
