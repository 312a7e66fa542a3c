"""The war room's post-incident lines: the linked runbook and, once resolved, whether a
post-mortem is required and why.

Computed in a worker (the rule may read other incidents' causes from the store) when
the incident's record changes; the roster shows :attr:`ReviewWatcher.lines`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from warroom.domain.sanitize import one_line

if TYPE_CHECKING:
    from warroom.service import IncidentSession

__all__ = ["ReviewWatcher", "review_lines"]


def review_lines(session: IncidentSession) -> tuple[str, ...]:
    """``Runbook: …`` and (once resolved) the post-mortem verdict, one line each."""
    from warroom.domain.links import linked_runbook
    from warroom.report.source import postmortem_verdict

    lines: list[str] = []
    runbook = linked_runbook(session.timeline)
    if runbook:
        lines.append(f"Runbook: {one_line(runbook)}")
    verdict = postmortem_verdict(session)
    if verdict is not None and verdict.required:
        lines.append("Post-mortem required: " + "; ".join(one_line(r) for r in verdict.reasons))
    elif verdict is not None:
        lines.append("Post-mortem not required.")
    return tuple(lines)


class ReviewWatcher:
    """Recomputes :func:`review_lines` for a war-room screen when its record changes."""

    def __init__(self, screen: Any) -> None:
        """Watch ``screen`` (a war room: ``session``, ``state``, ``_lock``, ``refresh_view``)."""
        self._screen = screen
        self._seen: int | None = None
        self._busy = False
        #: The lines to show (empty until the first computation).
        self.lines: tuple[str, ...] = ()

    def check(self) -> None:
        """Start a computation if the incident changed since the last one."""
        screen = self._screen
        state = screen.state
        if screen.session is None or state is None or self._busy:
            return
        if state.last_event_id == self._seen:
            return
        self._busy = True
        self._seen = state.last_event_id
        screen.run_worker(self._compute, thread=True, group="review", exit_on_error=False)

    def check_and_get(self) -> tuple[str, ...]:
        """:meth:`check`, then the lines as they are now (the view's ``review``)."""
        self.check()
        return self.lines

    def _compute(self) -> None:
        screen = self._screen
        try:
            with screen._lock:
                lines = review_lines(screen.session)
        except Exception as error:  # never break the war room over a summary line
            lines = (f"Post-mortem rule not computed: {one_line(str(error))}",)
        screen.app.call_from_thread(self._done, lines)

    def _done(self, lines: tuple[str, ...]) -> None:
        self._busy = False
        if lines != self.lines:
            self.lines = lines
            self._screen.refresh_view()
