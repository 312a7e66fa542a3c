"""The three webhook payloads, validated with pydantic and reduced to one shape.

- Prometheus Alertmanager's webhook (``version`` "4"): a group of alerts with a
  ``groupKey``; each alert has ``status``, ``labels``, ``annotations``, ``startsAt``,
  ``endsAt`` and a ``fingerprint``.
- Grafana alerting's webhook: the same shape (Grafana's own ``version`` "1"), with a
  few fields of its own that are ignored here.
- PagerDuty's v3 webhook: one ``event`` (``incident.triggered``, ``…acknowledged``,
  ``…resolved``) whose ``data`` is the PagerDuty incident; the PagerDuty incident is the
  group and the event id the idempotency key.

Unknown fields are ignored (senders add fields over time); missing required ones, a
wrong type or an oversized value are a :class:`PayloadError` with one line saying
where. Nothing here trusts the text: the mapping sanitises it before it is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from warroom.domain.events import PageStatus
from warroom.domain.validation import first_problem
from warroom.errors import WarroomError

#: The most alerts one notification may carry (Alertmanager sends a whole group).
MAX_ALERTS = 1000
#: The most labels or annotations one alert may carry.
MAX_PAIRS = 200
#: The longest label or annotation value kept (longer ones are refused as hostile).
MAX_VALUE = 16_000

#: Instants before this are "not set" (Alertmanager and Grafana send year 1).
_UNSET_BEFORE = datetime(1971, 1, 1, tzinfo=UTC)

Source = Literal["alertmanager", "grafana", "pagerduty"]


class PayloadError(WarroomError, ValueError):
    """A payload that is not what the endpoint accepts; the message is one line."""


_LENIENT = ConfigDict(extra="ignore", frozen=True)
_Pairs = dict[str, str]


class _Alert(BaseModel):
    model_config = _LENIENT
    status: Literal["firing", "resolved"]
    labels: _Pairs = Field(max_length=MAX_PAIRS)
    annotations: _Pairs = Field(default_factory=dict, max_length=MAX_PAIRS)
    startsAt: AwareDatetime
    endsAt: AwareDatetime | None = None
    fingerprint: str = Field(default="", max_length=200)
    generatorURL: str = Field(default="", max_length=MAX_VALUE)


class _AlertGroup(BaseModel):
    """Alertmanager's (and Grafana's) notification of one alert group."""

    model_config = _LENIENT
    receiver: str = Field(default="", max_length=MAX_VALUE)
    status: Literal["firing", "resolved"]
    alerts: list[_Alert] = Field(min_length=1, max_length=MAX_ALERTS)
    groupKey: str = Field(max_length=MAX_VALUE)
    groupLabels: _Pairs = Field(default_factory=dict, max_length=MAX_PAIRS)
    commonLabels: _Pairs = Field(default_factory=dict, max_length=MAX_PAIRS)
    commonAnnotations: _Pairs = Field(default_factory=dict, max_length=MAX_PAIRS)


class _AlertmanagerGroup(_AlertGroup):
    version: Literal["4"]


class _Ref(BaseModel):
    model_config = _LENIENT
    summary: str = Field(default="", max_length=MAX_VALUE)


class _PagerDutyIncident(BaseModel):
    model_config = _LENIENT
    id: str = Field(min_length=1, max_length=200)
    type: str = ""
    title: str = Field(default="", max_length=MAX_VALUE)
    status: str = ""
    created_at: AwareDatetime | None = None
    html_url: str = Field(default="", max_length=MAX_VALUE)
    urgency: str | None = None
    priority: _Ref | None = None
    service: _Ref | None = None


class _PagerDutyEvent(BaseModel):
    model_config = _LENIENT
    id: str = Field(min_length=1, max_length=200)
    event_type: str = Field(min_length=1, max_length=200)
    resource_type: str = ""
    occurred_at: AwareDatetime
    agent: _Ref | None = None
    data: dict[str, Any]


class _PagerDutyWebhook(BaseModel):
    model_config = _LENIENT
    event: _PagerDutyEvent


@dataclass(frozen=True)
class Signal:
    """One alert as received: its state, labels and annotations, and its times."""

    name: str
    status: PageStatus
    fingerprint: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    starts_at: datetime | None
    ends_at: datetime | None
    #: The idempotency key of this signal (a digest; the same notification → the same key).
    key: str
    #: When the tool says this change happened (None: when it was received).
    sent_at: datetime | None = None
    #: Who acted in the sending tool (PagerDuty's agent), if it says.
    agent: str = ""
    link: str = ""


@dataclass(frozen=True)
class Notification:
    """One webhook delivery reduced to what the mapping needs."""

    source: Source
    #: A digest of the sender's group (Alertmanager group key, PagerDuty incident id).
    group: str
    signals: tuple[Signal, ...]
    common_labels: Mapping[str, str] = field(default_factory=dict)
    common_annotations: Mapping[str, str] = field(default_factory=dict)
    #: Set for a delivery that carries nothing to record (a PagerDuty event type we skip).
    ignored: str = ""


def digest(*parts: str) -> str:
    """A short, stable, opaque digest of ``parts`` (for group and idempotency keys)."""
    hasher = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        hasher.update(len(encoded).to_bytes(8, "big"))
        hasher.update(encoded)
    return hasher.hexdigest()[:40]


def _when(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    return None if value < _UNSET_BEFORE else value


def _validate(model: type[BaseModel], document: Any) -> Any:
    if not isinstance(document, dict):
        raise PayloadError("the body must be a JSON object")
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problem = first_problem(error)
        where = problem.where or "(top level)"
        raise PayloadError(f"{where}: {problem.what}") from None


def _fingerprint(alert: _Alert) -> str:
    if alert.fingerprint:
        return alert.fingerprint
    return digest(*(f"{k}={v}" for k, v in sorted(alert.labels.items())))[:16]


def _group_notification(source: Source, group: _AlertGroup) -> Notification:
    group_id = digest(source, group.receiver, group.groupKey)
    signals = []
    for alert in group.alerts:
        starts = _when(alert.startsAt)
        ends = _when(alert.endsAt) if alert.status == "resolved" else None
        fingerprint = _fingerprint(alert)
        signals.append(
            Signal(
                name=alert.labels.get("alertname", "") or "alert",
                status=PageStatus(alert.status),
                fingerprint=fingerprint,
                labels=alert.labels,
                annotations=alert.annotations,
                starts_at=starts,
                ends_at=ends,
                sent_at=ends,
                key=digest(
                    group_id, fingerprint, alert.status, starts.isoformat() if starts else ""
                ),
                link=alert.generatorURL,
            )
        )
    return Notification(
        source=source,
        group=group_id,
        signals=tuple(signals),
        common_labels=group.commonLabels,
        common_annotations=group.commonAnnotations,
    )


def parse_alertmanager(document: Any) -> Notification:
    """An Alertmanager webhook body (version 4) as a :class:`Notification`."""
    return _group_notification("alertmanager", _validate(_AlertmanagerGroup, document))


def parse_grafana(document: Any) -> Notification:
    """A Grafana alerting webhook body as a :class:`Notification`."""
    return _group_notification("grafana", _validate(_AlertGroup, document))


_PAGERDUTY_STATUS = {
    "incident.triggered": PageStatus.FIRING,
    "incident.reopened": PageStatus.FIRING,
    "incident.acknowledged": PageStatus.ACKNOWLEDGED,
    "incident.resolved": PageStatus.RESOLVED,
}


def parse_pagerduty(document: Any) -> Notification:
    """A PagerDuty v3 webhook body as a :class:`Notification` (one signal, or ignored)."""
    event: _PagerDutyEvent = _validate(_PagerDutyWebhook, document).event
    status = _PAGERDUTY_STATUS.get(event.event_type)
    if status is None or event.resource_type not in ("", "incident"):
        return Notification(
            source="pagerduty", group="", signals=(), ignored=f"event type {event.event_type}"
        )
    try:
        incident = _PagerDutyIncident.model_validate(event.data)
    except ValidationError as error:
        problem = first_problem(error)
        raise PayloadError(f"event.data.{problem.where or ''}: {problem.what}") from None
    group_id = digest("pagerduty", incident.id)
    labels: dict[str, str] = {"alertname": incident.title or f"PagerDuty {incident.id}"}
    if incident.service is not None and incident.service.summary:
        labels["service"] = incident.service.summary
    severity = (incident.priority.summary if incident.priority else "") or incident.urgency or ""
    if severity:
        labels["severity"] = severity
    labels["pagerduty_incident"] = incident.id
    occurred = _when(event.occurred_at)
    signal = Signal(
        name=labels["alertname"],
        status=status,
        fingerprint=incident.id,
        labels=labels,
        annotations={"summary": incident.title} if incident.title else {},
        starts_at=_when(incident.created_at) or occurred,
        ends_at=occurred if status is PageStatus.RESOLVED else None,
        sent_at=occurred,
        key=digest("pagerduty-event", event.id),
        agent=event.agent.summary if event.agent is not None else "",
        link=incident.html_url,
    )
    return Notification(source="pagerduty", group=group_id, signals=(signal,))
