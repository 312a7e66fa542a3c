"""The countdowns pane: order, ticking, colours by class, overdue alerts, escalation, checkpoint."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.color import Color
from textual.widgets import Input

from tests.support.events import IncidentEvents
from tests.support.times import T0
from tests.tui.panehost import PaneHost, make_view
from warroom.domain.actions import checkpoint_text
from warroom.domain.clocks import ClockState
from warroom.domain.events import (
    CheckpointData,
    EscalationData,
    Role,
    RoleAssignedData,
    Severity,
    SeveritySetData,
)
from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen
from warroom.tui.panes.countdowns.pane import CountdownsPane
from warroom.tui.panes.countdowns.rows import ClockRow, clock_value
from warroom.tui.screens.confirm import ConfirmScreen


def _log() -> IncidentEvents:
    log = IncidentEvents(severity=Severity.SEV2, services=("Checkout",))
    log.add(1, RoleAssignedData(role=Role.IC, person="alice"))
    log.add(2, RoleAssignedData(role=Role.TECH, person="bob"))
    return log


def _at(minutes: float, seconds: float = 0) -> object:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def _row_ids(pane: CountdownsPane) -> list[str]:
    return [row.clock_id for row in pane.query(ClockRow) if row.display]


async def test_rows_follow_the_clocks_most_urgent_first() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        view = make_view(_log().events, _at(3))
        pane.show(view)
        await pilot.pause()
        applicable = [c.id for c in view.clocks if c.state != ClockState.NOT_APPLICABLE]
        assert _row_ids(pane) == applicable
        # Later, other clocks are overdue and the order changes with them.
        view = make_view(_log().events, _at(40))
        pane.show(view)
        await pilot.pause()
        applicable = [c.id for c in view.clocks if c.state != ClockState.NOT_APPLICABLE]
        assert _row_ids(pane) == applicable
        assert _row_ids(pane)[0] != "classify"


async def test_remaining_time_ticks_and_state_sets_the_class() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        roles = pane.query_one("#clock-roles", ClockRow)
        assert roles.has_class("-due_soon")
        assert "Roles filled" in roles.render().plain
        assert "2m" in roles.render().plain
        pane.show(make_view(_log().events, _at(3, 1)))
        await pilot.pause()
        assert "1m 59s" in roles.render().plain
        pane.show(make_view(_log().events, _at(6)))
        await pilot.pause()
        assert roles.has_class("-overdue") and not roles.has_class("-due_soon")
        overdue_colour = Color.parse(app.get_css_variables()["clock-overdue"])
        assert roles.styles.color.rgb == overdue_colour.rgb
        assert "1m overdue" in roles.render().plain
        assert pane.border_subtitle.endswith("overdue")


async def test_going_overdue_notifies_and_rings_once_per_clock_and_deadline() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_log().events, _at(4, 59)))
        await pilot.pause()
        assert app.bells == 0 and app.notes == []
        pane.show(make_view(_log().events, _at(5, 1)))
        await pilot.pause()
        assert app.bells == 1
        assert [n for n in app.notes if n[0] == "Roles filled overdue"] == [
            ("Roles filled overdue", "Assign Comms.", "warning")
        ]
        for second in range(2, 30):
            pane.show(make_view(_log().events, _at(5, second)))
        await pilot.pause()
        assert app.bells == 1
        assert len([n for n in app.notes if n[0] == "Roles filled overdue"]) == 1


async def test_opening_on_already_overdue_clocks_does_not_ring() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_log().events, _at(50)))
        pane.show(make_view(_log().events, _at(50, 1)))
        await pilot.pause()
        assert app.bells == 0 and app.notes == []


async def test_a_new_deadline_for_the_same_clock_alerts_again() -> None:
    log = _log()
    log.add(3, RoleAssignedData(role=Role.COMMS, person="carol"))
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        # The checkpoint clock: due every 15 min from "responding" (minute 1).
        pane.show(make_view(log.events, _at(15, 59)))
        pane.show(make_view(log.events, _at(16, 1)))
        log.add(17, CheckpointData(know="x"))
        pane.show(make_view(log.events, _at(31, 59)))
        pane.show(make_view(log.events, _at(32, 1)))
        await pilot.pause()
        titles = [n[0] for n in app.notes]
        assert titles.count("Checkpoint overdue") == 2


def _escalation_log() -> IncidentEvents:
    log = _log()
    log.add(3, RoleAssignedData(role=Role.COMMS, person="carol"))
    return log


async def test_escalation_key_asks_then_logs_sev1_and_escalation() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_escalation_log().events, _at(61)))
        pane.focus()
        await pilot.pause()
        assert pane.escalation_due
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        events = [m.new_event for m in app.submitted]
        assert [e.data for e in events] == [
            SeveritySetData(severity=Severity.SEV1),
            EscalationData(),
        ]
        assert {e.text for e in events} == {"SEV2 not mitigated within 60 min"}
        assert all(e.author == "tester" and e.occurred_at == _at(61) for e in events)


async def test_escalation_can_be_declined_and_is_not_offered_before_due() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_escalation_log().events, _at(20)))
        pane.focus()
        await pilot.pause()
        assert not pane.escalation_due
        assert pane.check_action("confirm_escalation", ()) is None
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        pane.show(make_view(_escalation_log().events, _at(58)))  # due soon
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.submitted == []


async def test_checkpoint_form_logs_the_four_answers() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_escalation_log().events, _at(16)))
        pane.focus()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckpointScreen)
        hint = str(screen.query_one("#checkpoint-status-hint").render())
        assert "No status update posted yet" in hint
        await pilot.press(*"db pool exhausted", "enter")
        await pilot.press(*"roll back", "enter")
        await pilot.press("enter")  # nothing to escalate: left blank
        await pilot.press(*"yes [/]", "enter")
        await pilot.pause()
        [message] = app.submitted
        new = message.new_event
        assert new.data == CheckpointData(
            know="db pool exhausted", next="roll back", escalate="", status_page="yes [/]"
        )
        assert new.text == checkpoint_text(new.data)
        assert (
            new.text
            == "Checkpoint — Know: db pool exhausted · Next: roll back · Status page: yes [/]"
        )


async def test_empty_checkpoint_is_refused_and_escape_cancels() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(_escalation_log().events, _at(16)))
        pane.focus()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "at least one" in str(screen.query_one("#checkpoint-error").render())
        screen.query_one("#checkpoint-know", Input).value = "typed"
        await pilot.press("escape")
        await pilot.pause()
        assert app.submitted == []


async def test_compact_when_the_rules_do_not_fit_one_line_per_clock_unless_due() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 18)) as pilot:
        view = make_view(_escalation_log().events, _at(10))
        pane.show(view)
        await pilot.pause()
        # Every rule shown did not fit in 18 rows: after that first layout the pane
        # went compact by itself (no waiting for the next tick).
        for row in pane.query(ClockRow):
            lines = row.render().plain.split("\n")
            assert all(len(line) <= row.size.width for line in lines)
            due = row.has_class("-overdue") or row.has_class("-due_soon")
            assert len(lines) == (2 if due else 1)
            assert row.size.height == len(lines)
            assert row.tooltip is not None  # the rule is still there, on hover
        assert pane.max_scroll_y == 0
        pane.show(view)  # the next tick stays compact
        await pilot.pause()
        assert any(len(r.render().plain.split("\n")) == 1 for r in pane.query(ClockRow))
        pane.focus()
        await pilot.press("v")  # show every rule anyway (a long one wraps)
        await pilot.pause()
        assert all(len(r.render().plain.split("\n")) >= 2 for r in pane.query(ClockRow))
        assert pane.max_scroll_y > 0  # (they do not fit: the pane scrolls)
        await pilot.press("v")
        await pilot.pause()
        assert any(len(r.render().plain.split("\n")) == 1 for r in pane.query(ClockRow))


async def test_rules_shown_when_there_is_room() -> None:
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(120, 50)) as pilot:
        view = make_view(_escalation_log().events, _at(10))
        for _ in range(3):
            pane.show(view)
            await pilot.pause()
        assert all(len(r.render().plain.split("\n")) == 2 for r in pane.query(ClockRow))
        assert pane.max_scroll_y == 0


def test_clock_value_texts() -> None:
    view = make_view(IncidentEvents().events, _at(2))
    by_id = {c.id: c for c in view.clocks}
    assert clock_value(by_id["classify"], view.now, view.tz) == "8m"
    # Roles (unclassified): counted from the default instant, 14:10.
    assert clock_value(by_id["roles"], view.now, view.tz) == "from 14:10 UTC"
    met = make_view(_escalation_log().events, _at(4))
    assert clock_value(next(c for c in met.clocks if c.id == "roles"), met.now, met.tz) == "met"


async def test_escalation_key_is_hidden_when_the_incident_is_not_sev2() -> None:
    log = _escalation_log()
    log.add(4, SeveritySetData(severity=Severity.SEV3))
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        pane.show(make_view(log.events, _at(61)))
        await pilot.pause()
        assert pane.check_action("confirm_escalation", ()) is False
        assert pane.check_action("checkpoint", ()) is True


async def test_hostile_service_names_in_rules_render_literally() -> None:
    log = IncidentEvents(severity=Severity.SEV3, services=("[b]a[/]", "b\x1b[2J\x07"))
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(120, 40)) as pilot:
        pane.show(make_view(log.events, _at(0)))  # "at once": due soon at declaration
        pane.focus()
        await pilot.press("v")
        pane.show(make_view(log.events, _at(6)))  # overdue after its grace: notified
        await pilot.pause()
        row = pane.query_one("#clock-war_room", ClockRow)
        assert row.has_class("-overdue")
        assert ("War room overdue", "warning") in [(t, sev) for t, _, sev in app.notes]
        tooltip = row.tooltip
        assert isinstance(tooltip, Text)
        assert "Several services affected ([b]a[/], b)" in tooltip.plain
        assert "\x1b" not in tooltip.plain and "\x07" not in tooltip.plain


async def test_a_clock_that_stops_applying_is_hidden_and_can_come_back() -> None:
    log = _escalation_log()
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(120, 40)) as pilot:
        pane.show(make_view(log.events, _at(10)))
        await pilot.pause()
        assert "sev2_escalation" in _row_ids(pane)
        log.add(11, SeveritySetData(severity=Severity.SEV1))
        pane.show(make_view(log.events, _at(12)))
        await pilot.pause()
        assert "sev2_escalation" not in _row_ids(pane)
        assert "SEV2 → SEV1" in str(pane.query_one("#clocks-na").render())
        log.add(13, SeveritySetData(severity=Severity.SEV2))
        pane.show(make_view(log.events, _at(14)))
        await pilot.pause()
        assert "sev2_escalation" in _row_ids(pane)
        assert len(pane.query("#clock-sev2_escalation")) == 1


async def test_no_bell_a_second_after_declaring_a_multi_service_incident() -> None:
    log = IncidentEvents(severity=Severity.SEV3, services=("checkout", "payments"))
    pane = CountdownsPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 30)) as pilot:
        for seconds in (0, 1, 2, 60):
            pane.show(make_view(log.events, _at(0, seconds)))
            await pilot.pause()
        assert app.bells == 0 and app.notes == []
        row = pane.query_one("#clock-war_room", ClockRow)
        assert row.has_class("-due_soon") and not row.has_class("-overdue")
