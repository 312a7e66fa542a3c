"""The war room's right-hand column: the roster, the countdowns and the status composer.

The column is drawn empty with the war room's first frame; the panes are mounted
(:meth:`SidePanes.mount_panes`) once the incident is read and its timeline drawn, so
nothing competes with the worker that reads the incident, nor with that frame.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget

from warroom.tui.messages import IncidentView

__all__ = ["SIDE_PANES", "SidePanes"]

#: The side panes, in order.
SIDE_PANES = ("roster", "countdowns", "composer")


class SidePanes(Vertical):
    """The column that holds the side panes (none until :meth:`mount_panes`)."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty column."""
        super().__init__(id=id)
        self._mounting = False
        self._panes: dict[str, Widget] = {}

    async def mount_panes(self) -> None:
        """Mount the roster, countdowns and composer (once)."""
        if self._mounting:
            return
        self._mounting = True
        from warroom.tui.panes.composer.pane import StatusComposerPane
        from warroom.tui.panes.countdowns.pane import CountdownsPane
        from warroom.tui.panes.roster.pane import RosterPane

        panes: dict[str, Widget] = {
            "roster": RosterPane(id="roster"),
            "countdowns": CountdownsPane(id="countdowns"),
            "composer": StatusComposerPane(id="composer"),
        }
        await self.mount_all(panes.values())
        # Only now: a tick (or a resize) while they mount must not reach half-built panes.
        self._panes = panes

    def pane(self, pane_id: str) -> Widget | None:
        """A pane, or ``None`` before the panes are mounted."""
        return self._panes.get(pane_id)

    def show(self, view: IncidentView) -> None:
        """Hand ``view`` to every pane."""
        for pane in self._panes.values():
            show = getattr(pane, "show", None)
            if show is not None:
                show(view)

    async def settle(self) -> None:
        """Let each pane finish its first layout (those that need to)."""
        for pane in self._panes.values():
            settle = getattr(pane, "settle", None)
            if settle is not None:
                await settle()
