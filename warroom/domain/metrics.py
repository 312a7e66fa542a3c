"""Post-mortem metrics, computed from the record's milestones. Pure.

The six headline metrics, in seconds (``None`` = "not recorded", never a guess):

=======================  =============================  ================================
metric                   from                           to
=======================  =============================  ================================
``time_to_detect``       impact started                 detected
``time_to_declare``      detected                       declared (0 if declared first)
``time_to_acknowledge``  detected                       acknowledged
``time_to_mitigate``     impact started                 mitigated (windows, see below)
``time_to_resolve``      impact started                 resolved (windows, see below)
``duration``             impact started, else declared  resolved, else ``now`` (ongoing)
=======================  =============================  ================================

The latest event of each kind counts (the fold keeps the latest milestone in
timeline order). **Re-opened incidents** add their spans up instead, as
*windows*:

- a *re-opening* is a phase change flagged ``reopened`` (``/reopen``) or any move
  from mitigated-or-later back to detected, triaged or responding (a failed
  mitigation);
- the first window opens at the start instant (impact started; for
  ``duration``, impact started else declared). A window closes at the **last**
  entry into the target phase (``mitigated`` or ``resolved``) before the next
  re-opening; that re-opening opens the next window. A re-opening that comes
  while the current window is still open (the target phase was not reached in
  it) does not split it: the window runs on;
- a window that moves past the target phase without entering it (resolved with
  no mitigation recorded; closed with no resolution recorded) has no recorded
  end: the metric is ``None`` rather than a number stretched to a later event;
- entries into the target phase before the start instant are ignored;
- the metric is the sum of the closed windows. If the last window is still open
  (re-opened and not yet mitigated again), ``time_to_mitigate`` /
  ``time_to_resolve`` are ``None``; ``duration`` counts the open window up to
  ``now`` and is marked ``ongoing``.

So an incident whose impact starts at 10:00, is mitigated at 10:30, re-opened at
11:00 and mitigated again at 11:20 has ``time_to_mitigate`` = 30 + 20 minutes.

Also computed: time spent in each phase (from the phase history; each phase runs
until the next change, the last one until ``now``; the first phase, *detected*,
starts at the detection time when that came before the declaration, so the wait
between them is counted), and the status-update
cadence: how many updates were posted, the largest gap between two consecutive
ones, the cadence that applied to it (the policy's cadence for the phase of the
earlier update) and whether the gap exceeded it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import ConfigDict

from warroom.domain.events import PHASE_ORDER, Phase, StatusPhase
from warroom.domain.policy import Policy
from warroom.domain.state import IncidentState, PhaseChange

__all__ = [
    "METRIC_NAMES",
    "MetricSource",
    "Metrics",
    "PhaseTime",
    "StatusCadence",
    "Window",
    "compute_metrics",
    "incident_duration",
    "is_reopening",
    "phase_start",
]

#: How pydantic reads these classes where it meets them (an export's ``metrics``):
#: with the rules they had as models (frozen, unknown keys refused).
_FROZEN = ConfigDict(frozen=True, extra="forbid")

#: The headline metrics, in the order the draft lists them.
METRIC_NAMES: tuple[str, ...] = (
    "time_to_detect",
    "time_to_declare",
    "time_to_acknowledge",
    "time_to_mitigate",
    "time_to_resolve",
    "duration",
)

_MITIGATED_OR_LATER = frozenset(PHASE_ORDER[PHASE_ORDER.index(Phase.MITIGATED) :])
_BEFORE_MITIGATED = frozenset(PHASE_ORDER[: PHASE_ORDER.index(Phase.MITIGATED)])


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """One span of a windowed metric: from a (re)start to the target phase."""

    __pydantic_config__ = _FROZEN

    start: datetime
    start_event: int | None
    end: datetime | None
    end_event: int | None
    seconds: float | None
    #: True when the window is still open (``seconds`` is None, or runs to ``now``
    #: for ``duration``).
    open: bool = False
    #: True when the incident moved past the target phase without entering it
    #: (e.g. resolved without a recorded mitigation): the end is not recorded.
    missing: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricSource:
    """What one headline metric was computed from (event ids, oldest first)."""

    __pydantic_config__ = _FROZEN

    events: tuple[int, ...] = ()
    windows: tuple[Window, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseTime:
    """Time spent in one phase, summed over every time it was entered."""

    __pydantic_config__ = _FROZEN

    phase: Phase
    seconds: float
    entries: int
    #: The phase-change events that entered this phase.
    events: tuple[int, ...]
    #: The incident is in this phase now (the last span runs to ``now``).
    current: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusCadence:
    """Status-update count and the largest gap between two consecutive updates."""

    __pydantic_config__ = _FROZEN

    count: int = 0
    largest_gap_seconds: float | None = None
    #: The two updates around the largest gap (earlier, later).
    largest_gap_events: tuple[int, ...] = ()
    #: Phase of the earlier update: its cadence applied to the gap.
    largest_gap_phase: StatusPhase | None = None
    cadence_minutes: int | None = None
    exceeded: bool | None = None
    #: How many gaps (of ``count - 1``) exceeded the cadence that applied to them.
    gaps_over_cadence: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Metrics:
    """The post-mortem metrics of one incident as of ``as_of``."""

    __pydantic_config__ = _FROZEN

    as_of: datetime
    time_to_detect: float | None = None
    time_to_declare: float | None = None
    time_to_acknowledge: float | None = None
    time_to_mitigate: float | None = None
    time_to_resolve: float | None = None
    duration: float | None = None
    #: ``duration`` runs to ``as_of``: the incident is not resolved (again) yet.
    ongoing: bool = False
    #: Metric name → the events (and windows) it was computed from.
    sources: dict[str, MetricSource]
    phases: tuple[PhaseTime, ...] = ()
    status_updates: StatusCadence = StatusCadence()
    reopen_count: int = 0

    def seconds(self, name: str) -> float | None:
        """The value of headline metric ``name`` (one of :data:`METRIC_NAMES`)."""
        if name not in METRIC_NAMES:
            raise KeyError(name)
        value: float | None = getattr(self, name)
        return value


def is_reopening(change: PhaseChange) -> bool:
    """Whether a phase change re-opens the incident (see the module docstring)."""
    if change.reopened:
        return True
    return change.previous in _MITIGATED_OR_LATER and change.phase in _BEFORE_MITIGATED


def _seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


def _ids(*ids: int | None) -> tuple[int, ...]:
    return tuple(sorted({i for i in ids if i is not None}))


def _windows(
    history: tuple[PhaseChange, ...],
    target: Phase,
    start: datetime,
    start_event: int | None,
) -> list[Window]:
    """Windows from ``start`` to each last entry into ``target`` (see module docstring)."""
    later = frozenset(PHASE_ORDER[PHASE_ORDER.index(target) + 1 :])
    windows: list[Window] = []
    open_start, open_event = start, start_event
    last: PhaseChange | None = None
    skipped = False  # the window went past ``target`` without entering it
    for change in history:
        if change.at < start:
            continue
        if is_reopening(change):
            if last is not None or skipped:
                windows.append(_closed(open_start, open_event, last))
                open_start, open_event, last, skipped = change.at, change.event_id, None, False
        elif change.phase == target:
            last = change
        elif change.phase in later and last is None:
            skipped = True
    if last is not None or skipped:
        windows.append(_closed(open_start, open_event, last))
    else:
        windows.append(
            Window(
                start=open_start,
                start_event=open_event,
                end=None,
                end_event=None,
                seconds=None,
                open=True,
            )
        )
    return windows


def _closed(start: datetime, start_event: int | None, end: PhaseChange | None) -> Window:
    """A closed window; without ``end`` the target phase was skipped: not recorded."""
    if end is None:
        return Window(
            start=start,
            start_event=start_event,
            end=None,
            end_event=None,
            seconds=None,
            missing=True,
        )
    return Window(
        start=start,
        start_event=start_event,
        end=end.at,
        end_event=end.event_id,
        seconds=_seconds(start, end.at),
    )


def _window_sources(windows: list[Window]) -> MetricSource:
    ids: list[int | None] = []
    for window in windows:
        ids.extend((window.start_event, window.end_event))
    return MetricSource(events=_ids(*ids), windows=tuple(windows))


def _windowed(state: IncidentState, target: Phase) -> tuple[float | None, MetricSource]:
    start = state.impact_started_at
    if start is None:
        return None, MetricSource()
    windows = _windows(
        state.phase_history, target, start, state.milestone_events.get("impact_started")
    )
    source = _window_sources(windows)
    if any(w.seconds is None for w in windows):
        return None, source
    return sum(w.seconds or 0.0 for w in windows), source


def _span(
    state: IncidentState, start_name: str, end_name: str
) -> tuple[float | None, MetricSource]:
    start: datetime | None = getattr(state, f"{start_name}_at")
    end: datetime | None = getattr(state, f"{end_name}_at")
    if start is None or end is None:
        return None, MetricSource()
    events = state.milestone_events
    return _seconds(start, end), MetricSource(
        events=_ids(events.get(start_name), events.get(end_name))
    )


def _duration(state: IncidentState, now: datetime) -> tuple[float | None, bool, MetricSource]:
    if state.impact_started_at is not None:
        start, start_event = state.impact_started_at, state.milestone_events.get("impact_started")
    elif state.declared_at is not None:
        start, start_event = state.declared_at, _declared_event(state)
    else:
        return None, False, MetricSource()
    windows = _windows(state.phase_history, Phase.RESOLVED, start, start_event)
    ongoing = windows[-1].open
    if ongoing:
        last = windows[-1]
        windows[-1] = replace(last, seconds=max(0.0, _seconds(last.start, now)))
    source = _window_sources(windows)
    if any(w.seconds is None for w in windows):
        return None, ongoing, source
    return sum(w.seconds or 0.0 for w in windows), ongoing, source


def incident_duration(state: IncidentState, now: datetime) -> float | None:
    """The ``duration`` metric alone, in seconds: to the resolution, else to ``now``."""
    return _duration(state, now)[0]


def _declare(state: IncidentState) -> tuple[float | None, MetricSource]:
    detected, declared = state.detected_at, state.declared_at
    if detected is None or declared is None:
        return None, MetricSource()
    events = _ids(state.milestone_events.get("detected"), _declared_event(state))
    return max(0.0, _seconds(detected, declared)), MetricSource(events=events)


def _declared_event(state: IncidentState) -> int | None:
    for change in state.severity_history:
        if change.at == state.declared_at and change.reason == "declared":
            return change.event_id
    return state.phase_history[0].event_id if state.phase_history else None


def phase_start(state: IncidentState, index: int) -> datetime:
    """When the phase entered by ``state.phase_history[index]`` began.

    The first change (the declaration) opens *detected*: that phase starts at the
    detection time when the incident was detected before it was declared.
    """
    change = state.phase_history[index]
    detected = state.detected_at
    if index == 0 and change.phase == Phase.DETECTED and detected is not None:
        return min(detected, change.at)
    return change.at


def _phase_times(state: IncidentState, now: datetime) -> tuple[PhaseTime, ...]:
    totals: dict[Phase, float] = {}
    entries: dict[Phase, list[int]] = {}
    history = state.phase_history
    for index, change in enumerate(history):
        end = history[index + 1].at if index + 1 < len(history) else now
        start = phase_start(state, index)
        totals[change.phase] = totals.get(change.phase, 0.0) + max(0.0, _seconds(start, end))
        entries.setdefault(change.phase, []).append(change.event_id)
    current = history[-1].phase if history else None
    return tuple(
        PhaseTime(
            phase=phase,
            seconds=totals[phase],
            entries=len(entries[phase]),
            events=tuple(entries[phase]),
            current=phase == current,
        )
        for phase in PHASE_ORDER
        if phase in totals
    )


def _cadence(state: IncidentState, policy: Policy) -> StatusCadence:
    updates = sorted(state.status_updates, key=lambda u: (u.at, u.event_id))
    if len(updates) < 2:
        return StatusCadence(count=len(updates))
    best: tuple[float, int] | None = None
    over = 0
    for index in range(1, len(updates)):
        earlier, later = updates[index - 1], updates[index]
        gap = _seconds(earlier.at, later.at)
        cadence = policy.status_cadence_minutes.get(earlier.phase)
        if cadence is not None and gap > cadence * 60:
            over += 1
        if best is None or gap > best[0]:
            best = (gap, index)
    assert best is not None
    gap, index = best
    earlier, later = updates[index - 1], updates[index]
    cadence = policy.status_cadence_minutes.get(earlier.phase)
    return StatusCadence(
        count=len(updates),
        largest_gap_seconds=gap,
        largest_gap_events=(earlier.event_id, later.event_id),
        largest_gap_phase=earlier.phase,
        cadence_minutes=cadence,
        exceeded=None if cadence is None else gap > cadence * 60,
        gaps_over_cadence=over,
    )


def compute_metrics(state: IncidentState, policy: Policy, now: datetime) -> Metrics:
    """Compute the post-mortem metrics of ``state`` as of ``now`` (see the module docstring)."""
    detect, detect_src = _span(state, "impact_started", "detected")
    declare, declare_src = _declare(state)
    ack, ack_src = _span(state, "detected", "acknowledged")
    mitigate, mitigate_src = _windowed(state, Phase.MITIGATED)
    resolve, resolve_src = _windowed(state, Phase.RESOLVED)
    duration, ongoing, duration_src = _duration(state, now)
    return Metrics(
        as_of=now,
        time_to_detect=detect,
        time_to_declare=declare,
        time_to_acknowledge=ack,
        time_to_mitigate=mitigate,
        time_to_resolve=resolve,
        duration=duration,
        ongoing=ongoing,
        sources={
            "time_to_detect": detect_src,
            "time_to_declare": declare_src,
            "time_to_acknowledge": ack_src,
            "time_to_mitigate": mitigate_src,
            "time_to_resolve": resolve_src,
            "duration": duration_src,
        },
        phases=_phase_times(state, now),
        status_updates=_cadence(state, policy),
        reopen_count=state.reopen_count,
    )
