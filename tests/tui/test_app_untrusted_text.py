"""Markup and terminal escape sequences in entries render literally and never crash the app."""

from __future__ import annotations

from datetime import UTC, timedelta

from warroom.domain.events import DeclaredData, NewEvent, NoteData
from warroom.domain.timesource import FrozenTime
from warroom.store import Store
from warroom.tui.panes.timeline.entry_detail import EntryDetailScreen
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, screen_text, settle

HOSTILE = [
    "closing tag [/] in the middle",
    "[@click=app.quit]click me[/]",
    "[link=https://evil.example]phish[/link] and [bold red]loud[/]",
    "red \x1b[31mtext\x1b[0m after",
    "clipboard \x1b]52;c;aGVsbG8=\x07 write",
    "hyperlink \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ end",
    "title \x1b]0;pwned\x07 set",
    "bidi \u202egnp.exe\u202c name",
    "bell \x07 and NUL \x00 and C1 \x9b31m end",
]


def _raw_incident(store: Store, clock: FrozenTime) -> int:
    """An incident whose title and notes were written raw (as an import might)."""
    title = "Outage [/] \x1b[31mred\x1b[0m [@click=app.quit]x[/]"
    record, _ = store.create_incident(
        NewEvent(occurred_at=clock.now(), author="alice", text=title,
                 data=DeclaredData(title=title)),
    )
    for offset, text in enumerate(HOSTILE, start=1):
        store.append(record.id, NewEvent(
            occurred_at=clock.now() + timedelta(seconds=offset),
            author="[b]mallory[/b]\x1b[5m",
            text=text,
            data=NoteData(),
        ))
    clock.advance(minutes=1)
    return record.id


def _assert_plain(screen_text_: str) -> None:
    for bad in ("\x1b", "\x07", "\x00", "\x9b", "\u202e"):
        assert bad not in screen_text_


async def test_hostile_entries_render_literally(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    incident_id = _raw_incident(store, frozen_time)
    app = app_factory(incident_ref=incident_id)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        timeline = screen.query_one(Timeline)
        strips = [timeline.render_line(y) for y in range(len(HOSTILE) + 1)]
        shown = "\n".join(strip.text for strip in strips)
        assert "closing tag [/] in the middle" in shown
        assert "[@click=app.quit]click me[/]" in shown
        assert "[link=https://evil.example]phish[/link]" in shown
        assert "red text after" in shown
        assert "clipboard  write" in shown
        assert "[b]mallory" in shown, "author column (10 cells) shows the markup literally"
        _assert_plain(shown)
        for strip in strips:
            for segment in strip:
                style = segment.style
                if style is not None:
                    assert not style.link, "no live links"
                    assert "@click" not in (style.meta or {}), "no clickable actions"
        text = screen_text(app)
        _assert_plain(text)
        assert "Outage [/] red [@click=app.quit]x[/]" in text
        # Clicking where the fake link is does nothing dangerous.
        await pilot.click(Timeline, offset=(60, 2))
        await settle(pilot)
        assert app.is_running


async def test_entry_detail_shows_the_full_raw_text_safely(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    incident_id = _raw_incident(store, frozen_time)
    app = app_factory(incident_ref=incident_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "home", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryDetailScreen)
        text = screen_text(app)
        assert "[@click=app.quit]click me[/]" in text
        _assert_plain(text)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WarRoomScreen)


async def test_hostile_title_in_the_incident_list(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    _raw_incident(store, frozen_time)
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Outage [/] red [@click=app.quit]x[/]" in text
        _assert_plain(text)


async def test_typed_markup_is_logged_verbatim(
    app_factory: AppFactory, store: Store, frozen_time: FrozenTime
) -> None:
    incident_id = _raw_incident(store, frozen_time)
    app = app_factory(incident_ref=incident_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        screen.scribe_input.value = "see [/] and [@click=app.quit]x[/] \x1b]52;c;Zm9v\x07 ok"
        await pilot.press("enter")
        await settle(pilot)
        last = store.events(incident_id)[-1]
        assert last.text == "see [/] and [@click=app.quit]x[/]  ok"
        assert app.is_running
    assert frozen_time.now().tzinfo == UTC
