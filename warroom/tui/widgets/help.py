"""F1: help for the focused pane, and the keys that work right now.

The help text is the ``HELP`` class attribute (Markdown) of the focused widget or
its nearest ancestor that has one — the convention Textual's own help panel uses.
Key names come from the active bindings, so a key remapped in the config file is
shown as remapped.
"""

from __future__ import annotations

from textwrap import dedent
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Markdown, Static

from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter

__all__ = ["HelpScreen", "help_for", "keys_markdown"]


def help_for(widget: Widget | None, screen: Screen[Any]) -> str:
    """The ``HELP`` text of ``widget`` or its nearest ancestor, else the screen's."""
    if widget is not None:
        for node in widget.ancestors_with_self:
            text = getattr(node, "HELP", None)
            if isinstance(node, Widget) and text:
                return dedent(text).strip()
    text = getattr(screen, "HELP", None)
    return dedent(text).strip() if text else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def keys_markdown(screen: Screen[Any]) -> str:
    """A Markdown table of the keys active on ``screen`` (described bindings only)."""
    rows: list[str] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Widgets' built-in editing keys (no tooltip, not in the footer) are left out.
        if not binding.description or not (binding.show or binding.tooltip):
            continue
        name = screen.app.get_key_display(binding)
        entry = (name, binding.description)
        if entry in seen:
            continue
        seen.add(entry)
        what = binding.tooltip or binding.description
        rows.append(f"| {_cell(name)} | {_cell(what)} |")
    if not rows:
        return ""
    return "## Keys\n\n| key | does |\n|---|---|\n" + "\n".join(sorted(rows))


class HelpScreen(Dialog[None]):
    """A modal with the focused pane's help and the active keys; F1 or Esc closes it."""

    CSS_PATH = "help.tcss"


    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close", tooltip="Close the help",
                priority=True),  # closed before the next key arrives (see Dialog)
    ]

    def __init__(self, pane_help: str, keys: str) -> None:
        """Show ``pane_help`` then ``keys`` (both Markdown written by the app, not users)."""
        super().__init__()
        self._text = "\n\n".join(part for part in (pane_help, keys) if part)

    def compose(self) -> ComposeResult:
        """The help text in a scrollable box."""
        with VerticalScroll() as box:
            box.border_title = "Help"
            yield Markdown(self._text or "No help here.")
            yield Static(
                "Esc or F1 closes · Ctrl+P opens the command palette",
                id="help-hint",
                markup=False,
            )
        yield QuietFooter()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
