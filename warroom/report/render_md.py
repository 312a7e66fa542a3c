"""The report as GitHub-flavoured Markdown (tables render on a code host).

User text goes through :func:`~warroom.export.escape.md_escape_inline` only.
"""

from __future__ import annotations

from warroom.domain.words import counted
from warroom.export.escape import md_escape_inline as esc
from warroom.report.fmt import duration, metric_value, sparkline, stamp, stat
from warroom.report.model import Report, Verdict

__all__ = ["render_markdown"]

_BADGE = {
    Verdict.HEALTHY: "✅ healthy",
    Verdict.WATCH: "⚠️ watch",
    Verdict.UNHEALTHY: "❌ unhealthy",
    Verdict.NOT_ENOUGH_DATA: "— not enough data",
}


def _table(header: list[str], rows: list[list[str]], right: int = 1) -> list[str]:
    align = ["---" if i < right else "--:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def render_markdown(report: Report) -> str:
    """The report as one GFM document."""
    zone = report.zone
    out = [f"# On-call report {stamp(report.since, zone)} → {stamp(report.until, zone)} ({zone})",
           ""]
    if report.services:
        out += ["Services: " + ", ".join(esc(s) for s in report.services), ""]
    out += [
        f"{counted(report.incidents, 'incident')}, {counted(report.pages, 'page')}. "
        f"Pages are counted from the {report.pages_counted_from}.",
        "",
        "## On-call health",
        "",
    ]
    out += _table(
        ["Metric", "Value", "n", "Healthy", "Unhealthy", "Verdict"],
        [[m.label, metric_value(m), str(m.n), m.healthy.replace(">", "&gt;").replace("<", "&lt;"),
          m.unhealthy.replace(">", "&gt;").replace("<", "&lt;"), _BADGE[m.verdict]]
         for m in report.metrics],
    )
    pages = [w.pages for w in report.weeks]
    out += ["## Weeks", "", f"Pages per week: `{sparkline(pages)}`", ""]
    rota = bool(report.pages_by_person)
    out += _table(
        ["Week from", "Pages", "After hours", "With runbook", "Incidents", "Verdict",
         *(["On call"] if rota else [])],
        [[stamp(w.start, zone) + (" (so far)" if w.partial else ""), str(w.pages),
          str(w.after_hours_pages), str(w.pages_with_runbook), str(w.incidents),
          _BADGE[w.pages_verdict], *([esc(", ".join(w.on_call)) or "—"] if rota else [])]
         for w in report.weeks],
    )
    if rota:
        out += ["## Pages per person on call", ""]
        out += _table(["Person", "Pages", "After hours"],
                      [[esc(p.person), str(p.pages), str(p.after_hours_pages)]
                       for p in report.pages_by_person])
    out += ["## Response times", ""]
    out += _table(
        ["Severity", "Incidents", "MTTA mean", "MTTA median", "MTTM mean", "MTTM median",
         "MTTR mean", "MTTR median", "n (ack/mitigate/resolve)"],
        [[r.severity, str(r.incidents), *stat(r.mtta), *stat(r.mttm), *stat(r.mttr),
          f"{r.mtta.n}/{r.mttm.n}/{r.mttr.n}"] for r in report.severities],
    )
    out += ["## Incidents per service", ""]
    out += _table(["Service", "Incidents"],
                  [[esc(r.service), str(r.incidents)] for r in report.by_service]) \
        if report.by_service else ["No incidents in this period.", ""]
    out += ["## Longest incidents", ""]
    out += _table(
        ["Incident", "Title", "Severity", "Duration"],
        [[esc(r.slug), esc(r.title), r.severity,
          duration(r.duration_seconds) + (" (ongoing)" if r.ongoing else "")]
         for r in report.longest], right=3,
    ) if report.longest else ["None.", ""]
    out += ["## Open action items past due", ""]
    out += _table(
        ["Incident", "Item", "Owner", "Due", "Days late"],
        [[esc(i.slug), f"#{i.event_id} {esc(i.text)}", esc(i.owner or "no owner"),
          i.due.isoformat(), str(i.days_late)] for i in report.past_due], right=4,
    ) if report.past_due else ["None.", ""]
    out += ["## Post-mortems required", ""]
    out += _table(
        ["Incident", "Severity", "Why", "Owner", "Schedule"],
        [[esc(r.slug), r.severity, esc("; ".join(r.reasons)), esc(r.owner or "none"),
          esc(r.schedule)] for r in report.postmortems], right=5,
    ) if report.postmortems else ["None in this period.", ""]
    return "\n".join(out).rstrip("\n") + "\n"
