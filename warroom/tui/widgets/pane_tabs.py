"""The war room's pane tabs (narrow terminals): one line of labels, one of them active.

Textual's :class:`~textual.widgets.Tabs` is built for tabs that are added, removed
and scrolled, with an animated underline: nine widgets and their stylesheets for
the war room's four fixed labels, a fifth of the time to its first frame. This
bar is a row of :class:`PaneTab` labels: a click posts :class:`PaneTabs.Clicked`,
and the screen says which one is :attr:`PaneTabs.active`. It looks the same as
the ``Tabs`` it replaces (see ``war_room.tcss``) and takes no focus (F2–F5 switch).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

__all__ = ["PaneTab", "PaneTabs"]


class PaneTab(Static):
    """One tab's label (plain text, never markup)."""

    ALLOW_SELECT = False

    def __init__(self, label: Text, *, id: str) -> None:
        """A tab showing ``label``, with the widget id ``id`` (``tab-<pane>``)."""
        super().__init__(label, id=id, markup=False)
        self._label = label

    @property
    def label(self) -> Text:
        """The label shown."""
        return self._label

    @label.setter
    def label(self, label: Text) -> None:
        self._label = label
        self.update(label)

    def on_click(self, event: events.Click) -> None:
        """Ask the bar's owner to show this tab's pane."""
        event.stop()
        self.post_message(PaneTabs.Clicked(self))


class PaneTabs(Horizontal, can_focus=False):
    """A row of :class:`PaneTab` labels, one of them ``-active``."""

    class Clicked(Message):
        """A tab was clicked: ``tab.id`` names it."""

        def __init__(self, tab: PaneTab) -> None:
            """Carry the tab clicked."""
            super().__init__()
            self.tab = tab

    def __init__(self, *tabs: PaneTab, id: str | None = None, active: str | None = None) -> None:
        """A bar of ``tabs``; ``active`` is the id of the active one (default: the first)."""
        super().__init__(*tabs, id=id)
        if active is None:
            active = (tabs[0].id or "") if tabs else ""
        self._active = active
        for tab in tabs:
            tab.set_class(tab.id == self._active, "-active", update=False)

    @property
    def active(self) -> str:
        """The id of the active tab."""
        return self._active

    @active.setter
    def active(self, tab_id: str) -> None:
        if tab_id == self._active:
            return
        self._active = tab_id
        for tab in self.query(PaneTab):
            tab.set_class(tab.id == tab_id, "-active")
