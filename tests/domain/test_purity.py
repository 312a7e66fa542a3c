"""``warroom/domain`` is pure: no store, UI, export, CLI, service, Textual or SQLite."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import warroom.domain

DOMAIN_DIR = Path(warroom.domain.__file__).parent
FORBIDDEN = (
    "warroom.store",
    "warroom.tui",
    "warroom.export",
    "warroom.cli",
    "warroom.service",
    "warroom.config",
    "textual",
    "sqlite3",
    "sqlite_utils",
)
MODULES = sorted(DOMAIN_DIR.glob("*.py"))


def _is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def _imported_names(path: Path) -> set[str]:
    """Every module a file imports, absolute, including relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["warroom", "domain"][: 2 - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            names.update(
                arg.value
                for arg in node.args[:1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return names


def test_the_domain_package_has_modules() -> None:
    assert {p.stem for p in MODULES} >= {"events", "state", "fold", "policy", "clocks"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_forbidden_import_in_source(path: Path) -> None:
    bad = sorted(n for n in _imported_names(path) if _is_forbidden(n))
    assert bad == [], f"{path.name} imports {bad}"


def test_the_ast_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom textual.app import App\nfrom ..store import Store\n", encoding="utf-8"
    )
    names = _imported_names(sample)
    assert _is_forbidden("textual.app") and "textual.app" in names
    assert "warroom.store" in names
    assert not _is_forbidden("warroom.domain.events")


def test_importing_the_domain_loads_no_forbidden_module() -> None:
    modules = [f"warroom.domain.{p.stem}" for p in MODULES if p.stem != "__init__"]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(result.stdout)
    assert set(modules) <= set(loaded)
    assert sorted(n for n in loaded if _is_forbidden(n)) == []
