"""The war room's link to its incident, without a screen: what it posts on a poll."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from textual.message import Message

from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.store import StoreError
from warroom.tui.incident_link import IncidentLink
from warroom.tui.messages import WriteFailed


class _Owner:
    """Stands in for the screen: keeps what is posted."""

    def __init__(self) -> None:
        self.posted: list[Message] = []

    def post_message(self, message: Message) -> bool:
        self.posted.append(message)
        return True


class _FailingLive:
    """A live session whose reads fail the same way until ``error`` is cleared."""

    down_since = None

    def __init__(self) -> None:
        self.error: Exception | None = StoreError("db has no warroom schema")

    def poll(self) -> Any:
        if self.error is not None:
            raise self.error
        return None  # a write holds the session


def _link(owner: _Owner, frozen_time: FrozenTime) -> IncidentLink:
    return IncidentLink(owner, store=lambda: None, record=None,  # type: ignore[arg-type]
                        clock=frozen_time, policy=DEFAULT_POLICY, tz=UTC, author="test")


def test_a_read_error_that_persists_is_shown_once_not_at_every_poll(
    frozen_time: FrozenTime,
) -> None:
    owner = _Owner()
    link = _link(owner, frozen_time)
    live = _FailingLive()
    link.live = live  # type: ignore[assignment]
    for _ in range(8):  # two seconds of polls
        link._look()
    shown = [m for m in owner.posted if isinstance(m, WriteFailed)]
    assert len(shown) == 1
    live.error = StoreError("permission denied for table events")
    link._look()
    shown = [m for m in owner.posted if isinstance(m, WriteFailed)]
    assert len(shown) == 2, "a different error is shown"
