"""A pasted link longer than the timeline's text column: folded whole, shown whole on Enter."""

from __future__ import annotations

from textual.widgets import Static

from warroom.store import IncidentRecord, Store
from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen
from warroom.tui.panes.timeline.pane import Timeline

from .conftest import AppFactory, open_war_room, screen_text, settle, timeline_lines

# A dashboard link as the scribe pastes it at 3 a.m.: 150 characters, no space.
URL = ("https://grafana.example.com/d/payments-eu/processor-latency?orgId=1&var-region="
       "eu-west-1&var-pool=checkout&from=now-6h&to=now&viewPanel=42&refresh=30s")


def _entry_lines(timeline: Timeline, event_id: int) -> list[str]:
    """The lines the entry ``event_id`` takes on screen (its first and its continuations)."""
    shown = timeline_lines(timeline)
    first = next(i for i, line in enumerate(shown) if f"#{event_id} " in line)
    lines = [shown[first]]
    for y in range(first + 1, len(shown)):
        if timeline.entry_at(y) != timeline.entry_at(first):
            break
        lines.append(shown[y])
    return lines


async def test_a_long_link_is_folded_whole_in_the_timeline_and_in_the_entry(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    assert len(URL) == 150
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press(*f"latency dashboard {URL} p99 9.8s")
        await pilot.press("enter")
        await settle(pilot)
        event = store.events(incident.id)[-1]
        assert event.text == f"latency dashboard {URL} p99 9.8s"
        timeline = screen.timeline
        lines = _entry_lines(timeline, event.id)
        column = lines[0].index("latency dashboard")
        width = timeline.scrollable_content_region.width
        assert all(len(line) <= width for line in lines)
        assert all(not line[:column].strip() for line in lines[1:]), "under its text"
        folded = [line[column:] for line in lines]
        assert folded[0] == "latency dashboard", "the short words keep their line"
        assert len(folded) >= 4 and "".join(folded[1:]) == f"{URL} p99 9.8s", "every character"
        # The line map holds the height the entry was drawn with.
        position = len(timeline.rows) - 1
        assert timeline._lines.height(position) == len(timeline._draw(position)) == len(lines)
        assert timeline._lines.total == timeline._lines.start(position) + len(lines)

        # Enter shows it whole, wrapped in the box; selecting the text copies it as one.
        timeline.focus()
        await pilot.press("end", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, EntryDetailScreen)
        box = detail.query_one("#entry-text", Static)
        assert box.size.height >= 3, "the link goes on over several lines"
        rows = [strip.text.strip() for strip in box.render_lines(box.outer_size.region)]
        assert len(rows) >= 3 and all(rows), rows
        assert "".join(rows) == f"latency dashboard{URL} p99 9.8s", "whole, folded in the box"
        assert URL[:20] in screen_text(app), "on screen"
        box.text_select_all()
        assert detail.get_selected_text() == event.text, "copied as typed, no line breaks"
        hint = str(detail.query_one("#entry-hint", Static).render())
        assert "^e corrects it" in hint and "^k marks it" in hint, "the timeline's own keys"


async def test_an_error_quoting_a_long_word_folds_it_instead_of_cutting_it(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press(*f"/ic {URL}")
        await pilot.press("enter")
        await settle(pilot)
        message = screen.query_one("#scribe-message", Static)
        text = str(message.render())
        assert text.startswith("✗ /ic: 'https://") and "usage: /ic NAME" in text
        rows = [strip.text.strip() for strip in message.render_lines(message.outer_size.region)]
        assert max(len(row) for row in rows) <= 78
        assert "".join(rows).replace(" ", "") == text.replace(" ", ""), "every character shown"
