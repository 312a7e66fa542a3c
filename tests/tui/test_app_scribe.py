"""The scribe's main path through the real app: type, Enter, see it in the DB and on screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from warroom.domain.events import EventKind, NoteData
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui.panes.scribe.pane import ScribeInput
from warroom.tui.panes.timeline.pane import Timeline
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, screen_text, settle, timeline_lines


async def _open_war_room(pilot, incident: IncidentRecord) -> WarRoomScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WarRoomScreen), f"expected the war room, got {screen!r}"
    assert screen.session is not None
    return screen


async def test_scribe_input_is_focused_when_the_war_room_opens(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        assert isinstance(screen.focused, ScribeInput)


async def test_typed_note_is_stored_and_shown(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        before = len(store.events(incident.id))
        await pilot.press(*"payments recovered")
        await pilot.press("enter")
        await settle(pilot)

        events = store.events(incident.id)
        assert len(events) == before + 1
        last = events[-1]
        assert last.text == "payments recovered"
        assert last.author == "sam"
        assert isinstance(last.data, NoteData)
        assert last.occurred_at == frozen_time.now()
        assert screen.scribe_input.value == ""
        assert any("payments recovered" in line for line in timeline_lines(screen.timeline))
        assert screen.timeline.rows[-1].id == last.id


async def test_command_entry_changes_the_state_and_the_header(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        await pilot.press(*"/sev 1 data loss suspected")
        await pilot.press("enter")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.kind == EventKind.SEVERITY_SET
        assert screen.state is not None and int(screen.state.severity or 0) == 1
        assert "SEV1" in screen_text(app)


async def test_back_dated_entry_lands_in_time_order(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    declared = store.events(incident.id)[0].occurred_at
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        at = (declared + timedelta(seconds=30)).astimezone(UTC)
        await pilot.press(*f"@{at:%H:%M:%S} first customer report on twitter")
        await pilot.press("enter")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.occurred_at == at
        assert last.recorded_at == frozen_time.now()
        rows = screen.timeline.rows
        position = [e.id for e in rows].index(last.id)
        assert position == 1, "a back-dated entry sits right after the declaration"
        assert [e.occurred_at for e in rows] == sorted(e.occurred_at for e in rows)


async def test_parse_error_is_shown_inline_and_keeps_the_line(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        before = len(store.events(incident.id))
        await pilot.press(*"/sev 9 oops")
        await pilot.press("enter")
        await settle(pilot)
        assert len(store.events(incident.id)) == before, "nothing is written"
        assert screen.scribe_input.value == "/sev 9 oops", "what was typed is kept"
        text = screen_text(app)
        assert "✗" in text and "/sev" in text and "1, 2, 3 or 4" in text
        # Fixing the line clears the error and logs it.
        await pilot.press("end", *["backspace"] * 6)
        await pilot.press("1", "enter")
        await settle(pilot)
        assert len(store.events(incident.id)) == before + 1
        assert "1, 2, 3 or 4" not in screen_text(app)


async def test_entry_error_from_the_session_restores_the_line(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        before = len(store.events(incident.id))
        await pilot.press(*"/fix 999 nope")
        await pilot.press("enter")
        await settle(pilot)
        assert len(store.events(incident.id)) == before
        assert screen.scribe_input.value == "/fix 999 nope"
        assert "#999" in screen_text(app)


async def test_history_walks_back_and_forward(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        for line in ("first line", "second line"):
            await pilot.press(*line)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press(*"half typ")
        scribe = screen.scribe_input
        await pilot.press("up")
        assert scribe.value == "second line"
        await pilot.press("up")
        assert scribe.value == "first line"
        await pilot.press("up")
        assert scribe.value == "first line", "stops at the oldest"
        await pilot.press("down")
        assert scribe.value == "second line"
        await pilot.press("down")
        assert scribe.value == "half typ", "what was being typed comes back"


async def test_completion_of_commands_and_names(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        scribe = screen.scribe_input
        await pilot.press(*"/deci")
        await pilot.pause()
        await pilot.press("tab")
        assert scribe.value == "/decision"
        scribe.value = ""
        await pilot.press(*"/comms al")
        await pilot.pause()
        await pilot.press("tab")
        assert scribe.value == "/comms alice"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.state is not None
        from warroom.domain.events import Role

        assert screen.state.holder(Role.COMMS) == "alice"


async def test_bare_checkpoint_opens_the_form_and_logs_answers(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_war_room(pilot, incident)
        await pilot.press(*"/checkpoint")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        await pilot.press(*"rollback done", "enter")
        await pilot.press(*"watch error rate", "enter")
        await pilot.press(*"no", "enter")
        await pilot.press(*"yes", "enter")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.kind == EventKind.CHECKPOINT
        assert last.data.know == "rollback done"  # type: ignore[union-attr]


async def test_correction_from_the_timeline_prefills_fix(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        await pilot.press("f2")
        assert isinstance(screen.focused, Timeline)
        target = screen.timeline.selected
        assert target is not None
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(screen.focused, ScribeInput)
        assert screen.scribe_input.value.startswith(f"/fix {target.id} ")
        await pilot.press("ctrl+u")  # clear to start: then type the corrected text
        await pilot.press(*f"/fix {target.id} corrected text")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.state is not None
        assert screen.state.corrections[target.id] == "corrected text"
        line = next(ln for ln in timeline_lines(screen.timeline) if f"#{target.id} " in ln)
        assert "corrected text" in line and "✎" in line


def test_seed_is_deterministic(frozen_time: FrozenTime) -> None:
    """The fixtures start at the shared instant (snapshots rely on it)."""
    assert frozen_time.now() == datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


async def test_quick_successive_entries_are_written_in_order(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_war_room(pilot, incident)
        lines = [f"rapid entry {i}" for i in range(8)]
        for line in lines:
            screen.scribe_input.value = line
            await screen.scribe_input.action_submit()
        await settle(pilot)
        texts = [e.text for e in store.events(incident.id)[-len(lines):]]
        assert texts == lines
        assert [e.text for e in screen.timeline.rows[-len(lines):]] == lines
