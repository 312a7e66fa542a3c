"""Status-update renderings and the composer's writing rules (docs/rules.md §6)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.export.incident import check_golden, demo_events
from tests.export.mdparse import GFM, html_tokens
from warroom.domain.events import ComponentState, StatusPhase
from warroom.domain.fold import fold
from warroom.domain.policy import DEFAULT_POLICY, policy_from_mapping
from warroom.domain.state import StatusUpdate
from warroom.export.status import (
    StatusDraft,
    component_id,
    render_markdown,
    render_plain,
    render_statuspage_json,
    statuspage_payload,
    writing_rule_warnings,
)

TITLE = "Checkout errors for EU customers"


def _posted() -> StatusUpdate:
    updates = fold(demo_events()).status_updates
    return next(u for u in updates if u.event_id == 16)


def _all_renderings(update: StatusUpdate | StatusDraft, **kwargs: object) -> str:
    return "\n".join(
        [
            render_plain(update, title=TITLE, **kwargs),
            render_markdown(update, title=TITLE, **kwargs),
            render_statuspage_json(update, title=TITLE, **kwargs),
        ]
    )


def test_posted_update_renderings_match_the_golden_file() -> None:
    check_golden("status_update_16.txt", _all_renderings(_posted()))


def test_plain_text_has_phase_time_with_zone_body_and_components() -> None:
    text = render_plain(_posted(), title=TITLE)
    assert text.splitlines()[:4] == [
        TITLE,
        "Identified — 2026-11-27 14:45:00 UTC",
        "",
        "Some EU customers still cannot check out.",
    ]
    assert "- Checkout: Major Outage" in text


def test_local_zone_is_shown_with_its_offset_and_utc() -> None:
    text = render_plain(_posted(), tz=ZoneInfo("America/New_York"))
    assert "2026-11-27 09:45:00 EST (-05:00) = 2026-11-27 14:45:00 UTC" in text
    payload = statuspage_payload(_posted(), tz=ZoneInfo("America/New_York"))
    assert payload["created_at"] == "2026-11-27T09:45:00-05:00"


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Europe/London"])
def test_a_zone_at_utc_is_not_shown_twice(zone: str) -> None:
    """A local zone at offset zero (UTC by another name, London in winter): UTC alone."""
    text = render_plain(_posted(), tz=ZoneInfo(zone))
    assert " — 2026-11-27 14:45:00 UTC\n" in text
    assert "=" not in text and "(+00:00)" not in text


def test_every_timestamp_in_the_renderings_carries_a_zone() -> None:
    rendered = _all_renderings(_posted())
    times = re.findall(r"\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2}| UTC| [A-Z]{3,4} )", rendered)
    bare = re.findall(r"\d{2}:\d{2}:\d{2}", rendered)
    assert len(times) == len(bare) > 0


def test_statuspage_body_shape() -> None:
    draft = StatusDraft(
        phase=StatusPhase.MONITORING,
        text="A fix is deployed; customers can check out again.\nWe are watching.",
        components={
            "Checkout (EU)": ComponentState.DEGRADED_PERFORMANCE,
            "checkout eu": ComponentState.OPERATIONAL,
            "Paiement — Europe": ComponentState.PARTIAL_OUTAGE,
        },
        at=datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
    )
    payload = json.loads(render_statuspage_json(draft, title=TITLE))
    assert payload == {
        "body": "A fix is deployed; customers can check out again.\nWe are watching.",
        "components": [
            {"id": "checkout-eu", "name": "Checkout (EU)", "status": "degraded_performance"},
            {"id": "checkout-eu-2", "name": "checkout eu", "status": "operational"},
            {"id": "paiement-europe", "name": "Paiement — Europe", "status": "partial_outage"},
        ],
        "created_at": "2026-11-27T15:00:00Z",
        "display_at": "2026-11-27T15:00:00Z",
        "name": TITLE,
        "status": "monitoring",
    }


@pytest.mark.parametrize("phase", list(StatusPhase))
def test_statuspage_status_is_one_of_the_four(phase: StatusPhase) -> None:
    draft = StatusDraft(phase=phase, text="x", at=datetime(2026, 1, 1, tzinfo=UTC))
    assert statuspage_payload(draft)["status"] in {
        "investigating",
        "identified",
        "monitoring",
        "resolved",
    }


def test_component_ids() -> None:
    assert component_id("API Gateway") == "api-gateway"
    assert component_id("Zahlungen & Überweisungen") == "zahlungen-uberweisungen"
    assert component_id("支付") == "支付"
    assert component_id("\x1b[31m!!!") == "component"


def test_markdown_rendering_escapes_user_text() -> None:
    draft = StatusDraft(
        phase=StatusPhase.INVESTIGATING,
        text="# Customers <b>cannot</b> pay | `now`\n- second line",
        components={"<i>API</i>": ComponentState.MAJOR_OUTAGE},
        at=datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
    )
    text = render_markdown(draft, title="<script>x</script>")
    tokens = GFM.parse(text)
    assert html_tokens(tokens) == []
    paragraphs = [t.content for t in tokens if t.type == "inline"]
    assert "\\# Customers \\<b\\>cannot\\</b\\> pay \\| \\`now\\`\\\n\\- second line" in paragraphs


def test_a_draft_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="time zone"):
        StatusDraft(phase=StatusPhase.INVESTIGATING, text="x", at=datetime(2026, 1, 1))


# --------------------------------------------------------------------------- writing rules

POLICY = policy_from_mapping({"internal_names": ["payments-svc", "ledgerd"]})
GOOD = (
    "Some customers cannot complete checkout since 14:02 UTC. We have identified the cause "
    "and are rolling out a fix."
)


def test_a_good_update_has_no_warnings() -> None:
    assert (
        writing_rule_warnings(GOOD, {"Checkout": "partial_outage"}, POLICY, customer_reported=True)
        == []
    )


def test_internal_names_in_text_and_components_are_flagged() -> None:
    warnings = writing_rule_warnings(
        "Customers see errors because payments-svc is down.",
        ["ledgerd"],
        POLICY,
        customer_reported=False,
    )
    assert any("internal name 'payments-svc'" in w for w in warnings)
    assert any("component 'ledgerd'" in w for w in warnings)


def test_jargon_and_error_codes_are_flagged() -> None:
    warnings = writing_rule_warnings(
        "Customers see HTTP 503 and ERR_CONN_RESET after a k8s pod OOM.",
        [],
        DEFAULT_POLICY,
        customer_reported=False,
    )
    joined = "\n".join(warnings)
    for word in ("'k8s'", "'pod'", "'OOM'", "'HTTP 503'", "'ERR_CONN_RESET'"):
        assert word in joined


def test_numbers_are_not_error_codes() -> None:
    warnings = writing_rule_warnings(
        "About 400 customers cannot log in since 14:00 UTC.",
        [],
        DEFAULT_POLICY,
        customer_reported=False,
    )
    assert warnings == []


def test_customer_impact_must_come_first() -> None:
    warnings = writing_rule_warnings(
        "We are investigating. Customers cannot pay.", [], DEFAULT_POLICY, customer_reported=False
    )
    assert any("customer impact first" in w for w in warnings)


def test_no_impact_is_flagged_only_when_customers_reported() -> None:
    text = "Checkout errors were seen; there was no customer impact."
    assert any(
        "customers reported" in w
        for w in writing_rule_warnings(text, [], DEFAULT_POLICY, customer_reported=True)
    )
    assert not any(
        "customers reported" in w
        for w in writing_rule_warnings(text, [], DEFAULT_POLICY, customer_reported=False)
    )


@pytest.mark.parametrize(
    ("time", "flagged"),
    [
        ("14:05", True),
        ("2:05 pm", True),
        ("14:05 UTC", False),
        ("14:05Z", False),
        ("14:05 CET", False),
        ("14:05 +01:00", False),
        ("14:05:30 (UTC)", False),
        ("14:05 UTC+05:30", False),
        ("14:05+01:00", False),
        ("14:05 GMT-03:30", False),
        ("14:05 UTC\u221205:30", False),
        ("14:05 (UTC\u221205:30)", False),
        ("14:05 UTC+ 05:30", False),
        ("14:05 UTC - 03:30", False),
        ("14:05 \u221203:30", False),
        ("14:05 Europe/Paris", False),
        ("14:05 (Asia/Kolkata)", False),
        ("14:05 America/Argentina/Buenos_Aires", False),
        ("14:05 (+ 01:00)", False),
        ("14:05 in the morning", True),
        ("14:05 - 15:00", True),
    ],
)
def test_times_need_a_zone(time: str, flagged: bool) -> None:
    warnings = writing_rule_warnings(
        f"Customers cannot pay since {time}.", [], DEFAULT_POLICY, customer_reported=False
    )
    assert any("no time zone" in w for w in warnings) is flagged, warnings


@pytest.mark.parametrize(
    "text",
    [
        "Some customers cannot pay. Times are in UTC+05:30.",
        "Some customers cannot pay. Times are in +01:00.",
        "Some customers cannot pay. Times are in UTC\u221205:30 (UTC \u2212 05:30).",
        "Some customers cannot pay since 09:00 UTC+ 05:30.",
    ],
)
def test_an_offset_is_not_a_time_without_a_zone(text: str) -> None:
    warnings = writing_rule_warnings(text, [], DEFAULT_POLICY, customer_reported=False)
    assert not any("no time zone" in w for w in warnings), warnings


def test_empty_update_is_flagged() -> None:
    assert writing_rule_warnings(" \n", [], DEFAULT_POLICY, customer_reported=False)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Customers cannot pay since 4:10pm.", "4:10pm"),
        ("Customers cannot pay since 4:10 PM, we are on it.", "4:10 PM"),
        ("Customers cannot pay since 16:10; we are on it.", "16:10"),
        ("Customers cannot pay since 4:10 p.m. We are on it.", "4:10 p.m."),
        ("Customers cannot pay since 4:10am!", "4:10am"),
    ],
)
def test_the_time_hint_leaves_sentence_punctuation_out(text: str, shown: str) -> None:
    warnings = [
        w
        for w in writing_rule_warnings(text, [], DEFAULT_POLICY, customer_reported=False)
        if "no time zone" in w
    ]
    assert warnings == [f"time '{shown}' has no time zone: write e.g. '{shown} UTC'"]
