"""The key bar at the bottom of a screen: one widget that draws the keys it offers.

Textual's :class:`~textual.widgets.Footer` is a container with one widget per key
and rebuilds (removes and mounts) all of them whenever the screen's bindings are
refreshed: on every focus change and every pane mounted. Opening a war room cost
about 90 ms of that, and when the keys overflow a narrow terminal its right-docked
command-palette key shifted and left a stale character behind.

:class:`QuietFooter` is a single widget instead. It reads the screen's active
bindings, lays them out as one line of text (the command-palette key always on
the right; keys that do not fit are dropped whole and replaced by "…"), and
repaints only when what it shows changes. A click (or tap) on a key presses it;
the mouse over a key highlights it and shows its tooltip. It can be *held*
(empty) until its screen knows which keys it offers (:meth:`QuietFooter.release`).

A screen can add keys its bindings do not show: keys its widgets handle themselves
(Enter in a field, Tab between fields). Its ``footer_hints()`` method
(:class:`FooterHints`) returns them as bindings, for what has the focus now; they
come first, and replace the screen's binding of the same key (or of the same
action). The footer asks again whenever the screen's bindings are refreshed (on
every focus change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widget import Widget

from warroom.tui.console import console_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import App
    from textual.screen import Screen

__all__ = [
    "FooterHints",
    "FooterItem",
    "FooterLayout",
    "Placed",
    "QuietFooter",
    "dialog_hints",
    "footer_items",
    "key_label",
    "layout_footer",
    "shown_key",
]

#: Shown in place of the keys that do not fit.
MORE = "…"

_FUNCTION_KEY = re.compile(r"f\d{1,2}")


def key_label(shown: str) -> str:
    """``f7`` → ``F7`` (function keys read better in capitals); other keys unchanged."""
    return shown.upper() if _FUNCTION_KEY.fullmatch(shown) else shown


def shown_key(app: App[object], bindings: Sequence[BindingType], action: str) -> str:
    """The key that runs ``action`` as shown to the user ("F7"), or ``""``.

    Follows the user's keymap (the config's ``keybindings``, by binding id).
    """
    console = console_of(app)
    keymap = dict(console.config.keybindings) if console is not None else {}
    for binding in bindings:
        if isinstance(binding, Binding) and binding.action == action:
            key = keymap.get(binding.id or "", binding.key).split(",")[0].strip()
            return key_label(app.get_key_display(replace(binding, key=key)))
    return ""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key the footer offers: the key to press, how it is shown, and what it does."""

    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    palette: bool = False

    @property
    def width(self) -> int:
        """Cells the item takes: ``F1 Help``."""
        return len(self.label)

    @property
    def label(self) -> str:
        """The item as drawn (key, a space, description)."""
        return f"{self.key_display} {self.description}" if self.description else self.key_display


@runtime_checkable
class FooterHints(Protocol):
    """A screen whose footer also shows keys its widgets handle (see the module docstring)."""

    def footer_hints(self) -> Sequence[Binding]:
        """The keys to show first, for what has the focus now.

        Their actions are not run (the key does what it does); a hint's action
        only keeps a binding to the same action out of the footer.
        """
        ...


def dialog_hints(
    focused: Widget | None, enter: str, enter_tooltip: str = "", *, enter_action: str = "",
    tab: bool = True,
) -> tuple[Binding, ...]:
    """A form dialog's hints: what Enter does where the focus is, and Tab between fields.

    ``enter`` is what Enter does in the focused field (``enter_action``: the screen's
    action it runs, so that a key bound to the same action is not shown twice); on a
    button Enter presses it (its label, without a "(key)" part), in an open drop-down
    list it chooses (and Esc closes the list, not the dialog); with nothing focused,
    no Enter. ``tab=False`` leaves Tab out (where Enter moves on as well).
    """
    from textual.widgets import Button, Select  # dialogs only: not on the first frame's path

    if focused is not None and isinstance(focused.parent, Select):  # its list is open
        return (
            Binding("enter", "", "Choose", tooltip="Use the highlighted choice"),
            Binding("escape", "", "Close the list", tooltip="Keep the choice as it was"),
        )
    hints: list[Binding] = []
    if focused is None:  # nothing takes Enter (Tab focuses the first field)
        pass
    elif isinstance(focused, Button):
        label = str(focused.label).split(" (")[0]
        hints.append(Binding("enter", "", label, tooltip=f"Press {label}"))
    elif enter:
        hints.append(Binding("enter", enter_action, enter, tooltip=enter_tooltip or enter))
    if tab:
        hints.append(Binding("tab", "", "Next field",
                             tooltip="Move between the fields and the buttons"))
    return tuple(hints)


def footer_items(screen: Screen[Any]) -> tuple[FooterItem, ...]:
    """The keys a footer on ``screen`` offers, in binding order; the palette key last.

    As Textual's footer: only bindings with ``show=True``, one key per action
    (the first), and the command-palette key when the app enables the palette.
    A :class:`FooterHints` screen's hints come first (a click presses their key).
    """
    app = screen.app
    palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
    hints = tuple(screen.footer_hints()) if isinstance(screen, FooterHints) else ()
    items = [
        FooterItem(hint.key, key_label(app.get_key_display(hint)), hint.description, True,
                   hint.tooltip or hint.description)
        for hint in hints
    ]
    hinted = {hint.key for hint in hints}
    palette: FooterItem | None = None
    actions: set[str] = {hint.action for hint in hints if hint.action}
    for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items():
        if key in hinted:
            continue
        shown = key_label(app.get_key_display(binding))
        if key == palette_key:
            palette = FooterItem(binding.key, shown, binding.description, enabled,
                                 binding.tooltip or binding.description, palette=True)
        elif binding.show and binding.action not in actions:
            actions.add(binding.action)
            items.append(FooterItem(binding.key, shown, binding.description, enabled,
                                    tooltip or binding.tooltip or binding.description))
    if palette is not None:
        items.append(palette)
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Placed:
    """An item placed on the footer line: its first cell and the cell after its last."""

    item: FooterItem
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FooterLayout:
    """Where the keys go on a line: the placed keys, and where "…" goes (if keys were dropped)."""

    placed: tuple[Placed, ...]
    more_at: int | None


def layout_footer(items: tuple[FooterItem, ...], width: int) -> FooterLayout:
    """Place ``items`` on a line ``width`` cells wide.

    Keys go left to right, one space apart, starting one cell in; the palette key
    sits at the right edge (one cell in) behind a separator. Keys that do not fit
    are dropped whole, from the right, leaving room for :data:`MORE`; the palette
    key is dropped only when the line cannot hold it at all.
    """
    keys = [item for item in items if not item.palette]
    palette = next((item for item in items if item.palette), None)
    right = width
    docked: Placed | None = None
    if palette is not None and palette.width + 3 <= width:
        start = width - 1 - palette.width
        docked = Placed(palette, start, start + palette.width)
        right = start - 2  # a space, then the separator at start - 1
    left: list[Placed] = []
    x = 1
    for item in keys:
        if x + item.width > right:
            break
        left.append(Placed(item, x, x + item.width))
        x += item.width + 1
    more_at: int | None = None
    if len(left) < len(keys) or (palette is not None and docked is None):
        while left and left[-1].end + 1 + len(MORE) > right:
            left.pop()
        more_at = left[-1].end + 1 if left else (1 if width > len(MORE) else 0)
    placed = (*left, docked) if docked is not None else tuple(left)
    return FooterLayout(placed, more_at)


class QuietFooter(Widget, can_focus=False):
    """The keys of the screen, as one line (see the module docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--key", "footer--description", "footer--hover", "footer--separator",
    }
    DEFAULT_CSS = """
    QuietFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--hover {
            background: $block-hover-background;
        }
        & > .footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, held: bool = False) -> None:
        """A footer; ``held``: empty until :meth:`release` is called."""
        super().__init__(id=id)
        self._held = held
        self._items: tuple[FooterItem, ...] = ()
        self._placed: list[Placed] = []
        self._hover: FooterItem | None = None

    @property
    def items(self) -> tuple[FooterItem, ...]:
        """The keys offered now (empty while held)."""
        return self._items

    @property
    def shown(self) -> list[FooterItem]:
        """The keys drawn at the footer's current width, left to right."""
        return [placed.item for placed in self._placed]

    def on_mount(self) -> None:
        """Follow the screen's bindings."""
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def release(self) -> None:
        """Show the keys of a footer created ``held``."""
        if self._held:
            self._held = False
            if self.is_attached:
                self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Repaint if the keys offered changed (nothing to do otherwise)."""
        if self._held or not self.is_attached or screen is not self.screen:
            return
        items = footer_items(screen)
        if items != self._items:
            self._items = items
            self._hover = None
            self.refresh()

    def render(self) -> Text:
        """The line of keys at the current width."""
        layout = layout_footer(self._items, self.size.width)
        self._placed = list(layout.placed)
        key_style = self.get_component_rich_style("footer--key", partial=True)
        description_style = self.get_component_rich_style("footer--description", partial=True)
        hover_style = self.get_component_rich_style("footer--hover", partial=True)
        separator_style = self.get_component_rich_style("footer--separator", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")

        def put(cell: int, text: Text) -> None:
            line.append(" " * max(0, cell - line.cell_len))
            line.append_text(text)

        def label(item: FooterItem) -> Text:
            text = Text.assemble((item.key_display, key_style))
            if item.description:
                text.append(f" {item.description}", description_style)
            if item is self._hover:
                text.stylize(hover_style)
            if not item.enabled:
                text.stylize("dim")
            return text

        keys = [placed for placed in layout.placed if not placed.item.palette]
        docked = [placed for placed in layout.placed if placed.item.palette]
        for placed in keys:
            put(placed.start, label(placed.item))
        if layout.more_at is not None:
            put(layout.more_at, Text(MORE, description_style))
        for placed in docked:
            put(placed.start - 1, Text("▏", separator_style))
            put(placed.start, label(placed.item))
        put(self.size.width, Text())
        return line

    def _item_at(self, x: int) -> FooterItem | None:
        for placed in self._placed:
            if placed.start <= x < placed.end:
                return placed.item
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a key presses it (a disabled key rings the bell)."""
        item = self._item_at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the mouse and show its tooltip."""
        item = self._item_at(event.x)
        if item is not self._hover:
            self._hover = item
            self.tooltip = item.tooltip if item is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        """No key is under the mouse any more."""
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
