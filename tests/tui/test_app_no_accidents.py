"""Nothing written by accident, nothing typed lost: bursts, stray keys in the list, pastes.

Keys "in one burst" are posted to the app all at once, with no pause between them:
what a terminal delivers when a paste arrives without bracketed paste, or when the
scribe types faster than the console handles keys.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot

from warroom.store import IncidentRecord, Store
from warroom.tui.panes.scribe.pane import ScribeInput
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, open_war_room, settle


def burst(pilot: Pilot[Any], text: str) -> None:
    """Post every key of ``text`` (``\\n`` is Enter, ``\\t`` is Tab) to the app at once."""
    for char in text:
        if char == "\n":
            pilot.app.post_message(events.Key("enter", "\r"))
        elif char == "\t":
            pilot.app.post_message(events.Key("tab", "\t"))
        else:
            key = "space" if char == " " else char
            pilot.app.post_message(events.Key(key, char))


def _texts(store: Store, incident: IncidentRecord, after: int) -> list[str]:
    return [e.text for e in store.events(incident.id)[after:]]


async def test_two_lines_in_one_burst_are_two_entries(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        burst(pilot, "first\nsecond\n")
        await settle(pilot)
        burst(pilot, "alpha\nbeta\ngamma\n")
        await settle(pilot)
        assert _texts(store, incident, before) == ["first", "second", "alpha", "beta", "gamma"]
        assert screen.scribe_input.value == ""
        assert screen.scribe_input.history[-3:] == ["alpha", "beta", "gamma"]


async def test_a_double_enter_logs_one_entry(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        before = len(store.events(incident.id))
        burst(pilot, "dup test A\n\n")
        await settle(pilot)
        assert _texts(store, incident, before) == ["dup test A"]


async def test_a_bad_line_in_a_burst_comes_back_without_losing_the_next(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        burst(pilot, "/sev 9\nnext line\n")
        await settle(pilot)
        assert _texts(store, incident, before) == ["next line"]
        # The refused line is back in the box with its error, ready to fix.
        assert screen.scribe_input.value == "/sev 9"
        assert screen._scribe_box.has_class("-error")


async def test_typing_in_the_list_goes_to_the_scribe_input_and_writes_nothing(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        await pilot.press("f2")
        assert isinstance(screen.focused, Timeline)
        # Typed one key at a time: the first letter moves to the scribe input.
        await pilot.press(*"mitigation looks good")
        await settle(pilot)
        assert len(store.events(incident.id)) == before, "no key of the list wrote anything"
        assert isinstance(screen.focused, ScribeInput)
        assert screen.scribe_input.value == "mitigation looks good"
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert _texts(store, incident, before) == ["mitigation looks good"]


async def test_a_burst_typed_in_the_list_is_one_note(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        await pilot.press("f2")
        assert isinstance(screen.focused, Timeline)
        burst(pilot, "mitigation looks good\nearly signs good\n")
        await settle(pilot)
        assert _texts(store, incident, before) == ["mitigation looks good", "early signs good"]
        assert isinstance(app.screen, WarRoomScreen), "no popup opened"
        assert screen.scribe_input.value == ""


async def test_marking_from_the_list_asks_first_and_unmarking_records_the_reversal(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        await pilot.press("f2", "up", "up")
        target = screen.timeline.selected
        assert target is not None and not screen.timeline.is_key(target)
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(store.events(incident.id)) == before, "cancelled: nothing written"
        await pilot.press("ctrl+k")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen.timeline.is_key(target)
        assert [e.kind.value for e in store.events(incident.id)[before:]] == ["key_mark"]
        # The same key on a key entry offers to take the mark back (asked too).
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not screen.timeline.is_key(target)
        kinds = [e.kind.value for e in store.events(incident.id)[before:]]
        assert kinds == ["key_mark", "key_unmark"]


async def test_mark_of_a_key_entry_writes_nothing_and_says_why(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        key_entry = next(e for e in store.events(incident.id) if e.key)
        before = len(store.events(incident.id))
        await pilot.press(*f"/mark {key_entry.id}", "enter")
        await settle(pilot)
        assert len(store.events(incident.id)) == before
        assert screen._scribe_box.has_class("-error")
        assert "already a key event" in str(screen.query_one("#scribe-message").render())
        await pilot.press("ctrl+u", *f"/unmark {key_entry.id}", "enter")
        await settle(pilot)
        assert [e.kind.value for e in store.events(incident.id)[before:]] == ["key_unmark"]
        assert not screen.timeline.is_key(key_entry)


async def test_a_multi_line_paste_asks_and_keeps_every_line(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        pilot.app.post_message(events.Paste("db failover done\n\n/decision keep v41\nlast\n"))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 entries" in str(app.screen.query_one("#confirm-title").render())
        await pilot.press("n")
        await settle(pilot)
        assert len(store.events(incident.id)) == before
        assert "not logged" in str(screen.query_one("#scribe-message").render())
        # Declined, the paste is not lost: ↑ brings its lines back, newest first.
        assert screen.scribe_input.history[-3:] == ["db failover done", "/decision keep v41",
                                                    "last"]
        await pilot.press("up")
        assert screen.scribe_input.value == "last"
        await pilot.press("up")
        assert screen.scribe_input.value == "/decision keep v41"
        await pilot.press("ctrl+u", "down", "down")
        await settle(pilot)
        pilot.app.post_message(events.Paste("db failover done\n/decision keep v41\nlast"))
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        new = store.events(incident.id)[before:]
        assert [(e.kind.value, e.text) for e in new] == [
            ("note", "db failover done"), ("decision", "keep v41"), ("note", "last"),
        ]
        assert screen.scribe_input.value == ""
        # One line (with its line break) is typed into the input, as before.
        pilot.app.post_message(events.Paste("one line\n"))
        await settle(pilot)
        assert screen.scribe_input.value == "one line"


def _entries_on_screen(timeline: Any) -> list[int]:
    """The ids of the entries with a line on screen, top to bottom."""
    shown: list[int] = []
    for y in range(timeline.scrollable_content_region.height):
        index = timeline.entry_at(y)
        if index is not None and timeline.rows[index].id not in shown:
            shown.append(timeline.rows[index].id)
    return shown


async def test_the_scribe_sees_the_line_they_logged_after_scrolling_up(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: Any
) -> None:
    session_lines = tuple(f"filler {i}" for i in range(60))
    from tests.support.incidents import seed_incident

    record = seed_incident(store, frozen_time, title="Long one", lines=session_lines)
    app = app_factory(incident_ref=record.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        timeline = screen.timeline
        timeline.scroll_home(animate=False, immediate=True)
        await settle(pilot)
        assert not timeline.following
        await pilot.press(*"logged while scrolled up", "enter")
        await settle(pilot)
        logged = store.events(record.id)[-1]
        assert logged.text == "logged while scrolled up"
        rows = _entries_on_screen(timeline)
        assert logged.id in rows, "the new entry is on screen"
        assert timeline.flashed == logged.id
        # A back-dated entry slots in above: it is scrolled to as well.
        await pilot.press(*"@-55m back-dated note", "enter")
        await settle(pilot)
        back = store.events(record.id)[-1]
        assert back.text == "back-dated note"
        rows = _entries_on_screen(timeline)
        assert back.id in rows and rows[-1] != back.id
        assert timeline.flashed == back.id


async def test_edit_keys_in_a_burst_apply_in_order(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        burst(pilot, "old text")
        pilot.app.post_message(events.Key("ctrl+u", None))
        burst(pilot, "nox")
        pilot.app.post_message(events.Key("backspace", None))
        burst(pilot, "te kept\n")
        await settle(pilot)
        assert _texts(store, incident, before) == ["note kept"]
        assert screen.scribe_input.value == ""


async def test_the_checkpoint_form_keeps_tab_and_enter_in_a_burst(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        burst(pilot, "aaa\tbbb\nccc\tddd")
        await settle(pilot)
        answers = app.screen.answers()
        assert (answers.know, answers.next, answers.escalate, answers.status_page) == (
            "aaa", "bbb", "ccc", "ddd"
        )
        # The focus stays where the last key put it (an Enter's late re-focus would
        # select an answer and let the next keys replace it).
        assert app.focused is app.screen.query_one("#checkpoint-status_page")


async def test_a_refused_paste_keeps_its_lines_in_the_history(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_war_room(pilot)
        before = len(store.events(incident.id))
        pilot.app.post_message(events.Paste("rollback started\n/sev 9\nerrors dropping"))
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert len(store.events(incident.id)) == before  # one bad line: none logged
        message = str(screen.query_one("#scribe-message").render())
        assert "line 2 of 3" in message and "↑" in message
        assert screen.scribe_input.history[-3:] == ["rollback started", "/sev 9",
                                                    "errors dropping"]
        await pilot.press("up", "up")
        assert screen.scribe_input.value == "/sev 9"  # to fix and send on its own
