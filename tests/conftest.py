"""Shared fixtures: the small catalogues under tests/data/catalog and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
CATALOGS = DATA / "catalog"
REPO = Path(__file__).parent.parent
SEED = REPO.parent / "shared" / "seed" / "minisora-README.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def minimal() -> Path:
    return CATALOGS / "minimal.yaml"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own cache directory, never the user's ~/.cache."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MINISORA_CACHE_DIR", str(directory))
    monkeypatch.delenv("MINISORA_NO_CACHE", raising=False)
    return directory
