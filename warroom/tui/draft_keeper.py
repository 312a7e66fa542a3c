"""Keeping the scribe's unsent text: saved a moment after the last keystroke, off the UI thread.

A :class:`DraftKeeper` debounces the saves of one :class:`~warroom.tui.draft.DraftFile`
(the last text wins: an older save still waiting is dropped) and writes the text one
last time when the war room closes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from warroom.domain.sanitize import one_line
from warroom.tui.messages import WriteFailed

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

    from warroom.tui.draft import DraftFile

__all__ = ["DRAFT_DEBOUNCE_SECONDS", "DraftKeeper"]

#: How long the scribe may pause before the draft is written (seconds).
DRAFT_DEBOUNCE_SECONDS = 0.3


class DraftKeeper:
    """Saves ``text()`` to ``draft`` after each pause in typing (workers of ``owner``)."""

    def __init__(self, owner: Widget, draft: DraftFile | None,
                 text: Callable[[], str | None]) -> None:
        """Keep ``draft`` (``None``: nothing is kept) of the text ``text()`` returns.

        ``text()`` returning ``None`` (what holds the text is not there) leaves the file as it is.
        """
        self._owner = owner
        self.draft = draft
        self._text = text
        self._timer: Timer | None = None
        self._seq = 0
        self._lock = threading.Lock()

    def schedule(self) -> None:
        """The text changed: save it once the typing pauses."""
        if self.draft is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(DRAFT_DEBOUNCE_SECONDS, self._save)

    def _save(self) -> None:
        self._seq += 1
        text, seq = self._text(), self._seq
        if text is None:
            return
        self._owner.run_worker(lambda: self._write(text, seq), thread=True, group="draft",
                               exit_on_error=False)

    def _write(self, text: str, seq: int) -> None:
        with self._lock:
            if seq != self._seq or self.draft is None:
                return  # a newer draft is on its way
            try:
                self.draft.save(text)
            except OSError as error:
                self._owner.post_message(
                    WriteFailed(f"draft not saved: {one_line(str(error))}")
                )

    def flush(self) -> None:
        """Write the text now (the war room is closing); errors are ignored."""
        if self.draft is None:
            return
        try:
            value = self._text()
        except Exception:
            return
        if value is None:
            return
        with self._lock:
            self._seq += 1
            with contextlib.suppress(OSError):
                self.draft.save(value)
