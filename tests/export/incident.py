"""Builders for the export tests: incidents made of back-dated scribe (CLI) entries."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support import entries
from tests.support.times import T0
from warroom.domain.events import (
    ComponentState,
    Event,
    NewEvent,
    Severity,
    StatusUpdateData,
)
from warroom.domain.parser import parse_entry
from warroom.store.records import IncidentRecord

GOLDEN = Path(__file__).with_name("golden")

#: When the incident was declared in the tool.
DECLARED = T0
#: The "now" every export of the hand-built incident is taken at.
NOW = datetime(2026, 11, 27, 16, 0, 0, tzinfo=UTC)

RECORD = IncidentRecord(
    id=1,
    slug="2026-11-27-checkout-errors-for-eu-customers",
    title="Checkout errors for EU customers",
    created_at=DECLARED,
)


def declared(
    at: datetime = DECLARED,
    *,
    title: str = "Checkout errors for EU customers",
    severity: Severity | None = None,
    services: tuple[str, ...] = ("checkout", "payments"),
    author: str = "alice",
) -> NewEvent:
    """The declaration event the store writes when an incident is created."""
    return entries.declared(title, at, severity=severity, services=services, author=author)


def entry(line: str, author: str = "alice", *, now: datetime = NOW) -> NewEvent:
    """One scribe line as typed in the console or given to ``warroom log``."""
    return parse_entry(line, now=now, tz="UTC", author=author)


def with_components(new: NewEvent, components: dict[str, ComponentState]) -> NewEvent:
    """A status-update entry with component states (the composer sets them)."""
    assert isinstance(new.data, StatusUpdateData)
    data = StatusUpdateData(phase=new.data.phase, components=components)
    return new.model_copy(update={"data": data})


def number(entries: Iterable[NewEvent], *, recorded: datetime = DECLARED) -> list[Event]:
    """Give entries ids from 1 in the order written, recorded one second apart."""
    return [
        Event.from_new(new, id=index, recorded_at=recorded + timedelta(seconds=index))
        for index, new in enumerate(entries, start=1)
    ]


def demo_entries() -> list[NewEvent]:
    """The hand-built incident whose metrics the tests compute by hand.

    Impact 13:52, detected 13:55 (alert), acknowledged 13:58, declared 14:00,
    SEV2 at 14:01, roles 14:02-14:03, mitigated 14:20, re-opened 14:40 (IC hand-off
    14:41), mitigated again 14:50, resolved 15:20. Status updates at 14:05
    (investigating), 14:45 (identified) and 15:20 (resolved).
    """
    return [
        declared(),  # 1
        entry("@13:52 /started Error rate on checkout starts to climb"),  # 2
        entry("@13:55 /detected alert Checkout 5xx alert fired"),  # 3
        entry("@13:58 /ack", author="bob"),  # 4
        entry("@14:01 /sev 2 checkout degraded for EU customers"),  # 5
        entry("@14:02 /ic alice"),  # 6
        entry("@14:02 /tech bob"),  # 7
        entry("@14:03 /comms carol"),  # 8
        with_components(  # 9
            entry(
                "@14:05 /status investigating Some customers in the EU cannot complete "
                "checkout. We are investigating.",
                author="carol",
            ),
            {
                "Checkout": ComponentState.PARTIAL_OUTAGE,
                "Payments API": ComponentState.DEGRADED_PERFORMANCE,
            },
        ),
        entry("@14:10 ! /decision Roll back release 2026.11.27-1"),  # 10
        entry("@14:12 /cmd kubectl rollout undo deploy/checkout", author="bob"),  # 11
        entry("@14:15 Cache hit | ratio `dropped` to <script>alert(1)</script> 12%", author="bob"),
        entry("@14:20 /mitigated Rollback complete, error rate back to normal"),  # 13
        entry("@14:40 /reopen Errors back after the cache warmed up"),  # 14
        entry("@14:41 /ic dave"),  # 15
        with_components(  # 16
            entry(
                "@14:45 /status identified Some EU customers still cannot check out.\n"
                "We found the cause and are fixing it.",
                author="carol",
            ),
            {"Checkout": ComponentState.MAJOR_OUTAGE},
        ),
        entry("@14:50 /mitigated Disabled the new cache path", author="bob"),  # 17
        entry("@15:20 /resolved Fix confirmed, metrics recovered", author="dave"),  # 18
        with_components(  # 19
            entry(
                "@15:20 /status resolved Checkout works again for all customers since 14:50 UTC.",
                author="carol",
            ),
            {"Checkout": ComponentState.OPERATIONAL, "Payments API": ComponentState.OPERATIONAL},
        ),
        entry("@15:22 /pm alice", author="dave"),  # 20
        entry(
            "@15:25 /action @bob Alert on checkout error rate per region due 2026-12-04 P1 "
            "done: the alert fires within 2 minutes in a staging drill",
            author="dave",
        ),  # 21
        entry("@15:26 /action improve monitoring", author="dave"),  # 22
        entry("@15:30 /fix 12 Cache hit ratio dropped to 12% | see `grafana`", author="bob"),  # 23
        entry("@15:31 /mark 3", author="dave"),  # 24
    ]


def demo_events() -> list[Event]:
    """:func:`demo_entries` as stored events."""
    return number(demo_entries())


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/name``; ``WARROOM_UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN / name
    if os.environ.get("WARROOM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file (WARROOM_UPDATE_GOLDEN=1)"
