"""The library API notebooks rely on, on the bundled catalogue and on a small one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SEED, SEED_CATALOG

from minisora import catalog
from minisora.errors import NotFoundError, UsageError
from minisora.models import LinkKind


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load(SEED_CATALOG)


def _seed_sections() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("## 论文共读计划") : text.index("## Mini Sora 微信社区")]


def test_every_seed_link_is_in_the_catalogue(cat: catalog.Catalog) -> None:
    seed_urls = set(re.findall(r"\]\((https?://[^)\s]+)\)", _seed_sections()))
    catalogue_urls = {link.url for p in cat.papers for link in p.links}
    assert len(seed_urls) == 61
    assert seed_urls == catalogue_urls


def test_every_seed_row_is_a_paper_in_its_category(cat: catalog.Catalog) -> None:
    rows = 0
    for heading, body in re.findall(r"### ([^\n]+)\n(.*?)(?=\n### |\Z)", _seed_sections(), re.S):
        category = cat.category(heading.strip())
        for short, title in re.findall(r"^\| \d+\) (?:\*\*(.+?)\*\*: )?(.+?) \|", body, re.M):
            rows += 1
            (paper,) = [p for p in cat.papers if p.title == title.strip()]
            assert paper.category == category.id
            assert paper.short_name == (short or None)
    assert rows == 28


def test_reading_plan_is_ordered(cat: catalog.Catalog) -> None:
    assert cat.reading_plan == ("sora", "dit", "latte")
    sora = cat.reading_plan_papers[0]
    assert [link.kind for link in sora.links] == [LinkKind.HOMEPAGE, LinkKind.REPORT]


def test_filter_by_category_name_in_any_language(cat: catalog.Catalog) -> None:
    expected = ["uvit", "dit", "sit", "fit", "k-diffusion"]
    for name in (
        "Diffusion Transformer",
        "diffusion transformer",
        "diffusion-transformer",
        "扩散 Transformer",
    ):
        assert [p.id for p in cat.filter(category=name)] == expected


def test_filters_combine(cat: catalog.Catalog) -> None:
    assert [p.id for p in cat.filter(category="视频生成", has="modelscope")] == [
        "animatediff",
        "i2vgen-xl",
    ]
    assert [p.id for p in cat.filter(query="video diffusion", year=2022)] == [
        "imagen-video",
        "video-diffusion-models",
        "mcvd",
    ]
    assert [p.id for p in cat.filter(has=LinkKind.BLOG)] == ["score-sde", "mcvd"]
    assert cat.filter(query="no such words anywhere") == []


def test_unknown_category_and_kind_are_usage_errors(cat: catalog.Catalog) -> None:
    with pytest.raises(NotFoundError, match="valid categories: diffusion-model"):
        cat.filter(category="Diffusion")
    with pytest.raises(UsageError, match="unknown link kind 'githb'"):
        cat.filter(has="githb")


def test_get_by_id_or_short_name(cat: catalog.Catalog) -> None:
    dit = cat.get("dit")
    assert (dit.short_name, dit.title) == ("DiT", "Scalable Diffusion Models with Transformers")
    assert (dit.arxiv_id, dit.year, dit.category) == ("2212.09748", 2022, "diffusion-transformer")
    assert [(link.kind.value, link.url) for link in dit.links][:2] == [
        ("paper", "https://arxiv.org/abs/2212.09748"),
        ("github", "https://github.com/facebookresearch/DiT"),
    ]
    assert cat.get("VideoPoet").id == "videopoet"


def test_get_unknown_names_close_matches(cat: catalog.Catalog) -> None:
    with pytest.raises(KeyError) as caught:
        cat.get("dti")
    assert str(caught.value) == "no paper with id 'dti'; did you mean dit?"


def test_arxiv_ids_agree_with_links(cat: catalog.Catalog) -> None:
    assert cat.get("k-diffusion").arxiv_id == "2401.11605"
    with_arxiv = [p for p in cat.papers if any("arxiv.org" in link.url for link in p.links)]
    assert len(with_arxiv) == 28 and all(p.arxiv_id for p in with_arxiv)


def test_to_records_are_plain_data(cat: catalog.Catalog) -> None:
    records = cat.to_records()
    assert len(records) == len(cat.papers) == 30
    dit = next(r for r in records if r["id"] == "dit")
    assert dit["links"][1] == {"kind": "github", "url": "https://github.com/facebookresearch/DiT"}
    assert dit["category"] == "diffusion-transformer" and dit["also_in"] == []
    assert cat.filter(category="Long-context").to_records()[0]["id"] == "large-world-model"


def test_notebook_reprs(cat: catalog.Catalog) -> None:
    papers = cat.filter(category="Diffusion Transformer")
    html = papers._repr_html_()
    assert '<a href="https://github.com/facebookresearch/DiT" target="_blank">Github</a>' in html
    assert html.count("<tr>") == 6 and "5 papers" in html
    assert "| **DiT**: Scalable Diffusion Models with Transformers | 2022 |" in (
        papers._repr_markdown_()
    )
    assert "| diffusion-transformer | Diffusion Transformer | 扩散 Transformer | 5 |" in (
        cat._repr_markdown_()
    )


def test_also_in_lists_a_paper_under_several_categories(minimal: Path) -> None:
    small = catalog.load(minimal)
    assert [p.id for p in small.filter(category="diffusion-transformer")] == ["dit", "videopoet"]
    assert small.get("videopoet").categories == ("video-generation", "diffusion-transformer")


def test_query_words_match_at_word_starts(cat: catalog.Catalog) -> None:
    conditional = [p.id for p in cat.papers if "dit" in p.title.casefold() and p.id != "dit"]
    assert conditional  # "Masked Conditional Video Diffusion ...": "dit" inside a word
    assert [p.id for p in cat.filter(query="DiT")] == ["dit"]
    assert [p.id for p in cat.filter(query="diffusion trans")] == [
        "latte",
        "dit",
        "sit",
        "fit",
        "k-diffusion",
    ]
    assert cat.filter(query="ditional") == []
    assert [p.id for p in cat.filter(query="2212.097")] == ["dit"]


def test_records_agree_with_the_csv_export(cat: catalog.Catalog) -> None:
    import csv
    import io

    from minisora.render.exports import export
    from minisora.render.lists import csv_cell

    rows = list(csv.DictReader(io.StringIO(export(cat, "csv"))))
    records = cat.to_records()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row == {column: csv_cell(record[column]) for column in row}
    dit = next(r for r in records if r["id"] == "dit")
    assert dit["github"] == "https://github.com/facebookresearch/DiT"
    assert dit["paper"] == "https://arxiv.org/abs/2212.09748" and dit["blog"] is None
    assert dit["github_status"] is None and dit["authors"] == list(cat.get("dit").authors)


def test_a_paper_the_categories_and_a_report_render_as_html(
    cat: catalog.Catalog, tmp_path: Path
) -> None:
    paper = cat.get("dit")._repr_html_()
    assert "<th>title</th><td>Scalable Diffusion Models with Transformers</td>" in paper
    assert 'href="https://github.com/facebookresearch/DiT"' in paper
    categories = cat._repr_html_()
    assert "<td>Diffusion Transformer</td><td>扩散 Transformer</td><td>5</td>" in categories
    assert "30 papers in" in categories
    bad = tmp_path / "bad.yaml"
    bad.write_text("categories: []\npapers: [{id: <x>}]\n", encoding="utf-8")
    report = catalog.validate(bad)._repr_html_()
    assert "invalid" in report and report.count('<span style="color:#c00">error</span>') >= 2
    assert "&lt;x&gt;" in report or "<x>" not in report


def test_an_impossible_date_is_a_located_error_not_a_crash(tmp_path: Path, minimal: Path) -> None:
    bad = tmp_path / "bad-date.yaml"
    bad.write_text(minimal.read_text().replace("year: 2022", "year: 2022\n    venue: 2024-13-01"))
    report = catalog.validate(bad)
    assert [(f.line, f.message) for f in report.errors] == [
        (21, "invalid YAML: '2024-13-01' is not a valid timestamp: month must be in 1..12")
    ]
