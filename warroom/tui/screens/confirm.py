"""A one-key confirmation modal.

:class:`ConfirmScreen` is generic: ``y`` (or the *Confirm* button) dismisses it
with ``True``, ``n``/``escape`` (or *Cancel*) with ``False``; Enter presses the
focused button (*Confirm* when the dialog opens). Its keys act as they arrive
(priority bindings, see :mod:`warroom.tui.widgets.dialog`): the dialog is closed
before the next key of a burst is routed, so that key reaches the screen below
(F4 moves to the clocks, typed text reaches the scribe input). It only returns the
answer: the pane that asked builds the events (with the builders of
:mod:`warroom.domain.actions`) and posts them — a modal's own messages would reach
the app, not the war-room screen underneath it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from warroom.domain.sanitize import clean_text
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter

__all__ = ["ConfirmScreen"]


class ConfirmScreen(Dialog[bool]):
    """Ask one yes/no question; ``y`` confirms, ``n`` or ``escape`` cancels."""

    CSS_PATH = "confirm.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Confirm", id="confirm.yes", tooltip="Confirm and log it",
                priority=True),
        Binding("n,escape", "cancel", "Cancel", id="confirm.no", tooltip="Close, log nothing",
                priority=True),
        # Enter and the moves between the buttons act as they arrive too, in order
        # with the answer keys (Tab then Enter in one burst presses Cancel).
        Binding("enter", "press_focused", "Press", show=False, priority=True),
        Binding("tab,right", "app.focus_next", "Next button", show=False, priority=True),
        Binding("shift+tab,left", "app.focus_previous", "Previous button", show=False,
                priority=True),
    ]

    HELP = """\
## Confirm

One key decides: **y** confirms (the action is logged), **n** or **Esc**
cancels and nothing is written; **Enter** presses the highlighted button
(Tab or ←/→ moves between them). Keys typed right after the answer go on
to the screen below.
"""

    def __init__(
        self,
        title: str,
        body: str,
        *,
        confirm_label: str = "Confirm (y)",
        cancel_label: str = "Cancel (n)",
    ) -> None:
        """A question ``title`` with an explanation ``body`` (both shown as plain text)."""
        super().__init__()
        self._title = clean_text(title)
        self._body = clean_text(body)
        self._confirm_label = confirm_label
        self._cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        """The question, its explanation and two buttons."""
        with Vertical(id="confirm-dialog"):
            yield Static(Text(self._title), id="confirm-title")
            yield Static(Text(self._body), id="confirm-body")
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    Text(self._confirm_label), variant="warning", id="confirm-yes", compact=True
                )
                yield Button(Text(self._cancel_label), id="confirm-no", compact=True)
        yield QuietFooter()

    def on_mount(self) -> None:
        """Focus the confirm button so Enter also confirms."""
        self.query_one("#confirm-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Either button closes the dialog with its answer."""
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_press_focused(self) -> None:
        """Enter: the focused button's answer (nothing focused: cancel)."""
        focused = self.focused
        self.dismiss(focused is not None and focused.id == "confirm-yes")

    def action_confirm(self) -> None:
        """Close with ``True``."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close with ``False``."""
        self.dismiss(False)
