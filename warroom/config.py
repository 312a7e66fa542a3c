"""User configuration: one TOML file, one pydantic model, platformdirs locations.

The file is ``$WARROOM_CONFIG`` if set, else ``config.toml`` in the platform's user
config folder (``platformdirs.user_config_path("warroom")``). A missing default file
means "all defaults"; nothing is created or read at import time. Example::

    db = "~/incidents/warroom.db"
    author = "priya"
    timezone = "Europe/Berlin"
    theme = "warroom-light"
    internal_names = ["ledger-svc", "pgbouncer"]

    [keybindings]
    post_status = "ctrl+p"

    [policy]
    checkpoint_minutes = 10
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from warroom.domain.policy import Policy, PolicyError, policy_from_mapping
from warroom.domain.validation import first_problem

ENV_CONFIG = "WARROOM_CONFIG"
ENV_DB = "WARROOM_DB"
ENV_AUTHOR = "WARROOM_AUTHOR"
APP_NAME = "warroom"
DEFAULT_THEME = "warroom-dark"


class ConfigError(ValueError):
    """An unreadable or invalid configuration; the message names the file and the key."""


class Config(BaseModel):
    """Settings read from the user's config file (every field optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    db: Path | None = None
    """Database file (``$WARROOM_DB`` and ``--db`` win). Default: the user data folder's."""

    author: str | None = Field(default=None, min_length=1, max_length=200)
    """Name written as the author of entries (``$WARROOM_AUTHOR`` wins). Default: the OS user."""

    timezone: str | None = None
    """IANA time zone for local times (``HH:MM`` entries, display). Default: the system's."""

    theme: str = DEFAULT_THEME
    """Console theme name (a built-in Textual theme or one from ``themes/``)."""

    keybindings: dict[str, str] = Field(default_factory=dict)
    """Key overrides for the console: binding id → key (e.g. ``post_status = "ctrl+p"``)."""

    policy_file: Path | None = None
    """A policy TOML file (relative to this config file) merged over SPEC.md's defaults."""

    policy: dict[str, Any] = Field(default_factory=dict)
    """An inline ``[policy]`` table, merged over the policy file."""

    internal_names: tuple[str, ...] = ()
    """Internal service names the status composer warns about (added to the policy's)."""

    source: Path | None = Field(default=None, exclude=True)
    """The file this configuration was read from (set by :func:`load_config`)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r}") from None
        return value

    # ------------------------------------------------------------- resolution
    def db_path(self, override: str | os.PathLike[str] | None = None,
                env: Mapping[str, str] | None = None) -> Path:
        """The database to use: ``--db``, else ``$WARROOM_DB``, else the config, else default."""
        env = os.environ if env is None else env
        if override:
            return Path(override).expanduser()
        if env.get(ENV_DB):
            return Path(env[ENV_DB]).expanduser()
        if self.db is not None:
            return self._relative(self.db)
        return default_db_path()

    def author_name(self, override: str | None = None,
                    env: Mapping[str, str] | None = None) -> str:
        """Entry author: ``--author``, else ``$WARROOM_AUTHOR``, else the config, else OS user."""
        env = os.environ if env is None else env
        for candidate in (override, env.get(ENV_AUTHOR), self.author):
            if candidate and candidate.strip():
                return candidate.strip()
        try:
            return getpass.getuser() or "unknown"
        except (OSError, KeyError):
            return "unknown"

    def tz(self) -> tzinfo:
        """The viewer's time zone (DST-aware)."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        return local_timezone()

    def load_policy(self, override: str | os.PathLike[str] | None = None) -> Policy:
        """Defaults ← ``policy_file`` ← inline ``[policy]`` ← ``--policy FILE``.

        Raises :class:`PolicyError` naming the file and the key at fault.
        """
        layers: list[tuple[str, dict[str, Any]]] = []
        if self.policy_file is not None:
            path = self._relative(self.policy_file)
            layers.append((str(path), read_policy_file(path)))
        if self.policy:
            where = f"{self.source or 'config'} [policy]"
            layers.append((where, dict(self.policy)))
        if override:
            path = Path(override).expanduser()
            layers.append((str(path), read_policy_file(path)))
        merged: dict[str, Any] = {}
        for where, layer in layers:
            try:
                policy_from_mapping(layer)
            except PolicyError as error:
                raise PolicyError(f"{where}: {error}") from None
            merged = _deep_merge(merged, layer)
        if self.internal_names:
            base = merged.get("internal_names", [])
            names = list(base) if isinstance(base, list | tuple) else []
            merged["internal_names"] = list(dict.fromkeys([*names, *self.internal_names]))
        return policy_from_mapping(merged)

    def _relative(self, path: Path) -> Path:
        path = path.expanduser()
        if not path.is_absolute() and self.source is not None:
            return self.source.parent / path
        return path


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        key = str(key)
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _read_toml(file: Path, what: str, error: type[ValueError]) -> dict[str, Any]:
    """The TOML document in ``file``; a problem is one ``error`` line naming ``what`` and it.

    A missing file raises ``FileNotFoundError``: callers decide whether that is an error.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise error(f"{what} {file} is a directory") from None
    except UnicodeDecodeError:
        raise error(f"{what} {file} is not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{what} {file}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {file} is not valid TOML: {exc}") from None


def read_policy_file(path: Path) -> dict[str, Any]:
    """Read a policy TOML document (top level or a ``[policy]`` table) as a mapping."""
    try:
        document = _read_toml(path, "policy file", PolicyError)
    except FileNotFoundError:
        raise PolicyError(f"policy file {path} does not exist") from None
    table = document.get("policy", document)
    if not isinstance(table, dict):
        raise PolicyError(f"policy file {path}: key 'policy' must be a table")
    return table


def local_timezone() -> tzinfo:
    """The system's time zone, DST-aware where the platform says which one it is."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:  # cheap and exact on most Unix systems: /etc/localtime → …/zoneinfo/Area/City
        target = os.path.realpath("/etc/localtime")
        if "/zoneinfo/" in target:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    try:
        import pendulum

        return pendulum.local_timezone()  # type: ignore[return-value]
    except Exception:  # pragma: no cover - platform without zone data
        from datetime import datetime

        return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$WARROOM_CONFIG``, else ``config.toml`` in the platform's user config folder."""
    env = os.environ if env is None else env
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_db_path() -> Path:
    """``warroom.db`` in the platform's user data folder (not created here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "warroom.db"


def _config_error(path: Path, error: ValidationError) -> ConfigError:
    problem = first_problem(error)
    message = "unknown setting" if problem.kind == "extra_forbidden" else problem.what
    return ConfigError(f"config file {path}: key '{problem.where or '(top level)'}': {message}")


def load_config(path: str | os.PathLike[str] | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Read the configuration (defaults when the default file does not exist).

    A file named explicitly (``path`` or ``$WARROOM_CONFIG``) must exist. Raises
    :class:`ConfigError` with one line naming the file and the key.
    """
    env = os.environ if env is None else env
    explicit = path is not None or bool(env.get(ENV_CONFIG))
    file = Path(path).expanduser() if path is not None else default_config_path(env)
    try:
        document = _read_toml(file, "config file", ConfigError)
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"config file {file} does not exist") from None
        return Config()
    document.pop("source", None)
    try:
        config = Config.model_validate(document)
    except ValidationError as error:
        raise _config_error(file, error) from None
    return config.model_copy(update={"source": file})


def save_setting(key: str, value: str, path: str | os.PathLike[str] | None = None) -> Path:
    """Set one top-level string setting (e.g. ``theme``) in the config file, atomically.

    Other lines, comments and tables are kept. Creates the file (and its folder) if
    needed. Returns the file written.
    """
    if key not in Config.model_fields or key in ("source", "keybindings", "policy"):
        raise ConfigError(f"'{key}' is not a top-level setting")
    file = Path(path).expanduser() if path is not None else default_config_path()
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    import json

    new_line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
    first_table = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("[")),
                       len(lines))
    for i in range(first_table):
        stripped = lines[i].split("=", 1)[0].strip()
        if "=" in lines[i] and stripped == key:
            lines[i] = new_line
            break
    else:
        lines.insert(first_table, new_line)
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a file we could not read back
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, file)
    return file


def config_from_mapping(data: Mapping[str, Any], source: Path | None = None) -> Config:
    """Build a :class:`Config` from a mapping (for tests and embedding)."""
    try:
        config = Config.model_validate(dict(data))
    except ValidationError as error:
        raise _config_error(source or Path("<config>"), error) from None
    return config.model_copy(update={"source": source})
