"""Catalogues that loaded once are kept, keyed by their exact bytes; the cache never misleads."""

from __future__ import annotations

import os
import shutil
import time
import warnings
from pathlib import Path

import pytest
from conftest import CATALOGS
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.errors import CatalogError, MinisoraWarning
from minisora.store import cache_dir as caches


def _kept(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "catalogues").glob("*.jsonl"))


def test_second_load_comes_from_the_cache(tmp_path: Path, minimal: Path, cache_dir: Path):
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    first = catalog.load(path)
    (kept,) = _kept(cache_dir)
    os.utime(kept, (1e9, 1e9))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the entry is intact
        assert catalog.load(path) == first
    assert kept.stat().st_mtime > time.time() - 60  # it was read (and so marked as used)


def test_an_edited_file_is_a_miss(tmp_path: Path, minimal: Path, cache_dir: Path) -> None:
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    catalog.load(path)
    path.write_text(path.read_text().replace("year: 2022", "year: 2023"))
    assert catalog.load(path).get("dit").year == 2023
    assert len(_kept(cache_dir)) == 2


def _edit_title(text: str) -> str:
    return text.replace("Scalable Diffusion", "Cached Diffusion")


def _nan_year(text: str) -> str:
    return text.replace('"year":2022', '"year":NaN')


DAMAGE = {
    "edited": _edit_title,  # valid JSON, valid papers: only the checksum tells
    "nan": _nan_year,
    "cut short": lambda text: text[: len(text) // 2],
    "no checksum": lambda text: text.rsplit("\n", 2)[0] + "\n",
    "another shape": lambda text: '["categories"]\n' + text.split("\n", 1)[1],
    "a number": lambda text: "42\n",
    "empty": lambda text: "",
    "not JSON": lambda text: "\x00\xff garbage\n",
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_entry_is_a_miss_said_once(damage, tmp_path, minimal, cache_dir) -> None:
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    catalog.load(path)
    (kept,) = _kept(cache_dir)
    kept.write_text(damage(kept.read_text()))
    with pytest.warns(MinisoraWarning, match=r"^the catalogue cache held an entry it cannot trust"):
        cat = catalog.load(path)
    assert cat.get("dit").title == "Scalable Diffusion Models with Transformers"
    assert cat.get("dit").year == 2022
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the entry was written afresh: said once, not again
        assert catalog.load(path) == cat


def test_the_cli_says_so_in_one_line(tmp_path: Path, minimal: Path, cache_dir: Path) -> None:
    path = tmp_path / "papers.yaml"
    shutil.copy(minimal, path)
    catalog.load(path)
    (kept,) = _kept(cache_dir)
    kept.write_text('{"categories": "damaged"}\n')
    result = CliRunner().invoke(app, ["list", "--catalog", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        f"warning: the catalogue cache held an entry it cannot trust ({kept}: "
    )
    assert result.stderr.count("\n") == 1
    assert "Scalable Diffusion" in result.stdout


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
