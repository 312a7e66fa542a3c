"""The status composer: write, check, preview, post and copy customer status updates.

From top to bottom: when the next update is due (the "status_update" clock), the
update's phase (Investigating / Identified / Monitoring / Resolved), the affected
components each with its state, the text — pre-filled with the phase's template
(:mod:`warroom.tui.status_templates`) and re-filled while the user has not edited
it — and a preview of the plain rendering with its timestamp and zone: beside the
text when the pane is at least :data:`SPLIT_WIDTH` columns wide (both then fill the
pane's height), under it otherwise. Those parts scroll when the pane is short; the
writing-rule warnings of docs/rules.md §6 (live, never blocking) and the buttons stay under
them, always in view.

*Post* (``ctrl+s``; refused when it is the update last posted) sends a
:class:`~warroom.tui.messages.SubmitEvent` with the event
:func:`~warroom.domain.actions.status_update_event` builds; the text stays in the editor
until the update is in the record, and while edited it is kept on disk
(:mod:`warroom.tui.status_draft`), so a failed write or a crash loses nothing. *Copy*
(``ctrl+t``) puts the last posted update, or the draft's preview, on the clipboard.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Label, Select, Static, TextArea

from warroom.domain.actions import status_update_event
from warroom.domain.events import (
    ComponentState,
    DetectionSource,
    StatusPhase,
)
from warroom.domain.sanitize import clean_text, one_line
from warroom.domain.state import StatusUpdate
from warroom.export.status import (
    StatusDraft,
    render_plain,
    writing_rule_warnings,
)
from warroom.tui.messages import IncidentView, SubmitEvent
from warroom.tui.panes.composer.copying import ComposerCopying
from warroom.tui.panes.composer.parts import (
    COMPOSER_BINDINGS,
    COMPOSER_HELP,
    ComponentRow,
    PreviewBox,
    next_update_line,
)
from warroom.tui.status_templates import (
    STATUS_PHASE_LABELS,
    format_zoned,
    proposed_components,
    status_template,
    suggested_phase,
)
from warroom.tui.widgets.pane_support import (
    PendingMounts,
    focus_pane,
    load_css,
    palette_commands,
    set_text,
)

__all__ = ["SPLIT_WIDTH", "StatusComposerPane"]

#: From this width on (cells, borders included) the text and its preview sit side by
#: side, filling the pane's height; narrower, everything is stacked and the pane scrolls.
SPLIT_WIDTH = 76


class StatusComposerPane(ComposerCopying, PendingMounts, Vertical):
    """Compose a customer status update from a template, check it, post and copy it."""

    DEFAULT_CSS = load_css(__file__, "status_composer.tcss")

    BINDINGS: ClassVar[list[BindingType]] = list(COMPOSER_BINDINGS)
    HELP = COMPOSER_HELP

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """An empty composer; call :meth:`show` to fill it."""
        super().__init__(id=id, classes=classes)
        self.border_title = "Status update"
        self._view: IncidentView | None = None
        self._phase = StatusPhase.INVESTIGATING
        self._phase_touched = False
        self._names: tuple[str, ...] = ()
        self._states: dict[str, ComponentState | None] = {}
        self._touched: set[str] = set()
        self._filled = ""
        self._awaiting: str | None = None
        self._awaiting_after = 0
        self._checked: tuple[object, ...] = ()
        # The parts used on every tick, kept by compose (a query walks the pane).
        self._body: VerticalScroll
        self._due: Static
        self._phase_select: Select[StatusPhase]
        self._components_box: Vertical
        self._text_area: TextArea
        self._warnings: Static
        self._preview_box: Static

    def compose(self) -> ComposeResult:
        """A scrolling body (due line, phase, components, text and preview), then the foot.

        The foot (warnings and buttons) is outside the scrolling part: always in
        view, and last in the Tab order.
        """
        with VerticalScroll(id="composer-body", can_focus=False) as body:
            self._body = body
            self._due = Static(id="composer-due", markup=False)
            yield self._due
            with Horizontal(id="composer-phase-row"):
                yield Label("Phase", classes="composer-label")
                self._phase_select = Select(
                    [(label, phase) for phase, label in STATUS_PHASE_LABELS.items()],
                    value=self._phase,
                    allow_blank=False,
                    compact=True,
                    id="composer-phase",
                )
                yield self._phase_select
            yield Label(
                "Affected components", classes="composer-heading",
                id="composer-components-heading",
            )
            self._components_box = Vertical(id="composer-components")
            yield self._components_box
            with Horizontal(id="composer-words"):
                self._text_area = TextArea(
                    id="composer-text", soft_wrap=True, tab_behavior="focus"
                )
                self._text_area.border_title = "Update (posted verbatim)"
                yield self._text_area
                with PreviewBox(id="composer-preview-box") as box:
                    box.border_title = "Preview"
                    self._preview_box = Static(id="composer-preview", markup=False)
                    yield self._preview_box
        self._warnings = Static(id="composer-warnings", markup=False)
        yield self._warnings
        with Horizontal(id="composer-buttons"):
            yield Button("Post ^s", variant="primary", id="composer-post", compact=True)
            yield Button("Copy ^t", id="composer-copy", compact=True)
            yield Button("Template ^r", id="composer-refill", compact=True)

    # -- layout --------------------------------------------------------------

    def on_mount(self) -> None:
        """Lay out for the room the pane will have, before its first layout.

        The pane fills its container's width, so the container's width (known: it
        was laid out before the pane was mounted) tells whether the text and its
        preview fit side by side. A container with no width is hidden (a tab on a
        narrow terminal), and shows the pane across the screen: the screen's width
        then. :meth:`on_resize` follows later changes.
        """
        parent = self.parent
        width = parent.size.width if isinstance(parent, Widget) else 0
        self._fit_width(width or self.app.size.width)

    def on_resize(self) -> None:
        """Side by side or stacked, for the pane's new width; keep the focus in view."""
        self._fit_width(self.outer_size.width)
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            self._reveal(focused)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Bring the focused part into view once the pane is laid out.

        Textual scrolls a focused widget into view before the next layout; when F5
        has just shown the pane (a tab on a narrow terminal) that layout is the
        first one, so the pane checks again after it.
        """
        self._reveal(event.widget)

    def _reveal(self, widget: Widget) -> None:
        """After the next layout, scroll ``widget`` into view if it still has the focus."""

        def reveal() -> None:
            screen = self.screen
            if widget.has_focus and not screen.can_view_entire(widget):
                screen.scroll_to_center(widget, origin_visible=True)

        self.call_after_refresh(reveal)

    def _fit_width(self, width: int) -> None:
        split = width >= SPLIT_WIDTH
        if split != self.has_class("-split"):
            self.set_class(split, "-split")

    # -- state ---------------------------------------------------------------

    @property
    def phase(self) -> StatusPhase:
        """The phase of the update being composed."""
        return self._phase

    @property
    def components(self) -> dict[str, ComponentState]:
        """The components in the update and their chosen states, in display order."""
        return {name: state for name in self._names if (state := self._states[name]) is not None}

    @property
    def body(self) -> VerticalScroll:
        """The part that scrolls when the pane is short: everything but warnings and buttons."""
        return self._body

    def take_focus(self) -> None:
        """F5: focus the update's text (phase and components are a Shift+Tab away)."""
        focus_pane(self, self._text_area)

    @property
    def text(self) -> str:
        """The text in the editor."""
        return self._text_area.text

    @property
    def edited(self) -> bool:
        """Whether the text differs from the template last filled in."""
        return self.text != self._filled

    # -- show ----------------------------------------------------------------

    def show(self, view: IncidentView) -> None:
        """Follow ``view``: due line, suggested phase, components, template, checks."""
        self._view = view
        state = view.state
        clock = next((c for c in view.clocks if c.id == "status_update"), None)
        line, cls = next_update_line(clock, view)
        due = self._due
        set_text(due, line)
        if not due.has_class(cls):
            due.set_classes(cls)
        if self._awaiting is not None and self._posted_since(view):
            last = state.status_updates[-1]
            self.notify(
                f"{STATUS_PHASE_LABELS[last.phase]} update posted at "
                f"{format_zoned(last.at, view.tz, now=view.now)}.",
                timeout=4,
                markup=False,
            )
            self._awaiting = None
            self._phase_touched = False
            self._touched.clear()
            self._filled = self.text
        if not self._phase_touched:
            self._set_phase(suggested_phase(state))
        self._sync_components()
        self._refill_if_untouched()
        self._check()

    def _posted_since(self, view: IncidentView) -> bool:
        """Whether the update being posted has reached the record (``view``'s)."""
        updates = view.state.status_updates[self._awaiting_after :]
        return any(u.text == self._awaiting or u.author == view.author for u in updates)

    def _set_phase(self, phase: StatusPhase) -> None:
        if phase == self._phase:
            return
        self._phase = phase
        select = self._phase_select
        with self.prevent(Select.Changed):
            select.value = phase

    def _sync_components(self) -> None:
        """Rebuild the component rows when the set changes; follow untouched defaults."""
        assert self._view is not None
        proposed = proposed_components(self._view.state, self._phase)
        for name in list(self._states):
            if name not in proposed and name not in self._touched:
                del self._states[name]
        for name, default in proposed.items():
            if name not in self._touched:
                self._states[name] = default
        names = tuple(self._states)
        box = self._components_box
        if names != self._names:
            self._names = names
            self.track(box.remove_children())
            if names:
                self.track(box.mount_all(ComponentRow(name, self._states[name]) for name in names))
            else:
                self.track(box.mount(Static("No components named yet.", classes="composer-empty")))
            return
        for row in box.query(ComponentRow):
            wanted = self._states[row.component]
            if row.state != wanted:
                with self.prevent(Select.Changed):
                    row.set_state(wanted)

    def _template(self) -> str:
        assert self._view is not None
        view = self._view
        return status_template(
            self._phase,
            view.state,
            components=self.components,
            now=view.now,
            tz=view.tz,
            policy=view.policy,
        )

    def _refill_if_untouched(self, *, force: bool = False) -> None:
        if self._view is None or (self.edited and not force) or self._awaiting is not None:
            return
        template = self._template()
        if template != self.text:
            area = self._text_area
            area.load_text(template)
        self._filled = template

    def draft(self, at: datetime) -> StatusDraft:
        """The update being composed, as it would be posted at ``at``."""
        return StatusDraft(
            phase=self._phase,
            text=clean_text(self.text).strip(),
            components=self.components,
            at=at,
        )

    def _preview(self, update: StatusDraft | StatusUpdate) -> str:
        assert self._view is not None
        return render_plain(update, title=self._view.record_title, tz=self._view.tz).rstrip()

    def _check(self) -> None:
        """Recompute the warnings and the preview when their inputs changed."""
        view = self._view
        if view is None:
            return
        text = self.text
        minute = view.now.replace(second=0, microsecond=0)
        key = (text, self._phase, tuple(self.components.items()), minute, view.tz)
        if key == self._checked:
            return
        self._checked = key
        customer = view.state.detection_source == DetectionSource.CUSTOMER
        warnings = writing_rule_warnings(
            text, self.components, view.policy, customer_reported=customer
        )
        box = self._warnings
        if not text.strip():
            set_text(box, "Write the update above.")
            box.set_classes("-empty")
        elif warnings:
            set_text(box, "\n".join(f"⚠ {one_line(w)}" for w in warnings))
            box.set_classes("-warn")
        else:
            set_text(box, "✓ Writing rules: no warnings.")
            box.set_classes("-ok")
        set_text(self._preview_box, self._preview(self.draft(view.now)))

    # -- events --------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        """Phase or component state chosen by the user."""
        event.stop()
        value = event.value
        if event.select.id == "composer-phase" and isinstance(value, StatusPhase):
            if value == self._phase:
                return
            self._phase = value
            self._phase_touched = True
            if self._view is not None:
                self._sync_components()
        else:
            row = next((a for a in event.select.ancestors if isinstance(a, ComponentRow)), None)
            chosen = value if isinstance(value, ComponentState) else None
            if row is None or self._states.get(row.component) == chosen:
                return
            self._states[row.component] = chosen
            self._touched.add(row.component)
        self._refill_if_untouched()
        self._check()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Re-check the writing rules as the text changes (the screen keeps the draft)."""
        self._check()

    def restore(self, text: str) -> None:
        """Put an unsent update back (a draft kept from a closed or crashed console)."""
        self._text_area.load_text(text)
        self._check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Post, copy or re-fill."""
        event.stop()
        actions = {
            "composer-post": self.action_post,
            "composer-copy": self.action_copy,
            "composer-refill": self.action_refill,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    # -- actions -------------------------------------------------------------

    def action_post(self) -> None:
        """Log the update verbatim (a SubmitEvent); it restarts the update clock."""
        view = self._view
        if view is None:
            self.notify("No incident is open.", severity="warning", markup=False)
            return
        text = clean_text(self.text).strip()
        if not text:
            self.notify("Write the update before posting it.", severity="error", markup=False)
            return
        if self._awaiting == text:
            self.notify("This update is already being posted.", severity="warning", markup=False)
            return
        last = view.state.status_updates[-1] if view.state.status_updates else None
        if (
            last is not None
            and last.text == text
            and last.phase == self._phase
            and dict(last.components) == self.components
        ):
            # A second ctrl+s once the update is recorded (the refilled template can
            # give the same words back) would tell customers the same thing twice.
            self.notify(
                f"This update was already posted at "
                f"{format_zoned(last.at, view.tz, now=view.now)} (#{last.event_id}): "
                "change it to post again.",
                severity="warning",
                markup=False,
            )
            return
        self._awaiting = text
        self._awaiting_after = len(view.state.status_updates)
        self.post_message(SubmitEvent(status_update_event(
            text, self._phase, self.components, now=view.now, author=view.author,
        )))

    def clipboard_text(self) -> str:
        """What *Copy* copies: the last posted update, or the draft's preview if edited."""
        view = self._view
        if view is None:
            return ""
        updates = view.state.status_updates
        if updates and (not self.edited or self._awaiting is not None):
            return self._preview(updates[-1])
        return self._preview(self.draft(view.now))

    def action_refill(self) -> None:
        """Replace the text with the current phase's template."""
        if self._view is None:
            return
        self._awaiting = None
        self._refill_if_untouched(force=True)
        self._check()

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The composer's actions for the command palette (and the copy formats)."""
        yield from palette_commands(self, "Status")
        yield from self.copy_commands()
