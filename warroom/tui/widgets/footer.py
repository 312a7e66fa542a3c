"""A footer that is rebuilt only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` recomposes (removes and mounts every
key widget again) each time the screen's bindings are refreshed: on every focus
change, every ``refresh_bindings()``, every pane mounted. In the war room most of
those refreshes leave the footer's keys exactly as they were, and each rebuild
costs a restyle and a re-layout of the footer (~25 ms here). :class:`QuietFooter`
compares what the footer would show with what it shows, and skips the rebuild
when nothing differs. It can also be *held* (empty) until its screen knows which
keys it offers (:meth:`QuietFooter.release`): the war room shows some keys only
once the incident is read, and building the footer twice costs two re-layouts.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["QuietFooter", "shown_bindings"]

Signature = tuple[tuple[object, ...], ...]


def shown_bindings(screen: Screen[object]) -> Signature:
    """What a footer on ``screen`` shows: each shown binding's key, label, state, tooltip."""
    shown: list[tuple[object, ...]] = []
    palette = screen.app.COMMAND_PALETTE_BINDING
    for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
        if binding.show or key == palette:
            shown.append((binding.key, binding.key_display, binding.action, binding.description,
                          binding.group, enabled, tooltip))
    return tuple(shown)


class QuietFooter(Footer):
    """A :class:`~textual.widgets.Footer` that recomposes only when its keys change."""

    def __init__(self, *, compact: bool = False, id: str | None = None, held: bool = False) -> None:
        """A footer (``compact``: less space between keys; ``held``: empty until released)."""
        super().__init__(compact=compact, id=id)
        self._requested: Signature | None = None
        self._held = held

    async def release(self) -> None:
        """Show the keys of a footer created ``held``; returns once they are mounted.

        Awaited inside the screen's batch, the keys land in the same frame as the rest.
        """
        if not self._held:
            return
        self._held = False
        if not self.is_attached:
            return
        ready = getattr(Footer, "_bindings_ready", None)
        if ready is None:  # another Textual: let the footer rebuild itself
            self.bindings_changed(self.screen)
            return
        self.set_reactive(ready, True)
        self._requested = shown_bindings(self.screen)
        built = asyncio.Event()

        async def rebuild() -> None:
            try:
                await self.recompose()  # in the footer's own context (its keys bind to it)
            finally:
                built.set()

        self.call_later(rebuild)
        await built.wait()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys, unless they are the ones already shown (or on their way)."""
        if self._held:
            return
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # nothing is rebuilt now: ask again next time
            return
        signature = shown_bindings(screen)
        if signature == self._requested:
            return
        self._requested = signature
        super().bindings_changed(screen)
