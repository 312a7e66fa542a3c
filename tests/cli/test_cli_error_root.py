"""Every error a person can see derives from ``WarroomError``, which carries its exit code.

The walk imports every module of the package and looks at each exception class
defined there; the CLI tests check that ``main`` needs no special case for any of
them, and that the errors from outside warroom it still knows by type (a file the
system refused, a value a model refused) stay one line.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import warroom
from tests.cli.conftest import Cli, assert_one_error_line
from warroom import cli as cli_module
from warroom.errors import WarroomError

#: Exceptions that never reach a person: each is caught where it is raised and turned
#: into one of the user-facing errors (or an HTTP answer). Private by name, too.
INTERNAL = {
    # One bad config value; Config turns it into a ConfigError naming the file and key.
    "warroom.config._Invalid",
    # Control flow of the fast row decoder: "leave this row to the reference path".
    "warroom.store.codec._NotFast",
    # A refused webhook request; the server answers it with its HTTP status.
    "warroom.alerts.server._Refused",
}


def _exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in warroom, by dotted name (all modules imported)."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(warroom.__path__, "warroom."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # runs the command when imported
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseException)
                    and value.__module__ == module.__name__):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def test_every_user_facing_exception_class_derives_from_warroom_error() -> None:
    classes = _exception_classes()
    assert "warroom.errors.WarroomError" in classes and len(classes) > 20, sorted(classes)
    assert set(classes) >= INTERNAL, "an allow-listed class is gone: drop it from INTERNAL"
    unrooted = sorted(name for name, kind in classes.items()
                      if not issubclass(kind, WarroomError) and name not in INTERNAL)
    assert unrooted == [], f"derive these from WarroomError (or list them as internal): {unrooted}"
    for name in INTERNAL:
        assert name.rsplit(".", 1)[-1].startswith("_"), f"{name} is public: is it internal?"


def _unrooted_before() -> dict[type[WarroomError], tuple[type[BaseException], int]]:
    """The errors that reached ``main`` as plain ValueError/OSError/Exception before:
    the base they keep (so ``except`` clauses still catch them) and their exit code."""
    from warroom.alerts.auth import SecretFileError
    from warroom.alerts.payloads import PayloadError
    from warroom.config import ConfigError
    from warroom.demo import DemoError
    from warroom.domain.policy import PolicyError
    from warroom.domain.timeparse import TimeParseError
    from warroom.export.atomic import ExportWriteError, OutputExistsError
    from warroom.export.json_export import ExportFormatError
    from warroom.fileguard import FileRefusedError
    from warroom.outbox.box import OutboxCorruptError, OutboxError
    from warroom.tui.themes import ThemeFileError

    return {
        ConfigError: (ValueError, 1), PolicyError: (ValueError, 1),
        FileRefusedError: (ValueError, 1), DemoError: (ValueError, 1),
        ExportFormatError: (ValueError, 1), ExportWriteError: (OSError, 1),
        OutputExistsError: (FileExistsError, 1), OutboxError: (Exception, 1),
        OutboxCorruptError: (Exception, 1), SecretFileError: (ValueError, 1),
        PayloadError: (ValueError, 1), ThemeFileError: (ValueError, 1),
        # Always turned into a usage or an entry error (exit 2) before it reaches main.
        TimeParseError: (ValueError, 2),
    }


def test_the_errors_rooted_now_keep_their_old_base_and_exit_code() -> None:
    for kind, (base, code) in _unrooted_before().items():
        error = kind("one line")
        assert isinstance(error, WarroomError) and isinstance(error, base), kind
        assert error.exit_code == code and str(error) == "one line", kind


@pytest.mark.parametrize("kind", sorted(_unrooted_before(), key=lambda k: k.__name__),
                         ids=lambda k: k.__name__)
def test_main_reports_each_one_as_its_message_with_its_exit_code(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, kind: type[WarroomError]
) -> None:
    def refuse(ctx: object) -> int:
        raise kind("the reason, in one line")

    monkeypatch.setitem(cli_module.COMMANDS, "list", refuse)
    line = assert_one_error_line(cli("list"), _unrooted_before()[kind][1])
    assert line == "warroom: error: the reason, in one line"


def test_errors_from_outside_warroom_stay_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import BaseModel

    class Entry(BaseModel):
        minutes: int

    def os_refuses(ctx: object) -> int:
        raise PermissionError(13, "Permission denied", "/var/lib/warroom.db")

    def model_refuses(ctx: object) -> int:
        Entry.model_validate({"minutes": "soon"})
        return 0

    def a_bug(ctx: object) -> int:
        raise ValueError("not a user's fault")

    monkeypatch.setitem(cli_module.COMMANDS, "list", os_refuses)
    assert assert_one_error_line(cli("list"), 1) == (
        "warroom: error: /var/lib/warroom.db: Permission denied")
    monkeypatch.setitem(cli_module.COMMANDS, "list", model_refuses)
    line = assert_one_error_line(cli("list"), 1)
    assert line.startswith("warroom: error: invalid value for minutes"), line
    monkeypatch.setitem(cli_module.COMMANDS, "list", a_bug)
    line = assert_one_error_line(cli("list"), 1)
    assert "internal error (ValueError)" in line, line
