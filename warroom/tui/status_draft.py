"""Keeping the status composer's unsent update, as the scribe's line is kept.

A comms lead may spend minutes on an update; a crash, a kill or a closed terminal
must not take it. The update's text is saved (debounced, off the UI thread, by a
:class:`~warroom.tui.draft_keeper.DraftKeeper`) beside the scribe's draft while it
differs from the template the composer filled in, removed once it is posted (the
composer then holds a fresh template again), and put back into the composer when
the war room opens again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from warroom.tui.draft import draft_for
from warroom.tui.draft_keeper import DraftKeeper

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["StatusComposerLike", "StatusDraft"]


@runtime_checkable
class StatusComposerLike(Protocol):
    """What the keeper needs of the status composer."""

    @property
    def text(self) -> str: ...

    @property
    def edited(self) -> bool: ...

    def restore(self, text: str) -> None: ...


class StatusDraft:
    """The status composer's draft of one incident and author (``None`` DB path: none)."""

    def __init__(self, owner: Widget, db_path: Path | str | None, incident_id: int,
                 author: str) -> None:
        """Keep the draft for ``owner`` (the war room), found through :meth:`attach`."""
        self._composer: StatusComposerLike | None = None
        self.keeper = DraftKeeper(owner, draft_for(db_path, incident_id, author, "status"),
                                  self._text)

    def _text(self) -> str | None:
        """The text to keep: the update while edited, ``""`` (no draft) when it is not."""
        composer = self._composer
        if composer is None:
            return None  # not built yet: the file stays as it is
        return composer.text if composer.edited else ""

    def attach(self, composer: StatusComposerLike) -> bool:
        """The composer is built: put a kept update back into it; whether one was."""
        self._composer = composer
        draft = self.keeper.draft
        text = draft.load() if draft is not None else ""
        if not text.strip() or composer.edited or text == composer.text:
            return False
        composer.restore(text)
        return True

    def changed(self) -> None:
        """The composer's text changed: save it once the typing pauses."""
        self.keeper.schedule()

    def flush(self) -> None:
        """The war room is closing: write the text now."""
        self.keeper.flush()
