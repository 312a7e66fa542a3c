"""Modal: declare a new incident — title, severity (or unclassified), services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from warroom.domain.events import Severity
from warroom.domain.sanitize import one_line
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter, dialog_hints
from warroom.tui.widgets.ordered_input import OrderedInput

__all__ = ["SEVERITY_CHOICES", "NewIncidentRequest", "NewIncidentScreen", "parse_services"]

#: The severity choices: label → value ("unclassified" is ``None``).
SEVERITY_CHOICES: tuple[tuple[str, str], ...] = (
    ("Unclassified (SEV2 after 10 min)", "none"),
    ("SEV1 — complete outage or data loss", "1"),
    ("SEV2 — core functionality degraded", "2"),
    ("SEV3 — minor degradation, workaround exists", "3"),
    ("SEV4 — cosmetic or internal only", "4"),
)


@dataclass(frozen=True, slots=True)
class NewIncidentRequest:
    """What the form collected."""

    title: str
    severity: Severity | None
    services: tuple[str, ...]


def parse_services(text: str) -> tuple[str, ...]:
    """``"checkout, payments  api"`` → ``("checkout", "payments", "api")`` (cleaned, unique)."""
    names = (one_line(part).strip() for part in text.replace(",", " ").split())
    return tuple(dict.fromkeys(name for name in names if name))


class NewIncidentScreen(Dialog[NewIncidentRequest | None]):
    """The declare form; Enter in the last field or Ctrl+S declares, Esc cancels."""

    CSS_PATH = "new_incident.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_incident.cancel", tooltip="Cancel",
                priority=True),  # closed before the next key arrives (see Dialog)
        Binding("ctrl+s", "declare", "Declare", id="new_incident.declare",
                tooltip="Declare the incident (from any field)"),
    ]

    def compose(self) -> ComposeResult:
        """Title, severity, services and the buttons."""
        with Vertical(id="new-incident-dialog") as dialog:
            dialog.border_title = "Declare an incident"
            yield Label("Title — what customers see going wrong", classes="field-label")
            title = OrderedInput(placeholder="e.g. Checkout fails for EU customers",
                                 id="new-title", max_length=200)
            title.enter_moves_focus = True  # Enter: on to the severity, at once
            yield title
            yield Label("Severity", classes="field-label")
            yield Select([(label, value) for label, value in SEVERITY_CHOICES], value="none",
                         allow_blank=False, id="new-severity")
            yield Label("Affected services (comma or space separated)", classes="field-label")
            services = OrderedInput(placeholder="checkout, payments", id="new-services")
            services.submit_action = "declare"  # Enter declares where the key is handled
            yield services
            yield Static("", id="new-error", markup=False)
            with Horizontal(id="new-buttons"):
                yield Button("Declare (Ctrl+S)", variant="error", id="new-declare", compact=True)
                yield Button("Cancel (Esc)", id="new-cancel", compact=True)
        yield QuietFooter()

    def footer_hints(self) -> tuple[Binding, ...]:
        """Enter (what it does where the focus is), Tab, for the footer."""
        focused = self.focused
        if isinstance(focused, Select):
            return dialog_hints(focused, "Choose severity", "Open the list of severities")
        if isinstance(focused, Input) and focused.id == "new-services":
            return dialog_hints(focused, "Declare", "Declare the incident",
                                enter_action="declare")
        if isinstance(focused, Input):  # the title: Enter moves on, as Tab does
            return dialog_hints(focused, "Next field", "On to the severity", tab=False)
        return dialog_hints(focused, "", "")

    def on_mount(self) -> None:
        """Start in the title."""
        self.query_one("#new-title", Input).focus()

    @on(Input.Submitted, "#new-title")
    def _title_entered(self, event: Input.Submitted) -> None:
        event.stop()  # the title's Enter has already moved on to the severity

    @on(Button.Pressed, "#new-declare")
    def _declare_pressed(self) -> None:
        self.action_declare()

    @on(Button.Pressed, "#new-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_declare(self) -> None:
        """Check the form and close it with the request."""
        title = one_line(self.query_one("#new-title", Input).value).strip()
        if not title:
            self.query_one("#new-error", Static).update(Text("✗ an incident needs a title"))
            self.query_one("#new-title", Input).focus()
            return
        value = self.query_one("#new-severity", Select).value
        severity = Severity(int(value)) if isinstance(value, str) and value.isdigit() else None
        services = parse_services(self.query_one("#new-services", Input).value)
        self.dismiss(NewIncidentRequest(title=title, severity=severity, services=services))

    def action_cancel(self) -> None:
        """Close without declaring (Esc in an open severity list closes the list)."""
        self.skip_if_a_list_is_open()
        self.dismiss(None)
