"""The policy numbers of on-call health, runbooks and the post-mortem-required rule.

Three sections of the policy table (see :class:`~warroom.domain.policy.Policy`),
each overridable from TOML like the rest::

    [oncall]
    zone = "Europe/Berlin"
    week_starts = "monday"
    handoff = "10:00"

    [oncall.pages_per_week]
    healthy = 4
    unhealthy = 8

    [runbooks]
    stale_days = 180

    [postmortem_rule]
    recurring_days = 60
"""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from warroom.domain.events import Severity

_FROZEN = ConfigDict(frozen=True, extra="forbid")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: Weekday names in ``date.weekday()`` order.
WEEKDAYS: tuple[Weekday, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)


def minutes_of_day(hhmm: str) -> int:
    """``"09:30"`` → 570 (the value must be a valid ``HH:MM``)."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _check_hhmm(value: str) -> str:
    if _HHMM.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not a time of day HH:MM (00:00-23:59)")
    return value


def check_zone(value: str) -> str:
    """``value`` if it names an IANA time zone, else ValueError."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone (e.g. UTC, Europe/Berlin)") from None
    return value


class Threshold(BaseModel):
    """A metric's verdict bounds: healthy beyond ``healthy``, unhealthy beyond ``unhealthy``.

    For a metric where lower is better, a value below ``healthy`` is healthy and one
    above ``unhealthy`` is unhealthy; ``higher_is_better`` turns both round. Anything
    in between is "watch".
    """

    model_config = _FROZEN
    healthy: float = Field(ge=0)
    unhealthy: float = Field(ge=0)
    higher_is_better: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Threshold:
        wrong = (
            self.healthy < self.unhealthy if self.higher_is_better
            else self.healthy > self.unhealthy
        )
        if wrong:
            raise ValueError("healthy and unhealthy bounds are the wrong way round")
        return self


class OncallPolicy(BaseModel):
    """On-call health: the metric thresholds, the on-call week and working hours."""

    model_config = _FROZEN
    zone: str = Field(default="UTC", description="Zone of the week boundary and working hours.")
    week_starts: Weekday = Field(default="monday", description="Day the on-call week starts.")
    handoff: str = Field(default="09:00", description="Time of the weekly hand-off (HH:MM).")
    work_start: str = Field(default="09:00", description="Working hours start (HH:MM).")
    work_end: str = Field(default="18:00", description="Working hours end (HH:MM).")
    work_days: tuple[Weekday, ...] = Field(
        default=("monday", "tuesday", "wednesday", "thursday", "friday"),
        description="Working days; a page outside them or outside the hours is after hours.",
    )
    pages_per_week: Threshold = Threshold(healthy=5, unhealthy=10)
    after_hours_pages_per_week: Threshold = Threshold(healthy=2, unhealthy=5)
    mtta_sev1_minutes: Threshold = Threshold(healthy=5, unhealthy=15)
    mtta_sev2_minutes: Threshold = Threshold(healthy=15, unhealthy=30)
    runbook_coverage_percent: Threshold = Threshold(
        healthy=80, unhealthy=50, higher_is_better=True
    )
    min_people: int = Field(default=5, ge=1, description="Fewest people in a rotation.")
    follow_the_sun_buffer_hours: float = Field(
        default=2, ge=0, le=12, description="Hours past business hours a region still covers."
    )
    longest_count: int = Field(default=5, ge=1, le=100, description="Longest incidents listed.")

    @field_validator("zone")
    @classmethod
    def _zone_ok(cls, value: str) -> str:
        return check_zone(value)

    @field_validator("handoff", "work_start", "work_end")
    @classmethod
    def _time_ok(cls, value: str) -> str:
        return _check_hhmm(value)

    @model_validator(mode="after")
    def _hours(self) -> OncallPolicy:
        if minutes_of_day(self.work_start) >= minutes_of_day(self.work_end):
            raise ValueError("work_start must be before work_end")
        return self


class RunbookPolicy(BaseModel):
    """What a runbook needs to pass lint."""

    model_config = _FROZEN
    stale_days: int = Field(default=90, ge=1, description="Last updated longer ago: stale.")


class PostmortemRule(BaseModel):
    """When a post-mortem is required (besides ``postmortem_engineering_hours``)."""

    model_config = _FROZEN
    always: tuple[Severity, ...] = Field(
        default=(Severity.SEV1,), description="Severities that always need one."
    )
    with_impact: tuple[Severity, ...] = Field(
        default=(Severity.SEV2,), description="Severities that need one with customer impact."
    )
    recurring: tuple[Severity, ...] = Field(
        default=(Severity.SEV3,), description="Severities that need one when the cause recurs."
    )
    recurring_days: int = Field(
        default=30, ge=1, description="Window in which incidents sharing a cause tag recur."
    )
    recurring_count: int = Field(
        default=2, ge=2, description="Incidents sharing a cause tag in the window to recur."
    )
