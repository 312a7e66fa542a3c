"""A month of incidents written through the CLI with back-dated entries.

Zone UTC, on-call weeks from Monday 09:00, working hours 09:00-18:00 Monday to
Friday (the default policy). The period is the four weeks from 2026-11-02 09:00 to
2026-11-30 09:00.

=====  =====================  ====  ============================  =======================
id     begins                 sev   page / ack                    notes
=====  =====================  ====  ============================  =======================
A      Tue 11-03 13:55 (day)  1     alert 14:00, ack 14:03        runbook, closed, pm owner
B      Wed 11-04 02:00 night  2     alert 02:00, ack 02:20        impact, no runbook
C      Sat 11-14 11:00 wkend  2     alert 11:00, ack 11:10        runbook, no impact start
D      Wed 11-18 10:00        3     customer report (no page)     cause #disk-full
E      Thu 11-19 23:30 night  3     alert 23:30, no ack           cause #disk-full
G      Tue 10-27 10:00        1     alert (before the period)     excluded
=====  =====================  ====  ============================  =======================
"""

from __future__ import annotations

from tests.cli.conftest import Cli

SINCE = "2026-11-02T09:00Z"
UNTIL = "2026-11-30T09:00Z"


def _log(cli: Cli, slug: str, at: str, text: str) -> None:
    cli.ok("log", slug, text, "--at", at)


def build(cli: Cli) -> dict[str, str]:
    """Write the incidents; returns their slugs by letter."""
    slugs: dict[str, str] = {}

    def new(letter: str, title: str, sev: str, at: str, service: str) -> str:
        slug = cli.ok("new", title, "--sev", sev, "--service", service, "--at", at,
                      "--slug", f"inc-{letter.lower()}").strip()
        slugs[letter] = slug
        return slug

    a = new("A", "Checkout down", "1", "2026-11-03T14:00Z", "checkout")
    _log(cli, a, "2026-11-03T13:55Z", "/started")
    _log(cli, a, "2026-11-03T14:00Z", "/detected alert")
    _log(cli, a, "2026-11-03T14:03Z", "/ack")
    _log(cli, a, "2026-11-03T14:05Z", "/runbook runbooks/checkout.md")
    _log(cli, a, "2026-11-03T14:30Z", "/mitigated")
    _log(cli, a, "2026-11-03T15:00Z", "/resolved")
    _log(cli, a, "2026-11-03T15:30Z", "/pm alice")
    _log(cli, a, "2026-11-03T15:40Z", "/action @bob alert on cert expiry due 2026-11-10 P1")
    _log(cli, a, "2026-11-06T10:00Z", "/closed")

    b = new("B", "Payments slow", "2", "2026-11-04T02:00Z", "payments")
    _log(cli, b, "2026-11-04T02:00Z", "/started")
    _log(cli, b, "2026-11-04T02:00Z", "/detected alert")
    _log(cli, b, "2026-11-04T02:20Z", "/ack")
    _log(cli, b, "2026-11-04T03:00Z", "/mitigated")
    _log(cli, b, "2026-11-04T04:00Z", "/resolved")
    _log(cli, b, "2026-11-04T04:10Z", "/action @carol add a payments latency SLO due 2026-11-20 P1")

    c = new("C", "Checkout errors", "2", "2026-11-14T11:00Z", "checkout")
    _log(cli, c, "2026-11-14T11:00Z", "/detected alert")
    _log(cli, c, "2026-11-14T11:10Z", "/ack")
    _log(cli, c, "2026-11-14T11:12Z", "/runbook https://runbooks.example.com/checkout")
    _log(cli, c, "2026-11-14T11:40Z", "/mitigated")
    _log(cli, c, "2026-11-14T12:00Z", "/resolved")
    _log(cli, c, "2026-12-01T10:00Z", "/sev 1 after the report's --until: ignored")

    d = new("D", "Search index stale", "3", "2026-11-18T10:00Z", "search")
    _log(cli, d, "2026-11-18T10:00Z", "/detected customer")
    _log(cli, d, "2026-11-18T10:05Z", "/cause #disk-full indexer volume full")
    _log(cli, d, "2026-11-18T10:30Z", "/resolved")

    e = new("E", "Search down at night", "3", "2026-11-19T23:30Z", "search")
    _log(cli, e, "2026-11-19T23:30Z", "/detected alert")
    _log(cli, e, "2026-11-19T23:50Z", "/cause #disk-full")
    _log(cli, e, "2026-11-20T00:10Z", "/resolved")

    g = new("G", "Old outage", "1", "2026-10-27T10:00Z", "checkout")
    _log(cli, g, "2026-10-27T10:00Z", "/detected alert")
    _log(cli, g, "2026-10-27T10:30Z", "/ack")
    return slugs
