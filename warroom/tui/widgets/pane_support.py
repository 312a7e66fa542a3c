"""Small helpers shared by the right-hand panes (roster, countdowns, status composer).

- :func:`load_css` reads a pane's ``.tcss`` file that sits beside its module, so
  styles live in stylesheets and not in inline strings;
- :func:`format_duration` prints a tenure ("for 1h 12m");
- :func:`author_for` finds the name a pane writes events under;
- :func:`palette_commands` lists a pane's bindings as command-palette entries;
- :func:`set_text` shows plain text in a Static, refreshing only on change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

__all__ = [
    "PaletteCommand",
    "author_for",
    "format_duration",
    "load_css",
    "palette_commands",
    "set_text",
]

#: Written as the author when neither the pane, its screen nor the app names one.
FALLBACK_AUTHOR = "console"


def load_css(module_file: str, name: str) -> str:
    """The text of the stylesheet ``name`` that sits beside ``module_file``."""
    return (Path(module_file).resolve().parent / name).read_text(encoding="utf-8")


def format_duration(span: timedelta) -> str:
    """A tenure in words: ``"45s"``, ``"12m"``, ``"1h 12m"``, ``"2d 3h"`` (never negative)."""
    seconds = max(0, int(span.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def author_for(widget: Widget) -> str:
    """Who a pane's events are written by.

    The first non-empty ``author`` attribute of the widget, its screen or the
    app (the war-room screen or the app sets it from the session), else
    :data:`FALLBACK_AUTHOR`.
    """
    for holder in (widget, widget.screen, widget.app):
        name = getattr(holder, "author", None)
        if isinstance(name, str) and name.strip():
            return name.strip()
    return FALLBACK_AUTHOR


class PaletteCommand(NamedTuple):
    """One command-palette entry for a pane action."""

    title: str
    help: str
    callback: Callable[[], object]


def palette_commands(widget: Widget, prefix: str) -> Iterator[PaletteCommand]:
    """Every described binding of ``widget`` as a palette entry ("Roster: Assign role")."""
    for binding in widget.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        action = binding.action

        def run(action: str = action) -> object:
            return widget.run_action(action)

        yield PaletteCommand(f"{prefix}: {binding.description}", binding.tooltip, run)


def set_text(static: Static, text: str) -> None:
    """Show ``text`` (plain, never markup) in ``static``, refreshing only if it changed."""
    current = static.content
    if isinstance(current, Text) and current.plain == text and not current.spans:
        return
    static.update(Text(text))
