"""The countdowns pane: every policy clock, most urgent first, ticking each second.

One row per clock (a :class:`~warroom.tui.panes.countdowns.rows.ClockRow`; the
not-applicable ones share one dim line at the bottom)::

    ▲ Roles filled                                  -2m 10s
      → Assign Comms, Tech

The first line is the clock's name and its remaining time
(:func:`~warroom.domain.clocks.format_remaining`); the second, dim, the rule — or,
for a clock that is due, what to do about it. Colours come from per-row CSS
classes (``-overdue``, ``-due_soon``, ``-running``, ``-met``, …) mapped to theme
variables in ``countdowns.tcss``. When a clock is seen going overdue between two
calls of :meth:`CountdownsPane.show`, the pane posts a notification and rings the
bell, once per clock and deadline.

Keys: ``e`` confirms the SEV2 → SEV1 escalation when its clock is due (one-key
confirmation modal, then a severity change and an escalation are logged), ``c``
opens the IC checkpoint form, ``v`` toggles the rule lines. The war-room screen
binds the first two to keys that work wherever the focus is (F7, F6) and passes
their names down in :attr:`IncidentView.keys`, which the action lines show.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from warroom.domain.actions import checkpoint_event, escalation_reason, sev1_escalation_events
from warroom.domain.clocks import Clock, ClockState, format_remaining
from warroom.domain.events import CheckpointData, Severity
from warroom.domain.sanitize import one_line
from warroom.domain.state import SEAT_POLICY_MARKER
from warroom.domain.timefmt import format_zoned
from warroom.tui.messages import IncidentView, SubmitEvent
from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen
from warroom.tui.panes.countdowns.rows import (
    CHECKPOINT_CLOCK,
    DUE_STATES,
    ESCALATION_CLOCK,
    ClockRow,
    clock_value,
)
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.status_templates import STATUS_PHASE_LABELS
from warroom.tui.widgets.pane_support import (
    PendingMounts,
    focus_pane,
    load_css,
    palette_commands,
    set_subtitle,
    set_text,
)

__all__ = ["CountdownsPane"]

class CountdownsPane(PendingMounts, VerticalScroll, can_focus=True):
    """Every clock of the incident, most urgent first, ticking each second."""

    DEFAULT_CSS = load_css(__file__, "countdowns.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "confirm_escalation",
            "Escalate to SEV1",
            show=False,  # the screen's F7 is in the footer and works from anywhere
            id="countdowns.confirm_escalation",
            tooltip="Confirm the SEV2 → SEV1 escalation that is due (one key, logged)",
        ),
        Binding(
            "c",
            "checkpoint",
            "Checkpoint",
            show=False,  # the screen's F6 is in the footer and works from anywhere
            id="countdowns.checkpoint",
            tooltip="Answer the IC checkpoint's four questions into the timeline",
        ),
        Binding(
            "v",
            "toggle_rules",
            "Rules",
            id="countdowns.toggle_rules",
            tooltip="Show or hide the rule under every clock",
        ),
    ]

    HELP = """\
## Countdowns

Every clock the policy runs for this incident, most urgent first: overdue,
due soon, running, not started, met; the ones that do not apply share the last
line. The time on the right ticks every second (negative when overdue). Each
clock's rule — or, when it is due, what to do — is under its name; hover a row
for both.

When a clock goes overdue you get a notification and one bell.

| Key | Action |
|---|---|
| **F7** anywhere, **e** here | confirm the SEV2 → SEV1 escalation when due (then **y**) |
| **F6** anywhere, **c** here | run the IC checkpoint: four answers into the timeline |
| **v** | show or hide the rule lines |

The header always shows the most urgent clock, whatever pane you are in.
"""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """An empty pane; call :meth:`show` to fill it."""
        super().__init__(id=id, classes=classes)
        self.border_title = "Countdowns"
        self._view: IncidentView | None = None
        self._order: tuple[str, ...] = ()
        self._rows: dict[str, ClockRow] = {}
        self._previous: dict[str, ClockState] = {}
        self._alerted: set[tuple[str, datetime | None]] = set()
        self._rules_override: bool | None = None
        self._compact_for: Size | None = None
        self._escalation_offer: bool | None = False
        self._na_tip: str | None = None
        self._na: Static  # the not-applicable line, kept by compose

    def compose(self) -> ComposeResult:
        """Rows are mounted by :meth:`show`; the not-applicable line sits last."""
        self._na = Static(id="clocks-na", markup=False)
        yield self._na

    # -- showing -------------------------------------------------------------

    def show(self, view: IncidentView) -> None:
        """Show ``view``'s clocks; raise overdue alerts for transitions since the last call."""
        self._view = view
        title = ("Countdowns" if view.state.policy is not None
                 else f"Countdowns {SEAT_POLICY_MARKER}")  # an old record: this seat's rules
        if self.border_title != title:
            self.border_title = title
        applicable = [c for c in view.clocks if c.state != ClockState.NOT_APPLICABLE]
        skipped = [c for c in view.clocks if c.state == ClockState.NOT_APPLICABLE]
        self._sync_rows(applicable)
        detail = self._show_rules(2 * len(applicable) + (1 if skipped else 0))
        if detail and self._rules_override is None:
            self.call_after_refresh(self._fit)
        for clock in applicable:
            row = self._row(clock.id)
            row.set_clock(
                clock,
                clock_value(clock, view.now, view.tz),
                detail=detail or clock.state in DUE_STATES,
                keys=view.keys,
            )
        na = self._na
        tip = "\n".join(f"{c.name}: {one_line(c.rule)}" for c in skipped)
        if tip != self._na_tip:
            self._na_tip = tip
            set_text(na, "Not applicable: " + " · ".join(one_line(c.name) for c in skipped)
                     if skipped else "")
            na.tooltip = Text(tip) if skipped else None
        if na.display != bool(skipped):
            na.display = bool(skipped)
        self._alert_transitions(view.clocks)
        overdue = sum(1 for c in applicable if c.state == ClockState.OVERDUE)
        set_subtitle(self, f"{overdue} overdue" if overdue else "")
        self.set_class(bool(overdue), "-overdue")
        offer = self.check_action("confirm_escalation", ())
        if offer != self._escalation_offer:
            self._escalation_offer = offer
            self.refresh_bindings()

    def _row(self, clock_id: str) -> ClockRow:
        return self._rows[clock_id]

    def _fit(self) -> None:
        """Rule lines that made the pane scroll: show again, in the compact form."""
        if (self._view is not None and self._rules_override is None
                and self._compact_for is None and self.max_scroll_y > 0):
            self.show(self._view)

    def _sync_rows(self, applicable: list[Clock]) -> None:
        """Mount, hide and reorder rows so they follow the clocks' urgency.

        Rows are never removed: a clock that stops applying is hidden, so one
        that comes back reuses its row (and its id).
        """
        order = tuple(c.id for c in applicable)
        if order == self._order:
            return
        na = self._na
        new_rows = [ClockRow(clock_id) for clock_id in order if clock_id not in self._rows]
        for row in new_rows:
            self._rows[row.clock_id] = row
        if new_rows:  # one mount (one restyle and layout) for all of them
            self.track(self.mount_all(new_rows, before=na))
        for clock_id, row in self._rows.items():
            row.display = clock_id in order
        shown = [child for child in self.children if isinstance(child, ClockRow)
                 and child.clock_id in order]
        if [row.clock_id for row in shown] != list(order):
            for clock_id in order:
                self.move_child(self._rows[clock_id], before=na)
        self._order = order

    def _show_rules(self, lines: int = 0) -> bool:
        """Rule lines for every clock, unless they did not fit at this screen size.

        With rules shown, a pane that has to scroll switches to the compact form
        (rule lines only under due clocks) until the screen is resized; ``v``
        overrides either way. ``lines``: how many lines the rules would take; when
        that is more than the pane has room for, it is compact at once (no layout
        with every rule first).
        """
        if self._rules_override is not None:
            return self._rules_override
        size = self.app.size
        if self._compact_for == size:
            return False
        room = self._room()
        if self._compact_for is None and (
            (self._order and self.max_scroll_y > 0) or (room is not None and lines > room)
        ):
            self._compact_for = size
            return False
        self._compact_for = None
        return True

    def _room(self) -> int | None:
        """Lines the pane can show without scrolling, from its ``max-height`` (if known)."""
        parent = self.parent
        max_height = self.styles.max_height
        if not isinstance(parent, Widget) or max_height is None or parent.size.height <= 0:
            return None
        limit = int(max_height.resolve(parent.size, self.app.size))
        return limit - self.styles.gutter.height

    def _alert_transitions(self, clocks: list[Clock]) -> None:
        """Notify and ring once for every clock that went overdue since the last call."""
        previous = self._previous
        self._previous = {c.id: c.state for c in clocks}
        if not previous:
            return
        rang = False
        for clock in clocks:
            if clock.state != ClockState.OVERDUE or previous.get(clock.id) == ClockState.OVERDUE:
                continue
            key = (clock.id, clock.deadline)
            if key in self._alerted or clock.id not in previous:
                continue
            self._alerted.add(key)
            what = one_line(clock.action) if clock.action else one_line(clock.rule)
            hint = ""
            if clock.id in (ESCALATION_CLOCK, CHECKPOINT_CLOCK):
                keys = self._view.keys if self._view is not None else {}
                if clock.id == ESCALATION_CLOCK:
                    hint = f" Press {keys.get('escalate') or 'e'} to confirm."
                else:
                    hint = f" Press {keys.get('checkpoint') or 'c'} to answer it."
            self.notify(
                f"{what}.{hint}",
                title=f"{one_line(clock.name)} overdue",
                severity="warning",
                timeout=10,
                markup=False,
            )
            if not rang:
                self.app.bell()
                rang = True

    # -- actions -------------------------------------------------------------

    def _clock(self, clock_id: str) -> Clock | None:
        if self._view is None:
            return None
        return next((c for c in self._view.clocks if c.id == clock_id), None)

    @property
    def escalation_due(self) -> bool:
        """Whether the SEV2 → SEV1 clock is due soon or overdue."""
        clock = self._clock(ESCALATION_CLOCK)
        return clock is not None and clock.state in DUE_STATES

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The escalation key: hidden unless the incident is a SEV2, greyed out until due."""
        if action == "confirm_escalation":
            clock = self._clock(ESCALATION_CLOCK)
            if clock is None or clock.state == ClockState.NOT_APPLICABLE:
                return False
            return True if clock.state in DUE_STATES else None
        return True

    def action_confirm_escalation(self) -> None:
        """Ask for one-key confirmation, then log SEV1 and the escalation."""
        view = self._view
        if view is None or not self.escalation_due:
            self.notify("No SEV2 → SEV1 escalation is due.", severity="information", markup=False)
            return
        if view.severity.severity == Severity.SEV1:
            self.notify("The incident is already SEV1.", severity="information", markup=False)
            return
        minutes = view.policy.sev2_escalation_minutes
        clock = self._clock(ESCALATION_CLOCK)
        if clock is not None and clock.state == ClockState.DUE_SOON and clock.remaining:
            when = (f"This SEV2 will reach {minutes} minutes without mitigation in "
                    f"{format_remaining(clock.remaining)}.")
        else:
            when = f"This SEV2 has not been mitigated within {minutes} minutes."
        body = (
            f"{when} Escalate to SEV1 procedures now? This logs a severity change to SEV1 "
            f'("{escalation_reason(view.policy)}") and an escalation.'
        )
        self.app.push_screen(
            ConfirmScreen("Escalate to SEV1?", body, confirm_label="Escalate (y)"),
            self._escalation_confirmed,
        )

    def _escalation_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed or self._view is None:
            return
        for new_event in sev1_escalation_events(
            now=self._view.now, author=self._view.author, policy=self._view.policy
        ):
            self.post_message(SubmitEvent(new_event))

    def action_checkpoint(self) -> None:
        """Open the IC checkpoint form."""
        view = self._view
        if view is None:
            self.notify("No incident is open.", severity="warning", markup=False)
            return
        heading = f"IC checkpoint — {format_zoned(view.now, view.tz)}"
        self.app.push_screen(
            CheckpointScreen(heading=heading, status_hint=self._status_hint(view)),
            self._checkpoint_answered,
        )

    @staticmethod
    def _status_hint(view: IncidentView) -> str:
        updates = view.state.status_updates
        parts = []
        if updates:
            last = updates[-1]
            parts.append(
                f"Last update {format_zoned(last.at, view.tz, now=view.now)} "
                f"({STATUS_PHASE_LABELS[last.phase]})"
            )
        else:
            parts.append("No status update posted yet")
        clock = next((c for c in view.clocks if c.id == "status_update"), None)
        if clock is not None and clock.deadline is not None and clock.state != ClockState.MET:
            verb = "was due" if clock.state == ClockState.OVERDUE else "next due"
            parts.append(f"{verb} {format_zoned(clock.deadline, view.tz, now=view.now)}")
        return "; ".join(parts) + "."

    def _checkpoint_answered(self, data: CheckpointData | None) -> None:
        if data is None or self._view is None:
            return
        self.post_message(
            SubmitEvent(checkpoint_event(data, now=self._view.now, author=self._view.author))
        )

    def action_toggle_rules(self) -> None:
        """Show or hide the rule line under every clock."""
        self._rules_override = not self._show_rules()
        if self._view is not None:
            self.show(self._view)

    def on_clock_row_activated(self, message: ClockRow.Activated) -> None:
        """A click on the escalation or checkpoint clock runs its action."""
        if message.clock_id == ESCALATION_CLOCK and self.escalation_due:
            self.action_confirm_escalation()
        elif message.clock_id == CHECKPOINT_CLOCK:
            self.action_checkpoint()

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The pane's actions for the command palette."""
        return palette_commands(self, "Countdowns")

    def take_focus(self) -> None:
        """F4: focus the countdowns (their keys act on the clocks)."""
        focus_pane(self)
