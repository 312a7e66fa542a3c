"""What the war room's keys do: its ``action_*`` methods, mixed into the screen.

The keys themselves (bindings, help text, palette entries) are in
:mod:`warroom.tui.screens.war_room_keys`; the actions here switch and focus panes,
open the filter, the checkpoint form, the escalation, the export and help, and go
back to the incident list. :class:`WarRoomActions` is a base of
:class:`~warroom.tui.screens.war_room.WarRoomScreen`, so Textual finds them there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from warroom.tui.console import console_of
from warroom.tui.panes.countdowns.escalation_hint import why_no_escalation

if TYPE_CHECKING:
    from warroom.tui.screens.war_room import WarRoomScreen

__all__ = ["WarRoomActions"]


class WarRoomActions:
    """The war room screen's actions (see the module docstring)."""

    @property
    def _war_room(self) -> WarRoomScreen:
        # Only ever mixed into the war room screen.
        return cast("WarRoomScreen", self)

    def action_pane(self, pane: str) -> None:
        """Show ``pane`` (a tab on narrow terminals) and focus it.

        A side pane focuses what it chooses (:meth:`~warroom.tui.panes.Pane.take_focus`:
        the composer its text). The timeline pane focuses the scribe input first, its
        list on a second press.
        """
        screen = self._war_room
        if pane == "timeline":
            # Typing goes to the scribe input: F2 lands there, and F2 again moves to
            # the list (Ctrl+K and Ctrl+E act on the selected entry), and back.
            screen._show_pane("timeline")
            if screen.scribe_input.has_focus:
                screen.timeline.focus()
            else:
                screen.scribe_input.focus()
            return
        screen._show_pane(pane)
        target = screen.pane(pane)
        if target is not None:
            target.take_focus()

    def action_scribe(self) -> None:
        """Focus the scribe input (showing the timeline pane)."""
        screen = self._war_room
        screen._show_pane("timeline")
        screen.scribe_input.focus()

    async def action_filter(self) -> None:
        """Show the timeline filter."""
        screen = self._war_room
        screen._show_pane("timeline")
        await screen._filter_bar.open()

    async def action_checkpoint(self) -> None:
        """Open the IC checkpoint form (its answers go into the timeline)."""
        screen = self._war_room
        countdowns = screen._side.countdowns
        if countdowns is not None:
            await countdowns.run_action("checkpoint")

    def action_escalation_not_due(self) -> None:
        """F7 before the escalation is due: say why nothing happens, and when it will."""
        screen = self._war_room
        screen.notify(why_no_escalation(screen._view), title="No escalation due", timeout=8,
                      markup=False)

    async def action_escalate(self) -> None:
        """Confirm the SEV2 → SEV1 escalation (one key), when it is due."""
        screen = self._war_room
        countdowns = screen._side.countdowns
        if countdowns is not None:
            await countdowns.run_action("confirm_escalation")

    def action_export(self, fmt: str = "md") -> None:
        """Ask where to write the post-mortem draft (or JSON export), then write it."""
        screen = self._war_room
        screen._exports.ask(fmt)

    def action_incidents(self) -> None:
        """Go back to the incident list."""
        screen = self._war_room
        console = console_of(screen.app)
        if console is not None:
            console.show_incidents()
        else:
            screen.app.pop_screen()

    def action_help(self) -> None:
        """Help for the focused pane and the keys active now."""
        from warroom.tui.widgets.help import HelpScreen, help_for, keys_markdown

        screen = self._war_room

        def show() -> None:
            screen.app.push_screen(
                HelpScreen(help_for(screen.focused, screen), keys_markdown(screen)))

        # After a focus change already asked for (F4 then F1 in one burst: that
        # pane's help, not the one focused before).
        screen.app.call_later(show)
