"""The package list in pyproject.toml ships every package and the bundled data."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools_table() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]


def test_every_package_under_warroom_is_listed() -> None:
    listed = set(_setuptools_table()["packages"])  # type: ignore[arg-type]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "warroom").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"


def test_demo_and_themes_are_shipped_inside_the_package() -> None:
    table = _setuptools_table()
    package_dir = table["package-dir"]
    assert package_dir == {"warroom.sample_data": "sample_data", "warroom.themes": "themes"}
    data = table["package-data"]
    assert data["warroom.sample_data"] == ["*.json"]  # type: ignore[index]
    assert data["warroom.themes"] == ["*.toml"]  # type: ignore[index]
    assert (ROOT / "sample_data" / "demo_incident.json").is_file()
    assert sorted(p.name for p in (ROOT / "themes").glob("*.toml")) == [
        "warroom-dark.toml",
        "warroom-high-contrast.toml",
        "warroom-light.toml",
    ]


def test_every_runtime_dependency_is_imported_by_warroom() -> None:
    """A declared dependency that nothing in warroom/ imports is dead weight for every install."""
    import re

    with (ROOT / "pyproject.toml").open("rb") as handle:
        declared = tomllib.load(handle)["project"]["dependencies"]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "warroom").rglob("*.py"))
    unused = []
    for requirement in declared:
        name = re.match(r"[A-Za-z0-9_.\-]+", requirement)
        assert name is not None, requirement
        dist = name.group(0).lower()
        module = {"markdown-it-py": "markdown_it"}.get(dist, dist.replace("-", "_"))
        if not re.search(rf"^\s*(?:import|from)\s+{re.escape(module)}\b", sources, re.M):
            unused.append(requirement)
    assert unused == [], f"declared but never imported: {unused}"
