"""The on-call report screen: the five health metrics and the weekly review's tables.

The same numbers as ``warroom report`` over the last four on-call weeks, with
Textual's own widgets: a ``Sparkline`` of pages (and after-hours pages) per week
beside the counts, under each week's start date, a ``ProgressBar`` for runbook
coverage, ``DataTable`` rows for the rest. The report is computed in a worker;
the screen looks for new entries every two seconds and computes it again when
any incident changed, so it stays live as incidents land.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, ProgressBar, Sparkline, Static

from warroom.domain.sanitize import one_line
from warroom.domain.timesource import TimeSource
from warroom.domain.words import counted
from warroom.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from textual.app import SystemCommand

    from warroom.domain.policy import Policy
    from warroom.report.model import Report
    from warroom.store import Store

__all__ = ["REFRESH_SECONDS", "WEEKS", "ReportScreen"]

#: How often the screen looks for new entries (seconds).
REFRESH_SECONDS = 2.0
#: How many on-call weeks the screen covers (up to now).
WEEKS = 4

#: The width of a week's column under the charts' "Week of" line (``MM-DD``).
_WEEK_COLUMN = 5

_VERDICT_STYLE = {
    "healthy": "clock-running",
    "watch": "clock-due-soon",
    "unhealthy": "clock-overdue",
}


class ReportScreen(Screen[None]):
    """On-call health over the last weeks, live."""

    CSS_PATH = "report.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="report.close",
                tooltip="Back to the incident list"),
        Binding("r", "refresh", "Refresh", id="report.refresh",
                tooltip="Compute the report again now"),
        Binding("f1", "help", "Help", id="report.help", tooltip="Help and keys"),
    ]

    HELP = """\
## On-call report

The on-call health of the last four on-call weeks, as `warroom report` prints it:
pages and after-hours pages per week, mean time-to-ack of SEV1 and SEV2 incidents,
pages that had a runbook — each healthy, watch or unhealthy against the policy —
then response times per severity, incidents per service, the longest incidents,
action items past due and the post-mortems required. It updates as incidents land.
"""

    class Computed(Message):
        """A report (or the error that stopped it) from the worker."""

        def __init__(self, report: Report | None, error: str | None = None) -> None:
            """Carry the report or the error."""
            super().__init__()
            self.report = report
            self.error = error

    def __init__(self, *, store: Store, policy: Policy, clock: TimeSource,
                 live: bool = True) -> None:
        """The report over ``store``; ``live=False`` runs no refresh timer."""
        super().__init__()
        self.store = store
        self.policy = policy
        self.clock = clock
        self.live = live
        #: The last report shown (``None`` until the first one is computed).
        self.report: Report | None = None
        self._signature: tuple[tuple[int, int], ...] | None = None
        self._busy = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        """Heading, the health table and charts, then the review tables."""
        with VerticalScroll(id="report"):
            yield Static("On-call report · computing…", id="report-title", markup=False)
            yield DataTable(id="report-health", cursor_type="none", zebra_stripes=False)
            with Horizontal(classes="report-chart", id="report-week-axis"):
                yield Static("Week of", classes="report-label", markup=False)
                yield Static("", classes="report-spark-gap", markup=False)
                yield Static("", id="report-weeks", classes="report-values", markup=False)
            with Horizontal(classes="report-chart report-chart-under"):
                yield Static("Pages / week", classes="report-label", markup=False)
                yield Sparkline([], id="report-pages")
                yield Static("", id="report-pages-values", classes="report-values",
                             markup=False)
            with Horizontal(classes="report-chart"):
                yield Static("After hours", classes="report-label", markup=False)
                yield Sparkline([], id="report-after")
                yield Static("", id="report-after-values", classes="report-values",
                             markup=False)
            with Horizontal(classes="report-chart"):
                yield Static("Runbooks", classes="report-label", markup=False)
                yield ProgressBar(total=100, show_eta=False, id="report-coverage")
            with Vertical(classes="report-section"):
                yield Static("Response times (mean / median, n)", classes="report-heading",
                             markup=False)
                yield DataTable(id="report-severities", cursor_type="none")
            with Vertical(classes="report-section"):
                yield Static("Incidents per service · longest incidents",
                             classes="report-heading", markup=False)
                yield DataTable(id="report-services", cursor_type="none")
            with Vertical(classes="report-section"):
                yield Static("Post-mortems required · action items past due",
                             classes="report-heading", markup=False)
                yield DataTable(id="report-followups", cursor_type="none")
        yield QuietFooter()

    def on_mount(self) -> None:
        """The first computation, and the refresh timer."""
        self.refresh_report()
        if self.live:
            self._timer = self.set_interval(REFRESH_SECONDS, self._check, name="report")

    # ------------------------------------------------------------ computing
    def _current_signature(self) -> tuple[tuple[int, int], ...]:
        return tuple((r.id, self.store.last_event_id(r.id)) for r in self.store.incidents())

    def _check(self) -> None:
        if not self._busy:
            self._compute(only_if_changed=True)

    def refresh_report(self) -> None:
        """Compute the report again (in a worker)."""
        if not self._busy:
            self._compute(only_if_changed=False)

    @work(thread=True, group="report", exit_on_error=False)
    def _compute(self, only_if_changed: bool) -> None:
        self._busy = True
        try:
            signature = self._current_signature()
            if only_if_changed and signature == self._signature:
                self._busy = False
                return
            from warroom.report.health import build_report
            from warroom.report.source import load_inputs

            until = self.clock.now()
            report = build_report(load_inputs(self.store), self.policy,
                                  since=until - timedelta(weeks=WEEKS - 1), until=until)
            self._signature = signature
        except Exception as error:
            self.post_message(self.Computed(None, one_line(str(error)) or type(error).__name__))
            return
        self.post_message(self.Computed(report))

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        self._busy = False
        if message.report is None:
            self.notify(f"Cannot compute the report: {message.error}", severity="error",
                        markup=False)
            return
        self.report = message.report
        self._show(message.report)

    # ------------------------------------------------------------ showing
    def _verdict(self, verdict: str) -> Text:
        colour = self.app.theme_variables.get(_VERDICT_STYLE.get(verdict, ""), "")
        return Text(verdict, style=f"bold {colour}".strip() if colour else "dim")

    def _table(self, selector: str, *columns: str) -> DataTable[object]:
        """The table ``selector``, emptied, with ``columns`` (widths fit the new rows)."""
        table: DataTable[object] = self.query_one(selector, DataTable)
        table.clear(columns=True)
        table.add_columns(*columns)
        return table

    def _show(self, report: Report) -> None:
        from warroom.report.fmt import duration, metric_value, stamp, stat

        self.query_one("#report-title", Static).update(Text(
            f"On-call report · {stamp(report.since, report.zone)[:10]} → "
            f"{stamp(report.until, report.zone)[:10]} {report.zone} · "
            f"{counted(report.incidents, 'incident')} · {counted(report.pages, 'page')}"))
        health = self._table("#report-health", "Metric", "Value", "n", "Healthy", "Verdict")
        for metric in report.metrics:
            shown = "—" if metric.value is None else metric_value(metric)
            health.add_row(metric.label, shown, str(metric.n), metric.healthy,
                           self._verdict(metric.verdict))
        pages = [float(w.pages) for w in report.weeks]
        after = [float(w.after_hours_pages) for w in report.weeks]
        self.query_one("#report-pages", Sparkline).data = pages
        self.query_one("#report-after", Sparkline).data = after
        # One column per week, oldest first: its start date above its counts.
        self.query_one("#report-weeks", Static).update(
            " ".join(stamp(w.start, report.zone)[5:10] for w in report.weeks))
        self.query_one("#report-pages-values", Static).update(
            " ".join(f"{w.pages:>{_WEEK_COLUMN}}" for w in report.weeks))
        self.query_one("#report-after-values", Static).update(
            " ".join(f"{w.after_hours_pages:>{_WEEK_COLUMN}}" for w in report.weeks))
        coverage = next(m for m in report.metrics if m.id == "runbook_coverage")
        self.query_one("#report-coverage", ProgressBar).update(progress=coverage.value or 0)
        severities = self._table("#report-severities", "Severity", "Incidents", "MTTA", "MTTM",
                                 "MTTR")
        for row in report.severities:
            cells = [f"{stat(s)[0]} / {stat(s)[1]}, {s.n}" if s.n else "—"
                     for s in (row.mtta, row.mttm, row.mttr)]
            severities.add_row(row.severity, str(row.incidents), *cells)
        services = self._table("#report-services", "What", "Count / duration")
        for service in report.by_service:
            services.add_row(Text(one_line(service.service)), str(service.incidents))
        for long in report.longest:
            services.add_row(Text(f"{one_line(long.slug)} ({long.severity})"),
                             duration(long.duration_seconds)
                             + (" ongoing" if long.ongoing else ""))
        followups = self._table("#report-followups", "Incident", "What")
        for pm in report.postmortems:
            followups.add_row(Text(one_line(pm.slug)), Text(one_line(
                f"post-mortem: {'; '.join(pm.reasons)} — owner {pm.owner or 'none'}, "
                f"{pm.schedule}")))
        for item in report.past_due:
            followups.add_row(Text(one_line(item.slug)), Text(one_line(
                f"#{item.event_id} {item.text} — {item.owner or 'no owner'}, due "
                f"{item.due}, {item.days_late} d late")))

    # ------------------------------------------------------------ actions
    def action_close(self) -> None:
        """Back to the incident list."""
        self.dismiss()

    def action_refresh(self) -> None:
        """Compute the report again now."""
        self.refresh_report()

    def action_help(self) -> None:
        """Help and keys."""
        from warroom.tui.widgets.help import HelpScreen, help_for, keys_markdown

        self.app.push_screen(HelpScreen(help_for(None, self), keys_markdown(self)))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The report's commands for the command palette."""
        from textual.app import SystemCommand

        yield SystemCommand("Report: Refresh", "Compute the report again now",
                             self.action_refresh)
        yield SystemCommand("Report: Back", "Back to the incident list", self.action_close)
