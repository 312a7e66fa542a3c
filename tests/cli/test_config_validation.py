"""The config's own validation (plain Python, no pydantic): every bad value names its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from warroom.config import Config, ConfigError, config_from_mapping


@pytest.mark.parametrize(
    ("data", "where", "what"),
    [
        ({"db": 3}, "db", "file path"),
        ({"policy_file": ["a"]}, "policy_file", "file path"),
        ({"author": ""}, "author", "at least 1 character"),
        ({"author": "x" * 201}, "author", "at most 200"),
        ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
        ({"theme": True}, "theme", "should be a string (got true)"),
        ({"keybindings": {"war_room.help": 1}}, "keybindings.war_room.help", "string"),
        ({"keybindings": "f1"}, "keybindings", "object"),
        ({"policy": 3}, "policy", "object"),
        ({"internal_names": "ledger"}, "internal_names", "array"),
        ({"internal_names": ["ledger", 2]}, "internal_names[1]", "string"),
        ({"colour": "blue"}, "colour", "unknown setting"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(data: dict[str, object], where: str,
                                                what: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(data, source=Path("/etc/warroom.toml"))
    message = str(caught.value)
    assert message.startswith(f"config file /etc/warroom.toml: key '{where}': ")
    assert what in message


def test_values_are_normalised_and_compared() -> None:
    config = config_from_mapping({"db": "~/x.db", "internal_names": ["ledger-svc"],
                                  "keybindings": {"war_room.help": "f10"}})
    assert config.db == Path("~/x.db") and config.internal_names == ("ledger-svc",)
    assert config == Config(db=Path("~/x.db"), internal_names=("ledger-svc",),
                            keybindings={"war_room.help": "f10"})
    assert config != Config()


def test_building_one_directly_checks_it_too() -> None:
    with pytest.raises(ConfigError, match="'theme'"):
        Config(theme=3)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="'timezone'"):
        Config(timezone="Nowhere/Else")
