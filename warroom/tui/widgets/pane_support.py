"""Small helpers shared by the right-hand panes (roster, countdowns, status composer).

- :func:`load_css` reads a pane's ``.tcss`` file that sits beside its module, so
  styles live in stylesheets and not in inline strings;
- :func:`palette_commands` lists a pane's bindings as command-palette entries
  (Textual's ``SystemCommand``);
- :func:`focus_pane` focuses a pane's usual widget;
- :func:`set_text` shows plain text in a Static, refreshing only on change (and
  asking for a layout only when the Static's size may change);
- :func:`set_subtitle` sets a border subtitle, refreshing only on change;
- :class:`PendingMounts` lets a pane's owner await the rows the pane mounted;
- :func:`swap_classes` changes a widget's state classes with one re-style.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Iterator
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

__all__ = [
    "PendingMounts",
    "focus_pane",
    "load_css",
    "palette_commands",
    "rebound_scroll",
    "resizes",
    "set_subtitle",
    "set_text",
    "swap_classes",
]

def load_css(module_file: str, name: str) -> str:
    """The text of the stylesheet ``name`` that sits beside ``module_file``."""
    return (Path(module_file).resolve().parent / name).read_text(encoding="utf-8")


def palette_commands(widget: Widget, prefix: str) -> Iterator[SystemCommand]:
    """Every described binding of ``widget`` as a palette entry ("Roster: Assign role")."""
    for binding in widget.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        action = binding.action

        def run(action: str = action) -> object:
            return widget.run_action(action)

        yield SystemCommand(f"{prefix}: {binding.description}", binding.tooltip, run)


def set_text(static: Static, text: str) -> None:
    """Show ``text`` (plain, never markup) in ``static``, refreshing only if it changed.

    A layout of the screen is asked for only if the Static's size may change
    (:func:`resizes`): a ticking clock of the same width repaints itself alone.
    """
    current = static.content
    if isinstance(current, Text) and current.plain == text and not current.spans:
        return
    old = current.plain if isinstance(current, Text) else None
    static.update(Text(text), layout=resizes(static, old, text))


def resizes(static: Static, old: str | None, new: str) -> bool:
    """Whether ``static`` may change size when its text goes from ``old`` to ``new``.

    Only then does it need a layout (a pass over the whole screen): a Static of a
    fixed size never does; one as wide as its text (``width: auto``) when the text's
    width changes; one as high as its text (``height: auto``) unless both texts fit
    on one line. Unknown text (``None``) or a Static not laid out yet: it may.
    """
    if old is None or not static.is_mounted or not static.size:
        return True
    styles = static.styles
    if styles.width is not None and styles.width.is_auto and cell_len(old) != cell_len(new):
        return True
    if styles.height is not None and styles.height.is_auto:
        room = static.content_region.width
        return not ("\n" not in old and "\n" not in new
                    and cell_len(old) <= room and cell_len(new) <= room)
    return False


def set_subtitle(widget: Widget, text: str) -> None:
    """Set ``widget``'s border subtitle (app text, not user text) only if it changed.

    Setting a subtitle repaints the widget even when the text is the same.
    """
    if widget.border_subtitle != text:
        widget.border_subtitle = text


class PendingMounts:
    """Mixin for panes that mount rows from :meth:`show` (which is not async).

    The pane records each mount or removal it starts (:meth:`track`); the screen
    awaits :meth:`settle` inside its batch, so the rows (and their own children)
    are in place before the batch ends: one layout instead of one per step.
    """

    _pending_mounts: list[Awaitable[object]]

    def track(self, pending: Awaitable[object]) -> None:
        """Remember a mount or removal this pane started."""
        if not hasattr(self, "_pending_mounts"):
            self._pending_mounts = []
        self._pending_mounts.append(pending)
        del self._pending_mounts[:-8]  # nobody settled: awaiting them is optional anyway

    async def settle(self) -> None:
        """Wait until every mount and removal started so far has finished."""
        pending = getattr(self, "_pending_mounts", None)
        while pending:
            await pending.pop(0)


def swap_classes(widget: Widget, managed: Iterable[str], wanted: Iterable[str]) -> None:
    """Give ``widget`` exactly the ``wanted`` ones of its ``managed`` CSS classes.

    One re-style for the whole change (each ``set_class`` re-styles the widget and
    everything under it), none when nothing changes, and none before the widget is
    mounted (it is styled when it mounts).
    """
    keep = set(wanted)
    current = widget.classes & set(managed)
    if current == keep:
        return
    widget.remove_class(*(current - keep), update=False)
    widget.add_class(*(keep - current), update=False)
    if widget.is_mounted:
        widget.update_node_styles()


def rebound_scroll(widget: Widget, size: Size) -> None:
    """After ``widget``'s virtual size became ``size``: re-bound its scroll, without a layout.

    ``Widget.virtual_size`` is a layout reactive: changing it re-arranges the whole
    screen (10-40 ms with the war room's panes mounted), though a widget of a fixed
    size only needs its scrollbars updated, which is what the layout pass would do
    for it (Textual's ``_scroll_update``). A widget sized by its content, one not laid
    out yet, or a Textual without that method gets the layout. A scrollbar appearing
    or disappearing still asks for one (``show_vertical_scrollbar`` is a layout reactive).
    """
    scroll_update = getattr(widget, "_scroll_update", None)
    if (scroll_update is None or not widget.is_mounted or not widget.container_size
            or widget.styles.auto_dimensions):
        widget.refresh(layout=True)
    else:
        scroll_update(size)


def focus_pane(pane: Widget, preferred: Widget | None = None) -> None:
    """Focus ``preferred`` (a pane's usual widget), else ``pane``, else its first focusable."""
    if preferred is not None and preferred.focusable:
        preferred.focus()
    elif pane.focusable:
        pane.focus()
    else:
        for child in pane.query("*"):
            if child.focusable:
                child.focus()
                break
