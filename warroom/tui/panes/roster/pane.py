"""The roster pane: the four roles, who holds each since when, and what is missing.

Each role is one row of two lines (the second goes on under itself when narrow)::

    ▸ Incident Commander                   required
        alice · since 14:05 UTC (1h 12m)

A required role nobody holds is flagged against the "roles" clock's deadline
("missing · due in 2m 10s", "missing · overdue by 3m 02s"); an IC past the
rotation time is told to hand over. The last hand-offs are listed under the
roles. ``a``/Enter assigns or hands off the selected role (a modal asks for the
name), ``x`` releases it; both post a :class:`~warroom.tui.messages.SubmitEvent`.
Colours come from CSS classes set per row (``-missing``, ``-overdue``, …).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from warroom.cells import wrap_text
from warroom.domain.actions import role_assignment_event, role_release_event
from warroom.domain.clocks import Clock, ClockState, format_remaining, role_clocks
from warroom.domain.events import Role
from warroom.domain.roles import ROLE_SHORT, role_duty
from warroom.domain.sanitize import one_line
from warroom.domain.state import RoleTenure
from warroom.domain.timefmt import format_span, format_zoned
from warroom.tui.messages import IncidentView, SubmitEvent
from warroom.tui.panes.roster.assign_role import Assignment, AssignRoleScreen
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.widgets.pane_support import (
    focus_pane,
    load_css,
    palette_commands,
    set_subtitle,
    set_text,
    swap_classes,
)

__all__ = ["RoleLine", "RoleRow", "RosterPane", "handoff_lines", "role_lines", "roster_summary",
           "wrap_cells"]

ROLES: tuple[Role, ...] = tuple(Role)
#: How many hand-offs the pane lists (the tooltip holds them all).
HISTORY_LINES = 3
#: Cells before a row's detail line (and its continuation lines).
_INDENT = 4
#: The same when the roster is narrow (under the role's name).
_NARROW_INDENT = 2
#: Where a detail line may break: a space outside parentheses.
_BREAKS = re.compile(r" (?![^(]*\))")
#: The zone after a holder's start time ("since 06:07 UTC (28m)"), dropped when narrow.
_ZONE_BEFORE_HELD = re.compile(r"(\d\d:\d\d) [^ (]+ \(")


@dataclass(frozen=True, slots=True)
class RoleLine:
    """What one roster row shows (pure data, built by :func:`role_lines`).

    ``status`` is one of ``filled``, ``rotate`` (an IC due for rotation),
    ``optional`` (empty, not required), ``missing`` (empty, required, deadline
    not near), ``due_soon`` and ``overdue`` (empty, required, against the roles
    clock); the row's CSS class is ``-`` + status.
    """

    role: Role
    holder: str | None
    required: bool
    status: str
    detail: str

    @property
    def requirement(self) -> str:
        """``"required"`` or ``"optional"``."""
        return "required" if self.required else "optional"


def _required_roles(view: IncidentView) -> tuple[Role, ...]:
    return role_duty(view.state, view.policy, view.now).required


def _clock(clocks: list[Clock], clock_id: str) -> Clock | None:
    return next((c for c in clocks if c.id == clock_id), None)


def _held_detail(tenure: RoleTenure, view: IncidentView) -> str:
    since = format_zoned(tenure.start, view.tz, now=view.now)
    held = format_span(max(view.now - tenure.start, timedelta(0)))
    return f"{one_line(tenure.person)} · since {since} ({held})"


def _rotation_note(tenure: RoleTenure, view: IncidentView) -> tuple[str, str]:
    """Status and note of an IC against the "ic_rotation" clock."""
    clock = _clock(view.clocks, "ic_rotation")
    if tenure.role != Role.IC or clock is None or clock.remaining is None:
        return "filled", ""
    if clock.state == ClockState.OVERDUE:
        return "rotate", " · time to rotate the IC"
    if clock.state == ClockState.DUE_SOON:
        return "filled", f" · rotate in {format_remaining(clock.remaining)}"
    return "filled", ""


def _missing(roles_clock: Clock | None, view: IncidentView) -> tuple[str, str]:
    """Status and detail of a required role nobody holds."""
    if roles_clock is None or roles_clock.deadline is None:
        return "missing", "— missing"
    deadline = roles_clock.deadline
    if roles_clock.state == ClockState.OVERDUE and roles_clock.remaining is not None:
        return "overdue", f"— missing · overdue by {format_remaining(-roles_clock.remaining)}"
    if roles_clock.state in (ClockState.RUNNING, ClockState.DUE_SOON):
        remaining = format_remaining(roles_clock.remaining or deadline - view.now)
        status = "due_soon" if roles_clock.state == ClockState.DUE_SOON else "missing"
        return status, f"— missing · due in {remaining} ({format_zoned(deadline, view.tz)})"
    return "missing", f"— missing · fill by {format_zoned(deadline, view.tz, now=view.now)}"


def role_lines(view: IncidentView) -> list[RoleLine]:
    """The four roster rows for ``view``, in role order."""
    state = view.state
    required = _required_roles(view)
    roles_clock = _clock(view.clocks, "roles")
    own_clocks = role_clocks(state, view.policy, view.now)
    lines: list[RoleLine] = []
    for role in ROLES:
        tenure = state.roles.get(role)
        is_required = role in required
        if tenure is not None:
            status, note = _rotation_note(tenure, view)
            detail = _held_detail(tenure, view) + note
            lines.append(RoleLine(role, one_line(tenure.person), is_required, status, detail))
        elif is_required and state.is_open:
            status, detail = _missing(own_clocks.get(role, roles_clock), view)
            lines.append(RoleLine(role, None, True, status, detail))
        else:
            lines.append(RoleLine(role, None, is_required, "optional", "— unassigned"))
    return lines


def roster_summary(view: IncidentView) -> str:
    """One line above the roles: the severity's role rule (the roles rule's required roles)."""
    effective = view.severity
    if view.state.declared_at is None:
        return "No incident declared."
    names = ", ".join(ROLE_SHORT[r] for r in _required_roles(view))
    if effective.severity is None:
        default = view.policy.unclassified_default_severity
        return f"Unclassified: {default.label} rules apply later ({names} required)."
    rule = view.policy.rule(effective.severity)
    if rule.single_owner:
        return f"{effective.label}: the on-call engineer holds every role ({names} required)."
    within = f" within {rule.role_fill_minutes} min" if rule.role_fill_minutes else ""
    return f"{effective.label}: {names} required{within}."


def _drop_zone(detail: str) -> str:
    """``detail`` without the zone after the holder's start time."""
    return _ZONE_BEFORE_HELD.sub(r"\1 (", detail, count=1)


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words but never
    inside parentheses (``(1h 09m)`` stays whole); a word wider than a line (a long
    name) folds over the next lines, whole (see :func:`~warroom.cells.wrap_text`)."""
    width = max(width, 1)
    lines: list[str] = []
    current = ""
    for word in _BREAKS.split(text):
        candidate = f"{current} {word}" if current else word
        if not current or cell_len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
        if cell_len(current) > width:  # one word wider than the line: fold it
            *folded, current = wrap_text(current, width, sys.maxsize)
            lines.extend(folded)
    lines.append(current)
    return lines


def handoff_lines(view: IncidentView) -> list[str]:
    """Every ended tenure, newest first: ``"14:30 UTC IC alice → bob"``."""
    lines = []
    for tenure in sorted(view.state.role_history, key=lambda t: t.end or t.start, reverse=True):
        when = format_zoned(tenure.end or tenure.start, view.tz, now=view.now)
        to = one_line(tenure.handed_to) if tenure.handed_to else "(released)"
        lines.append(f"{when} {ROLE_SHORT[tenure.role]} {one_line(tenure.person)} → {to}")
    return lines


class RoleRow(Widget):
    """One role of the roster: title and requirement, then holder or what is missing."""

    class Selected(Message):
        """The row was clicked (the roster moves its cursor there)."""

        def __init__(self, role: Role) -> None:
            """Carry the role clicked."""
            super().__init__()
            self.role = role

    _STATUS_CLASSES = ("-filled", "-rotate", "-optional", "-missing", "-due_soon", "-overdue")

    def __init__(self, role: Role) -> None:
        """A row for ``role`` (empty until :meth:`set_line`)."""
        super().__init__(id=f"role-{role.value}", classes="role-row -optional")
        self.role = role
        self._line = RoleLine(role, None, False, "optional", "—")
        self._selected = False
        self._shown: list[str] = []

    def set_line(self, line: RoleLine, *, selected: bool) -> None:
        """Show ``line``; only refreshes when something changed."""
        if line == self._line and selected == self._selected:
            return
        self._line, self._selected = line, selected
        swap_classes(self, (*self._STATUS_CLASSES, "-cursor"),
                     {f"-{line.status}"} | ({"-cursor"} if selected else set()))
        self.refresh()

    def fit(self) -> None:
        """Redraw if what the row shows changed (a sibling's detail can change its
        zone and indent); lay out again when it needs another number of lines."""
        shown = [text.plain for text in self._lines(max(self.size.width, 20))]
        if shown != self._shown:
            self._shown = shown
            self.refresh(layout=len(shown) != self.size.height)

    def render(self) -> Text:
        """The role with its requirement, then the holder or the gap (wrapped)."""
        return Text("\n").join(self._lines(max(self.size.width, 20)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the detail needs at ``width`` (two when it fits)."""
        return len(self._lines(max(width, 20)))

    def _lines(self, width: int) -> list[Text]:
        line = self._line
        marker = "▸ " if self._selected else "  "
        head = Text(marker)
        head.append(line.role.label, style="bold")
        requirement = line.requirement
        gap = width - head.cell_len - len(requirement)
        head.append(" " * max(1, gap))
        head.append(requirement, style="dim" if not line.required else "")
        head.truncate(width, overflow="ellipsis")
        detail = line.detail
        rows = self.parent.children if self.parent is not None else (self,)
        details = [row._line.detail for row in rows if isinstance(row, RoleRow)]
        indent = _INDENT
        if _INDENT + max(map(cell_len, details)) > width:
            # Narrow: the time zone goes (the header and timeline title state it), then
            # the indent narrows, in every row alike; what still does not fit goes on
            # under it.
            detail = _drop_zone(detail)
            if _INDENT + max(cell_len(_drop_zone(d)) for d in details) > width:
                indent = _NARROW_INDENT
        return [head, *(Text(" " * indent + part) for part in wrap_cells(detail, width - indent))]

    def on_click(self, event: Click) -> None:
        """Select this role."""
        self.post_message(self.Selected(self.role))


class RosterPane(VerticalScroll, can_focus=True):
    """The roster: four roles, holders, requirements, gaps and hand-offs."""

    DEFAULT_CSS = load_css(__file__, "roster.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a,enter",
            "assign",
            "Assign",
            id="roster.assign",
            tooltip="Assign or hand off the selected role (asks for a name)",
        ),
        Binding(
            "x",
            "release",
            "Release",
            id="roster.release",
            tooltip="Leave the selected role empty (logged)",
        ),
        Binding(
            "up,k",
            "cursor_up",
            "Previous role",
            show=False,
            id="roster.up",
            tooltip="Select the previous role",
        ),
        Binding(
            "down,j",
            "cursor_down",
            "Next role",
            show=False,
            id="roster.down",
            tooltip="Select the next role",
        ),
    ]

    HELP = """\
## Roster

The four incident roles, who holds each and since when, and whether the current
severity requires it. A required role that nobody holds is flagged against its
deadline (by default SEV1: all four within 15 min; SEV2: IC, Comms and Tech
within 5 min). An IC who has led for 2 hours should hand over: the row says so.

| Key | Action |
|---|---|
| **↑/↓** or **k/j** | select a role |
| **a** or **Enter** | assign or hand off the selected role (type a name; → completes) |
| **x** | release the selected role (asks first: **y**) |

Every change is logged to the timeline; hand-offs are listed under the roles.
"""

    cursor: reactive[int] = reactive(0)
    """Index of the selected role in :data:`ROLES`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """An empty roster; call :meth:`show` to fill it."""
        super().__init__(id=id, classes=classes)
        self._view: IncidentView | None = None
        self._lines: list[RoleLine] = []
        self.border_title = "Roster"
        # The parts updated on every tick, kept by compose (a query walks the pane).
        self._summary: Static
        self._rows: list[RoleRow] = []
        self._history: Static
        self._history_lines: list[str] | None = None

    def compose(self) -> ComposeResult:
        """Summary, four role rows and the hand-off history."""
        self._summary = Static(id="roster-summary", markup=False)
        self._rows = [RoleRow(role) for role in ROLES]
        self._history = Static(id="roster-history", markup=False)
        self._review = Static(id="roster-review", markup=False)
        yield self._summary
        yield self._review
        yield from self._rows
        yield self._history

    @property
    def selected_role(self) -> Role:
        """The role under the cursor."""
        return ROLES[self.cursor % len(ROLES)]

    def show(self, view: IncidentView) -> None:
        """Show ``view`` (cheap: rows refresh only when their text changes)."""
        self._view = view
        self._lines = role_lines(view)
        self._paint()
        summary = roster_summary(view)
        set_text(self._summary, summary)
        history = handoff_lines(view)
        if history != self._history_lines:
            self._history_lines = history
            if history:
                shown = history[:HISTORY_LINES]
                more = len(history) - len(shown)
                text = "Hand-offs: " + " · ".join(shown) + (f" · +{more} more" if more else "")
                set_text(self._history, text)
                self._history.tooltip = Text("\n".join(history))
            else:
                set_text(self._history, "No hand-offs yet.")
                self._history.tooltip = None
        set_text(self._review, "\n".join(view.review))  # runbook, post-mortem verdict
        self._review.display = bool(view.review)
        missing = [
            line for line in self._lines if line.status in ("missing", "due_soon", "overdue")
        ]
        set_subtitle(self, f"{len(missing)} missing" if missing else "")
        self.set_class(any(line.status == "overdue" for line in missing), "-overdue")

    def _paint(self) -> None:
        if not self._lines:
            return
        for index, row in enumerate(self._rows):
            row.set_line(self._lines[index], selected=index == self.cursor and self.has_focus)
        for row in self._rows:
            row.fit()

    def watch_cursor(self) -> None:
        """Move the highlight."""
        self._paint()

    def watch_has_focus(self, has_focus: bool) -> None:
        """Show the cursor only while the roster has focus."""
        super().watch_has_focus(has_focus)
        self._paint()

    def on_role_row_selected(self, message: RoleRow.Selected) -> None:
        """A click selects the role and focuses the roster."""
        self.cursor = ROLES.index(message.role)
        self.focus()

    def action_cursor_up(self) -> None:
        """Select the previous role."""
        self.cursor = (self.cursor - 1) % len(ROLES)

    def action_cursor_down(self) -> None:
        """Select the next role."""
        self.cursor = (self.cursor + 1) % len(ROLES)

    def action_assign(self, role: str | None = None) -> None:
        """Ask for a name, then log the assignment (a hand-off if someone holds it)."""
        if self._view is None:
            self.notify("No incident is open.", severity="warning", markup=False)
            return
        chosen = Role(role) if role else self.selected_role
        state = self._view.state
        holders = {r: t.person for r, t in state.roles.items()}
        screen = AssignRoleScreen(chosen, holders=holders, people=state.people)
        self.app.push_screen(screen, self._assigned)

    def _assigned(self, result: Assignment | None) -> None:
        if result is None or self._view is None:
            return
        self.cursor = ROLES.index(result.role)
        view = self._view
        self.post_message(SubmitEvent(role_assignment_event(
            result.role, result.person, now=view.now, author=view.author)))

    def action_release(self, role: str | None = None) -> None:
        """Ask (one key), then log that the selected role is left empty."""
        if self._view is None:
            self.notify("No incident is open.", severity="warning", markup=False)
            return
        chosen = Role(role) if role else self.selected_role
        holder = self._view.state.holder(chosen)
        if holder is None:
            self.notify(f"Nobody holds {chosen.label}.", severity="warning", markup=False)
            return
        line = next((x for x in self._lines if x.role == chosen), None)
        warning = (" It is required at this severity: the roster will flag it as missing."
                   if line is not None and line.required else "")
        self.app.push_screen(
            ConfirmScreen(
                f"Release {chosen.label}?",
                f"{one_line(holder)} stops holding {chosen.label} and the role is left empty."
                f"{warning} Cancel (n), then press a to hand it to someone else.",
                confirm_label="Release (y)",
            ),
            lambda confirmed: self._released(chosen, confirmed),
        )

    def _released(self, chosen: Role, confirmed: bool | None) -> None:
        if not confirmed or self._view is None:
            return
        view = self._view
        self.post_message(SubmitEvent(role_release_event(chosen, now=view.now, author=view.author)))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The roster's actions for the command palette."""
        return palette_commands(self, "Roster")

    def take_focus(self) -> None:
        """F3: focus the roster (its keys act on the selected role)."""
        focus_pane(self)

    async def settle(self) -> None:
        """Nothing to wait for: the roster's rows are mounted with it."""
