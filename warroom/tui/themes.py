"""Themes as data: ``themes/*.toml`` files turned into :class:`textual.theme.Theme`.

A theme file holds the fields of ``Theme`` at top level and the console's own
colours in a ``[variables]`` table (``sev1`` … ``sev4``, ``clock-overdue`` …).
Every variable the console's stylesheets use has a default here
(:data:`VARIABLE_DEFAULTS`), so a built-in Textual theme or a user theme that
omits some still renders. A broken file is reported, never fatal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from textual.theme import Theme

from warroom.bundled import bundled_dir
from warroom.errors import WarroomError

__all__ = [
    "DEFAULT_THEME",
    "THEMES_DIR",
    "VARIABLE_DEFAULTS",
    "ThemeLoad",
    "load_theme_file",
    "load_themes",
    "user_themes_dir",
]

#: The house theme, used when none is configured or the configured one is unknown.
DEFAULT_THEME = "warroom-dark"

#: The house themes (dark, light, high contrast): the repository's ``themes/`` folder,
#: or its copy inside the package (``warroom/themes``) in a non-editable install.
THEMES_DIR = bundled_dir("themes")

#: Fallbacks for the console's own theme variables (Textual themes lack them).
VARIABLE_DEFAULTS: dict[str, str] = {
    "sev1": "#e5484d",
    "sev2": "#f08c3a",
    "sev3": "#d9b84a",
    "sev4": "#6e9bd1",
    "sev-unclassified": "#8a8f98",
    "clock-overdue": "#ff6b6b",
    "clock-due-soon": "#f0b43c",
    "clock-running": "#7fb2e5",
    "clock-met": "#5fbf7f",
    "clock-idle": "#6b7280",
    "key-event": "#f0c75e",
    "milestone": "#c49bd6",
    "correction": "#8fb8c9",
}

_THEME_FIELDS = {f.name for f in fields(Theme)}


class ThemeFileError(WarroomError, ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


@dataclass
class ThemeLoad:
    """What loading a folder of themes produced: the themes and one line per failure."""

    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def theme_from_mapping(data: dict[str, Any], source: str = "<theme>", *,
                       check: bool = True) -> Theme:
    """Build a :class:`Theme` from a mapping (a parsed TOML document).

    ``check``: also build the theme's colours, so a bad colour is reported here
    (the house themes, checked by the tests, skip it at start-up).
    """
    unknown = sorted(set(data) - _THEME_FIELDS)
    if unknown:
        raise ThemeFileError(f"{source}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ThemeFileError(f"{source}: a theme needs a 'name'")
    if not isinstance(data.get("primary"), str):
        raise ThemeFileError(f"{source}: a theme needs a 'primary' colour")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError(f"{source}: [variables] must map names to colour strings")
    merged = {**VARIABLE_DEFAULTS, **variables}
    theme = Theme(**{**data, "variables": merged})
    if not check:
        return theme
    try:
        theme.to_color_system().generate()
    except Exception as error:  # a bad colour string: report it, do not crash
        raise ThemeFileError(f"{source}: {error}") from None
    return theme


def load_theme_file(path: Path, *, check: bool = True) -> Theme:
    """Read one ``.toml`` theme file (raises :class:`ThemeFileError`)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path.name}: cannot read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"{path.name}: not valid TOML ({error})") from None
    return theme_from_mapping(data, path.name, check=check)


def load_themes(*folders: Path | None, trusted: Path | None = None) -> ThemeLoad:
    """Load every ``*.toml`` theme in ``folders`` (later folders override earlier names).

    Themes in the ``trusted`` folder (the house themes, which the tests check) are not
    test-built colour by colour: that would add to every start-up.
    """
    result = ThemeLoad()
    by_name: dict[str, Theme] = {}
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path, check=folder != trusted)
            except ThemeFileError as error:
                result.errors.append(str(error))
                continue
            by_name[theme.name] = theme
    result.themes = list(by_name.values())
    return result


def user_themes_dir(config_source: Path | None) -> Path | None:
    """The user's own themes: ``themes/`` beside the config file (none without a file)."""
    if config_source is not None:
        return config_source.parent / "themes"
    return None
