"""The policy as part of an incident's record: what a ``policy_set`` entry holds.

The declaration records the declaring seat's policy; ``warroom policy set`` appends a
:class:`~warroom.domain.events.PolicySetData` entry holding the whole new policy and
the numbers that moved. Every seat computes clocks from the latest recorded policy
(:func:`~warroom.domain.state.policy_in_force`), never from its own configuration.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from warroom.domain.events import NewEvent, PolicyChange, PolicySetData
from warroom.domain.policy import Policy

#: At most this many changes are spelt out in an entry's text (the payload has all).
_SHOWN_CHANGES = 6


def policy_payload(policy: Policy) -> dict[str, Any]:
    """The policy as recorded in an event: ``Policy.model_dump(mode="json")``."""
    payload: dict[str, Any] = policy.model_dump(mode="json")
    return payload


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key in sorted(value):
            _flatten(value[key], f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = value


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def policy_changes(old: Policy, new: Policy) -> tuple[PolicyChange, ...]:
    """Every leaf of the policy whose value differs, by dotted key (``severity.1.ack_minutes``)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(policy_payload(old), "", before)
    _flatten(policy_payload(new), "", after)
    keys = sorted(set(before) | set(after))
    return tuple(
        PolicyChange(key=key, old=_text(before.get(key)), new=_text(after.get(key)))
        for key in keys
        if before.get(key) != after.get(key)
    )


def change_summary(changes: tuple[PolicyChange, ...]) -> str:
    """One line for the timeline: ``checkpoint_minutes 15 → 10; …``."""
    if not changes:
        return "policy recorded; no number changed"
    shown = [f"{c.key} {_short(c.old)} → {_short(c.new)}" for c in changes[:_SHOWN_CHANGES]]
    more = len(changes) - _SHOWN_CHANGES
    if more > 0:
        shown.append(f"and {more} more")
    return "; ".join(shown)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def policy_set_event(old: Policy, new: Policy, *, at: datetime, author: str) -> NewEvent:
    """The entry that makes ``new`` the incident's policy (``old`` is the one in force)."""
    changes = policy_changes(old, new)
    return NewEvent(
        occurred_at=at,
        author=author,
        text=change_summary(changes),
        data=PolicySetData(policy=policy_payload(new), changes=changes),
    )
