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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from warroom.alerts.mapping import GroupView, clip, declaration, plan_feed
from warroom.alerts.payloads import Notification
from warroom.domain.events import EventKind, PageData, PageStatus, RunbookData, sort_key
from warroom.domain.policy import DEFAULT_POLICY, Policy
from warroom.domain.timesource import SystemTime, TimeSource
from warroom.service import IncidentSession, declared_event
from warroom.store import (
    IncidentNotFoundError,
    PageBatch,
    PageRequest,
    PagesWritten,
    StaleGroupError,
)

if TYPE_CHECKING:
    from warroom.store import IncidentRecord, Store

#: How many incidents' sessions the intake keeps open (least recently fed dropped first).
SESSION_CACHE = 64
#: How many times a notification is planned again when another writer got there first.
ATTEMPTS = 5
#: The most notifications committed together by :meth:`AlertIntake.receive_many`.
BATCH_LIMIT = 64


@dataclass(frozen=True)
class _Plan:
    """A planned write: the store request, the target's slug, a warning, a named target."""

    request: PageRequest
    slug: str | None
    warning: str
    named: bool


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
        for attempt in range(ATTEMPTS):
            plan = self._plan(notification)
            if isinstance(plan, Outcome):
                return plan
            try:
                (written,) = self.store.append_pages_many([plan.request])
            except StaleGroupError:
                if attempt == ATTEMPTS - 1:
                    raise
                continue
            return self._done(plan, written)
        raise AssertionError("unreachable")  # pragma: no cover

    def receive_many(self, notifications: Sequence[Notification]) -> list[Outcome | Exception]:
        """Record several notifications, committing those of distinct groups together.

        One durable commit for a whole batch instead of one per notification (what a
        burst of alerts needs). A batch holds one notification per alert group and per
        incident, in arrival order; one naming its incident (the incident label) is
        written alone. Each result is an :class:`Outcome` or the store error for that
        notification (nothing of it written). A batch that meets another writer's page
        of one of its groups is rolled back and done one by one.
        """
        results: list[Outcome | Exception | None] = [None] * len(notifications)
        pending = list(enumerate(notifications))
        while pending:
            batch: list[tuple[int, _Plan]] = []
            later: list[tuple[int, Notification]] = []
            groups: set[str] = set()
            incidents: set[int] = set()
            for position, (index, notification) in enumerate(pending):
                if notification.group in groups or len(batch) >= BATCH_LIMIT:
                    later.append((index, notification))
                    continue
                try:
                    plan = self._plan(notification) if notification.signals else Outcome(
                        ignored=notification.ignored or "no alerts")
                except Exception as error:  # a store error reading: this one fails alone
                    results[index] = error
                    continue
                if isinstance(plan, Outcome):
                    results[index] = plan
                    continue
                target = plan.request.incident_id
                if plan.named or (target is not None and target in incidents):
                    if batch:  # write what came before it first: next round, in order
                        later.extend(pending[position:])
                        break
                    results[index] = self._one(notification)  # alone, planned afresh
                    continue
                groups.add(notification.group)
                if target is not None:
                    incidents.add(target)
                batch.append((index, plan))
            self._write_batch(batch, results, notifications)
            pending = later
        return [r if r is not None else Outcome(ignored="not processed") for r in results]

    # ---------------------------------------------------------------- internals
    def _one(self, notification: Notification) -> Outcome | Exception:
        try:
            return self.receive(notification)
        except Exception as error:
            return error

    def _write_batch(
        self,
        batch: list[tuple[int, _Plan]],
        results: list[Outcome | Exception | None],
        notifications: Sequence[Notification],
    ) -> None:
        if not batch:
            return
        try:
            written = self.store.append_pages_many([plan.request for _, plan in batch])
        except StaleGroupError:  # another writer got there first: one by one, re-planned
            for index, _plan in batch:
                results[index] = self._one(notifications[index])
            return
        except Exception as error:  # nothing of the batch was written
            for index, _plan in batch:
                results[index] = error
            return
        for (index, plan), one in zip(batch, written, strict=True):
            results[index] = self._done(plan, one)

    def _plan(self, notification: Notification) -> _Plan | Outcome:
        """Where ``notification`` goes and what it adds, as read now (nothing written)."""
        rules = self.policy.alerts
        now = self.time.now()
        owner = self.store.page_group_owner(notification.group)
        named = self._named(notification) is not None
        target, warning = self._named_target(notification)
        if target is None and owner is not None:
            target = self.store.incident(owner)
        view = GroupView()
        if target is not None:
            view = self._view(self._session(target), notification.group)
            over = not view.open and not warning and not named
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
                author=notification.source, policy=self.policy,
            )
        batches = plan_feed(notification, view, rules, now)
        request = PageRequest(
            [PageBatch(b.key, b.events) for b in batches],
            group=notification.group,
            owner=owner,
            incident_id=target.id if target is not None else None,
            declared=declared,
        )
        return _Plan(request, target.slug if target is not None else None, warning, named)

    def _done(self, plan: _Plan, written: PagesWritten) -> Outcome:
        record = written.record
        if record is not None and record.id in self._sessions:
            self._sessions[record.id].refresh()
        return Outcome(
            incident=record.slug if record is not None else plan.slug,
            written=len(written.events),
            duplicates=written.duplicates,
            created=written.created,
            warning=plan.warning,
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
