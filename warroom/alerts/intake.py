"""Receiving a notification: find its incident, plan its entries, write them once.

:class:`AlertIntake` is synchronous and single-threaded by design (the server runs it
in one worker thread, in arrival order). It writes only through the :class:`Store`
(:meth:`~warroom.store.Store.append_pages`, one transaction per notification) with the
declared event built by :func:`warroom.service.declared_event`, and it reads incidents
through :class:`~warroom.service.IncidentSession` objects it keeps for the incidents
alerts feed, polled before each use so entries other seats wrote are seen.

Which incident: the one named by the policy's incident label (``warroom_incident``)
when it exists; else the latest incident holding a page of the same alert group, while
it is open; else a new one, if anything fires. Idempotency: each alert's key is checked
against every page entry in the write transaction itself, and the group's owner is
re-checked there too, so a retry racing the first try, or a second receiver on the same
database, records nothing twice and declares one incident per group.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.alerts.mapping import GroupView, clip, declaration, plan_feed
from warroom.alerts.payloads import Notification
from warroom.domain.events import EventKind, PageData, PageStatus, RunbookData, sort_key
from warroom.domain.policy import DEFAULT_POLICY, Policy
from warroom.domain.timesource import SystemTime, TimeSource
from warroom.service import IncidentSession, declared_event
from warroom.store import IncidentNotFoundError, PageBatch, StaleGroupError

if TYPE_CHECKING:
    from warroom.store import IncidentRecord, Store

#: How many incidents' sessions the intake keeps open (least recently fed dropped first).
SESSION_CACHE = 64
#: How many times a notification is planned again when another writer got there first.
ATTEMPTS = 5


@dataclass(frozen=True)
class Outcome:
    """What one notification did (the server logs it and answers with it)."""

    incident: str | None = None
    written: int = 0
    duplicates: int = 0
    created: bool = False
    ignored: str = ""
    warning: str = ""

    def summary(self) -> str:
        """One line for the log, e.g. ``incident=2026-… written=3 created``."""
        if self.ignored:
            return f"ignored ({self.ignored})"
        parts = [f"incident={self.incident or '-'}", f"written={self.written}"]
        if self.duplicates:
            parts.append(f"duplicates={self.duplicates}")
        if self.created:
            parts.append("declared")
        if self.warning:
            parts.append(f"warning={self.warning}")
        return " ".join(parts)


class AlertIntake:
    """Turns notifications into entries in one store (not thread-safe: one caller at a time)."""

    def __init__(
        self, store: Store, *, policy: Policy = DEFAULT_POLICY, time: TimeSource | None = None
    ) -> None:
        self.store = store
        self.policy = policy
        self.time: TimeSource = time if time is not None else SystemTime()
        self._sessions: OrderedDict[int, IncidentSession] = OrderedDict()

    def receive(self, notification: Notification) -> Outcome:
        """Record ``notification``; returns what was done. Raises store errors (nothing written)."""
        if notification.ignored or not notification.signals:
            return Outcome(ignored=notification.ignored or "no alerts")
        for _ in range(ATTEMPTS - 1):
            try:
                return self._attempt(notification)
            except StaleGroupError:
                continue
        return self._attempt(notification)

    # ---------------------------------------------------------------- internals
    def _attempt(self, notification: Notification) -> Outcome:
        rules = self.policy.alerts
        now = self.time.now()
        owner = self.store.page_group_owner(notification.group)
        target, warning = self._named_target(notification)
        if target is None and owner is not None:
            target = self.store.incident(owner)
        view = GroupView()
        if target is not None:
            view = self._view(self._session(target), notification.group)
            over = not view.open and not warning and self._named(notification) is None
            if over and any(s.status is PageStatus.FIRING for s in notification.signals):
                # The group's last incident is over: new firing alerts start a new one.
                target, view = None, GroupView()
        declared = None
        if target is None:
            plan = declaration(notification, rules)
            if plan is None:
                return Outcome(ignored="nothing fires and no incident holds this group",
                               warning=warning)
            declared = declared_event(
                plan.title, severity=plan.severity, services=plan.services, at=now,
                author=notification.source,
            )
        batches = plan_feed(notification, view, rules, now)
        written = self.store.append_pages(
            [PageBatch(b.key, b.events) for b in batches],
            group=notification.group,
            owner=owner,
            incident_id=target.id if target is not None else None,
            declared=declared,
        )
        record = written.record
        if record is not None and record.id in self._sessions:
            self._sessions[record.id].refresh()
        slug = record.slug if record is not None else (target.slug if target else None)
        return Outcome(
            incident=slug,
            written=len(written.events),
            duplicates=written.duplicates,
            created=written.created,
            warning=warning,
        )

    def _named(self, notification: Notification) -> str | None:
        label = self.policy.alerts.incident_label
        for labels in (notification.common_labels, *(s.labels for s in notification.signals)):
            value = labels.get(label, "").strip()
            if value:
                return value
        return None

    def _named_target(self, notification: Notification) -> tuple[IncidentRecord | None, str]:
        ref = self._named(notification)
        if ref is None:
            return None, ""
        try:
            return self.store.incident(ref), ""
        except IncidentNotFoundError:
            label = self.policy.alerts.incident_label
            return None, f"no incident {clip(ref, 60)!r} (label {label})"

    def _session(self, record: IncidentRecord) -> IncidentSession:
        session = self._sessions.get(record.id)
        if session is None:
            session = IncidentSession(self.store, record, time=self.time, policy=self.policy)
            self._sessions[record.id] = session
            while len(self._sessions) > SESSION_CACHE:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(record.id)
            session.refresh()  # another seat may have written since (cheap: reads the tail)
        return session

    @staticmethod
    def _view(session: IncidentSession, group: str) -> GroupView:
        """What ``session``'s incident holds about ``group``: firing alerts, milestones."""
        log = session.timeline_copy()
        pages = sorted(
            (log.event_at_slot(slot) for slot in log.kind_slots({EventKind.PAGE})),
            key=lambda event: event.id,
        )
        firing: set[str] = set()
        for event in pages:
            data = event.data
            if not isinstance(data, PageData) or data.group != group:
                continue
            if data.status is PageStatus.FIRING:
                firing.add(data.fingerprint)
            elif data.status is PageStatus.RESOLVED:
                firing.discard(data.fingerprint)
        state = session.state
        runbooks = sorted(
            (log.event_at_slot(slot) for slot in log.kind_slots({EventKind.RUNBOOK})),
            key=sort_key,
        )
        return GroupView(
            runbook=runbooks[-1].data.ref if runbooks and isinstance(
                runbooks[-1].data, RunbookData) else None,
            open=state.is_open,
            detected=state.detected_at is not None,
            acknowledged=state.acknowledged_at is not None,
            firing=frozenset(firing),
        )
