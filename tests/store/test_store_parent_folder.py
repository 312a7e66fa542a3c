"""A missing folder is an error (a typo in ``--db``), unless the caller asks for it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from warroom.store import Store, StoreError


def test_a_missing_folder_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "dir" / "x.db"
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert f"folder {path.parent} does not exist" in message and "\n" not in message
    assert not (tmp_path / "typo").exists()


def test_create_parents_makes_owner_only_folders(tmp_path: Path) -> None:
    path = tmp_path / "data" / "warroom" / "warroom.db"
    with Store.open(path, create_parents=True) as store:
        assert store.incidents() == []
    assert path.is_file()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_folder_needs_no_flag(tmp_path: Path) -> None:
    with Store.open(tmp_path / "x.db") as store:
        assert store.incidents() == []


def test_a_file_in_place_of_the_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for create_parents in (True, False):
        with pytest.raises(StoreError, match="Not a directory"):
            Store.open(tmp_path / "file" / "x.db", create_parents=create_parents)
