"""Packages whose public names are loaded on first use (a module ``__getattr__``).

Standard library only. A package lists where each public name is defined and takes
its ``__getattr__`` and ``__dir__`` from :func:`lazy_names`, so importing one light
submodule of it does not import the heavy ones its ``__init__`` re-exports.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, homes: Mapping[str, str], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` (call it from its ``__init__``).

    ``homes`` maps each public name to the submodule of ``package`` that defines it;
    that submodule is imported the first time the name is asked for, and the value
    kept in the package's namespace.
    """
    namespace = sys.modules[package].__dict__
    names = tuple(public)

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __getattr__, __dir__
