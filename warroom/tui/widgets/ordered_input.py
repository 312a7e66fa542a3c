"""An input whose keys act in the order they arrive, also when they arrive in one burst.

Textual inserts a printable key in the input at once, but runs a bound key
(Enter, Backspace, Tab, Ctrl+U …) only once the key has travelled up to the app.
Keys that arrive together (a fast typist, a paste without bracketed paste, a
remote terminal) are then applied out of order: ``first⏎second⏎`` sent
"firstsecond" twice, ``aaa<Tab>bbb`` filled one field, ``x<Backspace>y`` deleted
the ``y``. An :class:`OrderedInput` runs the binding of a key where the key is
handled, in order, and hands keys that reach it after the focus moved on (an
earlier key of the same burst moved it, or closed the dialog it is in) to where
they belong now (:func:`hand_on`).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Input

__all__ = ["OrderedInput", "hand_on"]


async def hand_on(app: App[Any], event: events.Key) -> None:
    """Give a key that reached a widget too late to where the app would send it now.

    The app picked the key's target when the key arrived; an earlier key of the same
    burst has since moved the focus or closed a dialog. As the app does with a fresh
    key: a priority binding of the active screen (the war room's F-keys) runs, any
    other key goes to the focused widget (or the screen) and travels up from there.
    """
    event.stop()
    event.prevent_default()
    active = app.screen.active_bindings.get(event.key)
    if active is not None and active.binding.priority:
        if active.enabled:
            await app.run_action(active.binding.action, active.node)
        return
    target = app.focused or app.screen
    target.post_message(events.Key(event.key, event.character))


class OrderedInput(Input):
    """A :class:`~textual.widgets.Input` that applies bound keys in arrival order."""

    #: Enter moves the focus to the next field at once (a form), before later keys land.
    enter_moves_focus = False

    #: A screen action Enter runs at once instead of posting ``Submitted`` (a dialog's
    #: submit): the dialog closes before the next key of the burst reaches the input,
    #: which then hands that key on; a ``Submitted`` would arrive after those keys.
    submit_action: str | None = None

    async def on_key(self, event: events.Key) -> None:
        """Run the key's binding now, or pass the key on to where it belongs now."""
        if self.app.focused is not self:
            if self.app.focused is not None or not self.screen.is_current:
                await hand_on(self.app, event)  # the focus moved while it was on its way
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

    async def action_submit(self) -> None:
        """Enter: the dialog's :attr:`submit_action` at once, or post ``Submitted``."""
        if self.submit_action is None:
            await super().action_submit()
        else:
            await self.screen.run_action(self.submit_action)
