"""How one timeline entry is drawn: the styled lines of an event, the line of a queued entry.

The :class:`~warroom.tui.panes.timeline.pane.Timeline` widget keeps the rows and the
scrolling; this module holds the row layout (columns, widths, kind colours) as
plain functions of an event and a style map, so a row is formatted the same
wherever it is drawn.

User text reaches the screen as :class:`rich.segment.Segment` text run through
:func:`~warroom.domain.sanitize.one_line` — never as markup, never with a control
character.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from warroom.cells import wrap_text
from warroom.domain.sanitize import one_line
from warroom.tui.panes.timeline.text import KIND_LABELS, MILESTONE_KINDS

if TYPE_CHECKING:
    from textual.widget import Widget

    from warroom.domain.events import Event

__all__ = ["ROW_COMPONENTS", "render_entry", "render_queued", "row_styles"]

#: The component classes a row is styled with (the widget's ``COMPONENT_CLASSES``).
ROW_COMPONENTS: frozenset[str] = frozenset({
    "timeline--id",
    "timeline--time",
    "timeline--author",
    "timeline--kind",
    "timeline--text",
    "timeline--milestone",
    "timeline--key",
    "timeline--key-marker",
    "timeline--corrected",
    "timeline--decision",
    "timeline--command",
    "timeline--status",
    "timeline--checkpoint",
    "timeline--action",
    "timeline--meta",
    "timeline--note",
    "timeline--cursor",
    "timeline--flash",
    "timeline--empty",
    "timeline--queued",
})

_KIND_CLASS: dict[str, str] = {
    "decision": "timeline--decision",
    "command": "timeline--command",
    "status_update": "timeline--status",
    "checkpoint": "timeline--checkpoint",
    "action_item": "timeline--action",
    "correction": "timeline--meta",
    "key_mark": "timeline--meta",
    "key_unmark": "timeline--meta",
    "note": "timeline--note",
}

_AUTHOR_CELLS = 10
_AUTHOR_CELLS_WIDE = 15
#: From this row width on, authors get :data:`_AUTHOR_CELLS_WIDE` cells.
_WIDE_ROW = 100
_KIND_CELLS = 8


def render_queued(
    row: tuple[datetime, str, str],
    width: int,
    base: Style,
    *,
    styles: dict[str, Style],
    tz: tzinfo,
    id_cells: int,
) -> Strip:
    """A row for an entry waiting on this seat: no id yet, "queued" where the kind goes.

    One line: a text longer than the room left ends in "…" (it wraps like any
    entry once it is written).
    """
    when, author, text = row
    author_cells = _AUTHOR_CELLS if width < _WIDE_ROW else _AUTHOR_CELLS_WIDE
    text = one_line(text)
    room = width - (1 + id_cells + 1 + 8 + 1 + author_cells + 1 + _KIND_CELLS + 1)
    if room > 0 and cell_len(text) > room:
        text = wrap_text(text, room, 1)[0]
    segments = [
        Segment(" " + "…".rjust(id_cells), styles["timeline--id"]),
        Segment(" "),
        Segment(when.astimezone(tz).strftime("%H:%M:%S"), styles["timeline--time"]),
        Segment(" "),
        Segment(set_cell_size(one_line(author), author_cells), styles["timeline--author"]),
        Segment(" "),
        Segment("queued".ljust(_KIND_CELLS), styles["timeline--queued"]),
        Segment(" "),
        Segment(text, styles["timeline--queued"]),
    ]
    return Strip(segments).crop_extend(0, width, None).apply_style(base)


def render_entry(
    event: Event,
    width: int,
    look: int,
    base: Style,
    *,
    styles: dict[str, Style],
    tz: tzinfo,
    id_cells: int,
    text: str,
    is_key: bool,
    corrected: bool,
    max_lines: int = 1,
) -> tuple[Strip, ...]:
    """The lines of ``event``: marker, id, time, author, kind, then its shown ``text``.

    ``look`` is 0 plain, 1 selected, 2 just logged (the whole entry takes it);
    ``text`` is the display text (corrected if corrected). It fills the room left
    on the first line and wraps onto continuation lines under it, up to
    ``max_lines`` lines in all; what does not fit ends in an ellipsis.
    """
    kind = event.kind
    line_style = base
    if is_key:
        line_style += styles["timeline--key"]
    if look:
        line_style += styles["timeline--cursor" if look == 1 else "timeline--flash"]
    kind_style = styles["timeline--kind"]
    text_style = styles["timeline--text"]
    if kind in MILESTONE_KINDS:
        kind_style += styles["timeline--milestone"]
        text_style += styles["timeline--milestone"]
    elif (cls := _KIND_CLASS.get(kind)) is not None:
        kind_style += styles[cls]
        if kind != "note":
            text_style += styles[cls]
    marker = "★" if is_key else " "
    author_cells = _AUTHOR_CELLS if width < _WIDE_ROW else _AUTHOR_CELLS_WIDE
    author = set_cell_size(one_line(event.author), author_cells)
    label = KIND_LABELS.get(kind, kind.value)[:_KIND_CELLS].ljust(_KIND_CELLS)
    when = event.occurred_at.astimezone(tz).strftime("%H:%M:%S")
    ident = f"#{event.id}".rjust(id_cells)
    segments = [
        Segment(marker, styles["timeline--key-marker"]),
        Segment(ident, styles["timeline--id"]),
        Segment(" "),
        Segment(when, styles["timeline--time"]),
        Segment(" "),
        Segment(author, styles["timeline--author"]),
        Segment(" "),
        Segment(label, kind_style),
        Segment(" "),
    ]
    used = 1 + id_cells + 1 + 8 + 1 + author_cells + 1 + _KIND_CELLS + 1
    room = width - used - (2 if corrected else 0)
    if room <= 0:
        return (Strip(segments).crop_extend(0, width, None).apply_style(line_style),)
    parts = [text] if cell_len(text) <= room else wrap_text(text, room, max_lines)
    lines: list[list[Segment]] = [segments]
    lines.extend([Segment(" " * used)] for _ in parts[1:])
    for line, part in zip(lines, parts, strict=True):
        line.append(Segment(part, text_style))
    if corrected:
        lines[-1].append(Segment(" ✎", styles["timeline--corrected"]))
    return tuple(
        Strip(line).crop_extend(0, width, None).apply_style(line_style) for line in lines
    )


def row_styles(widget: Widget) -> dict[str, Style]:
    """The Rich style of each of :data:`ROW_COMPONENTS` for ``widget`` (its theme and CSS).

    Translucent row backgrounds are blended over the widget's own background.
    """
    styles = {
        name: widget.get_component_rich_style(name, partial=True) for name in ROW_COMPONENTS
    }
    _, background = widget.background_colors
    for name in ("timeline--key", "timeline--cursor", "timeline--flash"):
        component = widget.get_component_styles(name)
        if component.has_rule("background"):
            blended = background + component.background
            styles[name] = styles[name] + Style(bgcolor=blended.rich_color)
    return styles
