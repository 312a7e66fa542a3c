"""The timeline widget on its own: rows, order, follow-the-tail, filters, markers."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult

from tests.support.events import event_at
from warroom.domain.eventlog import EventLog
from warroom.domain.events import (
    CorrectionData,
    DecisionData,
    DeclaredData,
    Event,
    EventData,
    EventKind,
    KeyMarkData,
    NoteData,
    Phase,
    PhaseChangedData,
    Role,
    RoleAssignedData,
    Severity,
    StatusPhase,
    StatusUpdateData,
)
from warroom.domain.fold import fold
from warroom.tui.messages import SubmitLine
from warroom.tui.panes.timeline.pane import (
    KIND_FILTERS,
    KIND_LABELS,
    Timeline,
    TimelineFilter,
    describe,
)
from warroom.tui.themes import VARIABLE_DEFAULTS

TIMELINE_TCSS = Path(__file__).resolve().parents[2] / "warroom/tui/panes/timeline/timeline.tcss"


def event(id: int, data: EventData, text: str = "", *, minutes: float | None = None,
          author: str = "alice", key: bool = False) -> Event:
    """An event ``minutes`` after T0 (default: ``id`` minutes)."""
    return event_at(id, id if minutes is None else minutes, data, text, author=author, key=key)


def notes(count: int, start: int = 2) -> list[Event]:
    """``count`` notes with ids from ``start``."""
    return [event(i, NoteData(), f"note {i}") for i in range(start, start + count)]


def declared() -> Event:
    """The declaration at T0."""
    return event(1, DeclaredData(title="Checkout down", severity=Severity.SEV2,
                                 services=("checkout",)), "Checkout down", minutes=0)


class Host(App[None]):
    """A bare app with one timeline."""

    CSS_PATH: ClassVar = [TIMELINE_TCSS]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Timeline(tz=UTC)

    def on_submit_line(self, message: SubmitLine) -> None:
        self.lines.append(message.line)


def rows_text(timeline: Timeline) -> list[str]:
    height = timeline.scrollable_content_region.height
    return [timeline.render_line(y).text.rstrip() for y in range(height)]


# ----------------------------------------------------------------- describe
def test_describe_structured_events() -> None:
    assert describe(declared()) == "Checkout down — SEV2 — services: checkout"
    role = event(2, RoleAssignedData(role=Role.IC, person="bob"), "taking over")
    assert describe(role) == "Incident Commander: bob — taking over"
    phase = event(3, PhaseChangedData(phase=Phase.RESPONDING, reopened=True))
    assert describe(phase) == "re-opened → responding"
    status = event(4, StatusUpdateData(phase=StatusPhase.IDENTIFIED), "We found it")
    assert describe(status) == "[identified] We found it"
    fix = event(5, CorrectionData(target=2), "right text")
    assert describe(fix) == "#2 ← right text"


def test_describe_uses_the_correction_and_cleans_text() -> None:
    note = event(2, NoteData(), "line one\nline two \x1b[31mred")
    assert describe(note) == "line one ⏎ line two red"
    assert describe(note, {2: "fixed"}) == "fixed"


def test_every_kind_has_a_short_label() -> None:
    assert set(KIND_LABELS) == set(EventKind)
    assert all(len(label) <= 8 for label in KIND_LABELS.values())


def test_the_kinds_named_by_value_are_real_kinds() -> None:
    """The timeline names kinds by value (it is drawn before the models load): no typos."""
    from warroom.tui.panes.timeline import pane as module
    from warroom.tui.panes.timeline import rows as timeline_rows

    named = set(module.MILESTONE_KINDS) | set(timeline_rows._KIND_CLASS)
    for _label, kinds in KIND_FILTERS.values():
        named |= set(kinds or ())
    assert named <= {kind.value for kind in EventKind}
    assert EventKind.DECLARED in module.MILESTONE_KINDS  # enum members find the values


# ----------------------------------------------------------------- widget
async def test_rows_are_in_time_order_and_back_dated_events_slot_in() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *notes(3)])
        await pilot.pause()
        late = event(9, NoteData(), "back-dated", minutes=2.5)
        timeline.add([late])
        await pilot.pause()
        assert [e.id for e in timeline.rows] == [1, 2, 9, 3, 4]
        text = rows_text(timeline)
        assert "back-dated" in text[2]
        assert text[2].startswith("   #9 14:02:30 alice")


async def test_follows_the_tail_until_scrolled_up() -> None:
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *notes(50)])
        await pilot.pause()
        assert timeline.following
        assert "note 51" in rows_text(timeline)[-1]
        timeline.add(notes(1, start=52))
        await pilot.pause()
        assert "note 52" in rows_text(timeline)[-1]
        timeline.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert not timeline.following
        timeline.add(notes(2, start=53))
        await pilot.pause()
        assert "note 54" not in "\n".join(rows_text(timeline)), "stays where the user is"
        assert "2 new" in str(timeline.border_subtitle)
        timeline.focus()
        await pilot.press("end")
        await pilot.pause()
        assert timeline.following
        assert "note 54" in rows_text(timeline)[-1]
        assert not timeline.border_subtitle


async def test_filter_by_kind_and_text() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        events = [declared(), *notes(5),
                  event(7, DecisionData(), "roll back checkout"),
                  event(8, NoteData(), "Payments fine", author="bob", key=True)]
        timeline.load(events, fold(events))
        timeline.set_filter(TimelineFilter(kind="decisions"))
        await pilot.pause()
        assert [e.id for e in timeline.rows] == [7]
        timeline.set_filter(TimelineFilter(kind="key"))
        assert [e.id for e in timeline.rows] == [1, 8], "milestones and key events"
        timeline.set_filter(TimelineFilter(text="PAYMENTS"))
        assert [e.id for e in timeline.rows] == [8]
        timeline.set_filter(TimelineFilter(text="bob"))
        assert [e.id for e in timeline.rows] == [8], "matches authors too"
        timeline.add([event(9, NoteData(), "payments again")])
        timeline.set_filter(TimelineFilter(text="payments"))
        assert [e.id for e in timeline.rows] == [8, 9]
        timeline.add([event(10, NoteData(), "unrelated")])
        assert [e.id for e in timeline.rows] == [8, 9], "new rows obey the filter"
        await pilot.pause()
        assert "2 of 10 shown" in str(timeline.border_subtitle)
        timeline.set_filter(TimelineFilter())
        assert len(timeline.rows) == 10


async def test_key_events_and_corrections_are_marked() -> None:
    app = Host()
    async with app.run_test(size=(100, 20)) as pilot:
        timeline = app.query_one(Timeline)
        events = [declared(), *notes(2),
                  event(4, CorrectionData(target=2), "note two, corrected"),
                  event(5, KeyMarkData(target=3))]
        timeline.load(events, fold(events))
        await pilot.pause()
        text = rows_text(timeline)
        assert text[1].endswith("note two, corrected ✎")
        assert text[2].startswith("★")
        assert "#3 marked key" in text[4]


async def test_keys_mark_and_correct_post_requests() -> None:
    app = Host()
    seen: list[Timeline.CorrectRequested | Timeline.KeyMarkRequested] = []

    def hook(message: object) -> None:
        wanted = (Timeline.CorrectRequested, Timeline.KeyMarkRequested)
        if isinstance(message, wanted) and message not in seen:
            seen.append(message)  # the hook sees it at every node it bubbles through

    async with app.run_test(size=(100, 10), message_hook=hook) as pilot:
        timeline = app.query_one(Timeline)
        timeline.load([declared(), *notes(3)])
        timeline.focus()
        await pilot.pause()
        await pilot.press("up", "ctrl+k", "m", "e")
        await pilot.pause()
        assert app.lines == [], "no key of the list writes (nor does a letter)"
        assert timeline.selected is not None and timeline.selected.id == 3
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert [(type(m).__name__, m.event.id) for m in seen] == [
            ("KeyMarkRequested", 3), ("CorrectRequested", 3)
        ], "the entry above the newest"
        assert isinstance(seen[1], Timeline.CorrectRequested) and seen[1].text == "note 3"


async def test_a_loaded_event_log_is_copied_not_shared() -> None:
    app = Host()
    async with app.run_test(size=(100, 12)) as pilot:
        timeline = app.query_one(Timeline)
        log = EventLog([declared(), *notes(3)])
        timeline.load(log)
        timeline.add([event(9, NoteData(), "back-dated", minutes=2.5)])
        await pilot.pause()
        assert [e.id for e in timeline.rows] == [1, 2, 9, 3, 4]
        assert [e.id for e in log] == [1, 2, 3, 4], "the caller's log is untouched"
        log.add(event(10, NoteData(), "only in the caller's log"))
        assert timeline.event_count == 5
        assert "back-dated" in rows_text(timeline)[2]


@pytest.mark.slow
async def test_hundred_thousand_events_load_and_append() -> None:
    """Every row loads, in order, and an append lands at the tail.

    How fast is measured by ``benchmarks/bench_tui_open.py`` and
    ``benchmarks/bench_tui_entry.py`` (ratios against a baseline in the same run); the
    bound here only catches a hang or a blow-up, never a slow machine.
    """
    import time

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        events = [declared(), *notes(99_999)]
        started = time.monotonic()
        timeline.load(events)
        await pilot.pause()
        timeline.add([event(100_001, NoteData(), "the newest")])
        await pilot.pause()
        assert time.monotonic() - started < 120, "a hang guard, not a speed target"
        assert timeline.event_count == 100_001
        ids = [e.id for e in timeline.rows]
        assert ids == list(range(1, 100_002))
        assert "the newest" in rows_text(timeline)[-1]
