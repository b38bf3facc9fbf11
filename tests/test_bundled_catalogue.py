"""The shipped catalogue, data/papers.yaml: invariants only, never counts, because contributors add
papers every week and a data-only change must never fail a test."""

from __future__ import annotations

import re

import pytest
from conftest import BUNDLED, REPO, SEED
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.core.arxiv_ids import arxiv_id_from_url


@pytest.fixture(scope="module")
def bundled() -> catalog.Catalog:
    return catalog.load(BUNDLED)


def _seed_sections() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("## 论文共读计划") : text.index("## Mini Sora 微信社区")]


def _same_page(url: str) -> str:
    """arXiv links by id (the catalogue may hold the /abs/ form of a seed /pdf/ link)."""
    return arxiv_id_from_url(url) or url


def test_is_valid_without_errors() -> None:
    report = catalog.validate(BUNDLED)
    assert report.errors == ()
    assert report.catalog is not None and report.catalog.papers


def test_every_seed_link_is_kept(bundled: catalog.Catalog) -> None:
    seed = {_same_page(u) for u in re.findall(r"\]\((https?://[^)\s]+)\)", _seed_sections())}
    kept = {_same_page(link.url) for p in bundled.papers for link in p.links}
    assert seed, "the seed README has links"
    assert seed - kept == set()


def test_every_seed_row_is_a_paper_of_its_category(bundled: catalog.Catalog) -> None:
    sections = re.findall(r"### ([^\n]+)\n(.*?)(?=\n### |\Z)", _seed_sections(), re.S)
    assert sections
    for heading, body in sections:
        category = bundled.category(heading.strip())  # the seed's names still resolve
        for _short, title in re.findall(r"^\| \d+\) (?:\*\*(.+?)\*\*: )?(.+?) \|", body, re.M):
            papers = [p for p in bundled.papers if p.title.casefold() == title.strip().casefold()]
            assert papers, f"seed paper {title!r} is missing"
            assert any(category.id in p.categories for p in papers), title


def test_reading_plan_is_kept(bundled: catalog.Catalog) -> None:
    assert bundled.reading_plan[:3] == ("sora", "dit", "latte")


def test_landed_readmes_are_current() -> None:
    result = CliRunner().invoke(
        app, ["render", "--check", "--root", str(REPO), "--catalog", str(BUNDLED)]
    )
    assert result.exit_code == 0, result.stdout
