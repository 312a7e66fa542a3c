"""Hold the screen's painting while the scribe's entry is being written (briefly).

Enter clears the input at once, but the entry's row arrives a few milliseconds
later, when the write (in a worker) returns. Painted as it happens, that is two
frames: the cleared input, then — at Textual's next frame slot, up to two frame
periods after the first — the row. Holding the paint (Textual's
:meth:`~textual.app.App.batch_update`) until the row is in the timeline draws both
in the first frame after the write. The hold never outlasts :data:`HOLD_LIMIT`: a
slow write (a lock, a remote server) paints the cleared input on time.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

__all__ = ["HOLD_LIMIT", "PaintHold"]

#: The longest the screen waits for the entry's row before it paints anyway (seconds).
HOLD_LIMIT = 0.05


class PaintHold:
    """Hold ``app``'s painting from :meth:`begin` until every write begun is :meth:`done`."""

    def __init__(self, app: App[Any], limit: float = HOLD_LIMIT) -> None:
        """A hold on ``app``'s painting of at most ``limit`` seconds."""
        self._app = app
        self._limit = limit
        self._pending = 0
        self._batch: ExitStack | None = None
        self._timer: Timer | None = None

    @property
    def held(self) -> bool:
        """Whether painting is held now."""
        return self._batch is not None

    def begin(self) -> None:
        """A write has started: hold painting until it is done (or the limit passes)."""
        self._pending += 1
        if self._batch is None:
            batch = ExitStack()
            batch.enter_context(self._app.batch_update())
            self._batch = batch
            self._timer = self._app.set_timer(self._limit, self.release, name="paint-hold")

    def done(self) -> None:
        """A write came back (its row added, or refused): paint once none is pending."""
        if self._pending:
            self._pending -= 1
        if not self._pending:
            self.release()

    def release(self) -> None:
        """Paint again now (the screen paints what changed in its next frame)."""
        self._pending = 0
        batch, self._batch = self._batch, None
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()
        if batch is not None:
            batch.close()
