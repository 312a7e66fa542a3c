"""The order incidents are listed in: one rule for every list.

Open incidents come first, worst severity first, newest first within a severity;
then the closed ones (resolved or later), newest first. An incident still
**unclassified** ranks as ``policy.unclassified_default_severity`` (SEV2 by default),
the severity the clocks already run it on — never below SEV4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from warroom.domain.events import Severity
from warroom.domain.policy import Policy

__all__ = ["order_incidents", "severity_rank"]

T = TypeVar("T")


def severity_rank(severity: Severity | None, policy: Policy) -> int:
    """Sort rank of a severity, worst (1) first; unclassified ranks as the default."""
    return int(severity if severity is not None else policy.unclassified_default_severity)


def order_incidents(
    items: Iterable[T],
    *,
    is_open: Callable[[T], bool],
    severity: Callable[[T], Severity | None],
    declared_at: Callable[[T], datetime],
    policy: Policy,
    closed_shown: int | None = None,
) -> list[T]:
    """``items`` in list order (see the module doc); at most ``closed_shown`` closed ones."""
    items = list(items)
    open_ones = sorted(
        (item for item in items if is_open(item)),
        key=lambda item: (severity_rank(severity(item), policy), -declared_at(item).timestamp()),
    )
    closed = sorted(
        (item for item in items if not is_open(item)),
        key=lambda item: -declared_at(item).timestamp(),
    )
    return open_ones + (closed if closed_shown is None else closed[:closed_shown])
