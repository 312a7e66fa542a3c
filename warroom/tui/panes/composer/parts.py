"""The status composer's parts: the due line, a component row, the preview box, formats.

:func:`next_update_line` words the status-update clock; :class:`ComponentRow` is one
affected component with its state select; :class:`PreviewBox` frames the preview;
:func:`render_update_as` renders a posted update in a copy format. The pane that
puts them together is :class:`~warroom.tui.panes.composer.pane.StatusComposerPane`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select

from warroom.domain.clocks import Clock, ClockState, format_remaining
from warroom.domain.events import ComponentState
from warroom.domain.sanitize import one_line
from warroom.domain.state import StatusUpdate
from warroom.domain.timefmt import format_zoned
from warroom.export.status import render_markdown, render_statuspage_json
from warroom.tui.messages import IncidentView

__all__ = [
    "COMPOSER_BINDINGS",
    "COMPOSER_HELP",
    "LEFT_OUT",
    "ComponentRow",
    "PreviewBox",
    "next_update_line",
    "render_update_as",
]

#: What a component select shows when the component is left out of the update.
LEFT_OUT = "(left out)"

#: The composer's keys (its actions: post, copy, refill).
COMPOSER_BINDINGS: tuple[BindingType, ...] = (
    Binding(
        "ctrl+s",
        "post",
        "Post",
        id="composer.post",
        tooltip="Log the status update verbatim (restarts the update clock)",
    ),
    Binding(
        "ctrl+t",
        "copy",
        "Copy",
        id="composer.copy",
        tooltip="Copy the last posted update (or the draft's preview) to the clipboard",
    ),
    Binding(
        "ctrl+r",
        "refill",
        "Template",
        id="composer.refill",
        tooltip="Replace the text with the phase's template",
    ),
)

#: The composer's help (shown by the help screen for the focused pane).
COMPOSER_HELP = """\
## Status composer

Write the customer-facing status update. Choose the **phase** (Investigating,
Identified, Monitoring, Resolved) and each affected **component**'s state; the
text starts from the phase's template, filled in from the incident, and follows
the phase until you edit it.

The writing rules are checked as you type (they warn, never block): plain
language without internal names, error codes or jargon; customer impact first;
never "no impact" when customers reported the problem; every time with its zone.

| Key | Action |
|---|---|
| **ctrl+s** | post the update (logged verbatim; restarts the update clock) |
| **ctrl+t** | copy the last posted update, or the draft's preview, to the clipboard |
| **ctrl+r** | replace the text with the phase's template |
| **Tab** | move between phase, components, text, preview (when it scrolls) and buttons |
"""


def next_update_line(clock: Clock | None, view: IncidentView) -> tuple[str, str]:
    """The "next update due …" line and its state class, from the status-update clock."""
    if clock is None:
        return "No status-update clock.", "-not_applicable"
    state = clock.state
    if state == ClockState.NOT_APPLICABLE:
        return one_line(clock.rule), "-not_applicable"
    if state == ClockState.MET:
        return "No further update due.", "-met"
    deadline = (
        format_zoned(clock.deadline, view.tz, now=view.now) if clock.deadline is not None else ""
    )
    if clock.remaining is not None and state == ClockState.OVERDUE:
        late = format_remaining(-clock.remaining)
        return f"Update overdue by {late} (was due {deadline}).", "-overdue"
    if clock.remaining is not None:
        first = "First update" if not view.state.status_updates else "Next update"
        return f"{first} due in {format_remaining(clock.remaining)} ({deadline}).", f"-{state}"
    return (f"Next update due {deadline}." if deadline else "Not started."), "-not_started"


class ComponentRow(Horizontal):
    """One affected component: its name and a state select."""

    def __init__(self, name: str, state: ComponentState | None) -> None:
        """A row for the component ``name`` in ``state`` (``None``: left out)."""
        super().__init__(classes="component-row")
        self.component = name
        self._state = state

    def compose(self) -> ComposeResult:
        """The name (plain text) and the select."""
        yield Label(Text(self.component), classes="component-name")
        yield Select(
            [(Text(state.label), state) for state in ComponentState],
            value=Select.NULL if self._state is None else self._state,
            prompt=LEFT_OUT,
            allow_blank=True,
            compact=True,
            classes="component-state",
        )

    @property
    def select(self) -> Select[ComponentState]:
        """The state select."""
        return self.query_one(Select)

    @property
    def state(self) -> ComponentState | None:
        """The chosen state, ``None`` when left out."""
        value = self.select.value
        return value if isinstance(value, ComponentState) else None

    def set_state(self, state: ComponentState | None) -> None:
        """Show ``state`` (``None``: left out)."""
        if state is None:
            self.select.clear()
        else:
            self.select.value = state


class PreviewBox(VerticalScroll, can_focus=True):
    """The preview's frame: it scrolls when the preview is taller than the room it has.

    It is a Tab stop only while part of the preview is out of view (scrolled in
    the box, or below the pane's fold): keyboard users can then bring it into
    view and scroll it; when it is all on screen, Tab goes straight past it.
    """

    def allow_focus(self) -> bool:
        """Focusable while some of the preview cannot be seen."""
        if self.max_scroll_y > 0:
            return True
        from warroom.tui.panes.composer.pane import StatusComposerPane

        pane = next((a for a in self.ancestors if isinstance(a, StatusComposerPane)), None)
        if pane is None:
            return False
        return not pane.body.scrollable_content_region.contains_region(self.region)


def render_update_as(update: StatusUpdate, fmt: str, view: IncidentView) -> str:
    """``update`` rendered as ``"markdown"`` or ``"statuspage"`` JSON.

    Markdown shows times in the viewer's zone; the Statuspage body carries UTC
    timestamps (ISO 8601 with the zone).
    """
    if fmt == "statuspage":
        return render_statuspage_json(update, title=view.record_title)
    return render_markdown(update, title=view.record_title, tz=view.tz)
