"""The war room's right-hand column: the roster, the countdowns and the status composer.

The column is drawn empty with the war room's first frame; the panes are mounted
(:meth:`SidePanes.mount_panes`) once the incident is read and its timeline drawn, so
nothing competes with the worker that reads the incident, nor with that frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

from warroom.tui.messages import IncidentView

if TYPE_CHECKING:
    from warroom.tui.panes import Pane
    from warroom.tui.panes.countdowns.pane import CountdownsPane

__all__ = ["SIDE_PANES", "SidePanes"]

#: The side panes, in order.
SIDE_PANES = ("roster", "countdowns", "composer")


class SidePanes(Vertical):
    """The column that holds the side panes (none until :meth:`mount_panes`)."""

    def __init__(self, *, id: str | None = None) -> None:
        """An empty column."""
        super().__init__(id=id)
        self._mounting = False
        self._panes: dict[str, Pane] = {}
        self._countdowns: CountdownsPane | None = None

    async def mount_panes(self) -> None:
        """Mount the roster, countdowns and composer (once)."""
        if self._mounting:
            return
        self._mounting = True
        from warroom.tui.panes.composer.pane import StatusComposerPane
        from warroom.tui.panes.countdowns.pane import CountdownsPane
        from warroom.tui.panes.roster.pane import RosterPane

        roster = RosterPane(id="roster")
        countdowns = CountdownsPane(id="countdowns")
        composer = StatusComposerPane(id="composer")
        await self.mount_all((roster, countdowns, composer))
        # Only now: a tick (or a resize) while they mount must not reach half-built panes.
        self._panes = {"roster": roster, "countdowns": countdowns, "composer": composer}
        self._countdowns = countdowns

    def pane(self, pane_id: str) -> Pane | None:
        """A pane, or ``None`` before the panes are mounted."""
        return self._panes.get(pane_id)

    @property
    def countdowns(self) -> CountdownsPane | None:
        """The countdowns pane (F6 and F7 run its actions), ``None`` before it is mounted."""
        return self._countdowns

    def show(self, view: IncidentView) -> None:
        """Hand ``view`` to every pane."""
        for pane in self._panes.values():
            pane.show(view)

    async def settle(self) -> None:
        """Let each pane finish its first layout."""
        for pane in self._panes.values():
            await pane.settle()
