"""The war-room header: severity badge, title, phase, time since declaration, the clock.

One line. The badge's colour comes from the theme (``$sev1`` … ``$sev4``) through
a CSS class (``-sev1`` … ``-unclassified``); the title is user text and is shown
as plain text, cleaned. Times are shown in UTC and in the viewer's zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from warroom.domain.clocks import ClockState, format_remaining
from warroom.domain.sanitize import one_line
from warroom.tui.messages import IncidentView

__all__ = ["IncidentHeader", "zone_label"]

_SEV_CLASSES = ("-sev1", "-sev2", "-sev3", "-sev4", "-unclassified", "-defaulted")


def zone_label(when: datetime, tz: tzinfo) -> str:
    """A short name of ``tz`` at ``when`` ("CET", "EDT"; "+05:30" when it has none)."""
    local = when.astimezone(tz)
    name = local.tzname() or ""
    if not name or name[0] in "+-" or name.isdigit():
        offset = local.utcoffset()
        if offset is None:
            return "local"
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return name


class IncidentHeader(Horizontal):
    """Severity, title, phase, elapsed time and the clock of one incident."""

    def compose(self) -> ComposeResult:
        """The header's parts, each a plain-text :class:`Static`."""
        yield Static("", id="header-sev", markup=False)
        yield Static("", id="header-title", markup=False)
        yield Static("", id="header-phase", markup=False)
        yield Static("", id="header-alert", markup=False)
        yield Static("", id="header-elapsed", markup=False)
        yield Static("", id="header-clock", markup=False)

    def show(self, view: IncidentView) -> None:
        """Show ``view`` (called on every change and every second)."""
        state = view.state
        sev = self.query_one("#header-sev", Static)
        sev.update(Text(f" {view.severity.label} "))
        if view.severity.severity is None:
            wanted = {"-unclassified"}
        else:
            wanted = {f"-sev{int(view.severity.severity)}"}
            if view.severity.defaulted:
                wanted.add("-defaulted")
        current = {cls for cls in sev.classes if cls in _SEV_CLASSES}
        if current != wanted:
            sev.remove_class(*(current - wanted))
            sev.add_class(*(wanted - current))
        title = one_line(view.record_title or state.title)
        self.query_one("#header-title", Static).update(Text(title))
        phase = self.query_one("#header-phase", Static)
        phase.update(Text(state.phase.value.upper()))
        if phase.has_class("-open") != state.is_open:
            phase.set_class(state.is_open, "-open")
        overdue = [c for c in view.clocks if c.state == ClockState.OVERDUE]
        alert = self.query_one("#header-alert", Static)
        alert.update(Text(f"⚠ {len(overdue)} overdue" if overdue else ""))
        if alert.display != bool(overdue):
            alert.display = bool(overdue)
        elapsed = self.query_one("#header-elapsed", Static)
        if state.declared_at is not None:
            end = view.now if state.is_open or state.resolved_at is None else state.resolved_at
            elapsed.update(Text(f"⏱ {format_remaining(end - state.declared_at)}"))
        else:
            elapsed.update(Text(""))
        now = view.now
        local = now.astimezone(view.tz)
        clock_text = f"{now:%H:%M:%S} UTC"
        if local.utcoffset() != now.utcoffset():
            clock_text += f" · {local:%H:%M} {zone_label(now, view.tz)}"
        self.query_one("#header-clock", Static).update(Text(clock_text))
