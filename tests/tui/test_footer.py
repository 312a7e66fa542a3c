"""The footer: one widget, the screen's keys on one line, the palette key on the right."""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from warroom.store import IncidentRecord
from warroom.tui.widgets.footer import MORE, FooterItem, QuietFooter, layout_footer

from .conftest import AppFactory, settle


def _descriptions(footer: QuietFooter) -> list[str]:
    return [item.description for item in footer.shown]


def _line(app: App[Any]) -> str:
    """The footer's line as drawn (the screen's last row)."""
    footer = app.screen.query_one(QuietFooter)
    strip = footer.render_line(0)
    return "".join(segment.text for segment in strip)


class Host(App[None]):
    """Keys of every kind: shown, hidden, two keys for one action, a disabled one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "ring", "Ring", tooltip="Ring the bell"),
        Binding("f2", "mark", "Mark"),
        Binding("f3", "mark", "Mark again"),  # same action: only the first is shown
        Binding("f4", "hidden", "Hidden", show=False),
        Binding("f5", "off", "Off"),
    ]

    def __init__(self, held: bool = False) -> None:
        super().__init__()
        self.held = held
        self.rung = 0

    def compose(self) -> ComposeResult:
        yield Input()
        yield QuietFooter(held=self.held)

    def action_ring(self) -> None:
        self.rung += 1

    def action_mark(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True  # None: shown, but disabled


async def test_the_footer_draws_the_screens_keys_and_the_palette_key_on_the_right() -> None:
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(QuietFooter)
        assert _descriptions(footer) == ["Ring", "Mark", "Off", "palette"]
        line = _line(app)
        assert line.startswith(" F1 Ring F2 Mark F5 Off")
        assert line.rstrip().endswith("▏^p palette")
        assert len(line) == 60
        assert "Hidden" not in line and "Mark again" not in line


async def test_a_click_on_a_key_presses_it_and_a_disabled_key_only_rings() -> None:
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(QuietFooter)
        ring = next(p for p in footer._placed if p.item.description == "Ring")
        await pilot.click(QuietFooter, offset=(ring.start + 1, 0))
        await pilot.pause()
        assert app.rung == 1
        off = next(p for p in footer._placed if p.item.description == "Off")
        assert not off.item.enabled
        await pilot.click(QuietFooter, offset=(off.start, 0))
        await pilot.pause()
        assert app.rung == 1


async def test_the_mouse_over_a_key_shows_its_tooltip() -> None:
    app = Host()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(QuietFooter)
        ring = next(p for p in footer._placed if p.item.description == "Ring")
        await pilot.hover(QuietFooter, offset=(ring.start, 0))
        await pilot.pause()
        assert footer.tooltip == "Ring the bell"


async def test_keys_that_do_not_fit_are_dropped_whole_and_the_palette_key_stays() -> None:
    app = Host()
    async with app.run_test(size=(30, 5)) as pilot:
        await pilot.pause()
        line = _line(app)
        assert len(line) == 30
        assert line.rstrip().endswith("▏^p palette")
        assert MORE in line
        assert "Off" not in line  # dropped whole, never cut in the middle
        await pilot.resize_terminal(60, 5)
        await pilot.pause()
        assert MORE not in _line(app) and "F5 Off" in _line(app)


async def test_a_held_footer_shows_no_keys_until_released() -> None:
    app = Host(held=True)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(QuietFooter)
        assert footer.items == () and _line(app).strip() == ""
        footer.release()
        await pilot.pause()
        assert "Ring" in _line(app)


async def test_the_war_room_footer_follows_the_focus(
    app_factory: AppFactory, incident: IncidentRecord
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(QuietFooter)
        assert "Help" in _descriptions(footer) and "Key ★" not in _descriptions(footer)
        await pilot.press("f2")  # the list of entries has keys of its own
        await settle(pilot)
        assert "Key ★" in _descriptions(footer)
        await pilot.press("escape")  # back to the scribe input
        await settle(pilot)
        assert "Key ★" not in _descriptions(footer)


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_war_room_footer_fits_every_width(
    app_factory: AppFactory, incident: IncidentRecord, width: int
) -> None:
    app = app_factory(incident_ref=incident.id)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        line = _line(app)
        assert len(line) == width
        assert line.rstrip().endswith("palette")
        assert "F1 Help" in line


_items = st.lists(
    st.builds(
        FooterItem,
        key=st.just("x"),
        key_display=st.text("abcF1^", min_size=1, max_size=4),
        description=st.text("abc ", max_size=12),
        enabled=st.booleans(),
        tooltip=st.just(""),
    ),
    max_size=12,
)


@given(items=_items, palette=st.booleans(), width=st.integers(0, 120))
def test_the_layout_never_overlaps_and_stays_inside_the_line(
    items: list[FooterItem], palette: bool, width: int
) -> None:
    keys = [*items, FooterItem("ctrl+p", "^p", "palette", True, "", palette=True)] if palette \
        else items
    layout = layout_footer(tuple(keys), width)
    cells = [(p.start, p.end) for p in layout.placed]
    assert all(0 <= start < end <= width for start, end in cells)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in itertools.pairwise(cells))
    shown = [p.item for p in layout.placed if not p.item.palette]
    assert shown == items[: len(shown)]  # dropped from the right, whole
    if layout.more_at is not None:
        assert layout.more_at + len(MORE) <= width or width < len(MORE) + 1
        assert all(p.end < layout.more_at or p.start > layout.more_at for p in layout.placed)
    else:
        assert len(shown) == len(items)


async def test_dialog_hints_follow_the_focus() -> None:
    from textual.widgets import Button

    from warroom.tui.widgets.footer import dialog_hints

    class Form(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="field")
            yield Button("Save (ctrl+s)", id="save")

    app = Form()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        field, save = app.query_one("#field"), app.query_one("#save")
        hints = dialog_hints(field, "Save", enter_action="save")
        assert [(h.key, h.description, h.action) for h in hints] == [
            ("enter", "Save", "save"), ("tab", "Next field", "")]
        assert [h.description for h in dialog_hints(save, "Save")] == ["Save", "Next field"]
        assert [h.key for h in dialog_hints(None, "Save")] == ["tab"]  # Enter does nothing
        assert [h.key for h in dialog_hints(field, "Next", tab=False)] == ["enter"]
