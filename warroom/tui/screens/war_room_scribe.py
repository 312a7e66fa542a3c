"""The scribe's desk in the war room: lines typed or pasted become entries, or come back.

A :class:`ScribeDesk` turns what the scribe sends into entries (parsed with the
screen's clock, zone and author, written through its
:class:`~warroom.tui.incident_link.IncidentLink`), asks before a paste of several
lines or a key mark from the list is written, and puts a refused line back into the
input with its error under it — never losing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from warroom.domain.sanitize import one_line
from warroom.tui.paint_hold import PaintHold
from warroom.tui.panes.scribe.pane import is_help_request

if TYPE_CHECKING:
    from warroom.domain.events import Event
    from warroom.tui.screens.war_room import WarRoomScreen

__all__ = ["ScribeDesk"]

#: How many lines of a paste the confirmation shows.
_PASTE_PREVIEW = 6


class ScribeDesk:
    """What the war room does with the scribe's lines (see the module docstring)."""

    def __init__(self, screen: WarRoomScreen) -> None:
        """The desk of ``screen`` (its input, its link, its clock, zone and author)."""
        self._screen = screen
        #: The line the error under the input is about (it clears once the line changes).
        self._error_value: str | None = None
        #: The next change of the input is a restored draft: not saved again.
        self._skip_draft = False
        #: Holds the paint from Enter until the entry's row is in the timeline.
        self._paint_hold: PaintHold | None = None

    # ------------------------------------------------------------ sending
    def submit_line(self, line: str, *, from_scribe: bool = False) -> bool:
        """Parse ``line`` and write it; a parse error is shown and ``False`` returned.

        ``/help`` opens the help screen and ``/checkpoint`` alone the checkpoint form;
        neither is logged. A refused line of the scribe goes back into the input.
        """
        from warroom.domain.parser import ParseError, is_bare_checkpoint, parse_entry

        screen = self._screen
        if is_help_request(line):
            screen.call_later(screen.action_help)
            return True
        if is_bare_checkpoint(line):
            screen.call_later(screen.action_checkpoint)
            return True
        try:
            new = parse_entry(line, now=screen.clock.now(), tz=screen.tz, author=screen.author)
        except ParseError as error:
            if from_scribe:
                self.give_back(line, one_line(str(error)))
            else:
                screen.notify(one_line(str(error)), severity="error", markup=False)
            return False
        screen.link.write(new, line if from_scribe else None)
        if from_scribe:  # the cleared input and the new row: one frame
            if self._paint_hold is None:
                self._paint_hold = PaintHold(screen.app)
            self._paint_hold.begin()
        return True

    def written(self) -> None:
        """A write of the scribe's came back (its row is in the timeline, or refused)."""
        if self._paint_hold is not None:
            self._paint_hold.done()

    def entered(self, line: str) -> None:
        """The scribe pressed Enter on ``line`` (the input is already cleared)."""
        box = self._screen.scribe_box
        refused_shown = (box.has_class("-error")
                         and self._screen.scribe_input.value == self._error_value)
        if self.submit_line(line, from_scribe=True) and not refused_shown:
            box.clear_message()

    def pasted(self, lines: list[str]) -> None:
        """Several pasted lines: ask, then log one entry per line (none is dropped)."""
        from warroom.tui.screens.confirm import ConfirmScreen

        screen = self._screen
        shown = [f"  {one_line(line)[:70]}" for line in lines[:_PASTE_PREVIEW]]
        if len(lines) > _PASTE_PREVIEW:
            shown.append(f"  … and {len(lines) - _PASTE_PREVIEW} more")
        body = (f"The paste holds {len(lines)} lines. Log each line as its own entry, "
                "in this order?\n" + "\n".join(shown))

        # The lines hold the text the input had. Keys typed right after the answer go
        # to the input (focused now, not when the answer comes back) and stay there.
        had = screen.scribe_input.value
        screen.set_focus(screen.scribe_input)

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.submit_lines(lines, taken=had)
            else:
                self.keep_lines(lines)
                screen.scribe_box.show_hint(
                    f"Paste of {len(lines)} lines not logged: ↑ brings its lines back."
                )

        screen.app.push_screen(
            ConfirmScreen(f"Log {len(lines)} entries?", body,
                          confirm_label=f"Log {len(lines)} (y)", cancel_label="Cancel (n)"),
            answered,
        )

    def submit_lines(self, lines: Sequence[str], *, taken: str | None = None) -> bool:
        """Log every line as one entry, in order — or none, if a line is refused.

        Each line is parsed first; an error names the line and nothing is written.
        ``taken`` is the input's text the lines include: it leaves the input, and
        what was typed after it stays (``None``: the input is emptied).
        """
        from warroom.domain.parser import ParseError, parse_entry

        screen = self._screen
        news = []
        for number, line in enumerate(lines, 1):
            try:
                news.append(parse_entry(line, now=screen.clock.now(), tz=screen.tz,
                                        author=screen.author))
            except ParseError as error:
                self.keep_lines(lines)
                self.show_error(f"paste not logged: line {number} of {len(lines)}: "
                                f"{one_line(str(error))} (↑ brings its lines back)",
                                screen.scribe_input.value)
                return False
        scribe = screen.scribe_input
        taken = scribe.value if taken is None else taken
        if scribe.value.startswith(taken):  # else typed into it: keep it all, lose nothing
            scribe.value = scribe.value[len(taken):]
            scribe.cursor_position = len(scribe.value)
        for line, new in zip(lines, news, strict=True):
            scribe.remember(line)
            screen.link.write(new, line)
        screen.history_changed()
        return True

    def keep_lines(self, lines: Sequence[str]) -> None:
        """A paste that was not logged: its lines go to the scribe's history (↑), in order.

        The input keeps what was typed in it; nothing pasted is lost with the answer.
        """
        scribe = self._screen.scribe_input
        for line in lines:
            scribe.remember(line)
        self._screen.history_changed()

    # ------------------------------------------------------------ coming back
    def give_back(self, line: str, error: str) -> None:
        """A refused line goes back into the input, with ``error`` under it.

        If something else was typed meanwhile, that stays: the refused line is the
        newest in the history (↑), and the error says so.
        """
        scribe = self._screen.scribe_input
        if not scribe.value or scribe.value == line:
            scribe.value = line
            scribe.cursor_position = len(line)
        else:
            error = f"{error} — not logged: “{one_line(line)[:60]}” (↑ brings it back)"
        self.show_error(error, scribe.value)

    def show_error(self, error: str, value: str) -> None:
        """Show ``error`` under the input until the line (``value``) is edited."""
        self._error_value = value
        self._screen.scribe_box.show_error(error)

    def changed(self, value: str) -> bool:
        """The input changed (to ``value``, maybe already changed again): clear a stale
        error; whether the draft should be saved."""
        box = self._screen.scribe_box
        if box.has_class("-error") and self._screen.scribe_input.value != self._error_value:
            box.clear_message()
        if self._skip_draft:
            self._skip_draft = False
            if value:
                return False
        return True

    def restore_draft(self, draft: str) -> None:
        """Put the saved unsent text back into an empty input, and say so."""
        scribe = self._screen.scribe_input
        if scribe.value:
            return
        self._skip_draft = True
        scribe.value = draft
        scribe.cursor_position = len(draft)
        self._screen.scribe_box.show_hint("Restored your unsent draft.")

    # ------------------------------------------------------------ from the list
    def ask_key_mark(self, event: Event, *, marked: bool) -> None:
        """Ask, then mark ``event`` as key — or, when it is ``marked``, take the mark back."""
        from warroom.tui.screens.confirm import ConfirmScreen

        screen = self._screen
        text = one_line(screen.timeline.display_text(event))
        if len(text) > 80:
            text = text[:79].rstrip() + "…"
        if marked:
            title, command, label = (f"Take back the key mark of #{event.id}?",
                                     f"/unmark {event.id}", "Unmark (y)")
            body = (f"#{event.id} “{text}” stops being a key event. The record keeps the "
                    f"mark and this reversal (logged as {command}).")
        else:
            title, command, label = (f"Mark #{event.id} as a key event?",
                                     f"/mark {event.id}", "Mark (y)")
            body = (f"#{event.id} “{text}” becomes a key event of the post-mortem. "
                    f"This is written to the record ({command}).")

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.submit_line(command)

        screen.app.push_screen(ConfirmScreen(title, body, confirm_label=label), answered)

    def show_entry(self, event: Event) -> None:
        """The whole entry, with both times and its original text if corrected."""
        from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen

        screen = self._screen
        timeline = screen.timeline
        corrections = screen.state.corrections if screen.state is not None else {}
        original = event.text if event.id in corrections else None
        screen.app.push_screen(
            EntryDetailScreen(
                event,
                text=timeline.display_text(event),
                original=original,
                key=timeline.is_key(event),
                tz=screen.tz,
            )
        )

    def start_fix(self, event: Event, text: str) -> None:
        """Put ``/fix ID TEXT`` in the input (nothing is written until Enter)."""
        scribe = self._screen.scribe_input
        scribe.value = f"/fix {event.id} {text}"
        scribe.cursor_position = len(scribe.value)
        scribe.focus()
