"""The shipped catalogue, data/papers.yaml: invariants only, never counts, because contributors add
papers every week and a data-only change must never fail a test."""

from __future__ import annotations

import re

import pytest
from conftest import BUNDLED, REAL_EN, REAL_ZH, REPO, SEED, SEED_CATALOG
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


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


@pytest.mark.parametrize("readme", [REAL_EN, REAL_ZH], ids=["en", "zh-CN"])
def test_every_row_of_the_2025_lists_is_a_paper_with_its_links(
    bundled: catalog.Catalog, readme
) -> None:
    fixed = {  # the three wrong arXiv links of the 2025 lists, and what they should be
        "diffusionmodelsinvisionasurvey": ("2011.13456", "2209.04747"),
        "learningtransferablevisualmodelsfromnaturallanguagesupervision": (
            "2010.11929",
            "2103.00020",
        ),
        "talecrafterinteractivestoryvisualizationwithmultiplecharacters": (
            "2310.00390",
            "2305.18247",
        ),
    }
    titles: dict[str, list[catalog.Paper]] = {}
    for paper in bundled.papers:
        for text in (paper.title, f"{paper.short_name}: {paper.title}", paper.short_name or ""):
            titles.setdefault(_key(text), []).append(paper)
    rows = re.findall(r"^\|\s*(?:\d+\)\s*)?(.+?)\s*\|(.*)$", readme.read_text("utf-8"), re.M)
    checked = 0
    for title_cell, rest in rows:
        urls = re.findall(r"\]\((https?://[^)\s]+)\)", title_cell + rest)
        if not urls:
            continue
        title = re.sub(r"\*\*|\(-\)|\[|\]\([^)]*\)", "", title_cell).strip(" :")
        wrong, right = next((v for k, v in fixed.items() if _key(title).endswith(k)), (None, None))
        pages = {_same_page(u).replace(wrong or "-", right or "-") for u in urls}
        candidates = titles.get(_key(title), []) + [
            p for p in bundled.papers if pages <= {_same_page(link.url) for link in p.links}
        ]
        assert any(pages <= {_same_page(link.url) for link in p.links} for p in candidates), (
            f"{readme.name}: row {title!r} is missing or lacks a link"
        )
        checked += 1
    assert checked


def test_the_three_wrong_arxiv_links_are_gone(bundled: catalog.Catalog) -> None:
    for title, wrong, right in [
        ("Diffusion Models in Vision: A Survey", "2011.13456", "2209.04747"),
        (
            "Learning Transferable Visual Models From Natural Language Supervision",
            "2010.11929",
            "2103.00020",
        ),
    ]:
        paper = next(p for p in bundled.papers if p.title == title)
        assert paper.arxiv_id == right
        assert wrong not in {arxiv_id_from_url(link.url) for link in paper.links}
    tale = next(p for p in bundled.papers if p.short_name == "TaleCrafter")
    assert tale.arxiv_id == "2305.18247"


def test_categories_have_chinese_names_and_the_seed_names_still_work(
    bundled: catalog.Catalog,
) -> None:
    assert all(re.search(r"[\u4e00-\u9fff]", c.name_zh) for c in bundled.categories[:3])
    seed = catalog.load(SEED_CATALOG)
    for category in seed.categories:
        for name in (category.id, category.name_en, category.name_zh):
            assert bundled.category(name).id == category.id
            assert bundled.filter(category=name)


def test_the_shipped_catalogue_passes_strict_validation() -> None:
    report = catalog.validate(BUNDLED)
    assert report.errors == () and report.warnings == ()
