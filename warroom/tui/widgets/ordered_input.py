"""An input whose keys act in the order they arrive, also when they arrive in one burst.

Textual inserts a printable key in the input at once, but runs a bound key
(Enter, Backspace, Tab, Ctrl+U …) only once the key has travelled up to the app.
Keys that arrive together (a fast typist, a paste without bracketed paste, a
remote terminal) are then applied out of order: ``first⏎second⏎`` sent
"firstsecond" twice, ``aaa<Tab>bbb`` filled one field, ``x<Backspace>y`` deleted
the ``y``. An :class:`OrderedInput` runs the binding of a key where the key is
handled, in order, and hands keys that reach it after the focus moved on (an
earlier key of the same burst moved it) to the widget that has the focus now.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["OrderedInput"]


class OrderedInput(Input):
    """A :class:`~textual.widgets.Input` that applies bound keys in arrival order."""

    #: Enter moves the focus to the next field at once (a form), before later keys land.
    enter_moves_focus = False

    async def on_key(self, event: events.Key) -> None:
        """Run the key's binding now, or pass the key on to the newly focused widget."""
        focused = self.app.focused
        if focused is not self:
            if focused is not None:  # the focus moved while this key was on its way
                event.stop()
                event.prevent_default()
                focused.post_message(events.Key(event.key, event.character))
            return
        if event.is_printable:
            return  # inserted by the input itself, in order
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.binding.priority:
            return
        event.stop()
        event.prevent_default()
        if not active.enabled:
            return
        if self.enter_moves_focus and event.key == "enter":
            self.screen.focus_next()
        await self.app.run_action(active.binding.action, active.node)
