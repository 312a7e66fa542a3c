"""Screen-level keys that work wherever the focus is, and no key shadowing another by accident."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import TextArea

from warroom.domain.events import EventKind, Severity
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store
from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen
from warroom.tui.panes.countdowns.rows import ClockRow, clock_detail
from warroom.tui.screens.confirm import ConfirmScreen
from warroom.tui.screens.war_room import WarRoomScreen

from .conftest import AppFactory, open_war_room, screen_text, settle

#: Keys an inner widget may bind although an outer node binds them too, and why.
INTENDED_SHADOWS: dict[tuple[str, str], str] = {
    # (key, inner owner class): reason
    ("tab", "ScribeInput"): "Tab accepts the completion, else moves focus on (as the screen's)",
    ("escape", "TimelineFilterBar"): "Esc clears the filter, then returns to the scribe input",
    ("ctrl+c", "Input"): "copying the selection in an input is what Ctrl+C means there",
    ("ctrl+c", "TextArea"): "copying the selection in the composer is what Ctrl+C means there",
    ("ctrl+c", "Select"): "Textual's own copy binding",
    ("enter", "Input"): "Enter submits the input it is typed in",
}


def _bindings_of(node: DOMNode) -> list[tuple[str, Binding, type]]:
    """(key, binding, owner class) for every binding ``node``'s classes declare."""
    found = []
    for cls in type(node).__mro__:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                for key in binding.key.split(","):
                    found.append((key.strip(), binding, cls))
    return found


def _ours(owner: type) -> bool:
    return owner.__module__.startswith("warroom.")


def _chain(widget: Widget) -> list[DOMNode]:
    """The focused widget, its ancestors, the screen and the app (the order keys travel)."""
    return [*widget.ancestors_with_self]


async def test_no_key_is_shadowed_by_accident_anywhere_in_the_war_room(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WarRoomScreen)
        focusable = [w for w in screen.query("*") if w.focusable]
        assert len(focusable) > 5
        problems = []
        for widget in focusable:
            chain = _chain(widget)
            outer_keys: dict[str, tuple[Binding, type, int]] = {}
            for depth, node in reversed(list(enumerate(chain))):
                for key, binding, owner in _bindings_of(node):
                    if key in outer_keys:
                        outer, outer_owner, outer_depth = outer_keys[key]
                        if (outer_depth != depth and outer.action != binding.action
                                and not outer.priority
                                and (_ours(owner) or _ours(outer_owner))
                                and (key, owner.__name__) not in INTENDED_SHADOWS):
                            problems.append(
                                f"{key}: {owner.__name__}.{binding.action} hides "
                                f"{outer_owner.__name__}.{outer.action} when {widget!r} has focus"
                            )
                    else:
                        outer_keys[key] = (binding, owner, depth)
        assert not problems, "\n".join(sorted(set(problems)))


def test_the_theme_key_is_not_the_composer_copy_key() -> None:
    from warroom.tui.app import WarroomApp
    from warroom.tui.panes.composer.pane import StatusComposerPane

    def key(owner: type[App[None]] | type[Widget], action: str) -> set[str]:
        return {
            k.strip()
            for b in owner.BINDINGS
            if isinstance(b, Binding) and b.action == action
            for k in b.key.split(",")
        }

    theme = key(WarroomApp, "next_theme")
    copy = key(StatusComposerPane, "copy")
    assert theme and copy and not theme & copy


def test_escalation_and_checkpoint_lines_name_the_screen_keys() -> None:
    from datetime import UTC, datetime, timedelta

    from warroom.domain.clocks import Clock, ClockState

    def clock(clock_id: str) -> Clock:
        return Clock(id=clock_id, name=clock_id, rule="rule", state=ClockState.OVERDUE,
                     deadline=datetime(2026, 1, 1, tzinfo=UTC), remaining=-timedelta(minutes=1),
                     started_at=None, action="Do it")

    keys = {"escalate": "F7", "checkpoint": "F6"}
    assert clock_detail(clock("sev2_escalation"), keys) == "→ press F7: Do it"
    assert clock_detail(clock("checkpoint"), keys) == "→ press F6: Do it"
    assert clock_detail(clock("sev2_escalation")) == "→ press e: Do it"


async def test_f7_escalates_from_the_scribe_input_only_when_due(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        assert app.focused is screen.scribe_input
        assert "escalate" not in {b.binding.action for b in screen.active_bindings.values()}
        await pilot.press("f7")
        await settle(pilot)
        assert app.screen is screen  # not due yet: nothing asked
        frozen_time.advance(minutes=61)
        screen.refresh_view()
        await settle(pilot)
        active = {b.binding.action for b in screen.active_bindings.values()}
        assert "escalate" in active
        assert "F7 Escalate" in screen_text(app)
        # The countdown row names the key that works from anywhere.
        await pilot.press("f4")
        await settle(pilot)
        row = screen.query_one("#clock-sev2_escalation", ClockRow)
        assert "press F7:" in row.render().plain
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is screen.scribe_input
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        kinds = [e.kind for e in store.events(incident.id)[-2:]]
        assert kinds == [EventKind.SEVERITY_SET, EventKind.ESCALATION]
        assert screen.state is not None and screen.state.severity == Severity.SEV1


async def test_f6_opens_the_checkpoint_even_from_the_composer_text(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        area = screen.query_one("#composer-text", TextArea)
        area.focus()
        await pilot.pause()
        assert app.focused is area
        await pilot.press("f6")  # TextArea binds F6 (select line) itself
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        await pilot.press("escape")
        await settle(pilot)
        area.focus()
        await pilot.press("f2")  # ... and F5-F7 would be eaten too
        await settle(pilot)
        assert app.focused is screen.scribe_input


async def test_f2_lands_in_the_scribe_input_then_toggles_to_the_list(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    """Typing after F2 writes an entry: it never reaches the list's one-letter keys."""
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        before = len(app.store.events(incident.id))
        await pilot.press("f3", "f2")
        await settle(pilot)
        assert app.focused is screen.scribe_input
        await pilot.press(*"mitigation eta 5m", "enter")
        await settle(pilot)
        events = app.store.events(incident.id)
        assert len(events) == before + 1
        assert events[-1].kind.value == "note" and events[-1].text == "mitigation eta 5m"
        await pilot.press("f2")
        await settle(pilot)
        assert app.focused is screen.timeline
        await pilot.press("f2")
        await settle(pilot)
        assert app.focused is screen.scribe_input


async def test_f5_puts_the_cursor_in_the_update_text(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f5")
        await settle(pilot)
        area = screen.query_one("#composer-text", TextArea)
        assert app.focused is area
        assert area.region.area, "the text is scrolled into view"


async def test_remapped_keys_show_in_the_tabs_and_the_clock_hints(
    app_factory: AppFactory, incident: IncidentRecord, frozen_time: FrozenTime
) -> None:
    from warroom.config import Config
    from warroom.tui.messages import IncidentView

    config = Config(keybindings={"war_room.roster": "f10", "war_room.escalate": "f11"})
    app = app_factory(incident_ref=incident.id, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_war_room(pilot)
        assert "F10 Roster" in screen_text(app)
        view = screen.build_view()
        assert isinstance(view, IncidentView)
        assert view.keys["escalate"] == "F11" and view.keys["checkpoint"] == "F6"
