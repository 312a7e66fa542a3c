"""The config's ``[keybindings]`` are checked against the console's binding ids.

A misspelt id (``war_room.chekpoint``) would otherwise be ignored silently and the
user left wondering why F12 does nothing. The ids are those of every ``Binding``
the console's modules declare (the ones F1 shows), plus Textual's own; an unknown
one is refused in one line naming it, before the console starts.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterable, Mapping

__all__ = ["known_binding_ids", "unknown_binding_problem"]


def _ids_of(classes: Iterable[type]) -> set[str]:
    from textual.binding import Binding

    ids: set[str] = set()
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", None) or ():
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def known_binding_ids() -> set[str]:
    """Every binding id the console declares (importing its modules), and Textual's."""
    import warroom.tui

    for module in pkgutil.walk_packages(warroom.tui.__path__, "warroom.tui."):
        importlib.import_module(module.name)
    classes: list[type] = []
    for name, loaded in list(sys.modules.items()):
        if loaded is None or not name.startswith(("warroom.tui", "textual")):
            continue
        classes.extend(v for v in vars(loaded).values() if isinstance(v, type))
    ids = _ids_of(classes)
    # Module-level binding lists (e.g. the war room's) are attached to their screen,
    # but a list kept apart from any class still names valid ids.
    for name, loaded in list(sys.modules.items()):
        if loaded is not None and name.startswith("warroom.tui"):
            ids |= _ids_of([type("_Bindings", (), {"BINDINGS": getattr(loaded, "BINDINGS", ())})])
    return ids


def unknown_binding_problem(keybindings: Mapping[str, str], source: object) -> str | None:
    """``config file X: keybindings: unknown binding id 'war_room.chekpoint' …`` or None."""
    if not keybindings:
        return None
    known = known_binding_ids()
    unknown = sorted(set(keybindings) - known)
    if not unknown:
        return None
    where = f"config file {source}" if source else "config"
    names = ", ".join(repr(name) for name in unknown)
    return (f"{where}: keybindings: unknown binding id{'s' if len(unknown) > 1 else ''} "
            f"{names} (F1 in the console shows each key's id)")
