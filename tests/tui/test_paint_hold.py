"""The scribe's Enter paints once: the cleared input and the new row in the same frame.

A :class:`~warroom.tui.paint_hold.PaintHold` holds the screen's painting from Enter
until the write comes back (never longer than its limit). Painting is observed by
counting a widget's ``render_lines`` calls (what the compositor asks for a frame).
"""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from tests.tui.test_app_no_accidents import burst
from warroom.store import IncidentRecord, Store
from warroom.tui.paint_hold import PaintHold
from warroom.tui.panes.timeline.pane import Timeline

from .conftest import AppFactory, open_war_room, settle


class Counted(Static):
    """A static that counts the frames it is painted in."""

    painted = 0

    def render_lines(self, crop: Region) -> list[Strip]:
        """Count, then paint."""
        self.painted += 1
        return super().render_lines(crop)


class Host(App[None]):
    """One counted static."""

    def compose(self) -> ComposeResult:
        yield Counted("before")


async def test_nothing_is_painted_while_held_and_all_of_it_once_done() -> None:
    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        widget = app.query_one(Counted)
        await pilot.pause()
        hold = PaintHold(app, limit=10)
        hold.begin()
        hold.begin()  # two writes on their way (a burst)
        painted = widget.painted
        widget.update("after")
        await pilot.pause()
        await asyncio.sleep(0.05)
        assert widget.painted == painted, "held: no frame"
        hold.done()
        await pilot.pause()
        assert hold.held and widget.painted == painted, "one write still on its way"
        hold.done()
        await pilot.pause()
        assert not hold.held
        assert widget.painted > painted


async def test_a_hold_never_outlasts_its_limit() -> None:
    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        widget = app.query_one(Counted)
        await pilot.pause()
        hold = PaintHold(app, limit=0.02)
        hold.begin()  # the write never comes back
        painted = widget.painted
        widget.update("after")
        await asyncio.sleep(0.1)
        await pilot.pause()
        assert not hold.held
        assert widget.painted > painted


async def test_the_first_frame_after_enter_draws_the_new_row(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        timeline = screen.query_one(Timeline)
        frames: list[tuple[str, bool]] = []  # (input value, row drawn) per input paint
        scribe = screen.scribe_input
        paint = scribe.render_lines

        def watched(crop: Region) -> list[Strip]:
            drawn = any("one frame please" in timeline.render_line(y).text
                        for y in range(timeline.scrollable_content_region.height))
            frames.append((scribe.value, drawn))
            return paint(crop)

        scribe.render_lines = watched  # type: ignore[method-assign]
        scribe.value = "one frame please"
        await settle(pilot)
        frames.clear()
        burst(pilot, "\n")
        await settle(pilot)
        assert [e.text for e in store.events(incident.id)][-1] == "one frame please"
        assert frames, "the input was painted after Enter"
        assert frames[0] == ("", True), "the cleared input was painted with the row"
