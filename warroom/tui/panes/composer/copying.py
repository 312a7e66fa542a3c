"""Copying from the status composer, mixed into the pane: the update, or the last one
posted as Markdown or as a Statuspage body (``ctrl+t`` and the command palette).

:class:`ComposerCopying` is a base of
:class:`~warroom.tui.panes.composer.pane.StatusComposerPane`, so Textual finds its
actions there.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand

from warroom.tui.panes.composer.parts import render_update_as

if TYPE_CHECKING:
    from warroom.tui.panes.composer.pane import StatusComposerPane

__all__ = ["ComposerCopying"]

#: The formats the last posted update can be copied as: (format, name, help).
COPY_FORMATS = (
    ("markdown", "Markdown", "The last posted update, Markdown, for a wiki or chat"),
    ("statuspage", "Statuspage JSON",
     "The last posted update as a Statuspage incident-update body"),
)


class ComposerCopying:
    """The composer's copy actions (see the module docstring)."""

    @property
    def _pane(self) -> StatusComposerPane:
        # Only ever mixed into the status composer.
        return cast("StatusComposerPane", self)

    def action_copy(self) -> None:
        """Copy the pane's ``clipboard_text()`` to the system clipboard."""
        pane = self._pane
        text = pane.clipboard_text()
        if not text.strip():
            pane.notify("Nothing to copy yet.", severity="warning", markup=False)
            return
        pane.app.copy_to_clipboard(text)
        pane.notify(
            f"Copied the update ({len(text)} characters) to the clipboard.", timeout=4, markup=False
        )

    def last_update_as(self, fmt: str) -> str:
        """The last posted update rendered as ``"markdown"`` or ``"statuspage"`` JSON.

        ``""`` when no update has been posted. Markdown shows times in the viewer's
        zone; the Statuspage body carries UTC timestamps (ISO 8601 with the zone).
        """
        view = self._pane._view
        if view is None or not view.state.status_updates:
            return ""
        return render_update_as(view.state.status_updates[-1], fmt, view)

    def action_copy_as(self, fmt: str) -> None:
        """Copy the last posted update as Markdown or as a Statuspage JSON body."""
        pane = self._pane
        text = self.last_update_as(fmt)
        if not text:
            pane.notify("No status update has been posted yet.", severity="warning",
                        markup=False)
            return
        pane.app.copy_to_clipboard(text)
        what = "Statuspage JSON" if fmt == "statuspage" else "Markdown"
        pane.notify(f"Copied the last update as {what} ({len(text)} characters).", timeout=4,
                    markup=False)

    def copy_commands(self) -> Iterator[SystemCommand]:
        """The palette's "copy last update as …" commands, one per format."""
        for fmt, what, help_text in COPY_FORMATS:
            yield SystemCommand(f"Status: Copy last update as {what}", help_text,
                                partial(self.action_copy_as, fmt))
