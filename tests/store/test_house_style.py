"""One house style for every YAML writer: import/export (``house_style``) and add/verify
(``document``) write the same bytes, and PyYAML's pure parser reads what libyaml reads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import SEED_CATALOG

from minisora import catalog
from minisora.curate.document import Document
from minisora.models import CatalogFile, GithubStatus, LinkKind
from minisora.store import house_style
from minisora.store.yaml_read import FAST_LOADER, PURE_LOADER

PLAYLIST = "https://www.youtube.com/playlist?list=PL1&index=2"
STATUS = GithubStatus(
    stars=6123, archived=False, pushed_at=date(2024, 5, 1), checked=date(2025, 2, 10)
)


def _awkward() -> CatalogFile:
    """The seed with the values that need quoting: ``?``/``&`` in flow URLs, ``: `` and ``#``
    in titles, a description, a GitHub status with dates."""
    cat = catalog.load(SEED_CATALOG)
    papers = list(cat.papers)
    dit = papers[[p.id for p in papers].index("dit")]
    papers[papers.index(dit)] = dit.model_copy(
        update={
            "title": "DiT: Scalable #1 Diffusion, Models? [with] Transformers",
            "description": "Replaces the U-Net with a transformer: {latent} patches & more",
            "links": (
                *dit.links,
                dit.links[0].model_copy(update={"url": PLAYLIST, "kind": LinkKind.PROJECT}),
            ),
            "github": STATUS,
        }
    )
    return CatalogFile.model_validate(cat.model_copy(update={"papers": tuple(papers)}).model_dump())


def test_every_writer_output_loads_the_same_with_the_pure_parser_and_libyaml():
    text = house_style.to_yaml(_awkward(), header="a header")
    pure, fast = yaml.load(text, Loader=PURE_LOADER), yaml.load(text, Loader=FAST_LOADER)
    assert pure == fast
    assert CatalogFile.model_validate(pure) == _awkward()
    assert f"url: '{PLAYLIST}'" in text  # quoted: the pure parser reads `?` in flow as a key


def test_the_importers_output_of_a_url_with_a_query_reads_with_the_pure_parser(tmp_path: Path):
    from minisora.importers.markdown import parse

    result = parse(f"### Videos\n\n- [A talk]({PLAYLIST}) (Feb., 2026)\n", "talk.md")
    text = result.to_yaml()
    assert yaml.load(text, Loader=PURE_LOADER) == yaml.load(text, Loader=FAST_LOADER)
    assert result.catalog.papers[0].year == 2026


def test_export_and_verify_update_write_the_same_bytes_for_the_same_entry(tmp_path: Path):
    before = _awkward()
    without = CatalogFile.model_validate(
        before.model_copy(
            update={"papers": tuple(p.model_copy(update={"github": None}) for p in before.papers)}
        ).model_dump()
    )
    path = tmp_path / "papers.yaml"
    path.write_text(house_style.to_yaml(without), encoding="utf-8")
    doc = Document(path)
    index = [p.id for p in without.papers].index("dit")
    doc.set_field(index, "github", STATUS.model_dump(exclude_none=True))  # as verify --update
    assert doc.text() == house_style.to_yaml(before)
    assert (
        "    github: {stars: 6123, archived: false, pushed_at: 2024-05-01, checked: 2025-02-10}\n"
        "    links:\n" in doc.text()
    )


@pytest.mark.parametrize("paper_id", ["dit", "sora", "uvit", "context-extension-survey"])
def test_add_writes_a_new_paper_as_export_does(tmp_path: Path, paper_id: str):
    full = _awkward()
    paper = next(p for p in full.papers if p.id == paper_id)
    rest = [p for p in full.papers if p.id != paper_id]
    path = tmp_path / "papers.yaml"
    plan = tuple(i for i in full.reading_plan if i != paper_id)
    shorter = full.model_copy(update={"papers": tuple(rest), "reading_plan": plan})
    path.write_text(house_style.to_yaml(shorter), encoding="utf-8")
    doc = Document(path)
    entry = paper.model_dump(mode="json", exclude_defaults=True)
    entry["links"] = [link.model_dump(mode="json", exclude_defaults=True) for link in paper.links]
    if paper.github:
        entry["github"] = paper.github.model_dump(exclude_none=True)
    doc.append_paper(entry)
    assert doc.text() == house_style.to_yaml(shorter.model_copy(update={"papers": (*rest, paper)}))


def test_needs_quotes_only_where_a_parser_would_read_something_else():
    assert not house_style.needs_quotes("https://arxiv.org/abs/2212.09748", flow=True)
    assert house_style.needs_quotes(PLAYLIST, flow=True)
    assert house_style.needs_quotes("2212.09748", flow=False)
    assert house_style.needs_quotes("Latte: Latent Diffusion", flow=False)
    assert not house_style.needs_quotes("扩散 Transformer", flow=True)


def test_the_shipped_catalogue_reads_the_same_with_both_parsers():
    from conftest import BUNDLED

    text = BUNDLED.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=PURE_LOADER) == yaml.load(text, Loader=FAST_LOADER)
