"""The incident list: what ``warroom`` opens on.

Open incidents first (worst severity, then newest), each with its severity badge,
title, phase, duration (to now; a resolved one's up to its resolution) and most
urgent clock; then the most recent closed ones (with a
clock they still owe, else when they were resolved). Rows and order are the domain's
(:mod:`warroom.domain.summary`), as ``warroom list`` prints them. Enter
opens an incident's war room; ``n`` declares a new one. Reading and folding each
incident's events happens in a worker; a summary is cached per incident until its
last event id changes.

The screen's first frame (heading, column headings, a "loading" row) needs
neither the store nor the domain models: the store and the policy may be given as
functions, called in the first read's worker after that frame, and the models are
imported there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from warroom.domain.sanitize import one_line
from warroom.domain.summary import IncidentSummary, list_totals, summarize
from warroom.domain.summary import order as order_summaries
from warroom.domain.timefmt import format_remaining, format_span, format_zoned
from warroom.domain.timesource import TimeSource
from warroom.tui.console import console_of
from warroom.tui.messages import OpenIncident
from warroom.tui.screens.incident_columns import compact_severity, plan_columns
from warroom.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from warroom.domain.policy import Policy
    from warroom.domain.state import IncidentState
    from warroom.store import IncidentRecord, Store

__all__ = ["CLOSED_SHOWN", "IncidentListScreen", "IncidentSummary", "order", "summarize"]

#: How many closed (resolved or later) incidents the list shows.
CLOSED_SHOWN = 20
#: How often the list looks for changes made elsewhere (seconds).
REFRESH_SECONDS = 2.0

_SEV_CELLS = 8  # "Severity"; widened to the longest label shown ("SEV2 (default)")
_SEV_SHORT_CELLS = 6  # "Sev" over " SEV1 "; widened to " SEV2? "
#: Each column's heading: full, and on a narrow terminal.
_HEADINGS = {"sev": ("Severity", "Sev"), "title": ("Title", "Title"), "phase": ("Phase", "Phase"),
             "age": ("Duration", "Duration"), "clock": ("Urgent clock", "Urgent clock")}

#: Theme variable of each clock state the list shows (``ClockState`` values: the
#: models are not imported before the first frame).
_CLOCK_STYLE = {
    "overdue": "clock-overdue",
    "due_soon": "clock-due-soon",
    "running": "clock-running",
}
#: What the list's one row says until its first read is done.
LOADING = "Reading incidents…"
#: That row's key (never an incident id).
_LOADING_KEY = "loading"


def order(summaries: list[IncidentSummary[IncidentRecord]], closed_shown: int = CLOSED_SHOWN, *,
          policy: Policy | None = None) -> list[IncidentSummary[IncidentRecord]]:
    """The list order (:func:`warroom.domain.summary.order`), the newest closed ones only."""
    from warroom.domain.policy import DEFAULT_POLICY

    return order_summaries(summaries, policy or DEFAULT_POLICY, closed_shown)


class IncidentListScreen(Screen[None]):
    """Every incident, open ones first; Enter opens, ``n`` declares."""

    CSS_PATH = "incident_list.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the table's own Enter (no description) would hide it from the
        # footer and the help.
        Binding("enter", "open", "Open", id="incidents.open", priority=True,
                tooltip="Open the selected incident's war room"),
        Binding("n", "new", "New incident", id="incidents.new",
                tooltip="Declare a new incident"),
        Binding("r", "reload", "Refresh", id="incidents.refresh",
                tooltip="Read the list again"),
        Binding("o", "report", "On-call report", id="incidents.report",
                tooltip="On-call health across incidents (pages, acks, runbooks)"),
        Binding("f1", "help", "Help", id="incidents.help", tooltip="Help and keys"),
        Binding("q", "app.quit", "Quit", id="incidents.quit",
                tooltip="Quit (Ctrl+Q quits from anywhere)"),
    ]

    HELP = """\
## Incidents

Open incidents come first — worst severity, then newest — with the clock that
is most urgent; below them the most recent closed ones, with a clock they still
owe (the resolution update, the post-mortem owner).

**Enter** opens the war room, **n** declares a new incident (title, severity or
unclassified, services), **o** opens the on-call report (pages, acks, runbooks,
post-mortems across incidents). The list refreshes by itself when another terminal
writes.

On a narrow terminal the title keeps its room: the badge reads short (**SEV2?**:
unclassified, handled as SEV2 by default; **SEV?**: unclassified), then the Phase
and Duration columns give way (the war room's header shows both).
"""

    class Loaded(Message):
        """Summaries read by the worker."""

        def __init__(self, summaries: list[IncidentSummary], error: str | None = None) -> None:
            """Carry the summaries (or the error that stopped the read)."""
            super().__init__()
            self.summaries = summaries
            self.error = error

    def __init__(self, *, store: Store | Callable[[], Store], clock: TimeSource,
                 policy: Policy | Callable[[], Policy], author: str, live: bool = True,
                 tz: tzinfo = UTC) -> None:
        """The list of incidents in ``store``; ``live=False`` runs no refresh timer.

        Times are shown in ``tz``, the reader's zone (as in the war room).

        ``store`` and ``policy`` may be functions: they are called in the first
        read's worker, after the list's first frame (the app opens the database there).
        """
        super().__init__()
        self._store_source = store
        self._policy_source = policy
        #: The database (``None`` until the first read's worker has it).
        self.store: Store | None = None if callable(store) else store
        #: The policy in force (``None`` until the first read's worker has it).
        self.policy: Policy | None = None if callable(policy) else policy
        self.clock = clock
        self.author = author
        self.live = live
        self.tz = tz
        self._states: dict[int, tuple[int, IncidentState]] = {}
        self._summaries: list[IncidentSummary] = []
        self._timer: Timer | None = None
        self._loading = False
        self._sev_cells = _SEV_CELLS
        self._sev_short_cells = _SEV_SHORT_CELLS
        self._columns = plan_columns(200, padding=2, sev_wide=_SEV_CELLS,
                                     sev_compact=_SEV_SHORT_CELLS)
        self._shown_once = False
        self._filled_once = False

    def compose(self) -> ComposeResult:
        """Heading, the table, a line for "no incidents", and the footer."""
        with Vertical(id="incidents"):
            yield Static("Incidents", id="incidents-title", markup=False)
            table: DataTable[Text] = DataTable(id="incident-table", cursor_type="row",
                                               zebra_stripes=False)
            yield table
            yield Static("", id="incidents-empty", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        """Set up the columns; read the list after the first frame (a worker)."""
        table = self.query_one(DataTable)
        self._add_columns(table)
        # Until the first read: one row that says so (no cursor on it).
        table.show_cursor = False
        self._add_loading_row(table)
        table.focus()
        # First frame first: the reading thread (imports, the store) would compete for the GIL.
        self.call_after_refresh(self.reload)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._refill())
        if self.live:
            self._timer = self.set_interval(REFRESH_SECONDS, self._check_changes, name="list")

    def _add_columns(self, table: DataTable[Text]) -> None:
        columns = self._columns
        widths = {"sev": columns.severity, "title": columns.title, "phase": columns.phase,
                  "age": columns.age, "clock": columns.clock}
        for key in columns.keys:
            table.add_column(_HEADINGS[key][columns.compact], key=key, width=widths[key])

    def _add_loading_row(self, table: DataTable[Text]) -> None:
        cells = {key: Text("") for key in self._columns.keys}
        cells["title"] = Text(LOADING, style="italic")
        table.add_row(*cells.values(), key=_LOADING_KEY)

    def on_resize(self) -> None:
        """Fit the columns to the width (see :mod:`.incident_columns`): the title first."""
        table = self.query_one(DataTable)
        width = (table.scrollable_content_region.width or self.size.width - 4) - 1
        columns = plan_columns(width, padding=2 * table.cell_padding,
                               sev_wide=self._sev_cells, sev_compact=self._sev_short_cells)
        old, self._columns = self._columns, columns
        if (columns.keys, columns.compact) != (old.keys, old.compact):
            self._rebuild(table)  # other columns: the rows are drawn again
            return
        for key, cells in (("sev", columns.severity), ("title", columns.title),
                           ("phase", columns.phase), ("age", columns.age),
                           ("clock", columns.clock)):
            if key in columns.keys:
                table.columns[key].width = cells  # type: ignore[index]
        table.refresh()

    def _rebuild(self, table: DataTable[Text]) -> None:
        """Other columns than before: new columns, the rows again (the cursor kept)."""
        selected = self._selected_key(table)
        table.clear(columns=True)
        self._add_columns(table)
        if not self._filled_once:
            self._add_loading_row(table)
            return
        self._fill_rows(table)
        if selected is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(selected))

    def on_screen_suspend(self) -> None:
        """Another screen is on top: stop looking for changes."""
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        """Back on top: read the list again and resume the timer (not when first shown)."""
        if not self._shown_once:
            self._shown_once = True  # on_mount reads it, after the first frame
        elif self.is_mounted and self.query(DataTable):
            self.reload()
        if self._timer is not None:
            self._timer.resume()

    # ------------------------------------------------------------ reading
    def reload(self) -> None:
        """Read the incidents again (in a worker)."""
        if self._loading:
            return
        self._loading = True
        self._load()

    def _check_changes(self) -> None:
        self.reload()

    def _resources(self) -> tuple[Store, Policy]:
        """The store and the policy, resolved on first use (in a worker)."""
        if self.store is None:
            self.store = (self._store_source() if callable(self._store_source)
                          else self._store_source)
        if self.policy is None:
            self.policy = (self._policy_source() if callable(self._policy_source)
                           else self._policy_source)
        return self.store, self.policy

    @work(thread=True, group="incidents", exit_on_error=False)
    def _load(self) -> None:
        try:
            store, policy = self._resources()
            from warroom.service import incident_state

            records = store.incidents()
            now = self.clock.now()
            summaries = []
            for record in records:
                last = store.last_event_id(record.id)
                cached = self._states.get(record.id)
                if cached is None or cached[0] != last:
                    state = incident_state(store, record)
                    self._states[record.id] = (last, state)
                else:
                    state = cached[1]
                summaries.append(summarize(record, state, policy, now))
        except Exception as error:
            self.post_message(self.Loaded([], one_line(str(error)) or type(error).__name__))
            return
        self.post_message(self.Loaded(summaries))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._loading = False
        if not self._filled_once:
            console = console_of(self.app)
            if console is not None:
                console.startup_finished()
        if message.error is not None:
            if not self._filled_once:
                with contextlib.suppress(Exception):
                    self.query_one(DataTable).update_cell(
                        _LOADING_KEY, "title", Text("Not read: press r", style="italic")
                    )
            self.notify(f"Cannot read the incidents: {message.error}", severity="error",
                        markup=False)
            return
        self._summaries = order(message.summaries, policy=self.policy)
        self._fill()

    def _refill(self) -> None:
        """Redraw the rows (new theme colours), once there are rows."""
        if self._filled_once:
            self._fill()

    @staticmethod
    def _selected_key(table: DataTable[Text]) -> str | None:
        if table.row_count and table.cursor_row >= 0:
            try:
                cell = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
            except Exception:
                return None
            return cell.row_key.value
        return None

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        if not self._filled_once:
            self._filled_once = True
            table.show_cursor = True
        selected = self._selected_key(table)
        sev_cells = max([_SEV_CELLS, *(len(s.severity_label) + 2 for s in self._summaries)])
        sev_short = max([_SEV_SHORT_CELLS,
                         *(len(self._short_label(s)) + 2 for s in self._summaries)])
        if (sev_cells, sev_short) != (self._sev_cells, self._sev_short_cells):
            self._sev_cells, self._sev_short_cells = sev_cells, sev_short
            self.on_resize()
        self._fill_rows(table)
        totals = list_totals(self._summaries)
        empty = self.query_one("#incidents-empty", Static)
        if not self._summaries:
            empty.update(Text("No incidents yet. Press n to declare one."))
            empty.display = True
        else:
            empty.display = False
        title = self.query_one("#incidents-title", Static)
        title.update(Text(f"Incidents · {totals.open} open · {totals.total} shown"))
        if selected is not None:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(selected))

    def _fill_rows(self, table: DataTable[Text]) -> None:
        table.clear()
        now = self.clock.now()
        keys = self._columns.keys
        for summary in self._summaries:
            cells = self._cells(summary, now)
            table.add_row(*(cells[key] for key in keys), key=str(summary.record.id))

    @staticmethod
    def _short_label(summary: IncidentSummary) -> str:
        severity = int(summary.severity) if summary.severity is not None else None
        defaulted = summary.severity is not None and summary.recorded_severity is None
        return compact_severity(summary.severity_label, severity, defaulted)

    def _cells(self, summary: IncidentSummary, now: datetime) -> dict[str, Text]:
        sev_style = f"sev{int(summary.severity)}" if summary.severity else "sev-unclassified"
        variables = self.app.theme_variables
        colour = variables.get(sev_style, "")
        label = self._short_label(summary) if self._columns.compact else summary.severity_label
        badge = Text(f" {label} ", style=f"bold reverse {colour}".strip())
        title = Text(one_line(summary.record.title), no_wrap=True, overflow="ellipsis")
        if not summary.is_open:
            title.stylize("dim")
            badge = Text(f" {label} ", style="dim")
        phase = Text(summary.phase, style="bold" if summary.is_open else "dim")
        lasted = ("—" if summary.duration is None
                  else format_span(timedelta(seconds=max(summary.duration, 0.0))))
        age = Text(lasted, style="" if summary.is_open else "dim")
        clock = Text("")
        if summary.urgent is not None and summary.urgent.remaining is not None:
            urgent = summary.urgent
            style = variables.get(_CLOCK_STYLE.get(urgent.state, ""), "")
            remaining = format_remaining(summary.urgent.remaining)
            clock = Text.assemble((f"{remaining:>8} ", f"bold {style}".strip()),
                                  (one_line(urgent.name), style))
            clock.no_wrap = True
            clock.overflow = "ellipsis"
        elif not summary.is_open and summary.resolved_at is not None:
            resolved = format_zoned(summary.resolved_at, self.tz, now=now)
            clock = Text(f"resolved {resolved}", style="dim",
                         no_wrap=True, overflow="ellipsis")
        return {"sev": badge, "title": title, "phase": phase, "age": age, "clock": clock}

    # ------------------------------------------------------------ actions
    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value not in (None, _LOADING_KEY):
            self.app.post_message(OpenIncident(event.row_key.value))

    def action_open(self) -> None:
        """Open the selected incident."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key not in (None, _LOADING_KEY):
            self.app.post_message(OpenIncident(key))

    def action_new(self) -> None:
        """Ask for a new incident's title, severity and services, then declare it."""
        from warroom.tui.screens.new_incident import NewIncidentScreen

        self.app.push_screen(NewIncidentScreen(), self._declare)

    def _declare(self, request: object) -> None:
        from warroom.tui.screens.new_incident import NewIncidentRequest

        if isinstance(request, NewIncidentRequest):
            self._declare_worker(request)

    @work(thread=True, group="incidents-write", exit_on_error=False)
    def _declare_worker(self, request: object) -> None:
        from warroom.service import declare_incident
        from warroom.tui.screens.new_incident import NewIncidentRequest

        assert isinstance(request, NewIncidentRequest)
        try:
            store, policy = self._resources()
            record = declare_incident(
                store,
                request.title,
                severity=request.severity,
                services=request.services,
                at=self.clock.now(),
                author=self.author,
                policy=policy,
            )
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"Not declared: {one_line(str(error))}", severity="error",
                markup=False,
            )
            return
        self.app.post_message(OpenIncident(str(record.id)))

    def action_reload(self) -> None:
        """Read the list again."""
        self.reload()

    def action_report(self) -> None:
        """Open the on-call report (once the list has its database)."""
        from warroom.tui.screens.report import ReportScreen

        if self.store is None or self.policy is None:
            self.notify("The incidents are still loading.", markup=False)
            return
        self.app.push_screen(ReportScreen(store=self.store, policy=self.policy,
                                          clock=self.clock, live=self.live))

    def action_help(self) -> None:
        """Help and keys."""
        from warroom.tui.widgets.help import HelpScreen, help_for, keys_markdown

        self.app.push_screen(HelpScreen(help_for(None, self), keys_markdown(self)))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The list's commands for the command palette (the app's own, Quit, once)."""
        for binding in self.BINDINGS:
            if (isinstance(binding, Binding) and binding.description
                    and not binding.action.startswith("app.")):
                def run(action: str = binding.action) -> object:
                    return self.run_action(action)

                yield SystemCommand(f"Incidents: {binding.description}",
                                     binding.tooltip, run)
