"""The status composer: template, phase, components, live warnings, preview, post, copy."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Button, Select, TextArea

from tests.support.events import IncidentEvents
from tests.support.times import T0
from tests.tui.conftest import screen_text
from tests.tui.panehost import PaneHost, make_view
from warroom.domain.actions import status_update_event
from warroom.domain.events import (
    ComponentState,
    DetectedData,
    DetectionSource,
    Phase,
    PhaseChangedData,
    Severity,
    StatusPhase,
    StatusUpdateData,
)
from warroom.tui.panes.composer.pane import SPLIT_WIDTH, StatusComposerPane
from warroom.tui.panes.composer.parts import LEFT_OUT, ComponentRow, PreviewBox


def _log() -> IncidentEvents:
    return IncidentEvents("Checkout failing", severity=Severity.SEV2,
                          services=("Checkout", "Payments"))


def _at(minutes: float, seconds: float = 0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def _plain(pane: StatusComposerPane, selector: str) -> str:
    return str(pane.query_one(selector).render())


async def test_starts_from_the_investigating_template_with_services() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        assert pane.phase == StatusPhase.INVESTIGATING
        assert pane.text.startswith(
            "Some customers may be experiencing problems with Checkout and Payments since "
            "14:00 UTC."
        )
        assert pane.components == {
            "Checkout": ComponentState.DEGRADED_PERFORMANCE,
            "Payments": ComponentState.DEGRADED_PERFORMANCE,
        }
        assert [row.component for row in pane.query(ComponentRow)] == ["Checkout", "Payments"]
        assert _plain(pane, "#composer-due") == "First update due in 12m (14:15 UTC)."
        assert "no warnings" in _plain(pane, "#composer-warnings")
        preview = _plain(pane, "#composer-preview")
        assert preview.startswith("Checkout failing\nInvestigating — 2026-11-27 14:03:00 UTC")
        assert "- Payments: Degraded Performance" in preview


async def test_phase_change_refills_an_unedited_text_but_not_an_edited_one() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        phase = pane.query_one("#composer-phase", Select)
        phase.value = StatusPhase.RESOLVED
        await pilot.pause()
        assert pane.text.startswith("Between 14:00 UTC and 14:03 UTC, some customers")
        assert set(pane.components.values()) == {ComponentState.OPERATIONAL}
        # The user edits: the phase no longer rewrites the text.
        area = pane.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press(*" Sorry!")
        await pilot.pause()
        edited = pane.text
        assert edited.endswith("Sorry!")
        phase.value = StatusPhase.IDENTIFIED
        await pilot.pause()
        assert pane.text == edited
        # ...until the template is asked for again.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert pane.text.startswith("Some customers are experiencing problems")
        # A user-chosen phase is not overridden by the one-second refresh.
        pane.show(make_view(_log().events, _at(3, 1)))
        await pilot.pause()
        assert pane.phase == StatusPhase.IDENTIFIED


async def test_component_state_choice_sticks_and_updates_the_template() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        rows = list(pane.query(ComponentRow))
        rows[1].select.value = ComponentState.OPERATIONAL
        await pilot.pause()
        pane.show(make_view(_log().events, _at(3, 1)))
        await pilot.pause()
        assert pane.components["Payments"] == ComponentState.OPERATIONAL
        assert "problems with Checkout since" in pane.text
        assert "- Payments: Operational" in _plain(pane, "#composer-preview")


async def test_a_component_can_be_left_out_of_the_update() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        checkout = next(r for r in pane.query(ComponentRow) if r.component == "Checkout")
        checkout.select.clear()
        await pilot.pause()
        pane.show(make_view(_log().events, _at(3, 1)))
        await pilot.pause()
        assert checkout.state is None
        assert pane.components == {"Payments": ComponentState.DEGRADED_PERFORMANCE}
        assert "problems with Payments since" in pane.text
        assert "Checkout:" not in _plain(pane, "#composer-preview")
        assert LEFT_OUT in str(checkout.select.query_one("SelectCurrent #label").render())


async def test_writing_rule_warnings_are_shown_live() -> None:
    log = _log()
    log.add(1, DetectedData(source=DetectionSource.CUSTOMER))
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(3)))
        await pilot.pause()
        area = pane.query_one(TextArea)
        area.load_text("We rolled back the k8s deploy at 14:02. No impact.")
        await pilot.pause()
        warnings = _plain(pane, "#composer-warnings")
        assert "jargon 'k8s'" in warnings
        assert "time '14:02' has no time zone" in warnings
        assert "no impact, but customers reported" in warnings
        assert "customer impact first" in warnings
        assert pane.query_one("#composer-warnings").has_class("-warn")


async def test_post_logs_the_update_verbatim_and_keeps_it_until_recorded() -> None:
    log = _log()
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(3)))
        await pilot.pause()
        text = "Some customers cannot pay [/b] since 14:00 UTC.\x1b]52;c;QQ==\x07 More soon."
        pane.query_one(TextArea).load_text(text)
        pane.query_one(TextArea).focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [message] = app.submitted
        new = message.new_event
        assert new.text == "Some customers cannot pay [/b] since 14:00 UTC. More soon."
        assert new.data == StatusUpdateData(
            phase=StatusPhase.INVESTIGATING,
            components={
                "Checkout": ComponentState.DEGRADED_PERFORMANCE,
                "Payments": ComponentState.DEGRADED_PERFORMANCE,
            },
        )
        assert new.author == "tester" and new.occurred_at == _at(3)
        assert new == status_update_event(text, StatusPhase.INVESTIGATING, new.data.components,
                                          now=_at(3), author="tester")  # the domain's builder
        # A second ctrl+s before the record has it does not post twice.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.submitted) == 1
        # Not yet in the record (e.g. the write failed): the text is kept.
        pane.show(make_view(log.events, _at(3, 5)))
        await pilot.pause()
        assert pane.text == text
        # Once recorded, the composer starts over from the next template.
        log.add(3, new.data, text=new.text)
        pane.show(make_view(log.events, _at(3, 6)))
        await pilot.pause()
        assert pane.text.startswith("Some customers may be experiencing problems")
        assert ("", "Investigating update posted at 14:03 UTC.", "information") in app.notes
        assert _plain(pane, "#composer-due") == "Next update due in 29m 54s (14:33 UTC)."


async def test_post_refuses_an_empty_update() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        pane.query_one(TextArea).load_text("   ")
        await pilot.pause()
        pane.action_post()
        await pilot.pause()
        assert app.submitted == []
        assert ("", "Write the update before posting it.", "error") in app.notes


async def test_copy_puts_the_last_posted_update_or_the_draft_on_the_clipboard() -> None:
    log = _log()
    log.add(
        5,
        StatusUpdateData(
            phase=StatusPhase.IDENTIFIED, components={"Checkout": ComponentState.MAJOR_OUTAGE}
        ),
        text="Customers cannot check out since 14:00 UTC.",
    )
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(10)))
        await pilot.pause()
        await pilot.click("#composer-copy")
        await pilot.pause()
        assert app.clipboard.startswith("Checkout failing\nIdentified — 2026-11-27 14:05:00 UTC")
        assert "Customers cannot check out since 14:00 UTC." in app.clipboard
        assert "- Checkout: Major Outage" in app.clipboard
        pane.query_one(TextArea).load_text("Customers can check out again since 14:09 UTC.")
        await pilot.pause()
        pane.query_one(TextArea).focus()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Customers can check out again since 14:09 UTC." in app.clipboard
        assert "Identified — 2026-11-27 14:10:00 UTC" in app.clipboard


async def test_due_line_when_overdue_and_after_resolution() -> None:
    log = _log()
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(20)))
        await pilot.pause()
        due = pane.query_one("#composer-due")
        assert str(due.render()) == "Update overdue by 5m (was due 14:15 UTC)."
        assert due.has_class("-overdue")
        log.add(30, PhaseChangedData(phase=Phase.RESOLVED))
        log.add(31, StatusUpdateData(phase=StatusPhase.RESOLVED), text="Resolved.")
        pane.show(make_view(log.events, _at(32)))
        await pilot.pause()
        assert str(due.render()) == "No further update due."
        assert pane.phase == StatusPhase.RESOLVED


async def test_usable_at_80x24_post_button_always_in_view() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        button = pane.query_one("#composer-post", Button)
        for scroll in (pane.body.scroll_end, pane.body.scroll_home):
            scroll(animate=False, immediate=True)
            await pilot.pause()
            assert pane.region.contains_region(button.region)  # under the scrolling body
        await pilot.click("#composer-post")
        await pilot.pause()
        assert len(app.submitted) == 1


async def test_hostile_component_names_render_literally_and_clean() -> None:
    hostile = "[b]Check\x1b]52;c;QQ==\x07out[/] [@click=app.quit]x[/]"
    log = IncidentEvents("T [/]", severity=Severity.SEV2, services=(hostile,))
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(3)))
        await pilot.pause()
        [row] = pane.query(ComponentRow)
        shown = str(row.query_one(".component-name").render())
        assert shown == "[b]Checkout[/] [@click=app.quit]x[/]"
        assert "\x1b" not in pane.text and "[b]Checkout[/]" in pane.text
        preview = _plain(pane, "#composer-preview")
        assert preview.startswith("T [/]\n")
        assert "\x1b" not in preview and "\x07" not in preview


async def test_text_beside_its_preview_only_when_the_pane_is_wide() -> None:
    for width, split in ((SPLIT_WIDTH, True), (SPLIT_WIDTH - 1, False)):
        pane = StatusComposerPane()
        app = PaneHost(pane)
        async with app.run_test(size=(width, 50)) as pilot:
            pane.show(make_view(_log().events, _at(3)))
            await pilot.pause()
            text = pane.query_one("#composer-text").region
            preview = pane.query_one(PreviewBox).region
            assert pane.has_class("-split") is split
            if split:
                assert preview.x >= text.right and preview.y == text.y
            else:
                assert preview.y >= text.bottom and preview.x == text.x


async def test_a_long_update_scrolls_in_its_preview_and_is_never_clipped() -> None:
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(80, 24)) as pilot:
        pane.show(make_view(_log().events, _at(3)))
        await pilot.pause()
        area = pane.query_one(TextArea)
        area.load_text("\n".join(f"Line {n} of a long update for customers." for n in range(30)))
        await pilot.pause()
        box = pane.query_one(PreviewBox)
        assert box.max_scroll_y > 0
        assert "- Payments: Degraded Performance" not in screen_text(app)
        box.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "- Payments: Degraded Performance" in screen_text(app)  # the last line


async def test_post_refuses_the_update_just_posted_again() -> None:
    """A second ctrl+s once the update is recorded must not post it to customers twice."""
    log = _log()
    pane = StatusComposerPane()
    app = PaneHost(pane)
    async with app.run_test(size=(100, 50)) as pilot:
        pane.show(make_view(log.events, _at(3)))
        await pilot.pause()
        text = "Some customers cannot pay since 14:00 UTC. Next update by 14:33 UTC."
        pane.query_one(TextArea).load_text(text)
        pane.query_one(TextArea).focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        [message] = app.submitted
        log.add(3, message.new_event.data, text=message.new_event.text)
        pane.show(make_view(log.events, _at(3, 6)))
        await pilot.pause()
        # The same words again (a refilled template can give them back, or a paste):
        pane.query_one(TextArea).load_text(text)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.submitted) == 1
        assert (
            "",
            "This update was already posted at 14:03 UTC (#2): change it to post again.",
            "warning",
        ) in app.notes
        # A changed phase, state or word is a new update.
        pane.query_one(TextArea).load_text(text + " Sorry.")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.submitted) == 2
