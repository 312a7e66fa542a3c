"""Where the database, author, zone and policy come from, and config errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, assert_one_error_line
from warroom.config import Config, ConfigError, load_config


def test_db_option_beats_the_environment(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    cli.ok("new", "In the env db")
    cli.ok("new", "In the option db", "--db", str(other))
    env_rows = json.loads(cli.ok("list", "--json"))
    opt_rows = json.loads(cli.ok("list", "--json", "--db", str(other)))
    assert [r["title"] for r in env_rows] == ["In the env db"]
    assert [r["title"] for r in opt_rows] == ["In the option db"]


def test_db_option_before_the_command(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "new", "Before the command")
    assert other.exists() and not cli.db.exists()


def test_environment_beats_the_config_file(cli: Cli, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    configured = tmp_path / "configured.db"
    cli.config.write_text(f'db = "{configured}"\n', encoding="utf-8")
    cli.ok("new", "Goes to WARROOM_DB")
    assert cli.db.exists() and not configured.exists()
    monkeypatch.delenv("WARROOM_DB")
    cli.ok("new", "Goes to the configured db")
    assert configured.exists()


def test_new_database_is_private(cli: Cli) -> None:
    cli.ok("new", "Checkout errors")
    assert cli.db.stat().st_mode & 0o077 == 0


def test_author_from_config_and_option(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARROOM_AUTHOR")
    cli.config.write_text('author = "lena"\n', encoding="utf-8")
    cli.ok("new", "Checkout errors")
    assert "lena:" in cli.ok("log", "from config")
    assert "marcus:" in cli.ok("log", "from option", "--author", "marcus")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('timezone = "Mars/Olympus"', "timezone"),
        ('colour = "blue"', "colour"),
        ("keybindings = 3", "keybindings"),
        ('author = ""', "author"),
    ],
)
def test_invalid_config_names_the_key(cli: Cli, toml: str, key: str) -> None:
    cli.config.write_text(toml + "\n", encoding="utf-8")
    line = assert_one_error_line(cli("list"), 1)
    assert f"'{key}'" in line and str(cli.config) in line


def test_config_that_is_not_toml(cli: Cli) -> None:
    cli.config.write_text("db = \n", encoding="utf-8")
    assert "not valid TOML" in assert_one_error_line(cli("list"), 1)


def test_missing_explicit_config_file(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    monkeypatch.setenv("WARROOM_CONFIG", str(tmp_path / "nope.toml"))
    assert "does not exist" in assert_one_error_line(cli("list"), 1)


def test_policy_file_overrides_and_errors(cli: Cli, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("checkpoint_minutes = 7\n", encoding="utf-8")
    # The declaring seat's policy is recorded with the incident...
    cli.ok("new", "Checkout errors", "--sev", "1", "--policy", str(policy))
    clocks = json.loads(cli.ok("show", "--json"))["clocks"]
    checkpoint = next(c for c in clocks if c["id"] == "checkpoint")
    assert "7 min" in checkpoint["rule"]
    # ...and another seat's policy does not change the incident's clocks.
    policy.write_text("checkpoint_minutes = 12\n", encoding="utf-8")
    clocks = json.loads(cli.ok("show", "--json", "--policy", str(policy)))["clocks"]
    checkpoint = next(c for c in clocks if c["id"] == "checkpoint")
    assert "7 min" in checkpoint["rule"]

    policy.write_text('checkpoint_minutes = "often"\n', encoding="utf-8")
    line = assert_one_error_line(cli("show", "--policy", str(policy)), 1)
    assert "checkpoint_minutes" in line and str(policy) in line
    assert "does not exist" in assert_one_error_line(
        cli("show", "--policy", str(tmp_path / "missing.toml")), 1)


def test_inline_policy_and_option_layering(tmp_path: Path) -> None:
    policy = tmp_path / "org.toml"
    policy.write_text("[policy]\ncheckpoint_minutes = 20\nic_rotation_minutes = 90\n",
                      encoding="utf-8")
    override = tmp_path / "mine.toml"
    override.write_text("ic_rotation_minutes = 60\n", encoding="utf-8")
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        'policy_file = "org.toml"\ninternal_names = ["ledger-svc"]\n'
        "[policy]\ncheckpoint_minutes = 10\n",
        encoding="utf-8",
    )
    config = load_config(config_file, env={})
    merged = config.load_policy()
    assert merged.checkpoint_minutes == 10
    assert merged.ic_rotation_minutes == 90
    assert "ledger-svc" in merged.internal_names
    assert config.load_policy(override).ic_rotation_minutes == 60


def test_default_locations_are_not_created(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    config = load_config(env={})
    assert config == Config()
    assert config.db_path(env={}) == tmp_path / "data" / "warroom" / "warroom.db"
    assert list(tmp_path.iterdir()) == []


def test_config_error_type(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("theme = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'theme'"):
        load_config(bad, env={})


def test_save_setting_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    from warroom.config import save_setting

    file = tmp_path / "config.toml"
    file.write_text('# mine\nauthor = "lena"\ntheme = "warroom-dark"\n\n[policy]\n'
                    "checkpoint_minutes = 10\n", encoding="utf-8")
    save_setting("theme", "warroom-light", path=file)
    text = file.read_text(encoding="utf-8")
    assert text.startswith('# mine\nauthor = "lena"\ntheme = "warroom-light"\n')
    config = load_config(file, env={})
    assert config.theme == "warroom-light" and config.policy == {"checkpoint_minutes": 10}


def test_save_setting_creates_the_file(tmp_path: Path) -> None:
    from warroom.config import save_setting

    file = tmp_path / "new" / "config.toml"
    save_setting("theme", 'odd "name"', path=file)
    assert load_config(file, env={}).theme == 'odd "name"'
    with pytest.raises(ConfigError):
        save_setting("policy", "x", path=file)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_db_in_a_missing_folder_is_an_error(cli: Cli, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.db"
    if how == "option":
        result = cli("new", "Checkout errors", "--db", str(target))
    else:
        monkeypatch.setenv("WARROOM_DB", str(target))
        result = cli("new", "Checkout errors")
    line = assert_one_error_line(result, 1)
    assert f"folder {target.parent} does not exist" in line
    assert not (tmp_path / "nonexistent").exists()


def test_the_default_database_folder_is_created(cli: Cli, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARROOM_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    default = tmp_path / "user-data" / "warroom" / "warroom.db"
    assert not default.parent.exists()
    slug = cli.ok("new", "Checkout errors").strip()
    assert default.is_file() and slug in cli.ok("list", "--json")


def test_reading_before_the_first_incident_says_how_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``warroom list`` on a new machine: no incidents yet, not "create the folder first"."""
    cli = Cli(tmp_path)
    for name, value in cli.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WARROOM_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = tmp_path / "data" / "warroom" / "warroom.db"
    for command in (("list",), ("show",), ("export",)):
        line = assert_one_error_line(cli(*command), 1)
        assert line == (
            f"warroom: error: no incidents yet (no database at {default}): "
            "'warroom new TITLE' declares one, or 'warroom' opens the console"
        )
    assert not (tmp_path / "data").exists()  # still only read: nothing created
