"""Modal: assign a role to a person, or hand it off to someone else.

The role is chosen from a select (pre-set by the caller), the name typed with
completion from the people already in the incident. A valid name follows the
scribe parser's rule (1–64 letters, digits, ``.``, ``_`` or ``-``; a leading
``@`` is dropped). The screen dismisses with an :class:`Assignment` or ``None``;
the caller logs the event (a modal's messages would reach the app, not the war
room under it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from warroom.domain.command_args import MAX_NAME_CHARS
from warroom.domain.events import Role
from warroom.domain.sanitize import one_line
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter, dialog_hints
from warroom.tui.widgets.ordered_input import OrderedInput

__all__ = ["AssignRoleScreen", "Assignment", "normalise_name"]

_NAME = re.compile(rf"@?([\w.\-]{{1,{MAX_NAME_CHARS}}})")


def normalise_name(raw: str) -> str | None:
    """The person's name as the record stores it, or ``None`` if it is not valid."""
    match = _NAME.fullmatch(one_line(raw).strip())
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Assignment:
    """What the dialog returns: ``person`` takes ``role``."""

    role: Role
    person: str


class AssignRoleScreen(Dialog[Assignment | None]):
    """Pick a role and a name; Enter assigns, Escape cancels."""

    CSS_PATH = "assign_role.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="assign_role.cancel", tooltip="Close, log nothing",
            priority=True,  # closed before the next key arrives (see Dialog)
        ),
        Binding("ctrl+s", "submit", "Assign", id="assign_role.submit", tooltip="Assign the role"),
    ]

    HELP = """\
## Assign a role

Choose the role, type the person's name (→ accepts the completion from
people already in this incident) and press **Enter**. If someone else holds the
role, this is a hand-off and the roster keeps the history. **Esc** cancels.
"""

    def __init__(
        self,
        role: Role = Role.IC,
        *,
        holders: Mapping[Role, str] | None = None,
        people: Sequence[str] = (),
    ) -> None:
        """Open on ``role``; ``holders`` says who holds what now, ``people`` feeds completion."""
        super().__init__()
        self._role = role
        self._holders = dict(holders or {})
        self._people = [p for p in (one_line(p).strip() for p in people) if p]

    def compose(self) -> ComposeResult:
        """Role select, name input with completion, hint, error line and buttons."""
        with Vertical(id="assign-dialog"):
            yield Static("Assign or hand off a role", id="assign-title", markup=False)
            yield Label("Role", classes="assign-label")
            yield Select(
                [(Text(role.label), role) for role in Role],
                value=self._role,
                allow_blank=False,
                id="assign-role",
                compact=True,
            )
            yield Label("Name", classes="assign-label")
            name = OrderedInput(
                placeholder="name, e.g. alice",
                suggester=SuggestFromList(self._people, case_sensitive=False),
                max_length=MAX_NAME_CHARS + 1,
                id="assign-name",
                compact=True,
            )
            name.submit_action = "submit"  # Enter assigns where the key is handled
            yield name
            yield Static(id="assign-hint")
            yield Static(id="assign-error")
            with Horizontal(id="assign-buttons"):
                yield Button("Assign", variant="primary", id="assign-ok", compact=True)
                yield Button("Cancel", id="assign-cancel", compact=True)
        yield QuietFooter()

    def footer_hints(self) -> tuple[Binding, ...]:
        """Enter (what it does where the focus is) and Tab, for the footer."""
        if isinstance(self.focused, Select):
            return dialog_hints(self.focused, "Choose role", "Open the list of roles")
        return dialog_hints(self.focused, "Assign", "Assign the role", enter_action="submit")

    def on_mount(self) -> None:
        """Focus the name and describe the chosen role's holder."""
        self._show_hint()
        self.query_one("#assign-name", Input).focus()

    @property
    def role(self) -> Role:
        """The role currently chosen."""
        value = self.query_one("#assign-role", Select).value
        return value if isinstance(value, Role) else self._role

    def _show_hint(self) -> None:
        holder = self._holders.get(self.role)
        hint = (
            f"{self.role.label} is held by {one_line(holder)}: this hands it off."
            if holder
            else f"{self.role.label} is unassigned."
        )
        self.query_one("#assign-hint", Static).update(Text(hint))

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep the hint about the current holder in step with the role."""
        event.stop()
        self._show_hint()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Assign or Cancel."""
        event.stop()
        if event.button.id == "assign-ok":
            self.action_submit()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        """Validate the name and close with the assignment, or show why not."""
        raw = self.query_one("#assign-name", Input).value
        person = normalise_name(raw)
        error = self.query_one("#assign-error", Static)
        if person is None:
            problem = (
                "Type a name."
                if not raw.strip()
                else f"Not a valid name: 1-{MAX_NAME_CHARS} letters, digits, '.', '_' or '-'."
            )
            error.update(Text(problem))
            return
        if self._holders.get(self.role) == person:
            error.update(Text(f"{person} already holds {self.role.label}."))
            return
        self.dismiss(Assignment(role=self.role, person=person))

    def action_cancel(self) -> None:
        """Close without assigning (Esc in an open role list closes the list)."""
        self.skip_if_a_list_is_open()
        self.dismiss(None)
