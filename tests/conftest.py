"""Shared fixtures: the small catalogues under tests/data/catalog and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
CATALOGS = DATA / "catalog"
REPO = Path(__file__).parent.parent
# The community's own lists, vendored from ../shared so that every clone runs the real-list tests.
REAL = DATA / "real"
# The 2024 seed catalogue, frozen: tests that need exact papers use it, never data/papers.yaml,
# which grows every week (tests of the bundled catalogue assert invariants only).
SEED_CATALOG = CATALOGS / "seed-2024.yaml"
BUNDLED = REPO / "data" / "papers.yaml"
SEED = REAL / "minisora-README.md"
REAL_EN = REAL / "minisora-README-2025-02.md"
REAL_ZH = REAL / "minisora-README_zh-CN-2025-02.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal() -> Path:
    return CATALOGS / "minimal.yaml"


@pytest.fixture(autouse=True)
def seed_catalogue(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands without --catalog read the frozen seed catalogue, not the growing bundled one."""
    monkeypatch.setenv("MINISORA_CATALOG", str(SEED_CATALOG))
    return SEED_CATALOG


@pytest.fixture(autouse=True)
def cache_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Each test gets its own cache directory, never the user's ~/.cache."""
    from minisora.store import cache_dir as caches

    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MINISORA_CACHE_DIR", str(directory))  # for the CLI
    monkeypatch.delenv("MINISORA_NO_CACHE", raising=False)
    caches.use(directory)  # for the library
    yield directory
    caches.use(None)
