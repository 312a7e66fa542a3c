"""The console's modal dialogs: closed by a key before the next key is routed.

Textual picks a key's target when the key arrives (the focused widget of the
active screen) but runs a non-priority binding only once the key has travelled
back up to the app. With the answer and the next keys in one burst (``n`` then
F4, ``y`` then a note), those next keys were sent to the dialog that was about
to close, and lost there. So a dialog's answer keys are priority bindings (run
when the key arrives: the dialog is gone before the next key is routed), Enter
in a field answers where the key is handled (:class:`OrderedInput`), and a key
that still reaches a closed dialog is handed on (:func:`hand_on`) to where it
would have gone.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.actions import SkipAction
from textual.screen import ModalScreen
from textual.widgets import Select

from warroom.tui.widgets.ordered_input import hand_on

__all__ = ["Dialog"]

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A modal dialog that passes on the keys reaching it after it closed."""

    @on(events.Key)
    async def _hand_on_late_key(self, event: events.Key) -> None:
        """A key on its way here when the dialog closed goes where it belongs now."""
        if not self.is_active:
            await hand_on(self.app, event)

    def skip_if_a_list_is_open(self) -> None:
        """Leave Esc to an open drop-down list (it closes the list, not the dialog)."""
        if any(select.expanded for select in self.query(Select)):
            raise SkipAction()
