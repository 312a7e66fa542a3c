"""A one-key confirmation modal.

:class:`ConfirmScreen` is generic: ``y`` (or the *Confirm* button) dismisses it
with ``True``, ``n``/``escape`` (or *Cancel*) with ``False``. It only returns the
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
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from warroom.domain.sanitize import clean_text
from warroom.tui.widgets.footer import QuietFooter

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Ask one yes/no question; ``y`` confirms, ``n`` or ``escape`` cancels."""

    CSS_PATH = "confirm.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Confirm", id="confirm.yes", tooltip="Confirm and log it"),
        Binding("n,escape", "cancel", "Cancel", id="confirm.no", tooltip="Close, log nothing"),
    ]

    HELP = """\
## Confirm

One key decides: **y** confirms (the action is logged), **n** or **Esc**
cancels and nothing is written.
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

    def action_confirm(self) -> None:
        """Close with ``True``."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close with ``False``."""
        self.dismiss(False)
