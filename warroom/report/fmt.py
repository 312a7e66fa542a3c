"""Small formatting helpers shared by the report's renderers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warroom.report.model import HealthMetric, Stat

__all__ = ["SPARKS", "duration", "metric_value", "sparkline", "stamp", "stat"]

SPARKS = "▁▂▃▄▅▆▇█"


def duration(seconds: float | None) -> str:
    """``45s``, ``12m``, ``1h05m``, ``2d03h``; ``—`` for ``None``."""
    if seconds is None:
        return "—"
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    minutes = total // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


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
