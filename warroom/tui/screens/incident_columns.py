"""Which columns the incident list shows at a width, and how wide each one is.

The title is what a reader scans the list for, so it gets the room: on a narrow
terminal the severity badge reads short (``SEV2?`` for "SEV2 (default)", ``SEV?``
for "unclassified"), then the phase column goes (the war room's header shows it),
then the duration, before the title gets fewer than :data:`TITLE_MIN` cells. The
urgent clock keeps at least :data:`CLOCK_MIN`. With room to spare the title grows
to :data:`TITLE_WANT` first, then the clock to :data:`CLOCK_MAX`, then the title
takes the rest.

Pure arithmetic: no Textual, no domain models (the list's first frame uses it).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGE_CELLS", "CLOCK_MAX", "CLOCK_MIN", "PHASE_CELLS", "TITLE_MIN", "TITLE_WANT",
    "ListColumns", "compact_severity", "plan_columns",
]

#: "Duration" (values: "12m 05s").
AGE_CELLS = 8
#: "responding", the longest phase.
PHASE_CELLS = 10
#: The fewest cells the title gets before a column is dropped for it.
TITLE_MIN = 28
#: The title's share before the clock grows past its minimum.
TITLE_WANT = 40
#: The urgent clock: "10m 51s Checkpoint" whole.
CLOCK_MIN = 20
#: … and at most (longer clock names end in "…").
CLOCK_MAX = 30


@dataclass(frozen=True, slots=True)
class ListColumns:
    """The list's columns at one width: each one's cells (0: not shown)."""

    severity: int
    compact: bool
    title: int
    phase: int
    age: int
    clock: int

    @property
    def keys(self) -> tuple[str, ...]:
        """The shown columns' keys, left to right."""
        widths = {"sev": self.severity, "title": self.title, "phase": self.phase,
                  "age": self.age, "clock": self.clock}
        return tuple(key for key, cells in widths.items() if cells or key == "title")


def plan_columns(width: int, *, padding: int, sev_wide: int, sev_compact: int) -> ListColumns:
    """The columns for a table ``width`` cells wide (``padding``: the cells around each).

    ``sev_wide`` / ``sev_compact``: the severity column with full / short labels.
    """
    layouts = (
        (sev_wide, False, PHASE_CELLS, AGE_CELLS),
        (sev_compact, True, PHASE_CELLS, AGE_CELLS),
        (sev_compact, True, 0, AGE_CELLS),
        (sev_compact, True, 0, 0),
    )

    def rest(layout: tuple[int, bool, int, int]) -> int:
        severity, _compact, phase, age = layout
        shown = 3 + (phase > 0) + (age > 0)
        return width - shown * padding - severity - phase - age

    chosen = next((layout for layout in layouts if rest(layout) - CLOCK_MIN >= TITLE_MIN),
                  layouts[-1])
    room = rest(chosen)
    clock = min(CLOCK_MAX, max(CLOCK_MIN, room - TITLE_WANT))
    severity, compact, phase, age = chosen
    return ListColumns(severity, compact, max(1, room - clock), phase, age, clock)


def compact_severity(label: str, severity: int | None, defaulted: bool) -> str:
    """``SEV2 (default)`` → ``SEV2?``, ``unclassified`` → ``SEV?``; others as they are."""
    if severity is None:
        return "SEV?"
    return f"SEV{severity}?" if defaulted else label
