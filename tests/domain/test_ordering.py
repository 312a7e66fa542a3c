"""One incident ordering (domain/ordering.py): unclassified ranks as the default severity."""

from __future__ import annotations

from datetime import timedelta

from tests.support.times import T0
from warroom.domain.events import Severity
from warroom.domain.ordering import order_incidents, severity_rank
from warroom.domain.policy import DEFAULT_POLICY, policy_from_toml

# (name, open, severity, minutes after T0)
ROWS = [
    ("sev4", True, Severity.SEV4, 50),
    ("unclassified", True, None, 10),
    ("sev2-old", True, Severity.SEV2, 0),
    ("sev1", True, Severity.SEV1, 5),
    ("sev3", True, Severity.SEV3, 60),
    ("closed-old", False, Severity.SEV1, 1),
    ("closed-new", False, Severity.SEV4, 70),
]


def _order(policy=DEFAULT_POLICY, closed_shown=None):
    return [
        row[0]
        for row in order_incidents(
            ROWS,
            is_open=lambda r: r[1],
            severity=lambda r: r[2],
            declared_at=lambda r: T0 + timedelta(minutes=r[3]),
            policy=policy,
            closed_shown=closed_shown,
        )
    ]


def test_unclassified_sorts_as_sev2_not_below_sev4() -> None:
    assert severity_rank(None, DEFAULT_POLICY) == 2
    assert _order() == [
        "sev1", "unclassified", "sev2-old", "sev3", "sev4", "closed-new", "closed-old",
    ]  # fmt: skip


def test_the_default_severity_comes_from_the_policy_and_closed_ones_are_capped() -> None:
    policy = policy_from_toml("unclassified_default_severity = 3\n")
    # Newest first within a rank: the SEV3 (minute 60) before the unclassified (minute 10).
    assert _order(policy, closed_shown=1) == [
        "sev1", "sev2-old", "sev3", "unclassified", "sev4", "closed-new",
    ]  # fmt: skip
