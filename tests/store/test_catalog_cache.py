"""Catalogues that loaded once are kept, keyed by their exact bytes; the cache never misleads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CATALOGS

from minisora import catalog
from minisora.errors import CatalogError
from minisora.store import cache_dir as caches


def _kept(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "catalogues").glob("*.jsonl"))


def test_second_load_comes_from_the_cache(tmp_path: Path, minimal: Path, cache_dir: Path):
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    first = catalog.load(path)
    (kept,) = _kept(cache_dir)
    # Prove the second load reads the kept entry: alter it, and the alteration comes back.
    kept.write_text(kept.read_text().replace("Scalable Diffusion", "Cached Diffusion"))
    assert catalog.load(path).get("dit").title == "Cached Diffusion Models with Transformers"
    assert first.get("dit").title == "Scalable Diffusion Models with Transformers"


def test_an_edited_file_is_a_miss(tmp_path: Path, minimal: Path, cache_dir: Path) -> None:
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    catalog.load(path)
    path.write_text(path.read_text().replace("year: 2022", "year: 2023"))
    assert catalog.load(path).get("dit").year == 2023
    assert len(_kept(cache_dir)) == 2


def test_a_damaged_entry_is_a_miss(tmp_path: Path, minimal: Path, cache_dir: Path) -> None:
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    catalog.load(path)
    (kept,) = _kept(cache_dir)
    kept.write_text('{"categories": "damaged"')
    assert catalog.load(path).get("dit").year == 2022


def test_invalid_catalogues_are_never_kept(cache_dir: Path) -> None:
    with pytest.raises(CatalogError):
        catalog.load(CATALOGS / "duplicate-id.yaml")
    assert _kept(cache_dir) == []


def test_cache_can_be_turned_off(minimal: Path, cache_dir: Path) -> None:
    caches.use(cache_dir, catalogues=False)
    catalog.load(minimal)
    assert _kept(cache_dir) == []


def test_the_cli_turns_the_cache_off_for_minisora_no_cache(runner, minimal, cache_dir) -> None:
    from minisora.cli import app

    assert runner.invoke(app, ["list", "--catalog", str(minimal)], env={}).exit_code == 0
    assert len(_kept(cache_dir)) == 1
    other = CATALOGS / "seed-2024.yaml"
    env = {"MINISORA_NO_CACHE": "1"}
    assert runner.invoke(app, ["list", "--catalog", str(other)], env=env).exit_code == 0
    assert len(_kept(cache_dir)) == 1


def test_an_unwritable_cache_never_fails_a_load(minimal: Path, monkeypatch, tmp_path: Path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    caches.use(blocker)
    assert len(catalog.load(minimal).papers) == 3
