"""``warroom show`` says, once an incident is resolved, whether a post-mortem is required."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli
from tests.report import scenario


def test_show_names_the_rules_that_fired(cli: Cli) -> None:
    scenario.build(cli)
    a = cli.ok("show", "inc-a")
    assert "Runbook: runbooks/checkout.md" in a
    assert "Post-mortem required\n  - SEV1: every SEV1 needs one" in a
    d = cli.ok("show", "inc-d")
    assert "Cause: #disk-full — indexer volume full" in d
    assert "  - recurring SEV3: cause 'disk-full' also in inc-e within 30 days" in d
    c = json.loads(cli.ok("show", "inc-c", "--json"))
    # C is a SEV2 now ("/sev 1" is logged for 2026-12-01: in the past for this run).
    assert c["postmortem"]["required"] is True


def test_no_verdict_while_open_and_not_required_when_small(cli: Cli) -> None:
    slug = cli.ok("new", "Typo on the status page", "--sev", "4").strip()
    assert json.loads(cli.ok("show", slug, "--json"))["postmortem"] is None
    assert "Post-mortem" not in cli.ok("show", slug)
    cli.ok("log", slug, "/resolved")
    shown = cli.ok("show", slug)
    assert "Post-mortem not required (about 0.0 h of engineering time" in shown
