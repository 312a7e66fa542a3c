"""On-call weeks and working hours, in the policy's zone. Pure."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from warroom.domain.oncall_policy import WEEKDAYS, OncallPolicy, minutes_of_day

__all__ = ["is_after_hours", "week_start", "weeks_between"]


def week_start(at: datetime, policy: OncallPolicy) -> datetime:
    """The start of the on-call week holding ``at``: the latest hand-off at or before it."""
    zone = ZoneInfo(policy.zone)
    local = at.astimezone(zone)
    handoff = minutes_of_day(policy.handoff)
    back = (local.weekday() - WEEKDAYS.index(policy.week_starts)) % 7
    day = local.date() - timedelta(days=back)
    start = datetime.combine(day, time(handoff // 60, handoff % 60), tzinfo=zone)
    if start > local:
        start = datetime.combine(day - timedelta(days=7), start.timetz())
    return start


def weeks_between(since: datetime, until: datetime, policy: OncallPolicy) -> list[datetime]:
    """Starts of the on-call weeks overlapping ``[since, until)``, oldest first.

    Week starts are computed as wall-clock times in the zone (a week across a DST
    change is an hour shorter or longer, the hand-off stays at its local time).
    """
    starts: list[datetime] = []
    current = week_start(since, policy)
    while current < until:
        starts.append(current)
        following = current.date() + timedelta(days=7)
        current = datetime.combine(following, current.timetz())
    return starts


def is_after_hours(at: datetime, policy: OncallPolicy) -> bool:
    """Whether ``at`` falls outside the working days and hours, in the policy's zone."""
    local = at.astimezone(ZoneInfo(policy.zone))
    if WEEKDAYS[local.weekday()] not in policy.work_days:
        return True
    minute = local.hour * 60 + local.minute
    return not minutes_of_day(policy.work_start) <= minute < minutes_of_day(policy.work_end)
