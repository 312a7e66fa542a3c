"""The war room's panes: each package holds a pane, the modals only it opens, its styles.

:class:`Pane` is what the war room asks of each right-hand pane (the roster, the
countdowns and the status composer). State flows down (:meth:`Pane.show` with the
:class:`~warroom.tui.messages.IncidentView`, which also names the seat's author);
requests flow up as messages (``SubmitEvent``), never as writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from warroom.tui.messages import IncidentView

__all__ = ["Pane"]


class Pane(Protocol):
    """A right-hand pane of the war room, as the war room screen uses it."""

    def show(self, view: IncidentView) -> None:
        """Follow ``view`` (on every change and on the one-second tick)."""

    async def settle(self) -> None:
        """Wait until the rows :meth:`show` started mounting are in place."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The pane's actions, as command-palette entries."""

    def take_focus(self) -> None:
        """Focus what the pane's key (F3–F5) lands on."""
