"""The on-call health report as data: what the renderers and the JSON schema share."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Verdict(StrEnum):
    """A metric's verdict against the policy's thresholds."""

    HEALTHY = "healthy"
    WATCH = "watch"
    UNHEALTHY = "unhealthy"
    NOT_ENOUGH_DATA = "not enough data"


class HealthMetric(BaseModel):
    """One of the five on-call health metrics."""

    model_config = _FROZEN
    id: str = Field(description="Stable metric id.")
    label: str
    unit: str = Field(description="'pages', 'minutes' or 'percent'.")
    value: float | None = Field(description="None when n is 0 (not enough data).")
    n: int = Field(description="How many weeks, incidents or pages the value is computed from.")
    healthy: str = Field(description="The healthy bound, e.g. '< 5'.")
    unhealthy: str = Field(description="The unhealthy bound, e.g. '> 10'.")
    verdict: Verdict


class Week(BaseModel):
    """One on-call week."""

    model_config = _FROZEN
    start: datetime
    end: datetime
    partial: bool = Field(description="The week runs past --until: counted so far.")
    pages: int
    after_hours_pages: int
    pages_with_runbook: int
    incidents: int
    pages_verdict: Verdict
    after_hours_verdict: Verdict
    on_call: list[str] = Field(default=[], description="From --rotation (else empty).")


class PersonPages(BaseModel):
    """Pages attributed to one person of the rotation (``--rotation``)."""

    model_config = _FROZEN
    person: str = Field(description="Who was on call; '(nobody)' outside the rotation.")
    pages: int
    after_hours_pages: int


class Stat(BaseModel):
    """Mean and median of a duration over n incidents (seconds; None when n is 0)."""

    model_config = _FROZEN
    mean: float | None
    median: float | None
    n: int


class SeverityRow(BaseModel):
    """Per-severity response times."""

    model_config = _FROZEN
    severity: str = Field(description="SEV1..SEV4 or 'unclassified'.")
    incidents: int
    mtta: Stat
    mttm: Stat
    mttr: Stat


class ServiceRow(BaseModel):
    """Incidents touching one service."""

    model_config = _FROZEN
    service: str
    incidents: int


class LongIncident(BaseModel):
    """One of the longest incidents."""

    model_config = _FROZEN
    slug: str
    title: str
    severity: str
    duration_seconds: float
    ongoing: bool


class PastDueItem(BaseModel):
    """An action item past its due date on an incident that is not closed."""

    model_config = _FROZEN
    slug: str
    event_id: int
    text: str
    owner: str | None
    due: date
    days_late: int


class PostmortemRow(BaseModel):
    """An incident that required a post-mortem, and how it went."""

    model_config = _FROZEN
    slug: str
    severity: str
    reasons: list[str]
    owner: str | None
    schedule: str = Field(description="'kept', 'not yet due', 'not resolved' or what slipped.")


class Report(BaseModel):
    """Everything ``warroom report`` shows."""

    model_config = _FROZEN
    since: datetime
    until: datetime
    zone: str
    services: list[str] = Field(description="The --service filter (empty: every service).")
    incidents: int
    pages: int
    pages_counted_from: str
    metrics: list[HealthMetric]
    weeks: list[Week]
    severities: list[SeverityRow]
    by_service: list[ServiceRow]
    longest: list[LongIncident]
    past_due: list[PastDueItem]
    postmortems: list[PostmortemRow]
    pages_by_person: list[PersonPages] = Field(
        default=[], description="Pages per person on call (with --rotation; else empty)."
    )
