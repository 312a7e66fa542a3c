"""Build ``sample_data/demo_incident.json``: the demo incident ``warroom demo`` opens.

A SEV2 → SEV1 outage of card payments at checkout, typed entry by entry through the
real scribe parser and store (with a frozen clock), then written with the JSON
exporter. Re-run after a change to the story or to the export format::

    python sample_data/make_demo.py            # writes sample_data/demo_incident.json
    python sample_data/make_demo.py --check    # exit 1 if the file is out of date

Texts avoid wall-clock times on purpose: ``warroom demo`` shifts every instant so
the incident is live now, and a time written inside a text would not move with it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warroom.domain.events import ComponentState, NewEvent, StatusPhase, StatusUpdateData
from warroom.domain.policy import DEFAULT_POLICY
from warroom.domain.timesource import FrozenTime
from warroom.service import IncidentSession, declare_incident
from warroom.store import Store

OUT = Path(__file__).resolve().parent / "demo_incident.json"
DAY = "2026-11-26"
SLUG = "checkout-card-payments"
TITLE = "Checkout: card payments failing"
SERVICES = ("checkout-api", "payments-gateway")

C = ComponentState
OK, DEGRADED = C.OPERATIONAL, C.DEGRADED_PERFORMANCE
PARTIAL, MAJOR = C.PARTIAL_OUTAGE, C.MAJOR_OUTAGE


@dataclass(frozen=True)
class Status:
    """A status update as the console's composer posts it (with component states)."""

    phase: StatusPhase
    text: str
    components: dict[str, ComponentState]


#: (typed at, author, entry, label). ``{label}`` in an entry is replaced by the id of
#: the entry carrying that label (for /fix and /mark).
STORY: list[tuple[str, str, str | Status, str]] = [
    ("13:50:41", "priya.nair", "@13:38 /started Card payment errors begin to climb at "
     "checkout; first 502s in the edge logs", ""),
    ("13:51:03", "priya.nair", "@13:44 /detected alert PagerDuty CheckoutConfirm5xxRate above "
     "5% for 5 minutes in eu-west-1", ""),
    ("13:51:20", "priya.nair", "@13:47 /ack Primary on-call acknowledged from phone, moving "
     "to a laptop", ""),
    ("13:52:05", "priya.nair", "/ic priya.nair Taking IC until the payments team joins", ""),
    ("13:53:30", "priya.nair", "Checkout success rate down from 97% to 61% on the business "
     "dashboard. Failures are card payments only; PayPal and gift cards complete normally.", ""),
    ("13:54:10", "priya.nair", "/sev 2 Core checkout degraded: about 40% of card payments "
     "fail; PayPal works as a workaround for some customers", ""),
    ("13:55:02", "priya.nair", "/tech tomas.herrera", ""),
    ("13:55:40", "priya.nair", "/comms dana.whitfield", ""),
    ("13:56:15", "priya.nair", "/scribe lena.fischer", ""),
    ("13:57:30", "lena.fischer", "Scribe online. Impact start, alert and ack back-filled from "
     "the PagerDuty log and the edge dashboards.", ""),
    ("13:59:10", "tomas.herrera", "payments-gateway calls to the card processor take 9.8 s at "
     "p99 (normal 350 ms); the outbound connection pool is pinned at 200/200.", ""),
    ("14:01:40", "dana.whitfield", Status(
        StatusPhase.INVESTIGATING,
        "We are investigating errors when paying by card at checkout. Some customers see "
        "\"Payment could not be processed\" after confirming their order. Payments with "
        "PayPal and gift cards are working. Next update within 30 minutes.",
        {"Checkout": DEGRADED, "Card Payments": PARTIAL}), ""),
    ("14:03:05", "lena.fischer", "Card processor status page shows all systems operational; "
     "our account manager confirms no incident on their side.", ""),
    ("14:04:20", "tomas.herrera", "!payments-gateway v4.18.0 finished rolling out seven "
     "minutes before impact began. Its changelog adds a new retry policy for processor "
     "timeouts.", ""),
    ("14:05:00", "priya.nair", "/checkpoint Card authorisations time out in payments-gateway; "
     "pool to the processor exhausted; v4.18.0 shipped 7 min before impact | Compare retry "
     "behaviour of v4.18.0 and v4.17.2; prepare a rollback | Yes: page the payments team "
     "on-call | Yes, Dana posted Investigating", ""),
    ("14:05:30", "priya.nair", "/escalate L2 Paging the payments team on-call and their team "
     "lead: the suspect change is theirs", ""),
    ("14:08:10", "lena.fischer", "Sam Oduya (payments on-call) joined the bridge.", ""),
    ("14:10:45", "sam.oduya", "v4.18.0 retries processor timeouts 3 times with no backoff and "
     "holds the pooled connection while it waits: under load every slow authorisation turns "
     "into four.", ""),
    ("14:12:00", "priya.nair", "/decision Roll back payments-gateway to v4.17.2 instead of "
     "hot-fixing the retry policy: the rollback is tested and takes about six minutes.", ""),
    ("14:12:40", "sam.oduya", "/cmd kubectl -n payments rollout undo "
     "deployment/payments-gateway --to-revision=41", ""),
    ("14:13:05", "lena.fischer", "Rollback started; first canary pods on v4.17.2 are "
     "healthy.", ""),
    ("14:14:30", "lena.fischer", "Halfway through the rollback the error rate is still 38%; "
     "processor latency unchanged at 9 s p99.", ""),
    ("14:16:20", "dana.whitfield", Status(
        StatusPhase.IDENTIFIED,
        "We have identified a recent change to our payment system as the likely cause of "
        "failed card payments and are reverting it. Card payments may still fail for some "
        "customers; PayPal and gift cards are working. Next update within 30 minutes.",
        {"Checkout": DEGRADED, "Card Payments": PARTIAL}), "identified1"),
    ("14:19:10", "lena.fischer", "!Rollback complete: all 24 pods on v4.17.2. Card payment "
     "failures unchanged at about 40%.", ""),
    ("14:19:50", "tomas.herrera", "The slowness is on our side: the eu-west-1 egress NAT "
     "gateway shows port allocation errors for 98% of new connections since impact "
     "began.", "nat"),
    ("14:20:00", "priya.nair", "/checkpoint Rollback did not help; NAT port exhaustion in "
     "eu-west-1 is the new lead | Move card traffic to the eu-central-1 processor endpoint; "
     "add NAT capacity | Yes: failure rate 45% and rising, going SEV1 and paging network | "
     "Identified update promises the revert fixes it; Dana to post a correction", ""),
    ("14:20:40", "priya.nair", "/sev 1 Card payments failing for close to half of all "
     "checkouts for over 40 minutes and the rollback did not mitigate; about 38k EUR of "
     "orders lost every 10 minutes", ""),
    ("14:21:10", "lena.fischer", "Error rate peaked at 52%; mobile app checkout is affected "
     "too (same payments path).", ""),
    ("14:21:45", "priya.nair", "/escalate L3 SEV1: engineering manager and the network team's "
     "on-call paged", ""),
    ("14:23:00", "lena.fischer", "Marcus Okafor (engineering manager, payments) and Aisha "
     "Rahman (network on-call) joined the bridge.", ""),
    ("14:24:10", "priya.nair", "/ic marcus.okafor Hand-off: Priya moves to the NAT "
     "investigation with network, she knows the egress set-up best", ""),
    ("14:24:40", "lena.fischer", "Priya briefed Marcus: summary, severity, affected services "
     "and who holds which role.", ""),
    ("14:26:00", "aisha.rahman", "NAT gateway at 55,000 concurrent connections to the "
     "processor; each retry opens a new port, v4.17.2 also retries so ports stay taken", "aisha"),
    ("14:27:30", "marcus.okafor", "/decision Move card authorisation traffic to the "
     "eu-central-1 processor endpoint (its own NAT, 20% utilised) while network adds a second "
     "NAT gateway in eu-west-1.", ""),
    ("14:28:15", "aisha.rahman", "/cmd terraform apply "
     "-target=module.egress_euw1.aws_nat_gateway.secondary (second NAT gateway plus route "
     "table change for private subnets b and c)", ""),
    ("14:29:00", "tomas.herrera", "/cmd kubectl -n payments set env "
     "deployment/payments-gateway PROCESSOR_ENDPOINT=https://auth-euc1.processor.example.net", ""),
    ("14:30:10", "lena.fischer", "Traffic shift rolling: 6 of 24 pods on the eu-central-1 "
     "endpoint, their success rate is 99.2%.", ""),
    ("14:31:40", "dana.whitfield", Status(
        StatusPhase.IDENTIFIED,
        "Card payments are failing for about half of our customers at checkout, on the web "
        "and in the mobile app. We found the cause in the network capacity used for payment "
        "traffic and are moving payments to additional capacity now. PayPal and gift cards "
        "are working. Next update within 30 minutes.",
        {"Checkout": PARTIAL, "Card Payments": MAJOR, "Mobile App": DEGRADED}), ""),
    ("14:33:00", "lena.fischer", "/fix {aisha} The eu-west-1 NAT gateway holds about 55,000 "
     "concurrent connections to the processor; every retry opens a new source port, so ports "
     "are not freed fast enough (v4.17.2 retries once, with backoff, and is affected too).",
     ""),
    ("14:34:20", "lena.fischer", "!All 24 pods on the eu-central-1 endpoint. Card payment "
     "success rate back to 96.8% over the last 3 minutes.", ""),
    ("14:35:00", "marcus.okafor", "/checkpoint Traffic on the eu-central-1 endpoint, success "
     "96.8%; second NAT gateway provisioning | Hold the traffic shift; confirm eu-central-1 "
     "latency stays under 600 ms; let the NAT change finish | No more people needed; network "
     "on-call stays on the bridge | Not current: Dana is posting Monitoring now", ""),
    ("14:36:30", "marcus.okafor", "!/mitigated Card authorisations succeed again through the "
     "eu-central-1 endpoint; customer impact stopped", ""),
    ("14:38:00", "dana.whitfield", Status(
        StatusPhase.MONITORING,
        "Card payments at checkout are working again on the web and in the mobile app. We "
        "moved payment traffic to additional capacity and are monitoring closely. If your "
        "card payment failed, you can place the order again; failed attempts were not "
        "charged. Next update within 60 minutes.",
        {"Checkout": OK, "Card Payments": DEGRADED, "Mobile App": OK}), ""),
    ("14:40:10", "aisha.rahman", "Second NAT gateway active in eu-west-1; port allocation "
     "errors down to zero.", ""),
    ("14:42:30", "lena.fischer", "Finance asks for the list of failed order IDs to email "
     "affected customers; support has 212 tickets open about failed payments.", ""),
    ("14:44:00", "marcus.okafor", "/action @sam.oduya Restore exponential backoff with jitter "
     "and release the pooled connection during retry waits in payments-gateway due +7d P0 "
     "done: a load test at 2x peak shows at most 1.2 processor calls per authorisation", ""),
    ("14:45:20", "marcus.okafor", "/action @aisha.rahman Alert on NAT gateway port allocation "
     "errors above 1% for 2 minutes due +5d P1 done: the alert fires in a staging game day "
     "that exhausts NAT ports", ""),
    ("14:46:00", "marcus.okafor", "/action @dana.whitfield Email customers whose card payment "
     "failed during the incident due +2d P1", ""),
    ("14:47:30", "marcus.okafor", "/decision Keep card traffic on eu-central-1 until the "
     "backoff fix ships; no move back tonight.", ""),
    ("14:49:00", "lena.fischer", "/mark {nat} the finding that turned the investigation", ""),
    ("14:50:10", "marcus.okafor", "/checkpoint Impact stopped since mitigation; success 98.9%, "
     "latency normal | Watch 30 more minutes before calling it resolved; prepare the "
     "failed-orders list for finance | No | Yes, Monitoring posted", ""),
    ("14:52:00", "lena.fischer", "Card payment success 98.9% over the last 15 minutes, on par "
     "with the same hour last Thursday.", ""),
]

DECLARED_AT = "13:50:12"
DECLARED_BY = "priya.nair"


def _at(hms: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hms}+00:00").astimezone(UTC)


def build(db: Path) -> tuple[IncidentSession, datetime]:
    """Type the story into a fresh database at ``db``; returns the session and the end time."""
    clock = FrozenTime(_at(DECLARED_AT))
    store = Store.open(db, clock=clock, create=True)
    record = declare_incident(store, TITLE, severity=None, services=SERVICES,
                              at=clock.now(), author=DECLARED_BY, slug=SLUG,
                              policy=DEFAULT_POLICY)
    session = IncidentSession(store, record, time=clock, tz=UTC, author=DECLARED_BY)
    labels: dict[str, int] = {}
    for typed_at, author, entry, label in STORY:
        clock.set(_at(typed_at))
        if isinstance(entry, Status):
            event = session.append(NewEvent(
                occurred_at=clock.now(), author=author, text=entry.text,
                data=StatusUpdateData(phase=entry.phase, components=entry.components),
            ))
        else:
            event = session.log(entry.format(**labels), author=author)
        if label:
            labels[label] = event.id
    return session, clock.now() + timedelta(minutes=1)


def render() -> str:
    """The demo incident as JSON export text."""
    from warroom.export.json_export import export_json

    with tempfile.TemporaryDirectory() as tmp:
        session, now = build(Path(tmp) / "demo.db")
        try:
            return export_json(session.record, list(session.timeline), session.policy, now=now)
        finally:
            session.store.close()


def main(argv: list[str] | None = None) -> int:
    """Write (or ``--check``) the demo file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(STORY) + 1} entries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
