"""The report as text: Rich tables, a sparkline and bars, 80 columns wide.

User text (titles, services, owners, action items) is sanitised to one line and
passed to Rich as :class:`~rich.text.Text`, never as markup.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from warroom.domain.sanitize import one_line
from warroom.domain.words import counted
from warroom.report.fmt import duration, metric_value, sparkline, stamp, stat
from warroom.report.model import Report, Verdict

__all__ = ["WIDTH", "render_text"]

WIDTH = 80
_BAR_MAX = 20
_VERDICT_STYLE = {
    Verdict.HEALTHY: "green",
    Verdict.WATCH: "yellow",
    Verdict.UNHEALTHY: "bold red",
    Verdict.NOT_ENOUGH_DATA: "dim",
}


def _t(value: object) -> Text:
    return Text(one_line(str(value)))


def _table(title: str, *columns: str, left: int = 1, nowrap: tuple[int, ...] = (0,)) -> Table:
    """A table whose first ``left`` columns are left-aligned, the others right-aligned."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  title_style="bold")
    for index, name in enumerate(columns):
        table.add_column(name, justify="left" if index < left else "right", overflow="fold",
                         no_wrap=index in nowrap)
    return table


def _health(report: Report) -> Table:
    table = _table("On-call health", "Metric", "Value", "n", "Healthy", "Bad", "Verdict",
                   nowrap=(0, 5))
    for metric in report.metrics:
        shown = "—" if metric.value is None else metric_value(metric)
        table.add_row(metric.label, shown, str(metric.n), metric.healthy,
                      metric.unhealthy, Text(metric.verdict, style=_VERDICT_STYLE[metric.verdict]))
    return table


def _bar(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return ""
    return "█" * max(1, round(value / max(top, 1) * min(top, _BAR_MAX)))


def _weeks(report: Report) -> Table:
    pages = [w.pages for w in report.weeks]
    rota = bool(report.pages_by_person)
    columns = ["Week from", "Pages", "After hrs", "Runbook", "Incidents", ""]
    table = _table(f"Weeks  pages {sparkline(pages)}", *columns[:5],
                   *(["On call"] if rota else []), "")
    table.columns[-1].justify = "left"
    top = max(pages, default=0)
    for week in report.weeks:
        label = stamp(week.start, report.zone) + (" *" if week.partial else "")
        runbook = f"{week.pages_with_runbook}/{week.pages}" if week.pages else "—"
        on_call = [_t(", ".join(week.on_call) or "—")] if rota else []
        table.add_row(label, str(week.pages), str(week.after_hours_pages), runbook,
                      str(week.incidents), *on_call,
                      Text(_bar(week.pages, top), style=_VERDICT_STYLE[week.pages_verdict]))
    if any(w.partial for w in report.weeks):
        table.caption = "* week still running at --until: counted so far"
        table.caption_justify = "left"
    return table


def _people(report: Report) -> Table:
    table = _table("Pages per person on call", "Person", "Pages", "After hours")
    for row in report.pages_by_person:
        table.add_row(_t(row.person), str(row.pages), str(row.after_hours_pages))
    return table


def _severities(report: Report) -> Table:
    table = _table("Response times (mean / median, n)", "Severity", "Incidents", "MTTA",
                   "MTTM", "MTTR")
    for row in report.severities:
        cells = []
        for value in (row.mtta, row.mttm, row.mttr):
            mean, median = stat(value)
            cells.append(f"{mean} / {median}, {value.n}" if value.n else "no data")
        table.add_row(row.severity, str(row.incidents), *cells)
    return table


def _services(report: Report) -> Table:
    table = _table("Incidents per service", "Service", "Incidents")
    for row in report.by_service:
        table.add_row(_t(row.service), str(row.incidents))
    return table


def _longest(report: Report) -> Table:
    table = _table("Longest incidents", "Incident", "Severity", "Duration")
    for row in report.longest:
        shown = duration(row.duration_seconds) + (" (ongoing)" if row.ongoing else "")
        table.add_row(_t(f"{row.slug} — {row.title}"), row.severity, shown)
    return table


def _past_due(report: Report) -> Table:
    table = _table("Open action items past due", "Item", "Owner", "Due", "Late", left=2)
    for item in report.past_due:
        table.add_row(_t(f"{item.slug} #{item.event_id}: {item.text}"),
                      _t(item.owner or "no owner"), item.due.isoformat(),
                      f"{item.days_late} d")
    return table


def _postmortems(report: Report) -> Table:
    table = _table("Post-mortems required", "Incident", "Why", "Owner", "Schedule", left=4)
    for row in report.postmortems:
        table.add_row(_t(row.slug), _t("; ".join(row.reasons)), _t(row.owner or "none"),
                      _t(row.schedule))
    return table


def renderables(report: Report) -> list[RenderableType]:
    """The report's parts, in order (empty sections say so in one line)."""
    services = f" — services: {one_line(', '.join(report.services))}" if report.services else ""
    head = Text(
        f"On-call report {stamp(report.since, report.zone)} → "
        f"{stamp(report.until, report.zone)} ({report.zone}){services}\n"
        f"{counted(report.incidents, 'incident')}, {counted(report.pages, 'page')}",
        style="bold",
    )
    head.stylize("not bold", len(head.plain.split("\n")[0]))
    parts: list[RenderableType] = [head, _health(report), _weeks(report)]
    if report.pages_by_person:
        parts.append(_people(report))
    parts.append(_severities(report))
    for build, rows, empty in (
        (_services, report.by_service, "No incidents in this period."),
        (_longest, report.longest, ""),
        (_past_due, report.past_due, "No open action items past due."),
        (_postmortems, report.postmortems, "No post-mortem required in this period."),
    ):
        if rows:
            parts.append(build(report))
        elif empty:
            parts.append(Text(empty))
    return parts


def render_text(report: Report, *, color: bool = False) -> str:
    """The report as text, :data:`WIDTH` columns wide (ANSI colour when ``color``)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, color_system="standard" if color else None,
                      force_terminal=color, legacy_windows=False, emoji=False,
                      highlight=False)
    console.print(Group(*(_spaced(renderables(report)))))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced:
            spaced.append(Text(""))
        spaced.append(part)
    return spaced
