"""The war room's frame: the header and the tab row, and what they say as the incident goes.

A :class:`WarRoomFrame` composes the header and the tab row (the pane tabs and, on
narrow terminals, the wall clock), switches the pane shown, and on every view
says how the link is doing — "reconnecting since …", how many entries wait on this
seat, a stale timeline — and how many clocks are overdue (on the Clocks tab).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static

from warroom.domain.timefmt import zone_label
from warroom.tui.screens.war_room_keys import PANES
from warroom.tui.widgets.header import IncidentHeader, clock_text, offline_text
from warroom.tui.widgets.pane_support import set_text
from warroom.tui.widgets.pane_tabs import PaneTab, PaneTabs

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from warroom.tui.incident_link import IncidentLink
    from warroom.tui.messages import IncidentView
    from warroom.tui.screens.war_room import WarRoomScreen

__all__ = ["WarRoomFrame"]


class WarRoomFrame:
    """The header and tab row of ``screen`` (see the module docstring)."""

    def __init__(self, screen: WarRoomScreen) -> None:
        """The frame of ``screen`` (its widgets are made by :meth:`compose`)."""
        self._screen = screen
        #: The pane shown (a tab on narrow terminals).
        self.active_pane = "timeline"
        self._overdue_label = ""
        #: Entries waiting on this seat's outbox: (typed at, author, line).
        self.queued: list[tuple[datetime, str, str]] = []
        self._stale_shown = False
        # Widgets used on every tick are kept here: a query walks the whole screen.
        self.header: IncidentHeader
        self._tab_widgets: dict[str, PaneTab]
        self._tabs: PaneTabs
        self._tab_clock: Static

    def compose(self) -> ComposeResult:
        """The header, then the tab row: the pane tabs and the wall clock."""
        screen = self._screen
        self.header = IncidentHeader(id="header", title=screen.record.title)
        yield self.header
        self._tab_widgets = {pane: PaneTab(self.tab_label(pane), id=f"tab-{pane}")
                             for pane in PANES}
        self._tabs = PaneTabs(*self._tab_widgets.values(), id="pane-tabs",
                              active=f"tab-{self.active_pane}")
        with Horizontal(id="tab-row"):
            yield self._tabs
            # Narrow terminals: the wall clock (UTC and local) sits here, where there is room.
            self._tab_clock = Static(clock_text(screen.clock.now(), screen.tz), id="tab-clock",
                                     markup=False)
            yield self._tab_clock

    def tab_label(self, pane: str, extra: str = "") -> Text:
        """A tab's label: its key (dim, as remapped), its name and ``extra`` (e.g. "⚠2")."""
        key = self._screen.key_for(f"pane('{pane}')")
        label = Text.assemble((f"{key} " if key else "", "dim"), PANES[pane])
        if extra:
            label.append(f" {extra}", style="bold")
        return label

    def zone_title(self) -> str:
        """The timeline's title suffix: the zone its times are in."""
        screen = self._screen
        return f"times in {zone_label(screen.clock.now(), screen.tz)}"

    def show_pane(self, pane: str) -> None:
        """Show ``pane`` (the screen's ``-pane-…`` class and the active tab)."""
        if pane not in PANES:
            return
        screen = self._screen
        if pane != self.active_pane:
            screen.remove_class(f"-pane-{self.active_pane}")
            screen.add_class(f"-pane-{pane}")
        self.active_pane = pane
        self._tabs.active = f"tab-{pane}"

    def show_link(self, view: IncidentView, *, narrow: bool) -> None:
        """The header, the timeline's stale mark and the tab-row clock for ``view``."""
        screen = self._screen
        # Out of reach: "reconnecting since …" where the wall clock is.
        down = screen.link.down_since
        queued = len(self.queued)
        self.header.show_offline(None if narrow else down, 0 if narrow else queued)
        self.header.show(view, with_clock=not narrow)
        screen.timeline.set_class(down is not None, "-stale")  # clocks tick on; data may lag
        if (down is not None) != self._stale_shown:
            self._stale_shown = down is not None
            stale = f" · stale since {down:%H:%M:%S}" if down is not None else ""
            screen.timeline.border_title = f"Timeline · {self.zone_title()}{stale}"
        if narrow:
            offline = offline_text(down, queued, short=True)
            set_text(self._tab_clock, offline or clock_text(view.now, view.tz))
            self._tab_clock.set_class(bool(offline), "-offline")

    def show_overdue(self, view: IncidentView) -> None:
        """How many clocks are overdue, on the Clocks tab ("⚠2")."""
        overdue = sum(1 for c in view.clocks if c.state == "overdue")
        extra = f"⚠{overdue}" if overdue else ""
        if extra != self._overdue_label:
            self._overdue_label = extra
            self._tab_widgets["countdowns"].label = self.tab_label("countdowns", extra)

    def queue_changed(self, message: IncidentLink.QueueChanged) -> None:
        """Entries wait on this seat (shown "queued" after the timeline), or were sent."""
        screen = self._screen
        self.queued = [(e.typed_at, e.author, e.line) for e in message.entries]
        screen.timeline.set_queued(self.queued)
        for refused in message.refused:
            screen.notify(f"A queued entry was refused by the server and kept ('warroom sync "
                          f"--list'): {refused}", severity="error", timeout=15, markup=False)
