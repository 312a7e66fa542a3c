"""Modal: the IC's 15-minute checkpoint — four questions answered into the timeline.

docs/rules.md §4: *What do we know now? What are we trying next? Do we need to escalate
or bring in more people? Is the status page current?* The screen dismisses with
a :class:`~warroom.domain.events.CheckpointData` (answers cleaned of control
characters) or ``None``; the countdowns pane logs it with
:func:`warroom.domain.actions.checkpoint_event`.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from warroom.domain.actions import CHECKPOINT_QUESTIONS
from warroom.domain.events import CheckpointData
from warroom.domain.sanitize import one_line
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter, dialog_hints
from warroom.tui.widgets.ordered_input import OrderedInput

__all__ = ["QUESTIONS", "CheckpointScreen"]

#: The four checkpoint questions, keyed by the :class:`CheckpointData` field they fill.
QUESTIONS = CHECKPOINT_QUESTIONS

#: Longest answer accepted per question (the four fit well within one entry).
ANSWER_MAX_CHARS = 4000


class CheckpointScreen(Dialog[CheckpointData | None]):
    """Four answers; Enter moves on, Enter on the last (or Ctrl+S) logs, Esc cancels."""

    CSS_PATH = "checkpoint.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "submit",
            "Log checkpoint",
            id="checkpoint.submit",
            tooltip="Log the four answers to the timeline",
        ),
        Binding("escape", "cancel", "Cancel", id="checkpoint.cancel", tooltip="Close, log nothing",
                priority=True),  # closed before the next key arrives (see Dialog)
    ]

    HELP = """\
## IC checkpoint

Every 15 minutes the IC answers four questions into the timeline: what we know,
what we try next, whether to escalate or bring in people, and whether the
status page is current. **Enter** moves to the next question, **Enter** on the
last one (or **Ctrl+S**) logs the checkpoint, **Esc** cancels. Answer at least
one question; blank answers are left out.
"""

    def __init__(self, *, heading: str = "IC checkpoint", status_hint: str = "") -> None:
        """``heading`` names the checkpoint; ``status_hint`` says when the last update was."""
        super().__init__()
        self._heading = one_line(heading)
        self._status_hint = one_line(status_hint)

    def compose(self) -> ComposeResult:
        """The four questions, each with an input, then the buttons."""
        with VerticalScroll(id="checkpoint-dialog"):
            yield Static(Text(self._heading), id="checkpoint-title")
            for field, question in QUESTIONS:
                yield Label(Text(question), classes="checkpoint-question")
                answer = OrderedInput(
                    id=f"checkpoint-{field}",
                    max_length=ANSWER_MAX_CHARS,
                    compact=True,
                    select_on_focus=False,  # coming back to an answer never selects it
                )
                if field == QUESTIONS[-1][0]:
                    answer.submit_action = "submit"  # Enter on the last logs, at once
                else:
                    answer.enter_moves_focus = True  # Enter: the next question, at once
                yield answer
                if field == "status_page" and self._status_hint:
                    yield Static(Text(self._status_hint), id="checkpoint-status-hint")
            yield Static(id="checkpoint-error")
            with Horizontal(id="checkpoint-buttons"):
                yield Button("Log (ctrl+s)", variant="primary", id="checkpoint-ok", compact=True)
                yield Button("Cancel (esc)", id="checkpoint-cancel", compact=True)
        yield QuietFooter()

    def footer_hints(self) -> tuple[Binding, ...]:
        """Enter (the next question, or log on the last one), for the footer."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id != f"checkpoint-{QUESTIONS[-1][0]}":
            return dialog_hints(focused, "Next question", tab=False)
        return dialog_hints(focused, "Log checkpoint", "Log the four answers to the timeline",
                            enter_action="submit")

    def on_mount(self) -> None:
        """Start on the first question."""
        self.query_one("#checkpoint-know", Input).focus()

    def answers(self) -> CheckpointData:
        """The answers typed so far (one line each, trimmed)."""
        values = {
            field: one_line(self.query_one(f"#checkpoint-{field}", Input).value).strip()
            for field, _ in QUESTIONS
        }
        return CheckpointData.model_validate(values)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on a question has moved on to the next one (the last one logs)."""
        event.stop()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Log or Cancel."""
        event.stop()
        if event.button.id == "checkpoint-ok":
            self.action_submit()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        """Close with the answers, unless every one is blank."""
        data = self.answers()
        if not any(getattr(data, field) for field, _ in QUESTIONS):
            self.query_one("#checkpoint-error", Static).update(
                Text("Answer at least one question (or Esc to cancel).")
            )
            return
        self.dismiss(data)

    def action_cancel(self) -> None:
        """Close without logging."""
        self.dismiss(None)
