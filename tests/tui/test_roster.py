"""The roster pane: roles, holders, requirements, gaps, hand-offs, assign and release."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from textual.widgets import Input, Select, Static

from tests.support.events import IncidentEvents
from tests.support.times import T0
from tests.tui.conftest import AppFactory, open_war_room, settle
from tests.tui.panehost import PaneHost, make_view
from warroom.domain.events import (
    Role,
    RoleAssignedData,
    RoleReleasedData,
    Severity,
    SeveritySetData,
)
from warroom.store import IncidentRecord
from warroom.tui.panes.roster.assign_role import AssignRoleScreen, normalise_name
from warroom.tui.panes.roster.pane import (
    RoleRow,
    RosterPane,
    handoff_lines,
    role_lines,
    roster_summary,
    wrap_cells,
)
from warroom.tui.screens.confirm import ConfirmScreen


def _sev2_log() -> IncidentEvents:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(1, RoleAssignedData(role=Role.IC, person="alice"))
    log.add(2, RoleAssignedData(role=Role.TECH, person="bob"))
    log.add(20, RoleAssignedData(role=Role.TECH, person="carol"))
    return log


def _by_role(view):
    return {line.role: line for line in role_lines(view)}


def test_sev2_rows_holders_requirements_and_missing_overdue() -> None:
    view = make_view(_sev2_log().events, T0 + timedelta(minutes=27))
    lines = _by_role(view)
    assert lines[Role.IC].status == "filled"
    assert lines[Role.IC].detail == "alice · since 14:01 UTC (26m)"
    assert lines[Role.TECH].detail == "carol · since 14:20 UTC (7m)"
    assert lines[Role.COMMS].required and lines[Role.COMMS].holder is None
    assert lines[Role.COMMS].status == "overdue"
    assert lines[Role.COMMS].detail == "— missing · overdue by 22m"
    assert not lines[Role.SCRIBE].required
    assert lines[Role.SCRIBE].status == "optional"
    assert roster_summary(view) == "SEV2: IC, Comms, Tech required within 5 min."


def test_missing_role_counts_down_to_the_roles_deadline() -> None:
    view = make_view(_sev2_log().events, T0 + timedelta(minutes=1, seconds=30))
    comms = _by_role(view)[Role.COMMS]
    assert comms.status == "due_soon"
    assert comms.detail == "— missing · due in 3m 30s (14:05 UTC)"


def test_sev1_requires_all_four_within_15_minutes() -> None:
    log = _sev2_log()
    log.add(21, SeveritySetData(severity=Severity.SEV1), text="data loss")
    view = make_view(log.events, T0 + timedelta(minutes=22))
    lines = _by_role(view)
    assert all(line.required for line in lines.values())
    # Comms was overdue under SEV2 (14:05): escalating does not move that deadline later.
    assert lines[Role.COMMS].status == "overdue"
    assert lines[Role.COMMS].detail == "— missing · overdue by 17m"
    # Scribe is required only since the SEV1 (14:21): its own 15 minutes.
    assert lines[Role.SCRIBE].status == "missing"
    assert "due in 14m" in lines[Role.SCRIBE].detail
    assert roster_summary(view) == "SEV1: IC, Comms, Tech, Scribe required within 15 min."


def test_unclassified_and_single_owner_summaries() -> None:
    log = IncidentEvents()
    view = make_view(log.events, T0 + timedelta(minutes=2))
    assert roster_summary(view).startswith("Unclassified: SEV2 rules apply later")
    log.add(3, SeveritySetData(severity=Severity.SEV3))
    view = make_view(log.events, T0 + timedelta(minutes=4))
    assert roster_summary(view) == ("SEV3: the on-call engineer holds every role (Tech required).")


def test_ic_past_rotation_time_is_told_to_hand_over() -> None:
    view = make_view(_sev2_log().events, T0 + timedelta(minutes=125))
    ic = _by_role(view)[Role.IC]
    assert ic.status == "rotate"
    assert ic.detail.endswith("(2h 04m) · time to rotate the IC")


def test_times_are_shown_in_the_viewers_zone() -> None:
    view = make_view(_sev2_log().events, T0 + timedelta(minutes=27), tz=ZoneInfo("Europe/Paris"))
    assert _by_role(view)[Role.IC].detail == "alice · since 15:01 CET (26m)"


def test_handoff_history_newest_first() -> None:
    log = _sev2_log()
    log.add(25, RoleReleasedData(role=Role.TECH))
    view = make_view(log.events, T0 + timedelta(minutes=27))
    assert handoff_lines(view) == [
        "14:25 UTC Tech carol → (released)",
        "14:20 UTC Tech bob → carol",
    ]


def test_normalise_name_follows_the_parser_rule() -> None:
    assert normalise_name("  @dave ") == "dave"
    assert normalise_name("eve.smith-2") == "eve.smith-2"
    assert normalise_name("") is None
    assert normalise_name("two words") is None
    assert normalise_name("x" * 65) is None


async def test_pane_shows_rows_with_state_classes() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(60, 20)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        await pilot.pause()
        rows = {row.role: row for row in pane.query(RoleRow)}
        assert rows[Role.COMMS].has_class("-overdue")
        assert rows[Role.IC].has_class("-filled")
        assert rows[Role.SCRIBE].has_class("-optional")
        rendered = rows[Role.COMMS].render().plain
        assert "Communications Lead" in rendered and "required" in rendered
        assert "overdue by 22m" in rendered
        assert pane.border_subtitle == "1 missing"
        # The countdown in the row ticks with the view.
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27, seconds=5)))
        await pilot.pause()
        assert "overdue by 22m 05s" in rows[Role.COMMS].render().plain


async def test_assign_selected_role_logs_role_assigned() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.focus()
        await pilot.press("down", "a")
        await pilot.pause()
        assert isinstance(app.screen, AssignRoleScreen)
        assert app.screen.role == Role.COMMS
        await pilot.press(*"@dave", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, AssignRoleScreen)
        [message] = app.submitted
        new = message.new_event
        assert new.data == RoleAssignedData(role=Role.COMMS, person="dave")
        assert new.author == "tester"
        assert new.occurred_at == T0 + timedelta(minutes=27)


async def test_hand_off_completes_a_known_name_and_can_change_role() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.focus()
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssignRoleScreen)
        screen.query_one(Select).value = Role.TECH
        await pilot.pause()
        hint = str(screen.query_one("#assign-hint").render())
        assert "held by carol" in hint
        await pilot.press("b", "right")  # accept the completion from people in the incident
        await pilot.pause()
        assert screen.query_one(Input).value == "bob"
        await pilot.press("enter")
        await pilot.pause()
        [message] = app.submitted
        assert message.new_event.data == RoleAssignedData(role=Role.TECH, person="bob")


async def test_invalid_name_keeps_the_dialog_open_and_escape_logs_nothing() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.focus()
        await pilot.press("enter")
        await pilot.press(*"no way", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssignRoleScreen)
        assert "Not a valid name" in str(screen.query_one("#assign-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AssignRoleScreen)
        assert app.submitted == []


async def test_release_logs_role_released_and_refuses_an_empty_role() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.focus()
        await pilot.press("x")  # IC, held by alice: asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.submitted == []
        await pilot.press("x", "y")
        await pilot.press("down", "x")  # Comms, nobody
        await pilot.pause()
        [message] = app.submitted
        assert message.new_event.data == RoleReleasedData(role=Role.IC)
        assert ("", "Nobody holds Incident Commander.", "warning") not in app.notes
        assert ("", "Nobody holds Communications Lead.", "warning") in app.notes


async def test_the_release_dialog_points_to_a_key_that_works_where_it_says() -> None:
    """The dialog does not offer `a`: it says to cancel first, and `a` then hands off."""
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.focus()
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        body = str(dialog.query_one("#confirm-body", Static).render())
        assert "press a instead" not in body
        assert "Cancel (n), then press a to hand it to someone else." in body
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AssignRoleScreen)
        assert app.submitted == []


async def test_hostile_names_render_literally() -> None:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(
        1, RoleAssignedData(role=Role.IC, person="[b]x[/] [@click=app.quit]y[/]\x1b]52;c;QQ==\x07")
    )
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 20)) as pilot:
        pane.show(make_view(log.events, T0 + timedelta(minutes=3)))
        await pilot.pause()
        row = next(r for r in pane.query(RoleRow) if r.role == Role.IC)
        text = row.render().plain
        assert "[b]x[/] [@click=app.quit]y[/]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_cursor_shows_only_while_the_roster_has_focus() -> None:
    pane = RosterPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_sev2_log().events, T0 + timedelta(minutes=27)))
        pane.blur()
        await pilot.pause()
        assert not any(row.has_class("-cursor") for row in pane.query(RoleRow))
        pane.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        selected = [row.role for row in pane.query(RoleRow) if row.has_class("-cursor")]
        assert selected == [Role.TECH]
        assert (
            next(r for r in pane.query(RoleRow) if r.role == Role.TECH)
            .render()
            .plain.startswith("▸ Technical Lead")
        )


async def test_narrow_roster_wraps_its_lines_instead_of_cutting_them() -> None:
    log = IncidentEvents(severity=Severity.SEV1)
    log.add(1, RoleAssignedData(role=Role.IC, person="priya.nair"))
    log.add(2, RoleAssignedData(role=Role.COMMS, person="dana.whitfield"))
    log.add(3, RoleAssignedData(role=Role.TECH, person="tomas.herrera"))
    log.add(4, RoleAssignedData(role=Role.SCRIBE, person="lena.fischer"))
    log.add(30, RoleAssignedData(role=Role.IC, person="marcus.okafor"))
    log.add(31, RoleAssignedData(role=Role.SCRIBE, person="aisha.rahman"))
    now = T0 + timedelta(hours=1, minutes=11, seconds=5)
    # A 40-cell roster, as beside the countdowns at 200 columns: the zone goes and the
    # detail moves under the role's name, whole, on one line.
    pane = RosterPane()
    async with PaneHost(pane).run_test(size=(44, 30)) as pilot:
        pane.show(make_view(log.events, now))
        await pilot.pause()
        rows = {row.role: row for row in pane.query(RoleRow)}
        shown = rows[Role.COMMS].render().plain
        assert shown.splitlines()[1] == "  dana.whitfield · since 14:02 (1h 09m)"
        assert all(row.size.height == 2 for row in rows.values())
        history = pane.query_one("#roster-history")
        text = str(history.render())
        assert text.startswith("Hand-offs: 14:31 UTC Scribe lena.fischer → aisha.rahman · ")
        assert "priya.nair → marcus.okafor" in text
        assert history.size.height >= 2, "the hand-offs wrap rather than end in '…'"
    # Narrower still: the detail goes on under itself, never cut with "…".
    pane = RosterPane()
    async with PaneHost(pane).run_test(size=(34, 30)) as pilot:
        pane.show(make_view(log.events, now))
        await pilot.pause()
        comms = next(row for row in pane.query(RoleRow) if row.role == Role.COMMS)
        shown = comms.render().plain
        assert "…" not in shown
        assert shown.splitlines()[1:] == ["  dana.whitfield · since 14:02", "  (1h 09m)"]
        assert comms.size.height == 3, "the row grows to hold it"


async def test_a_row_that_needs_another_line_later_gets_it() -> None:
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(1, RoleAssignedData(role=Role.IC, person="alice"))
    pane = RosterPane()
    async with PaneHost(pane).run_test(size=(44, 30)) as pilot:
        pane.show(make_view(log.events, T0 + timedelta(minutes=3)))
        await pilot.pause()
        tech = next(row for row in pane.query(RoleRow) if row.role == Role.TECH)
        assert tech.size.height == 2
        log.add(4, RoleAssignedData(role=Role.TECH, person="margaret.hamilton-smith"))
        pane.show(make_view(log.events, T0 + timedelta(minutes=5)))
        await pilot.pause()
        lines = tech.render().plain.splitlines()
        assert len(lines) == 3 and "(1m)" in lines[2]
        assert tech.size.height == 3, "laid out again: the last line is not clipped"


async def test_a_name_wider_than_the_roster_folds_whole_instead_of_ending_in_an_ellipsis() -> None:
    name = "margaret.hamilton-smith.platform-oncall.eu-west-1.payments-team2"  # 64: the most
    assert len(name) == 64 and normalise_name(name) == name
    assert wrap_cells(f"{name} · since 14:02 (1h 09m)", 28) == [
        name[:28], name[28:56], name[56:] + " · since 14:02", "(1h 09m)"]
    log = IncidentEvents(severity=Severity.SEV2)
    log.add(1, RoleAssignedData(role=Role.IC, person=name))
    pane = RosterPane()
    async with PaneHost(pane).run_test(size=(34, 30)) as pilot:
        pane.show(make_view(log.events, T0 + timedelta(minutes=3)))
        await pilot.pause()
        ic = next(row for row in pane.query(RoleRow) if row.role == Role.IC)
        lines = ic.render().plain.splitlines()
        assert "…" not in "".join(lines)
        assert "".join(line.strip() for line in lines[1:]).startswith(name + " · since")
        assert all(len(line) <= ic.size.width for line in lines)
        assert ic.size.height == len(lines) >= 4, "the row grows to hold it"


async def test_at_200_columns_a_long_name_in_the_hand_offs_folds_whole(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    name = "margaret.hamilton-smith.platform-oncall.eu-west-1.payments-team2"
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press(*f"/tech {name}")
        await pilot.press("enter")
        await settle(pilot)
        history = screen.query_one("#roster-history", Static)
        text = str(history.render())
        assert f"→ {name}" in text
        rows = [strip.text.strip() for strip in history.render_lines(history.outer_size.region)]
        assert "…" not in "".join(rows) and name in "".join(rows), rows
