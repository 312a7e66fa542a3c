"""From a notification to the entries it adds: pure, driven by the policy's ``[alerts]`` table.

A firing group with no open incident declares one (:func:`declaration`): title from
the alert's summary (else its name) and service, severity from the severity label,
services from the service labels, ``detected (alert)`` back-dated to the earliest
``startsAt``, one *page* entry per alert, flagged key, listing its labels and
annotations, and a *runbook* entry (as ``/runbook`` writes) for the first runbook
annotation when the incident links none yet. A later notification for the same group
(:func:`plan_feed`) adds only what changed: alerts newly firing, alerts resolved,
acknowledged (PagerDuty); when nothing of the group fires any more a key note says so and
asks the IC to decide, the incident is never resolved for them.

Every entry belongs to one *batch* keyed by the idempotency key of the alert it comes
from; the store writes a batch only if its key was never recorded, in the same
transaction, so a re-sent notification adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from warroom.alerts.payloads import Notification, Signal
from warroom.domain.alert_policy import AlertMapping
from warroom.domain.events import (
    AcknowledgedData,
    DetectedData,
    DetectionSource,
    NewEvent,
    NoteData,
    PageData,
    PageStatus,
    RunbookData,
    Severity,
)
from warroom.domain.sanitize import one_line

#: The longest label or annotation value shown in an entry.
SHOWN_VALUE = 300
#: The longest page entry (labels and annotations included).
SHOWN_ENTRY = 4000
#: The longest incident title made from an alert.
TITLE_LENGTH = 120


@dataclass(frozen=True)
class Batch:
    """Entries written together or not at all, under one idempotency key."""

    key: str
    events: tuple[NewEvent, ...]


@dataclass(frozen=True)
class Declaration:
    """A new incident: title, severity and services for its declared event."""

    title: str
    severity: Severity | None
    services: tuple[str, ...]


@dataclass(frozen=True)
class GroupView:
    """What an incident already holds about one alert group (from its page entries)."""

    open: bool = True
    detected: bool = False
    acknowledged: bool = False
    #: Fingerprints of the group's alerts that fire now (firing page, no resolve since).
    firing: frozenset[str] = frozenset()
    #: The runbook the incident links already (``/runbook``), if any.
    runbook: str | None = None


def clip(text: str, limit: int) -> str:
    """``text`` on one line, sanitised, cut to ``limit`` characters with an ellipsis."""
    line = " ".join(one_line(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _pairs(values: Mapping[str, str]) -> str:
    return ", ".join(
        f"{clip(k, 80)}={clip(v, SHOWN_VALUE)}" for k, v in sorted(values.items())
    )


def _earliest(values: Iterable[datetime | None], now: datetime) -> datetime:
    times = [t for t in values if t is not None]
    return min([*times, now]) if times else now


def _severity_value(signal: Signal, source: str, rules: AlertMapping) -> str:
    value = signal.labels.get(rules.severity_label, "")
    if not value and source == "pagerduty":
        value = signal.labels.get("severity", "")
    return value


def _page(
    signal: Signal, source: str, group: str, rules: AlertMapping, now: datetime, *, key: bool
) -> NewEvent:
    """The page entry of one signal: what the tool said, with its labels and annotations."""
    name = clip(signal.name, 200) or "alert"
    status = signal.status
    if status is PageStatus.FIRING:
        summary = next(
            (signal.annotations[a] for a in rules.title_annotations if signal.annotations.get(a)),
            "",
        )
        parts = [f"{name} firing" + (f": {clip(summary, SHOWN_VALUE)}" if summary else "")]
        parts.append(f"labels: {_pairs(signal.labels)}")
        if signal.annotations:
            parts.append(f"annotations: {_pairs(signal.annotations)}")
        runbook = signal.annotations.get(rules.runbook_annotation, "")
        if runbook:
            parts.append(f"runbook: {clip(runbook, SHOWN_VALUE)}")
        text = " · ".join(parts)
    elif status is PageStatus.ACKNOWLEDGED:
        who = clip(signal.agent, 100)
        text = f"{name} acknowledged in {source}" + (f" by {who}" if who else "")
    else:
        text = f"{name} resolved"
    return NewEvent(
        occurred_at=min(signal.sent_at or now, now),
        author=source,
        text=clip(text, SHOWN_ENTRY),
        key=key,
        data=PageData(
            source=source,
            alert=clip(signal.name, 300),
            status=status,
            fingerprint=clip(signal.fingerprint, 200),
            severity=clip(_severity_value(signal, source, rules), 100),
            started_at=signal.starts_at,
            ended_at=signal.ends_at,
            group=group,
            key=signal.key,
        ),
    )


def declaration(notification: Notification, rules: AlertMapping) -> Declaration | None:
    """What a new incident for ``notification`` is called and how bad (None: nothing fires)."""
    firing = [s for s in notification.signals if s.status is PageStatus.FIRING]
    if not firing:
        return None
    first = firing[0]
    services: list[str] = []
    for signal in firing:
        for label in rules.service_labels:
            value = clip(signal.labels.get(label, ""), 100)
            if value:
                if value not in services:
                    services.append(value)
                break
    annotations = {**notification.common_annotations, **first.annotations}
    summary = next((annotations[a] for a in rules.title_annotations if annotations.get(a)), "")
    title = clip(summary or first.name, TITLE_LENGTH)
    if services and services[0].casefold() not in title.casefold():
        title = clip(f"{title} ({services[0]})", TITLE_LENGTH)
    severities = [
        sev
        for s in firing
        if (sev := rules.severity_of(_severity_value(s, notification.source, rules))) is not None
    ]
    return Declaration(
        title=title or "alert",
        severity=min(severities) if severities else None,
        services=tuple(services),
    )


def plan_feed(
    notification: Notification, view: GroupView, rules: AlertMapping, now: datetime
) -> list[Batch]:
    """The batches ``notification`` adds to an incident that holds ``view`` of its group.

    For a new incident pass ``GroupView()``: every firing alert is then new.
    """
    source = notification.source
    firing = set(view.firing)
    batches: list[Batch] = []
    detected = view.detected
    acknowledged = view.acknowledged
    runbook = view.runbook
    resolved_names: list[str] = []
    for signal in notification.signals:
        events: list[NewEvent] = []
        if signal.status is PageStatus.FIRING:
            if not detected:
                detected = True
                starts = _earliest(
                    (s.starts_at for s in notification.signals if s.status is PageStatus.FIRING),
                    now,
                )
                events.append(
                    NewEvent(
                        occurred_at=starts,
                        author=source,
                        text=clip(f"{signal.name} fired (alert start time)", 300),
                        data=DetectedData(source=DetectionSource.ALERT),
                    )
                )
            events.append(
                _page(signal, source, notification.group, rules, now,
                      key=signal.fingerprint not in firing)
            )
            firing.add(signal.fingerprint)
            link = clip(signal.annotations.get(rules.runbook_annotation, ""), 2000)
            if link and runbook is None:
                runbook = link  # the alert's runbook, linked as /runbook would
                events.append(NewEvent(occurred_at=now, author=source,
                                       text=clip(f"runbook of {signal.name}", 300),
                                       data=RunbookData(ref=link)))
        elif signal.status is PageStatus.ACKNOWLEDGED:
            events.append(_page(signal, source, notification.group, rules, now, key=False))
            if not acknowledged:
                acknowledged = True
                events.append(
                    NewEvent(
                        occurred_at=events[-1].occurred_at,
                        author=source,
                        text=events[-1].text,
                        data=AcknowledgedData(),
                    )
                )
        else:
            events.append(_page(signal, source, notification.group, rules, now, key=False))
            if signal.fingerprint in firing or source == "pagerduty":
                firing.discard(signal.fingerprint)
                resolved_names.append(clip(signal.name, 100))
        batches.append(Batch(key=signal.key, events=tuple(events)))
    if resolved_names and not firing and view.open and batches:
        names = ", ".join(dict.fromkeys(resolved_names))
        note = NewEvent(
            occurred_at=now,
            author=source,
            text=clip(
                f"Every alert of this group has resolved ({names}). The incident stays open: "
                "IC, decide whether it is mitigated (/mitigated) or resolved (/resolved).",
                SHOWN_ENTRY,
            ),
            key=True,
            data=NoteData(),
        )
        last = batches[-1]
        batches[-1] = Batch(key=last.key, events=(*last.events, note))
    return batches
