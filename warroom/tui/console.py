"""What the console's screens ask of the app they run in: the :class:`Console` protocol.

The incident list and the war room tell the app when their first data is on screen
(start-up is over), go back to the incident list through it, and read the user's
configuration (the keymap) from it. Hosted by another app, they do without:
:func:`console_of` then gives ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from warroom.config import Config

__all__ = ["Console", "console_of"]


@runtime_checkable
class Console(Protocol):
    """The console's app, as its screens use it."""

    @property
    def config(self) -> Config:
        """The user's configuration (theme, keymap, author, time zone)."""
        ...

    def startup_finished(self) -> None:
        """The first screen shows its data: what start-up put off may run now."""
        ...

    def show_incidents(self) -> None:
        """Show the incident list (going back to it if it is open)."""
        ...


def console_of(app: object) -> Console | None:
    """``app`` as a :class:`Console`, or ``None`` if it is not the console's app."""
    return app if isinstance(app, Console) else None
