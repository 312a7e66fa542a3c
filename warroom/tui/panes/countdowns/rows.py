"""One clock of the countdowns pane: its row, its time and its rule or action lines.

:func:`clock_value` is a clock's right-hand text (remaining time, "met", or when it
starts); :func:`clock_detail` the dim text under it (what to do when it is due, else
the rule); :class:`ClockRow` draws both for one clock, the detail wrapped under the
name in a narrow pane (:func:`detail_lines`). The pane that lists them is
:class:`~warroom.tui.panes.countdowns.pane.CountdownsPane`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, tzinfo

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from warroom.cells import wrap_text
from warroom.domain.clocks import Clock, ClockState, format_remaining
from warroom.domain.sanitize import one_line
from warroom.domain.timefmt import format_zoned
from warroom.tui.widgets.pane_support import swap_classes

__all__ = [
    "CHECKPOINT_CLOCK",
    "DUE_STATES",
    "ESCALATION_CLOCK",
    "ClockRow",
    "clock_detail",
    "clock_value",
    "detail_lines",
]

ESCALATION_CLOCK = "sev2_escalation"
CHECKPOINT_CLOCK = "checkpoint"
#: The states in which a clock asks for something to be done.
DUE_STATES = frozenset({ClockState.DUE_SOON, ClockState.OVERDUE})
_ICONS: dict[ClockState, str] = {
    ClockState.OVERDUE: "▲",
    ClockState.DUE_SOON: "●",
    ClockState.RUNNING: "○",
    ClockState.NOT_STARTED: "·",
    ClockState.MET: "✓",
    ClockState.NOT_APPLICABLE: "–",
}
#: A slash command named in brackets in an action, with the space before it.
_COMMAND = re.compile(r" \(/[a-z]+\)")
#: The most lines a clock's detail takes (then it ends in "…"; hover shows it whole).
MAX_DETAIL_LINES = 4


def clock_value(clock: Clock, now: datetime, tz: tzinfo) -> str:
    """The right-hand text of a clock: remaining time, "met", or when it starts."""
    if clock.remaining is not None and clock.state in (
        ClockState.RUNNING,
        ClockState.DUE_SOON,
        ClockState.OVERDUE,
    ):
        return format_remaining(clock.remaining)
    if clock.state == ClockState.MET:
        return "met"
    if clock.state == ClockState.NOT_STARTED:
        if clock.started_at is not None and clock.started_at > now:
            return "from " + format_zoned(clock.started_at, tz, now=now)
        return "not started"
    return "n/a"


def clock_detail(clock: Clock, keys: Mapping[str, str] | None = None) -> str:
    """The second line: what to do for a due clock, else the rule.

    For the escalation and the checkpoint, the line names the key that runs the
    action from anywhere in the war room (``keys["escalate"]``,
    ``keys["checkpoint"]``, e.g. "F7"); without one, the pane's own key. The key
    then stands for the command the action names in brackets (``(/checkpoint)``),
    which is left out.
    """
    if clock.state in DUE_STATES and clock.action:
        keys = keys or {}
        key = ""
        if clock.id == ESCALATION_CLOCK:
            key = keys.get("escalate") or "e"
        elif clock.id == CHECKPOINT_CLOCK:
            key = keys.get("checkpoint") or "c"
        action = one_line(clock.action)
        if key:
            return f"→ press {key}: {_COMMAND.sub('', action, count=1)}"
        return f"→ {action}"
    return one_line(clock.rule)


def detail_lines(detail: str, width: int) -> list[str]:
    """``detail`` under a clock's name in ``width`` cells: indented, wrapped at spaces.

    An action ("→ …") continues under its text, a rule under its first word, at most
    :data:`MAX_DETAIL_LINES` lines.
    """
    if detail.startswith("→ "):
        first, hang, text = "  → ", "    ", detail[2:]
    else:
        first, hang, text = "  ", "  ", detail
    lines = wrap_text(text, width - len(hang), MAX_DETAIL_LINES)
    return [first + lines[0], *(hang + line for line in lines[1:])]


class ClockRow(Widget):
    """One clock: icon, name and remaining time, then its dim rule or action lines."""

    class Activated(Message):
        """The row was clicked."""

        def __init__(self, clock_id: str) -> None:
            """Carry the clicked clock's id."""
            super().__init__()
            self.clock_id = clock_id

    _STATE_CLASSES = tuple(f"-{state.value}" for state in ClockState)
    _MANAGED = (*_STATE_CLASSES, "-brief")

    def __init__(self, clock_id: str) -> None:
        """An empty row for the clock ``clock_id``."""
        super().__init__(id=f"clock-{clock_id}", classes="clock-row")
        self.clock_id = clock_id
        self._value = ""
        self._clock: Clock | None = None
        self._detail = True
        self._keys: Mapping[str, str] = {}
        self._tip = ""

    def set_clock(
        self, clock: Clock, value: str, *, detail: bool, keys: Mapping[str, str] | None = None
    ) -> None:
        """Show ``clock`` with ``value`` on the right; refresh only on change.

        ``keys`` names the screen's keys for the action line (see :func:`clock_detail`).
        """
        keys = keys or {}
        if (clock == self._clock and value == self._value and detail == self._detail
                and keys == self._keys):
            return
        # A new time is a repaint; a new detail text may take another number of
        # lines (a layout).
        resized = (self._clock is None or detail != self._detail
                   or (detail and clock_detail(clock, keys) != self._detail_text()))
        self._clock, self._value, self._detail, self._keys = clock, value, detail, keys
        wanted = {f"-{clock.state.value}"} | (set() if detail else {"-brief"})
        swap_classes(self, self._MANAGED, wanted)
        tip = one_line(clock.rule)
        if clock.action:
            tip += "\n→ " + one_line(clock.action)
        if tip != self._tip:
            self._tip = tip
            self.tooltip = Text(tip)
        self.refresh(layout=bool(resized))

    def _detail_text(self) -> str:
        return clock_detail(self._clock, self._keys) if self._clock is not None else ""

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """One line, and the detail's lines at ``width`` when the detail is shown."""
        if not self._detail or self._clock is None:
            return 1
        return 1 + len(detail_lines(self._detail_text(), max(width, 10)))

    def render(self) -> Text:
        """Icon, name and time on one line; the dim detail on the next."""
        clock = self._clock
        if clock is None:
            return Text("")
        width = max(self.size.width, 10)
        head = Text(f"{_ICONS[clock.state]} ")
        head.append(one_line(clock.name), style="bold")
        value = Text(self._value, style="bold")
        room = width - head.cell_len - value.cell_len
        if room < 1:
            head.truncate(max(1, width - value.cell_len - 1), overflow="ellipsis")
            room = 1
        head.append(" " * room)
        head.append_text(value)
        if not self._detail:
            return head
        body = Text("\n".join(detail_lines(self._detail_text(), width)), style="dim")
        return Text("\n").join([head, body])

    def on_click(self, event: Click) -> None:
        """Tell the pane which clock was clicked."""
        self.post_message(self.Activated(self.clock_id))
