"""Where the data folders shipped with warroom live (the demo incident, the themes).

They sit at the top of the repository (``sample_data/``, ``themes/``), where a reader
looks for them; a non-editable install carries copies inside the package
(``warroom/sample_data``, ``warroom/themes``; see ``package-dir`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder ``name``: the repository's in a checkout, else the installed package's."""
    in_repository = _PACKAGE.parent / name
    return in_repository if in_repository.is_dir() else _PACKAGE / name
