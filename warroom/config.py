"""User configuration: one TOML file, one validated dataclass, platformdirs locations.

The file is ``$WARROOM_CONFIG`` if set, else ``config.toml`` in the platform's user
config folder (``platformdirs.user_config_path("warroom")``). A missing default file
means "all defaults"; nothing is created or read at import time. Reading it needs
only the standard library (no pydantic, no domain models): the console reads it on
its way to the first frame. Example::

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

import dataclasses
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warroom.domain.values import show_value
from warroom.errors import WarroomError

if TYPE_CHECKING:
    from warroom.domain.policy import Policy

ENV_CONFIG = "WARROOM_CONFIG"
ENV_DB = "WARROOM_DB"
ENV_AUTHOR = "WARROOM_AUTHOR"
APP_NAME = "warroom"
DEFAULT_THEME = "warroom-dark"
#: A config or policy file larger than this is refused (they are a few hundred bytes).
TOML_MAX_BYTES = 1024 * 1024
#: Longest ``author`` accepted.
AUTHOR_MAX = 200


class ConfigError(WarroomError, ValueError):
    """An unreadable or invalid configuration; the message names the file and the key."""


class _Invalid(ValueError):
    """One bad value: ``where`` (a dotted key) and ``what`` is wrong with it."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"key '{where or '(top level)'}': {what}")
        self.where = where
        self.what = what


def _string(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(where, f"should be a string (got {show_value(value)})")
    return value


def _path(where: str, value: Any) -> Path | None:
    if value is None or isinstance(value, Path):
        return value
    if not isinstance(value, str):
        raise _Invalid(where, f"should be a file path (a string; got {show_value(value)})")
    if not value.strip():
        raise _Invalid(where, "should be a file path, not an empty string")
    return Path(value)


def _db_setting(value: Any) -> Path | str | None:
    """A database file path, or a PostgreSQL URI kept as written (a path would mangle it)."""
    from warroom.dbtarget import is_postgres_uri, refuse_password

    if isinstance(value, str) and is_postgres_uri(value):
        refusal = refuse_password(value, "the config file")
        if refusal:
            raise _Invalid("db", refusal)
        return value.strip()
    return _path("db", value)


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid(where, f"should be an object (got {show_value(value)})")
    return {str(key): item for key, item in value.items()}


@dataclass(frozen=True)
class Config:
    """Settings read from the user's config file (every field optional).

    A plain, validated value object (no pydantic: reading the config is on the
    console's path to its first frame). Invalid values raise :class:`ConfigError`.
    """

    db: Path | str | None = None
    """Database file or PostgreSQL URI (``$WARROOM_DB`` and ``--db`` win). Default: the user
    data folder's file."""

    author: str | None = None
    """Name written as the author of entries (``$WARROOM_AUTHOR`` wins). Default: the OS user."""

    timezone: str | None = None
    """IANA time zone for local times (``HH:MM`` entries, display). Default: the system's."""

    theme: str = DEFAULT_THEME
    """Console theme name (a built-in Textual theme or one from ``themes/``)."""

    keybindings: dict[str, str] = field(default_factory=dict)
    """Key overrides for the console: binding id → key (e.g. ``post_status = "ctrl+p"``)."""

    policy_file: Path | None = None
    """A policy TOML file (relative to this config file) merged over the defaults."""

    policy: dict[str, Any] = field(default_factory=dict)
    """An inline ``[policy]`` table, merged over the policy file."""

    internal_names: tuple[str, ...] = ()
    """Internal service names the status composer warns about (added to the policy's)."""

    source: Path | None = None
    """The file this configuration was read from (set by :func:`load_config`)."""

    def __post_init__(self) -> None:
        """Check and normalise every field (raises :class:`ConfigError`)."""
        try:
            self._validate()
        except _Invalid as error:
            raise ConfigError(str(error)) from None

    def _validate(self) -> None:
        fix = object.__setattr__
        fix(self, "db", _db_setting(self.db))
        fix(self, "policy_file", _path("policy_file", self.policy_file))
        fix(self, "source", _path("source", self.source))
        if self.author is not None:
            author = _string("author", self.author)
            if not 1 <= len(author) <= AUTHOR_MAX:
                limit = "at least 1 character" if not author else f"at most {AUTHOR_MAX} characters"
                raise _Invalid("author", f"should have {limit} (got {show_value(author)})")
        if self.timezone is not None:
            zone = _string("timezone", self.timezone)
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise _Invalid("timezone", f"unknown time zone {zone!r}") from None
        _string("theme", self.theme)
        keys = _table("keybindings", self.keybindings)
        for name, key in keys.items():
            _string(f"keybindings.{name}", key)
        fix(self, "keybindings", keys)
        fix(self, "policy", _table("policy", self.policy))
        names = self.internal_names
        if isinstance(names, str) or not isinstance(names, list | tuple):
            raise _Invalid("internal_names", f"should be an array (got {show_value(names)})")
        for index, name in enumerate(names):
            _string(f"internal_names[{index}]", name)
        fix(self, "internal_names", tuple(names))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: Path | None = None) -> Config:
        """A config from a parsed TOML document; raises :class:`ConfigError` naming the key."""
        where = source or Path("<config>")
        known = {f.name for f in dataclasses.fields(cls)} - {"source"}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ConfigError(f"config file {where}: key '{unknown[0]}': unknown setting")
        try:
            return cls(**{str(k): v for k, v in data.items()}, source=source)
        except ConfigError as error:
            raise ConfigError(f"config file {where}: {error}") from None

    # ------------------------------------------------------------- resolution
    def db_path(self, override: str | os.PathLike[str] | None = None,
                env: Mapping[str, str] | None = None) -> Path:
        """The database file to use: ``--db``, else ``$WARROOM_DB``, else the config, else default.

        For a PostgreSQL URI use :meth:`db_target`.
        """
        target = self.db_target(override, env)
        if isinstance(target, str):
            raise ValueError("the database is a PostgreSQL URI, not a file")
        return target

    def db_target(self, override: str | os.PathLike[str] | None = None,
                  env: Mapping[str, str] | None = None) -> Path | str:
        """The database: a file path, or a PostgreSQL URI (``postgresql://…``) as a string.

        A URI with a password in ``--db`` or ``$WARROOM_DB`` raises :class:`ValueError`
        (a one-line refusal saying where the password belongs; it never shows it).
        """
        from warroom.dbtarget import is_postgres_uri, refuse_password

        env = os.environ if env is None else env
        for raw, where in ((override, "--db"), (env.get(ENV_DB), f"${ENV_DB}")):
            if raw is None:
                continue
            text = os.fspath(raw)
            if is_postgres_uri(text):
                refusal = refuse_password(text, where)
                if refusal:
                    raise ValueError(refusal)
                return text.strip()
            return _given_path(text, where)
        if isinstance(self.db, str):
            return self.db
        if self.db is not None:
            return self._relative(self.db)
        return default_db_path()

    def author_name(self, override: str | None = None,
                    env: Mapping[str, str] | None = None) -> str:
        """Entry author: ``--author``, else ``$WARROOM_AUTHOR``, else the config, else OS user.

        A blank ``--author`` (``--author "$UNSET"``) is refused: falling back would write
        the entry under another name.
        """
        env = os.environ if env is None else env
        if override is not None and not override.strip():
            raise ConfigError("--author is empty (is a shell variable unset?); give a name")
        for candidate in (override, env.get(ENV_AUTHOR), self.author):
            if candidate and candidate.strip():
                return candidate.strip()
        import getpass

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
        from warroom.domain.policy import PolicyError, deep_merge, policy_from_mapping

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
            merged = deep_merge(merged, layer)
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


def _given_path(value: str | os.PathLike[str], where: str) -> Path:
    """A path from the command line or the environment; an empty one is refused.

    ``--db "$UNSET"`` must not quietly fall back to another database.
    """
    text = os.fspath(value)
    if not str(text).strip():
        raise ConfigError(f"{where} is empty (is a shell variable unset?); give a file path")
    return Path(text).expanduser()


def _read_toml(file: Path, what: str, error: type[ValueError]) -> dict[str, Any]:
    """The TOML document in ``file``; a problem is one ``error`` line naming ``what`` and it.

    A missing file raises ``FileNotFoundError``: callers decide whether that is an error.
    """
    from warroom.fileguard import FileRefusedError, read_bounded

    try:
        text = read_bounded(file, TOML_MAX_BYTES, what).decode("utf-8-sig")  # a BOM is fine
    except FileNotFoundError:
        raise
    except FileRefusedError as exc:
        raise error(str(exc)) from None
    except UnicodeDecodeError:
        raise error(f"{what} {file} is not UTF-8 text") from None
    except OSError as exc:
        raise error(f"{what} {file}: {exc.strerror or exc}") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {file} is not valid TOML: {exc}") from None


def read_policy_file(path: Path) -> dict[str, Any]:
    """Read a policy TOML document (top level or a ``[policy]`` table) as a mapping."""
    from warroom.domain.policy import PolicyError

    try:
        document = _read_toml(path, "policy file", PolicyError)
    except FileNotFoundError:
        raise PolicyError(f"policy file {path} does not exist") from None
    table = document.get("policy", document)
    if not isinstance(table, dict):
        raise PolicyError(f"policy file {path}: key 'policy' must be a table")
    return table


#: A POSIX ``TZ`` rule: ``CET-1CEST,M3.5.0,M10.5.0/3``, ``UTC+14``, ``<+0530>-5:30``.
_POSIX_TZ = re.compile(
    r"(?:<[^>]+>|[A-Za-z]{3,})[+-]?\d{1,2}(?::\d{1,2}){0,2}"
    r"(?:(?:<[^>]+>|[A-Za-z]{3,})(?:[+-]?\d{1,2}(?::\d{1,2}){0,2})?(?:,[^,]+,[^,]+)?)?",
    re.ASCII,
)


class PosixTimezone(tzinfo):
    """The zone a POSIX ``TZ`` rule names, as the C library reads it (its DST rule included).

    Valid while ``$TZ`` holds that rule (it is read from there): offsets and
    abbreviations come from ``time.localtime``.
    """

    def __init__(self, rule: str) -> None:
        """Use the rule ``$TZ`` holds (re-read by the C library)."""
        self.rule = rule
        time.tzset()

    def __repr__(self) -> str:
        """``PosixTimezone('CET-1CEST,M3.5.0,M10.5.0/3')``."""
        return f"PosixTimezone({self.rule!r})"

    def _local(self, dt: datetime | None) -> time.struct_time:
        if dt is None:
            return time.localtime()
        fields = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)
        return time.localtime(time.mktime(fields))

    def utcoffset(self, dt: datetime | None) -> timedelta:
        """The offset in force at the local wall time ``dt``."""
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        """One hour during daylight-saving time (as the rule says), else zero."""
        return timedelta(hours=1) if self._local(dt).tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        """The abbreviation in force (``CET``, ``CEST``)."""
        return self._local(dt).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        """The local wall time of the UTC instant ``dt``."""
        stamp = (dt.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
        return dt + timedelta(seconds=time.localtime(stamp).tm_gmtoff)


def local_timezone() -> tzinfo:
    """The system's time zone, DST-aware where the platform says which one it is.

    ``$TZ`` wins: an IANA name (``Europe/Berlin``) or a POSIX rule
    (``CET-1CEST,M3.5.0,M10.5.0/3``, ``UTC+14``), which the C library reads; any
    other value is refused (:class:`ConfigError`) rather than silently replaced.
    """
    raw = os.environ.get("TZ", "")
    name = raw.lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
        if _POSIX_TZ.fullmatch(name):
            return PosixTimezone(name)
        raise ConfigError(
            f"$TZ {raw!r} is neither a time zone name (Europe/Berlin) nor a POSIX rule "
            "(CET-1CEST,M3.5.0,M10.5.0/3); fix it, or set 'timezone' in the config"
        )
    try:  # cheap and exact on most Unix systems: /etc/localtime → …/zoneinfo/Area/City
        target = os.path.realpath("/etc/localtime")
        if "/zoneinfo/" in target:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    try:
        from pendulum.tz import local_timezone as pendulum_local_timezone

        return pendulum_local_timezone()
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
    return Config.from_mapping(document, source=file)


def save_setting(key: str, value: str, path: str | os.PathLike[str] | None = None) -> Path:
    """Set one top-level string setting (e.g. ``theme``) in the config file, atomically.

    Other lines, comments and tables are kept. Creates the file (and its folder) if
    needed. Returns the file written.
    """
    names = {f.name for f in dataclasses.fields(Config)}
    if key not in names or key in ("source", "keybindings", "policy"):
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
    import tomllib

    tomllib.loads(text)  # never write a file we could not read back
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a folder we make is private
    tmp = file.with_name(f".{file.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, file)
    return file


def config_from_mapping(data: Mapping[str, Any], source: Path | None = None) -> Config:
    """Build a :class:`Config` from a mapping (for tests and embedding)."""
    return Config.from_mapping(data, source=source)
