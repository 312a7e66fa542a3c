"""Small formatting helpers shared by the report's renderers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warroom.domain.timefmt import format_seconds
from warroom.report.model import HealthMetric, Stat

__all__ = ["SPARKS", "duration", "metric_value", "sparkline", "stamp", "stat"]

SPARKS = "▁▂▃▄▅▆▇█"


def duration(seconds: float | None) -> str:
    """A duration in the one style (:func:`warroom.domain.timefmt.format_seconds`); ``—``
    for ``None``."""
    return format_seconds(seconds, "—")


def stat(value: Stat) -> tuple[str, str]:
    """Mean and median of a :class:`Stat`, formatted."""
    return duration(value.mean), duration(value.median)


def metric_value(metric: HealthMetric) -> str:
    """A metric's value with its unit, or ``not enough data``."""
    if metric.value is None:
        return "not enough data"
    if metric.unit == "percent":
        return f"{metric.value:.0f} %"
    if metric.unit == "minutes":
        return f"{metric.value:.1f} min"
    return f"{metric.value:.1f}"


def sparkline(values: list[int]) -> str:
    """One character per value, scaled to the largest (``▁`` for zero)."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


def stamp(at: datetime, zone: str) -> str:
    """``2026-11-02 09:00`` in ``zone``."""
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
