"""``minisora render``: the seed's tables from the catalogue, and the README region kept current."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SEED, SEED_CATALOG
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.errors import CatalogError, UsageError
from minisora.importers.markdown import load
from minisora.render import readme, tables

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _rows(markdown: str) -> dict[str, list[str]]:
    """Table rows by the heading above them, numbers dropped, links and spacing normalised."""
    tables: dict[str, list[str]] = {}
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
        elif re.match(r"\|\s*\d+\)", line):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            title = re.sub(r"^\d+\)\s*", "", cells[0])
            links = re.sub(r"\s*,\s*", ", ", cells[1].strip(" |"))
            tables.setdefault(heading, []).append(f"{title} | {links}")
    return tables


def test_render_reproduces_every_seed_row_under_its_heading():
    seed = _rows(SEED.read_text(encoding="utf-8"))
    cat = catalog.load(SEED_CATALOG)
    english = _rows(tables.markdown(cat, lang="en"))
    assert english == seed
    chinese = _rows(tables.markdown(cat, lang="zh"))
    by_zh = {c.name_zh: c.name_en for c in cat.categories}
    assert {by_zh[name]: rows for name, rows in chinese.items()} == seed


def test_import_then_render_gives_the_seed_tables_with_numbers_fixed():
    # The importer folds arXiv /pdf/ and versioned links to the /abs/ page.
    seed_text = re.sub(
        r"arxiv\.org/pdf/([\d.]+?)(?:v\d+)?(?:\.pdf)?\)",
        r"arxiv.org/abs/\1)",
        SEED.read_text("utf-8"),
    )
    rendered = tables.markdown(load(SEED).catalog, lang="zh")
    assert _rows(rendered) == _rows(seed_text)
    numbers = re.findall(r"^\| (\d+)\)", rendered.split("### Video Generation")[1], re.M)
    assert numbers[:5] == ["1", "2", "3", "4", "5"]  # the seed skips 3


def test_reading_plan_matches_the_seed():
    seed_plan = [
        line
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.startswith("- **") and "](" in line
    ]
    rendered = tables.markdown(load(SEED).catalog, lang="zh")
    assert [line for line in rendered.splitlines() if line.startswith("- ")] == seed_plan
    bundled = tables.markdown(catalog.load(SEED_CATALOG), lang="zh").splitlines()
    assert [line for line in bundled if line.startswith("- ")] == seed_plan


def test_table_format_headers_and_fixed_link_order():
    zh = tables.markdown(catalog.load(SEED_CATALOG), lang="zh")
    assert "## 论文共读计划" in zh and "## 相关工作" in zh and "### 扩散模型" in zh
    assert "| **论文** | **链接** |\n| ------------- | ------------- |\n" in zh
    en = tables.markdown(catalog.load(SEED_CATALOG), lang="en")
    assert "### Diffusion Model\n\n| **Paper** | **Link** |" in en
    assert (
        "| 2) **DiT**: Scalable Diffusion Models with Transformers | "
        "[Paper](https://arxiv.org/abs/2212.09748), [Github](https://github.com/facebookresearch/DiT),"
        " [ModelScope](https://modelscope.cn/models?name=Dit&page=1) |"
    ) in en
    assert "| 5) Adversarial Video Generation on Complex Datasets | [Paper]" in en  # no bold prefix


def test_links_follow_the_fixed_order_whatever_the_file_order(tmp_path):
    text = SEED_CATALOG.read_text(encoding="utf-8")
    swapped = text.replace(
        "      - {kind: paper, url: https://arxiv.org/abs/2011.13456}\n"
        "      - {kind: github, url: https://github.com/yang-song/score_sde}\n"
        "      - {kind: blog, url: https://yang-song.net/blog/2021/score}\n",
        "      - {kind: blog, url: https://yang-song.net/blog/2021/score}\n"
        "      - {kind: github, url: https://github.com/yang-song/score_sde}\n"
        "      - {kind: paper, url: https://arxiv.org/abs/2011.13456}\n",
    )
    assert swapped != text
    (tmp_path / "papers.yaml").write_text(swapped, encoding="utf-8")
    assert tables.markdown(catalog.load(tmp_path / "papers.yaml")) == tables.markdown(
        catalog.load(SEED_CATALOG)
    )


def test_rendering_is_deterministic_and_unknown_languages_are_usage_errors():
    cat = catalog.load(SEED_CATALOG)
    assert tables.markdown(cat, "zh") == tables.markdown(catalog.load(SEED_CATALOG), "zh")
    with pytest.raises(UsageError, match="unknown language 'fr'"):
        tables.markdown(cat, "fr")


@pytest.fixture
def readmes(tmp_path: Path) -> Path:
    """The landed READMEs, their tables rendered from the seed catalogue."""
    for name in ("README.md", "README_EN.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    assert runner.invoke(app, ["render", "--write", "--root", str(tmp_path)]).exit_code == 0
    return tmp_path


@pytest.mark.parametrize("name", ["README.md", "README_EN.md"])
def test_check_fails_with_a_diff_when_a_row_is_edited_by_hand(readmes, name):
    readme = readmes / name
    text = readme.read_text(encoding="utf-8")
    readme.write_text(text.replace("| 4) **FiT**:", "| 4) **FiT (edited)**:"), encoding="utf-8")
    result = runner.invoke(app, ["render", "--check", "--root", str(readmes)])
    assert result.exit_code == 1
    assert f"--- {readme} (as it is)" in result.stdout
    assert "-| 4) **FiT (edited)**: Flexible" in result.stdout
    assert "+| 4) **FiT**: Flexible" in result.stdout
    assert "the READMEs are out of date: run `minisora render --write`" in result.stderr


def test_write_changes_only_the_region(readmes):
    file = readmes / "README_EN.md"
    text = file.read_text(encoding="utf-8")
    start, end = text.index(readme.START), text.index(readme.END)
    stale = text[:start] + readme.START + "\nold tables\n" + text[end:] + "trailing\n"
    file.write_text(stale, encoding="utf-8")
    result = runner.invoke(app, ["render", "--write", "--root", str(readmes)])
    assert result.exit_code == 0
    assert result.stderr.strip() == f"updated {file}"
    assert file.read_text(encoding="utf-8") == text + "trailing\n"
    again = runner.invoke(app, ["render", "--write", "--root", str(readmes)])
    assert "up to date" in again.stderr


def test_missing_or_misplaced_markers_are_located_errors():
    with pytest.raises(CatalogError, match=r"README.md: no <!-- papers:start --> line"):
        readme.replace_region("# no markers\n", "body\n")
    twice = f"a\n{readme.START}\n{readme.END}\n{readme.END}\n"
    with pytest.raises(CatalogError, match=r"README.md:4: <!-- papers:end --> appears twice"):
        readme.replace_region(twice, "body\n")


def test_render_prints_markdown_or_writes_a_file(tmp_path):
    shown = runner.invoke(app, ["render", "--lang", "zh"])
    assert shown.exit_code == 0
    assert shown.stdout == tables.markdown(catalog.load(SEED_CATALOG), "zh")
    out = tmp_path / "tables.md"
    written = runner.invoke(app, ["render", "-l", "en", "--output", str(out)])
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8") == tables.markdown(catalog.load(SEED_CATALOG), "en")
    both = runner.invoke(app, ["render", "--write", "--check"])
    assert both.exit_code == 2


def test_repository_health_is_shown_after_the_github_link(tmp_path, minimal):
    path = tmp_path / "papers.yaml"
    path.write_text(
        minimal.read_text(encoding="utf-8").replace(
            "    arxiv_id: '2212.09748'\n",
            "    arxiv_id: '2212.09748'\n"
            "    github: {stars: 6123, archived: true, checked: 2025-02-10}\n",
        ),
        encoding="utf-8",
    )
    rendered = tables.markdown(catalog.load(path), lang="en").splitlines()
    rows = [row for row in rendered if row.startswith("| 1) **DiT**")]
    assert rows == [
        "| 1) **DiT**: Scalable Diffusion Models with Transformers | "
        "[Paper](https://arxiv.org/abs/2212.09748), "
        "[Github](https://github.com/facebookresearch/DiT) ⭐ 6.1k, archived |"
    ]
