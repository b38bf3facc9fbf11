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
