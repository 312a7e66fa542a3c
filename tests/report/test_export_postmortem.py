"""The post-mortem draft carries the post-mortem-required verdict and the runbook's lint."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli
from tests.report import scenario
from tests.report.test_runbook_lint import GOOD


def _front_matter(draft: str) -> dict[str, str]:
    head = draft.split("---\n")[1]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_front_matter_says_whether_and_why(cli: Cli) -> None:
    scenario.build(cli)
    d = _front_matter(cli.ok("export", "inc-d"))
    assert d["postmortem_required"] == "true"
    assert json.loads(d["postmortem_reasons"]) == [
        "recurring SEV3: cause 'disk-full' also in inc-e within 30 days"]
    slug = cli.ok("new", "Still open", "--sev", "3").strip()
    open_one = _front_matter(cli.ok("export", slug))
    assert (open_one["postmortem_required"], open_one["postmortem_reasons"]) == ("null", "[]")


def test_lint_problems_of_the_linked_runbook_are_in_the_draft(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD.replace("## Impact\n\nCustomers cannot pay.\n", ""), encoding="utf-8")
    slug = cli.ok("new", "Checkout down", "--sev", "1").strip()
    cli.ok("log", slug, f"/runbook {good}")
    draft = cli.ok("export", slug)
    section = draft.split("### The runbook followed")[1].split("\n## ")[0]
    assert str(good) in section and "Lint problems" not in section
    assert draft.index("### 5. What prevents recurrence?") < draft.index(
        "### The runbook followed") < draft.index("## Action items")
    cli.ok("log", slug, f"/runbook {bad} switched to the older one")
    section = cli.ok("export", slug).split("### The runbook followed")[1].split("\n## ")[0]
    assert "- Lint problems (fix them as an action item):" in section
    assert "missing section 'Impact'" in section
    cli.ok("log", slug, f"/runbook {tmp_path / 'gone.md'}")
    assert "gone.md: not found from" in cli.ok("export", slug)
    cli.ok("log", slug, "/runbook https://wiki.example.com/rb")
    section = cli.ok("export", slug).split("### The runbook followed")[1].split("\n## ")[0]
    assert "https://wiki.example.com/rb" in section and "Lint" not in section
