"""``minisora import``: each quirk of real lists has its own fixture under tests/data/import/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REAL_EN, REAL_ZH, SEED, SEED_CATALOG
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.core.arxiv_ids import arxiv_id_from_url
from minisora.importers.markdown import import_list, load, parse

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
runner = CliRunner()


def _page(url: str) -> str:
    """arXiv links by id (the importer folds /pdf/ and versioned links to /abs/), others as are."""
    return arxiv_id_from_url(url) or url


def imported(name: str):
    return load(DATA / name)


def messages(result) -> list[str]:
    return [f"{w.line}: {w.message}" for w in result.warnings]


def test_rows_without_closing_pipe_keep_every_link():
    result = imported("missing-trailing-pipes.md")
    vdm, poet = result.catalog.papers
    assert [link.kind.value for link in vdm.links] == ["paper", "github", "project"]
    assert vdm.links[-1].url == "https://video-diffusion.github.io/"
    assert (poet.short_name, poet.title) == (
        "VideoPoet",
        "A Large Language Model for Zero-Shot Video Generation",
    )


def test_skipped_and_repeated_numbers_are_warnings_and_every_row_is_kept():
    result = imported("skipped-and-repeated-numbers.md")
    assert [p.short_name for p in result.catalog.papers] == [
        "Animatediff",
        "I2VGen-XL",
        "Imagen Video",
        "MoCoGAN",
    ]
    assert messages(result) == [
        "6: row number 4 skips 3 (render numbers rows again)",
        "7: row number 4 repeats (render numbers rows again)",
    ]


def test_pdf_versioned_and_html_arxiv_links_give_the_bare_id_and_fold_to_abs():
    result = imported("pdf-and-versioned-arxiv-links.md")
    papers = result.catalog.papers
    assert [p.arxiv_id for p in papers] == ["2401.11605", "2401.11708", "2403.04692"]
    assert papers[0].links[0].url == "https://arxiv.org/abs/2401.11605"  # was /pdf/...v1.pdf
    assert result.folds["arxiv"] == 3 and result.warnings == ()
    assert papers[2].id == "pixart-sigma"


def test_extra_columns_give_venue_and_links_and_warn_about_dropped_text():
    result = imported("extra-columns.md")
    dit, sit = result.catalog.papers
    assert (dit.short_name, dit.venue, dit.year) == ("DiT", "ICCV", 2023)
    assert [link.kind.value for link in dit.links] == ["paper", "github"]
    assert (sit.venue, sit.year) == ("ECCV", 2024)
    assert messages(result) == ["5: text 'the DiT paper' of an extra column is not kept"]


def test_html_comments_hide_rows_and_are_not_part_of_titles():
    papers = imported("html-comments.md").catalog.papers
    assert [p.title for p in papers] == [
        "Ring Attention with Blockwise Transformers for Near-Infinite Context"
    ]


def test_unknown_labels_are_kept_as_other_with_their_label_and_a_warning():
    result = imported("unknown-link-labels.md")
    (paper,) = result.catalog.papers
    assert [(link.kind.value, link.label) for link in paper.links] == [
        ("paper", None),
        ("other", "Huggingface"),
        ("other", "Colab"),
    ]
    assert (paper.venue, paper.year) == ("ICML", 2023)
    assert messages(result) == [
        "4: unknown link label 'Huggingface': kept as kind other",
        "4: unknown link label 'Colab': kept as kind other",
    ]


def test_venue_labels_and_label_spellings_map_to_kinds():
    cat = imported("venue-labels.md").catalog
    assert [c.id for c in cat.categories] == ["diffusion-models"]
    assert cat.categories[0].name_en == "Diffusion Models"
    found = [(p.short_name, p.venue, p.year, [k.kind.value for k in p.links]) for p in cat.papers]
    assert found == [
        ("Latent Diffusion", "CVPR", 2022, ["paper", "github"]),
        ("SiT", None, 2024, ["paper", "github"]),  # "ArXiv 24" is a year, not a venue
        ("TaleCrafter", "SIGGRAPH Asia", 2023, ["paper", "github"]),
    ]


def test_a_label_that_lies_is_a_warning_and_validate_reports_it(tmp_path):
    result = import_list(DATA / "lying-label.md", tmp_path / "papers.yaml")
    assert messages(result) == [
        "4: link labelled 'Github' is not what it says: "
        "a github link should be on github.com, not bnucsy.github.io"
    ]
    report = catalog.validate(tmp_path / "papers.yaml")
    assert [f.rule for f in report.warnings] == ["mislabelled-link"]


def test_mojibake_is_repaired_with_a_warning_naming_the_line():
    result = imported("mojibake.md")
    assert result.catalog.papers[0].title == "Latte：社区的视频生成论文解读"
    assert result.warnings[0].line == 4
    assert result.warnings[0].rule == "mojibake"
    assert "repaired to '：社区的视频生成论文解读'" in result.warnings[0].message


def test_sub_headings_in_a_table_become_tags_and_repeats_become_also_in():
    cat = imported("sub-headings-in-table.md").catalog
    assert [c.id for c in cat.categories] == [
        "diffusion-transformer",
        "dataset",
        "patchifying-methods",
    ]
    dit, panda = cat.papers
    assert (dit.category, dit.also_in) == ("diffusion-transformer", ("patchifying-methods",))
    assert dit.title == "Scalable Diffusion Models with Transformers"  # "(-)" mark dropped
    assert [link.kind.value for link in dit.links] == ["paper", "github", "project"]
    assert panda.tags == ("70M Clips", "720P", "Downloadable", "Public Datasets")
    assert panda.title == "Panda-70M: Captioning 70M Videos with Multiple Cross-Modality Teachers"


def test_bullet_lists_with_badges_dates_and_descriptions():
    result = imported("bullet-style.md")
    cat = result.catalog
    assert [c.name_en for c in cat.categories] == ["Video Generation", "Long-context"]
    vdm, imagen, ring = cat.papers
    assert (vdm.title, vdm.venue, vdm.year) == ("Video Diffusion Models", "NeurIPS", 2022)
    assert [link.kind.value for link in vdm.links] == ["paper", "github"]  # the badge's link
    assert (imagen.short_name, imagen.title) == (
        "Imagen Video",
        "High Definition Video Generation with Diffusion Models",
    )
    assert [link.kind.value for link in imagen.links] == ["paper", "project"]
    assert ring.category == "long-context" and ring.has("github")
    assert result.warnings == ()


def test_a_file_without_any_list_is_an_error():
    with pytest.raises(Exception, match="no table rows or list items with links"):
        parse("# Just a heading\n\nSome text.\n", "empty.md")


def test_seed_import_gives_every_paper_and_link_of_the_catalogue():
    result = load(SEED)
    cat, bundled = result.catalog, catalog.load(SEED_CATALOG)
    assert len(cat.papers) == len(bundled.papers) == 30
    mine = {p.title: p for p in cat.papers}
    for paper in bundled.papers:
        got = mine[paper.title]
        assert [(k.kind, _page(k.url)) for k in got.links] == [
            (k.kind, _page(k.url)) for k in paper.links
        ]
        assert (got.short_name, got.arxiv_id) == (paper.short_name, paper.arxiv_id)
        if paper.arxiv_id:  # the seed gives no year; the arXiv id does
            assert got.year == paper.year
    assert [mine_id for mine_id in cat.reading_plan] == ["sora", "dit", "latte"]
    sora = next(p for p in cat.papers if p.id == "sora")
    assert sora.links[0].label == "Sora: Creating video from text"
    assert messages(result) == ["61: row number 4 skips 3 (render numbers rows again)"]


@pytest.mark.parametrize("path", [REAL_EN, REAL_ZH], ids=["en", "zh-CN"])
def test_real_list_keeps_every_row_link_and_arxiv_id(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("|") and "](http" in line]
    urls = {u for line in table for u in re.findall(r"\]\((https?://[^)\s]+)\)", line)}
    result = import_list(path, tmp_path / "papers.yaml")
    cat = result.catalog
    kept = {_page(link.url) for p in cat.papers for link in p.links}
    assert {_page(u) for u in urls} <= kept
    assert {arxiv_id_from_url(u) for u in urls} - {None} <= {p.arxiv_id for p in cat.papers}
    assert result.rows == len(table) == 361  # 334 numbered rows and 27 in "6.2 augmentation"
    assert len(cat.categories) == 18
    dit = next(p for p in cat.papers if p.short_name == "DiT")
    assert dit.categories == (
        "diffusion-transformer",
        "baseline-video-generation-models",
        "patchifying-methods",
    )
    report = catalog.validate(tmp_path / "papers.yaml")
    # What remains are the list's genuine defects: three papers linked to another paper's arXiv
    # id (each a duplicate URL and a duplicate id); shared repositories are warnings.
    assert {f.rule for f in report.errors} == {"duplicate-url", "duplicate-arxiv-id"}
    wrong = {f.message.split(": ")[-1] for f in report.errors if f.rule == "duplicate-url"}
    assert wrong == {
        f"https://arxiv.org/abs/{i}" for i in ("2011.13456", "2010.11929", "2310.00390")
    }
    shared = [f.message for f in report.findings if f.rule == "shared-url"]
    assert any("add and papers[" in m and "(svd)" in m for m in shared)
    assert all(f.line is not None for f in report.findings)


def test_cli_import_writes_atomically_and_never_overwrites_without_force(tmp_path):
    out = tmp_path / "papers.yaml"
    first = runner.invoke(app, ["import", str(DATA / "lying-label.md"), "--output", str(out)])
    assert first.exit_code == 0, first.output
    assert "warning:" in first.stderr and "lying-label.md:4:" in first.stderr
    assert "1 rows and 2 links -> 1 papers in 1 categories" in first.stderr
    assert catalog.load(out).papers[0].short_name == "TATS"
    before = out.read_text(encoding="utf-8")
    again = runner.invoke(app, ["import", str(DATA / "venue-labels.md"), "--output", str(out)])
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert out.read_text(encoding="utf-8") == before
    forced = runner.invoke(
        app, ["import", str(DATA / "venue-labels.md"), "-o", str(out), "--force"]
    )
    assert forced.exit_code == 0
    assert len(catalog.load(out).papers) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["papers.yaml"]  # no temporary left


def test_cli_import_prints_yaml_without_output_and_fails_cleanly_on_a_missing_file():
    shown = runner.invoke(app, ["import", str(DATA / "html-comments.md")])
    assert shown.exit_code == 0
    assert shown.stdout.startswith("# Imported from ")
    assert "  - {kind: github, url: https://github.com/lhao499/RingAttention}" in shown.stdout
    missing = runner.invoke(app, ["import", "no-such-list.md"])
    assert missing.exit_code != 0
    assert missing.stderr.strip() == "error: no-such-list.md: file not found"


def test_table_columns_are_read_by_their_header_not_their_position(tmp_path):
    result = import_list(DATA / "table-columns-by-header-no-trailing-pipe.md", tmp_path / "p.yaml")
    papers = result.catalog.papers
    assert [p.arxiv_id for p in papers] == [
        "2309.15091",
        "2310.12190",
        "2402.15391",
        "1709.07592",
        "2305.10924",
    ]
    director, crafter, genie, lapse, pruning = papers
    assert director.title.startswith("VideoDirectorGPT: Consistent Multi-scene")
    assert [(k.kind.value, k.url) for k in director.links] == [
        ("paper", "https://arxiv.org/abs/2309.15091"),
        ("project", "https://videodirectorgpt.github.io/"),
    ]
    assert crafter.urls("github") == ["https://github.com/AILab-CVC/VideoCrafter"]
    assert (genie.year, lapse.venue, lapse.year) == (2024, "CVPR", 2018)
    assert (pruning.venue, pruning.year) == ("NeurIPS", 2023)
    assert result.folds["same-link"] == 5 and result.warnings == ()
    assert catalog.validate(tmp_path / "p.yaml").findings == ()


def test_bullet_badges_fold_into_the_title_link_and_month_dates_give_the_year(tmp_path):
    result = import_list(DATA / "bullet-badges-and-month-dates.md", tmp_path / "p.yaml")
    fvmd, peekaboo, zeroscope = result.catalog.papers
    assert [(k.kind.value, k.url) for k in fvmd.links] == [
        ("paper", "https://arxiv.org/abs/2407.16124"),
        ("github", "https://github.com/DSL-Lab/FVMD-frechet-video-motion-distance"),
        ("project", "https://pypi.org/project/fvmd/1.0.0/"),
    ]
    assert (fvmd.year, peekaboo.venue, peekaboo.year) == (2024, "CVPR", 2024)
    assert len(zeroscope.links) == 2  # the title link and its first badge are one page
    assert result.summary() == [
        "2 arXiv links written as /pdf/, versioned or http folded to https://arxiv.org/abs/ID",
        "3 links repeated within one paper folded (a title link and its badge, ...)",
    ]
    report = catalog.validate(tmp_path / "p.yaml")
    assert report.errors == () and report.warnings == ()


def test_nul_and_control_characters_are_removed_with_a_warning_naming_the_line():
    result = imported("nul-and-control-characters.md")
    (paper,) = result.catalog.papers
    assert (paper.short_name, paper.arxiv_id) == ("Diffusion", "2212.09748")
    assert paper.links[0].url == "https://arxiv.org/abs/2212.09748"
    (warning,) = result.warnings
    assert (warning.line, warning.rule) == (5, "control-character")
    assert "U+0000" in warning.message


def test_bilingual_import_names_categories_in_both_languages_and_pairs_rows():
    result = load(REAL_EN, zh=REAL_ZH)
    cat = result.catalog
    train = next(c for c in cat.categories if c.id == "train")
    assert (train.name_en, train.name_zh) == ("Efficient Training", "高效训练")
    assert len({c.id for c in cat.categories}) == len(cat.categories)
    assert len(cat.papers) == len(load(REAL_EN).catalog.papers)
    assert result.folds["paired"] > 0


def test_cli_import_with_zh_reports_folds_once():
    result = runner.invoke(app, ["import", str(REAL_EN), "--zh", str(REAL_ZH)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("folded: ") == 2
    assert "arXiv links written as /pdf/" in result.stderr


def test_the_text_after_a_bullet_title_is_its_description():
    text = (
        "### Video Generation\n\n"
        "- [Video Diffusion Models](https://arxiv.org/abs/2204.03458) (NeurIPS 2022) - "
        "Extends image diffusion to video with a space-time U-Net.\n"
        "- **DiT**: [Scalable Diffusion Models with Transformers](https://arxiv.org/abs/2212.09748)"
        " — replaces the U-Net with a transformer\n"
    )
    vdm, dit = parse(text, "notes.md").catalog.papers
    assert (vdm.venue, vdm.year) == ("NeurIPS", 2022)
    assert vdm.description == "Extends image diffusion to video with a space-time U-Net."
    assert dit.description == "replaces the U-Net with a transformer"


def test_items_nested_under_a_plain_bullet_are_papers_not_notes():
    text = (
        "## Papers\n\n"
        "- Text-to-video\n"
        "  - [Video Diffusion Models](https://arxiv.org/abs/2204.03458)\n"
        "  - [Imagen Video](https://arxiv.org/abs/2210.02303)\n"
        "- [Latte](https://arxiv.org/abs/2401.03048)\n"
        "  - [Code](https://github.com/Vchitect/Latte)\n"
    )
    papers = parse(text, "nested.md").catalog.papers
    assert [p.arxiv_id for p in papers] == ["2204.03458", "2210.02303", "2401.03048"]
    assert papers[2].urls("github") == ["https://github.com/Vchitect/Latte"]


def test_a_header_with_an_unknown_column_still_names_the_others():
    text = (
        "## Models\n\n"
        "| Model | Organization | Paper | Code | Venue |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| Latte | Shanghai AI Lab | [arXiv](https://arxiv.org/pdf/2401.03048v1) "
        "| [![Star](https://img.shields.io/github/stars/Vchitect/Latte)]"
        "(https://github.com/Vchitect/Latte) "
        "| TMLR'25 |\n"
    )
    result = parse(text, "models.md")
    (latte,) = result.catalog.papers
    assert (latte.title, latte.arxiv_id, latte.venue, latte.year) == (
        "Latte",
        "2401.03048",
        "TMLR",
        2025,
    )
    assert latte.urls("github") == ["https://github.com/Vchitect/Latte"]
    assert messages(result) == ["5: text 'Shanghai AI Lab' of an extra column is not kept"]


def test_extra_cells_badges_to_other_sites_and_a_shared_repository(tmp_path):
    result = import_list(DATA / "table-extra-cells-and-shared-repo.md", tmp_path / "p.yaml")
    papers = result.catalog.papers
    assert len(papers) == 6 and result.warnings == ()
    reuse, simda, _latents, ed_t2v, make_a_video, lvdm = papers
    assert [link.url for link in reuse.links] == ["https://arxiv.org/abs/2309.03549"]
    assert (ed_t2v.venue, ed_t2v.year) == ("IJCNN", 2023)
    assert make_a_video.urls("paper") == ["https://openreview.net/forum?id=nJfylDvgzlq"]
    report = catalog.validate(tmp_path / "p.yaml")
    assert report.errors == () and report.warnings == ()
    (shared,) = report.findings
    assert shared.rule == "shared-url" and simda.id in shared.message and lvdm.id in shared.message
