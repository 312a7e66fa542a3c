"""The IC's and the comms lead's main paths through the real app (panes → screen → store)."""

from __future__ import annotations

from textual.widgets import Input

from warroom.domain.clocks import ClockState
from warroom.domain.events import EventKind, Role, Severity
from warroom.domain.timesource import FrozenTime
from warroom.store import IncidentRecord, Store

from .conftest import AppFactory, open_war_room, screen_text, settle


async def test_ic_assigns_a_role_from_the_roster(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    from warroom.tui.panes.roster.assign_role import AssignRoleScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f3", "down", "a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, AssignRoleScreen)
        assert modal.role == Role.COMMS
        modal.query_one("#assign-name", Input).value = "carol"
        await pilot.press("enter")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.kind == EventKind.ROLE_ASSIGNED
        assert (last.data.role, last.data.person) == (Role.COMMS, "carol")  # type: ignore[union-attr]
        assert last.author == "sam"
        assert screen.state is not None and screen.state.holder(Role.COMMS) == "carol"
        assert "carol" in screen_text(app)


async def test_ic_confirms_the_sev2_to_sev1_escalation(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        frozen_time.advance(minutes=61)
        screen.refresh_view()
        await settle(pilot)
        view = screen.build_view()
        assert view is not None
        escalation = next(c for c in view.clocks if c.id == "sev2_escalation")
        assert escalation.state == ClockState.OVERDUE
        await pilot.press("f4", "e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        kinds = [e.kind for e in store.events(incident.id)]
        assert EventKind.SEVERITY_SET in kinds[-2:]
        assert screen.state is not None and screen.state.severity == Severity.SEV1
        assert "SEV1" in screen_text(app)


async def test_ic_checkpoint_from_the_keyboard(
    app_factory: AppFactory, incident: IncidentRecord, store: Store
) -> None:
    from warroom.tui.panes.countdowns.checkpoint import CheckpointScreen

    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_war_room(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CheckpointScreen)
        for answer in ("rollback done", "watch errors", "no", "yes"):
            await pilot.press(*answer, "enter")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.kind == EventKind.CHECKPOINT
        assert last.data.next == "watch errors"  # type: ignore[union-attr]


async def test_comms_posts_a_status_update_and_restarts_the_cadence(
    app_factory: AppFactory, incident: IncidentRecord, store: Store, frozen_time: FrozenTime
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_war_room(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        last = store.events(incident.id)[-1]
        assert last.kind == EventKind.STATUS_UPDATE
        assert last.text, "the template text is posted verbatim"
        assert last.occurred_at == frozen_time.now()
        view = screen.build_view()
        assert view is not None
        status = next(c for c in view.clocks if c.id == "status_update")
        assert status.state == ClockState.RUNNING
        assert status.started_at == frozen_time.now()
