"""A modal with one timeline entry in full: text, both times, author, flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from warroom.domain.describe import BACKDATED_AFTER
from warroom.domain.events import Event
from warroom.domain.sanitize import clean_text, one_line
from warroom.domain.timefmt import format_span, stamp_utc, zone_label
from warroom.tui.panes.timeline.messages import TIMELINE_BINDINGS
from warroom.tui.panes.timeline.pane import KIND_LABELS
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter, shown_key

__all__ = ["EntryDetailScreen"]


def _timeline_key(app: App[object], action: str) -> str:
    """The timeline's key for ``action`` as the footer shows it ("^e"), after the keymap."""
    return shown_key(app, TIMELINE_BINDINGS, action) or action


class EntryDetailScreen(Dialog[None]):
    """The whole of one entry (user text as plain text, control characters stripped)."""

    CSS_PATH = "entry_detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="entry.close", tooltip="Close",
                priority=True),  # closed before the next key arrives (see Dialog)
    ]

    def __init__(
        self,
        event: Event,
        *,
        text: str,
        original: str | None = None,
        key: bool = False,
        tz: tzinfo = UTC,
    ) -> None:
        """Show ``event`` whose display text is ``text`` (``original``: before correction)."""
        super().__init__()
        self.event = event
        self._text = text
        self._original = original
        self._key = key
        self._tz = tz

    def _when(self, label: str, value: datetime, note: str = "") -> Text:
        """``label`` then the UTC time, the local time when the zone differs, ``note``."""
        local = value.astimezone(self._tz)
        line = Text.assemble((f"{label:<10}", "dim"), stamp_utc(value))
        if local.utcoffset() != timedelta(0):
            line.append(f"  ({local:%Y-%m-%d %H:%M:%S} {zone_label(value, self._tz)})", "dim")
        if note:
            line.append(f"  {note}", "italic")
        return line

    def compose(self) -> ComposeResult:
        """Heading, times, the full text and (if corrected) the original."""
        event = self.event
        flags = []
        if self._key:
            flags.append("★ key event")
        if self._original is not None:
            flags.append("✎ corrected")
        with VerticalScroll(id="entry-box") as box:
            box.border_title = f"#{event.id} · {KIND_LABELS.get(event.kind, event.kind.value)}"
            yield Static(
                Text.assemble(("by ", "dim"), one_line(event.author), ("   " + "  ".join(flags))),
                id="entry-author",
            )
            yield Static(self._when("happened", event.occurred_at), id="entry-occurred")
            late = event.recorded_at - event.occurred_at
            note = f"(back-dated {format_span(late)})" if late >= BACKDATED_AFTER else ""
            yield Static(self._when("recorded", event.recorded_at, note), id="entry-recorded")
            yield Static(Text(clean_text(self._text)), id="entry-text")
            if self._original is not None:
                yield Static(Text("Original text", style="dim"), classes="entry-label")
                yield Static(Text(clean_text(self._original)), id="entry-original")
            correct = _timeline_key(self.app, "correct")
            mark = _timeline_key(self.app, "mark_key")
            yield Static(
                Text(
                    f"Esc closes · in the timeline, {correct} corrects it (/fix {event.id} …) "
                    f"and {mark} marks it as a key event",
                    style="dim",
                ),
                id="entry-hint",
            )
        yield QuietFooter()  # this box's keys, not the war room's underneath

    def action_close(self) -> None:
        """Close the modal."""
        self.dismiss(None)
