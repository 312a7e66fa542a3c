"""Test support for the right-hand panes: a host app that mounts one pane, and views.

:class:`PaneHost` is a minimal :class:`~textual.app.App` that mounts a single
pane and records every :class:`~warroom.tui.messages.SubmitEvent` that reaches
it, every bell and every notification; :func:`make_view` folds a list of events into the
:class:`~warroom.tui.messages.IncidentView` the war-room screen would push down.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from textual.app import App, ComposeResult
from textual.widget import Widget

from warroom.domain.clocks import clocks, effective_severity
from warroom.domain.events import Event
from warroom.domain.fold import fold
from warroom.domain.policy import DEFAULT_POLICY, Policy
from warroom.tui.messages import IncidentView, SubmitEvent
from warroom.tui.themes import VARIABLE_DEFAULTS


def make_view(
    events: list[Event],
    now: datetime,
    *,
    policy: Policy = DEFAULT_POLICY,
    tz: tzinfo = UTC,
    author: str = "tester",
) -> IncidentView:
    """The view of ``events`` at ``now``, for a seat that writes as ``author``."""
    state = fold(events)
    return IncidentView(
        state=state,
        clocks=clocks(state, policy, now),
        now=now,
        severity=effective_severity(state, policy, now),
        policy=policy,
        tz=tz,
        record_title=state.title,
        author=author,
    )


class PaneHost(App[None]):
    """Mounts one pane; keeps the SubmitEvents and counts bells."""

    def __init__(self, pane: Widget, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pane = pane
        self.submitted: list[SubmitEvent] = []
        self.bells = 0
        self.notes: list[tuple[str, str, str]] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The console's own theme variables, as the real app registers them."""
        return {**super().get_theme_variable_defaults(), **VARIABLE_DEFAULTS}

    def compose(self) -> ComposeResult:
        yield self.pane

    def on_submit_event(self, message: SubmitEvent) -> None:
        self.submitted.append(message)

    def bell(self) -> None:
        self.bells += 1

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Record (title, message, severity); user text must never be parsed as markup."""
        assert markup is False, f"notification parsed as markup: {message!r}"
        self.notes.append((title, message, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
