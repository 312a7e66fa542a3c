"""The layer rules, checked statically: the import-linter contracts in ``pyproject.toml``.

The contracts (the layers, the pure domain, panes without SQL, a store and an export
that know no front end, Textual only in the console) are run on the code as it is,
and on a copy with one forbidden import added, which must fail the contract it breaks:
so a contract that stops matching anything is noticed.
The runtime check of the domain's purity stays in ``tests/domain/test_purity.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = {
    contract["id"]: contract["name"]
    for contract in tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
}

#: Runs the contracts of the configuration ``sys.argv[1]``; import-linter puts the
#: working folder first on ``sys.path``, so the ``warroom`` package found there is the
#: one checked (ahead of the installed one).
_LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filenames=(sys.argv[1],), no_cache=True, no_logo=True))\n"
)


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """The contracts run on the ``warroom`` package inside ``package_parent``."""
    return subprocess.run(
        [sys.executable, "-c", _LINT, str(PYPROJECT)], cwd=package_parent,
        env={**os.environ, "COLUMNS": "200"},  # one line per contract in the report
        capture_output=True, text=True, timeout=300, check=False,
    )


#: For each contract, one forbidden import (added to a copy of the package) that breaks it.
BREAKS = [
    ("store/schema_constants.py", "import warroom.live", "layers"),
    ("report/__init__.py", "import textual", "textual-only-in-the-console"),
    ("domain/slugs.py", "import sqlite3", "domain-is-pure"),
    ("domain/slugs.py", "from warroom.config import Config", "domain-is-pure"),
    ("tui/panes/__init__.py", "from warroom.store import Store", "panes-run-no-sql"),
    ("store/schema_constants.py", "import warroom.tui", "store-knows-no-front-end"),
    ("export/__init__.py", "import warroom.tui.app", "export-knows-no-console"),
]


def test_the_code_keeps_every_layer_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_every_contract_has_a_breaking_import() -> None:
    assert {contract for _module, _line, contract in BREAKS} == set(CONTRACTS)


@pytest.mark.parametrize(("module", "line", "contract"), BREAKS)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    copy = tmp_path / "warroom"
    shutil.copytree(ROOT / "warroom", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{CONTRACTS[contract]} BROKEN" in result.stdout, result.stdout
