"""Modal: where to write the post-mortem draft (Markdown) or the JSON export.

The path starts as ``<slug>-postmortem.md`` (or ``<slug>.json``) in the current
directory; *Beside the database* puts it in the database's folder instead.
Changing the format changes the proposed name while it is still a default one.
The File field has the focus when the dialog opens and looks it (a highlighted
border); text typed while a button or the format has the focus goes into the
File field, so a typed path is never lost and Enter writes what the field shows.
The screen dismisses with an :class:`~warroom.tui.exporting.ExportRequest` or
``None``; the war-room screen writes the file in a worker and asks before
overwriting an existing one. Its footer shows its own keys: what Enter does where
the focus is, Tab between the fields, Esc.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from warroom.domain.sanitize import one_line
from warroom.tui.exporting import (
    ExportFormat,
    ExportRequest,
    beside_database,
    default_name,
    resolve_path,
)
from warroom.tui.widgets.dialog import Dialog
from warroom.tui.widgets.footer import QuietFooter, dialog_hints
from warroom.tui.widgets.ordered_input import OrderedInput

__all__ = ["ExportScreen"]

_EDITING_KEYS = frozenset({"ctrl+u", "ctrl+w", "backspace"})
"""Keys that edit the File field even while a button or the format has the focus."""


class ExportScreen(Dialog[ExportRequest | None]):
    """Pick the format and the file; Enter exports, Escape cancels."""

    CSS_PATH = "export.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close, write nothing",
                priority=True),  # closed before the next key arrives (see Dialog)
        Binding("ctrl+s", "submit", "Export", id="export.submit",
                tooltip="Write the file (from any field)"),
    ]

    HELP = """\
## Export

Writes the incident to a file: the **post-mortem draft** (Markdown, docs/rules.md §7) or
the **JSON export** (every event, the state and the metrics; `warroom import`
reads it back). A relative path is under the current directory; *Beside the
database* proposes the database's folder. The file is written atomically and an
existing file is never replaced without asking.
"""

    def __init__(
        self,
        slug: str,
        *,
        fmt: ExportFormat = ExportFormat.MARKDOWN,
        db_path: str | Path | None = None,
        cwd: Path | None = None,
    ) -> None:
        """Export incident ``slug``; ``db_path`` enables *Beside the database*."""
        super().__init__()
        self._slug = slug
        self._fmt = fmt
        self._db_path = db_path
        self._cwd = cwd if cwd is not None else Path.cwd()

    def compose(self) -> ComposeResult:
        """Format, file, where relative paths go, error line and buttons."""
        with Vertical(id="export-dialog"):
            yield Static("Export this incident", id="export-title", markup=False)
            yield Label("Format", classes="export-label")
            yield Select(
                [(Text(f.label), f) for f in ExportFormat],
                value=self._fmt,
                allow_blank=False,
                id="export-format",
                compact=True,
            )
            yield Label("File", classes="export-label")
            path = OrderedInput(
                value=default_name(self._slug, self._fmt), id="export-path",
                select_on_focus=False,
            )
            path.submit_action = "submit"  # Enter exports where the key is handled
            yield path
            yield Static(
                Text(f"Relative to {one_line(str(self._cwd))}"), id="export-hint"
            )
            yield Static(id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok", compact=True)
                yield Button(
                    "Beside the database",
                    id="export-beside",
                    compact=True,
                    disabled=beside_database(self._db_path, self._slug, self._fmt) is None,
                )
                yield Button("Cancel", id="export-cancel", compact=True)
        yield QuietFooter()

    def on_mount(self) -> None:
        """Focus the file name, ready to be edited or accepted."""
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value)

    def footer_hints(self) -> tuple[Binding, ...]:
        """Enter (what it does where the focus is), Tab, for the footer."""
        if isinstance(self.focused, Select):
            return dialog_hints(self.focused, "Choose format", "Open the list of formats")
        return dialog_hints(self.focused, "Export", "Write the file", enter_action="submit")

    def _keys_go_to_the_field(self) -> Input | None:
        """The File field, when keys that reached the dialog belong in it."""
        field = self.query_one("#export-path", OrderedInput)
        # The field handles its own keys; one that reaches the dialog came from a
        # button or the format (or was on its way there when the focus moved).
        return field if isinstance(self.focused, OrderedInput | Button | Select) else None

    def on_key(self, event: events.Key) -> None:
        """Editing keys typed outside the File field edit the File field."""
        if not self.is_active:
            return  # on its way when the dialog closed: the dialog hands it on
        if event.key not in _EDITING_KEYS and not (
            event.is_printable and event.character is not None
        ):
            return
        field = self._keys_go_to_the_field()
        if field is None:
            return
        event.stop()
        event.prevent_default()
        if self.focused is not field:
            self.set_focus(field)
            field.cursor_position = len(field.value)
        # Handed on, the field applies the key itself (its own bindings, in order), as
        # the timeline hands keys typed in the list to the scribe input.
        field.post_message(events.Key(event.key, event.character))

    def on_paste(self, event: events.Paste) -> None:
        """A paste outside the File field goes into the File field (its first line)."""
        field = self._keys_go_to_the_field()
        if field is None or not event.text:
            return
        event.stop()
        if self.focused is not field:
            self.set_focus(field)
            field.cursor_position = len(field.value)
        field.insert_text_at_cursor(event.text.splitlines()[0])

    @property
    def fmt(self) -> ExportFormat:
        """The chosen format."""
        value = self.query_one("#export-format", Select).value
        return value if isinstance(value, ExportFormat) else self._fmt

    def on_select_changed(self, event: Select.Changed) -> None:
        """Follow the format with the file name while it is a default one."""
        event.stop()
        new = self.fmt
        old, self._fmt = self._fmt, new
        if old is new:
            return
        field = self.query_one("#export-path", Input)
        path = Path(field.value.strip())
        if path.name == default_name(self._slug, old):
            renamed = path.with_name(default_name(self._slug, new))
            field.value = str(renamed) if str(path.parent) != "." else renamed.name

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Export, Beside the database, or Cancel."""
        event.stop()
        if event.button.id == "export-ok":
            self.action_submit()
        elif event.button.id == "export-beside":
            beside = beside_database(self._db_path, self._slug, self.fmt)
            if beside is not None:
                field = self.query_one("#export-path", Input)
                field.value = str(beside)
                field.cursor_position = len(field.value)
                field.focus()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        """Close with the request, or say why the path cannot be used."""
        typed = self.query_one("#export-path", Input).value
        error = self.query_one("#export-error", Static)
        if not typed.strip():
            error.update(Text("Type a file name."))
            return
        path = resolve_path(typed, self._cwd)
        if path.is_dir():
            error.update(Text(f"{one_line(str(path))} is a folder: add a file name."))
            return
        self.dismiss(ExportRequest(fmt=self.fmt, path=path))

    def action_cancel(self) -> None:
        """Close without writing (Esc in an open format list closes the list)."""
        self.skip_if_a_list_is_open()
        self.dismiss(None)
