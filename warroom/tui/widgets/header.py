"""The war-room header: severity, title, phase, the most urgent clock, elapsed time, the clock.

One line. The badge's colour comes from the theme (``$sev1`` … ``$sev4``) through
a CSS class (``-sev1`` … ``-unclassified``); the title is user text and is shown
as plain text, cleaned. The most urgent running, due or overdue clock is always
in the header (name and remaining time, coloured by its state through
``$clock-overdue`` / ``$clock-due-soon`` / ``$clock-running``), so the IC sees it
whatever pane is shown. Times are shown in UTC and, when it differs, in the
viewer's zone.

When the line is too narrow, the header gives up detail in a fixed order (see
:func:`header_texts`) so the badge, the urgent clock and some of the title stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from warroom.domain.sanitize import one_line
from warroom.domain.timefmt import zone_label
from warroom.tui.messages import IncidentView
from warroom.tui.widgets.pane_support import resizes, swap_classes

if TYPE_CHECKING:
    from warroom.domain.clocks import Clock

__all__ = [
    "HeaderTexts",
    "IncidentHeader",
    "clock_text",
    "header_texts",
    "offline_text",
    "urgent_clock",
]

_SEV_CLASSES = ("-sev1", "-sev2", "-sev3", "-sev4", "-unclassified", "-defaulted")
# Clock states by value (ClockState is a StrEnum): the header is drawn before the
# domain models are imported.
_URGENT_STATES = ("overdue", "due_soon", "running")
_URGENT_CLASSES = tuple(f"-{state}" for state in _URGENT_STATES)
_ICONS = {"overdue": "▲", "due_soon": "●", "running": "○"}
#: The header's parts, left to right (each a Static with the id ``header-<part>``).
_PARTS = ("sev", "title", "phase", "urgent", "elapsed", "you", "clock")
#: Most cells the author's name takes in the header.
MAX_AUTHOR_CELLS = 16
#: The title keeps at least this many cells before other parts lose detail.
MIN_TITLE_CELLS = 14
#: Each part's Static has one cell of padding either side.
_PART_PADDING = 2


def offline_text(since: datetime | None, queued: int = 0, *, short: bool = False) -> str:
    """What stands in the clock's place while the server is out of reach ("" if it is not);
    ``short``: for a narrow terminal's tab bar."""
    if queued and since is not None:
        if short:
            return f"{queued} queued — down since {since:%H:%M}"
        return f"{queued} queued — server unreachable since {since:%H:%M}"
    if queued:
        return f"{queued} queued — sending"
    return f"reconnecting since {since:%H:%M:%S}" if since is not None else ""


def urgent_clock(clocks: list[Clock]) -> Clock | None:
    """The most urgent clock that is running, due soon or overdue (``None`` if none is)."""
    for clock in clocks:  # already sorted most urgent first
        if clock.state in _URGENT_STATES and clock.remaining is not None:
            return clock
    return None


@dataclass(frozen=True, slots=True)
class HeaderTexts:
    """The texts of the header's parts at one width (empty: the part is hidden)."""

    severity: str
    title: str
    phase: str
    urgent: str
    elapsed: str
    clock: str
    you: str = ""


def _clock_texts(now: datetime, tz: tzinfo) -> list[str]:
    """The wall-clock part: full, without seconds, local time only (three choices)."""
    local = now.astimezone(tz)
    if local.utcoffset() == now.utcoffset():
        return [f"{now:%H:%M:%S} UTC", f"{now:%H:%M} UTC", f"{now:%H:%M} UTC"]
    zone = zone_label(now, tz)
    return [
        f"{now:%H:%M:%S} UTC · {local:%H:%M} {zone}",
        f"{now:%H:%M} UTC · {local:%H:%M} {zone}",
        f"{local:%H:%M} {zone}",
    ]


def _urgent_texts(view: IncidentView) -> list[str]:
    """The urgent-clock part, from the most to the least detailed."""
    from warroom.domain.clocks import format_remaining

    clock = urgent_clock(view.clocks)
    if clock is None or clock.remaining is None:
        return [""]
    overdue = sum(1 for c in view.clocks if c.state == "overdue")
    others = overdue - (1 if clock.state == "overdue" else 0)
    base = f"{_ICONS[clock.state]} {one_line(clock.name)} {format_remaining(clock.remaining)}"
    if others <= 0:
        return [base]
    return [f"{base} (+{others} overdue)", f"{base} +{others}"]


def clock_text(now: datetime, tz: tzinfo) -> str:
    """The wall clock in full: ``"09:51:46 UTC"``, plus ``" · 10:51 CET"`` when ``tz`` differs."""
    return _clock_texts(now, tz)[0]


def header_texts(view: IncidentView, width: int, *, with_clock: bool = True) -> HeaderTexts:
    """What each header part shows at ``width`` cells (``0``: unknown, show everything).

    ``with_clock=False`` leaves the wall clock out (the narrow war room shows it on
    the tab row, where there is room for both UTC and local time).

    Detail is given up in this order until the title keeps
    :data:`MIN_TITLE_CELLS`: seconds of the wall clock; the "(+N overdue)" words;
    the UTC time when a local zone is shown; the elapsed time; the wall clock.
    The badge, the phase, the urgent clock and who you write as always stay.
    """
    from warroom.domain.metrics import incident_duration
    from warroom.domain.timefmt import format_span

    state = view.state
    severity = f" {view.severity.label} "
    title = one_line(view.record_title or state.title)
    phase = state.phase.value.upper()
    you = ""
    if view.author:
        name = one_line(view.author)
        if cell_len(name) > MAX_AUTHOR_CELLS:
            name = set_cell_size(name, MAX_AUTHOR_CELLS - 1) + "…"
        you = f"✎ {name}"
    # How long it has lasted: the same duration the incident list and the export show
    # (impact started, else declared, to resolved, else now).
    lasted = incident_duration(state, view.now)
    elapsed = "" if lasted is None else f"⏱ {format_span(timedelta(seconds=max(lasted, 0.0)))}"
    # Wall clock: full, without seconds, local only, none (always four choices).
    clocks = [*(_clock_texts(view.now, view.tz) if with_clock else ["", "", ""]), ""]
    urgents = _urgent_texts(view)
    # (wall-clock choice, urgent choice, elapsed shown), most detailed first.
    short = len(urgents) - 1
    steps = [(0, 0, True), (1, 0, True), (1, short, True), (2, short, True), (2, short, False),
             (3, short, False)]
    chosen = steps[0]
    if width > 0:
        for step in steps:
            chosen = step
            clock_index, urgent_index, with_elapsed = step
            parts = (
                severity,
                phase,
                you,
                urgents[urgent_index],
                elapsed if with_elapsed else "",
                clocks[clock_index],
            )
            used = 1 + sum(cell_len(p) + _PART_PADDING for p in parts if p)
            if width - used >= MIN_TITLE_CELLS + _PART_PADDING:
                break
    clock_index, urgent_index, with_elapsed = chosen
    return HeaderTexts(
        severity=severity,
        title=title,
        phase=phase,
        urgent=urgents[urgent_index],
        elapsed=elapsed if with_elapsed else "",
        clock=clocks[clock_index],
        you=you,
    )


class IncidentHeader(Horizontal):
    """Severity, title, phase, the most urgent clock, elapsed time and the clock."""

    def __init__(self, *, id: str | None = None, title: str = "") -> None:
        """A header showing ``title`` (the incident's, from its record) until :meth:`show`."""
        super().__init__(id=id)
        self._view: IncidentView | None = None
        self._with_clock = True
        self._title = one_line(title)
        self._urgent_tip: str | None = None
        self._parts: dict[str, Static] = {}
        self._offline = ""

    def compose(self) -> ComposeResult:
        """The header's parts, each a plain-text :class:`Static` (empty ones hidden)."""
        for part in _PARTS:
            text = self._title if part == "title" else ""
            static = Static(Text(text), id=f"header-{part}", markup=False)
            static.display = bool(text)
            self._parts[part] = static
            yield static

    def on_resize(self, event: events.Resize) -> None:
        """Fit the parts to the new width."""
        if self._view is not None:
            self.show(self._view, with_clock=self._with_clock)

    @staticmethod
    def _set(static: Static, text: str) -> None:
        current = static.content
        if not (isinstance(current, Text) and current.plain == text):
            old = current.plain if isinstance(current, Text) else None
            static.update(Text(text), layout=resizes(static, old, text))
        if static.display != bool(text):
            static.display = bool(text)

    def show(self, view: IncidentView, *, with_clock: bool = True) -> None:
        """Show ``view`` (called on every change and every second).

        ``with_clock=False``: the wall clock is shown elsewhere (see :func:`header_texts`).
        """
        self._view = view
        self._with_clock = with_clock
        texts = header_texts(view, self.size.width, with_clock=with_clock)
        sev = self._parts["sev"]
        self._set(sev, texts.severity)
        if view.severity.severity is None:
            wanted = {"-unclassified"}
        else:
            wanted = {f"-sev{int(view.severity.severity)}"}
            if view.severity.defaulted:
                wanted.add("-defaulted")
        swap_classes(sev, _SEV_CLASSES, wanted)
        self._set(self._parts["title"], texts.title)
        phase = self._parts["phase"]
        self._set(phase, texts.phase)
        if phase.has_class("-open") != view.state.is_open:
            phase.set_class(view.state.is_open, "-open")
        urgent = self._parts["urgent"]
        self._set(urgent, texts.urgent)
        clock = urgent_clock(view.clocks)
        swap_classes(urgent, _URGENT_CLASSES, {f"-{clock.state}"} if clock is not None else ())
        tip = None
        if clock is not None:
            tip = (f"{one_line(clock.name)}: {one_line(clock.rule)}"
                   + (f"\n→ {one_line(clock.action)}" if clock.action else ""))
        if tip != self._urgent_tip:
            self._urgent_tip = tip
            urgent.tooltip = Text(tip) if tip is not None else None
        self._set(self._parts["elapsed"], texts.elapsed)
        you = self._parts["you"]
        self._set(you, texts.you)
        if texts.you and you.tooltip is None:
            you.tooltip = Text(f"You write entries as {one_line(view.author)} "
                               "(set author in the config file, or $WARROOM_AUTHOR)")
        self._set(self._parts["clock"], self._offline or texts.clock)

    def show_offline(self, since: datetime | None, queued: int = 0) -> None:
        """Say "reconnecting since HH:MM:SS" (UTC) in the clock's place, or stop saying it;
        with entries queued on this seat, "3 queued — server unreachable since HH:MM"."""
        text = offline_text(since, queued)
        if text == self._offline:
            return
        self._offline = text
        clock = self._parts.get("clock")
        if clock is not None:
            clock.set_class(bool(text), "-offline")
        if self._view is not None:
            self.show(self._view, with_clock=self._with_clock)
