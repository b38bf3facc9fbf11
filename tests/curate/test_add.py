"""``minisora add`` as a curator uses it, against an arXiv API served on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CATALOGS, DATA
from fake_services import ArxivAPI, closed_url, isolated, service_env  # noqa: F401
from httpserver import LocalServer
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.curate.add import add_paper, propose_id, propose_short_name
from minisora.sources.arxiv import ArxivSettings

pytestmark = pytest.mark.usefixtures("isolated")

FIXTURES = ("long-author-list.xml", "title-with-lead.xml", "wrapped-title.xml", "withdrawn.xml")


@pytest.fixture
def arxiv() -> Iterator[ArxivAPI]:
    with LocalServer() as server:
        yield ArxivAPI(server, *FIXTURES)


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    """A copy of the frozen seed catalogue (data/papers.yaml grows every week)."""
    return Path(shutil.copy(CATALOGS / "seed-2024.yaml", tmp_path / "papers.yaml"))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A copy of the small test catalogue (sora, dit, videopoet)."""
    return Path(shutil.copy(CATALOGS / "minimal.yaml", tmp_path / "minimal.yaml"))


def add(runner: CliRunner, arxiv_url: str, path: Path, *args: str):
    return runner.invoke(app, ["add", *args, "--catalog", str(path)], env=service_env(arxiv_url))


def test_add_appends_the_entry_and_keeps_every_other_byte(runner, arxiv, papers) -> None:
    before = papers.read_text(encoding="utf-8")
    result = add(runner, arxiv.url, papers, "2311.15127", "-c", "Video Generation",
                 "--github", "https://github.com/Stability-AI/generative-models")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = papers.read_text(encoding="utf-8")
    assert after.startswith(before)
    appended = after[len(before) :]
    assert appended == "\n" + result.stdout
    assert result.stdout == (
        "  - id: stable-video-diffusion\n"
        "    title: 'Stable Video Diffusion: Scaling Latent Video Diffusion Models to Large "
        "Datasets'\n"
        "    category: video-generation\n"
        "    year: 2023\n"
        "    arxiv_id: '2311.15127'\n"
        "    authors: [Andreas Blattmann, Tim Dockhorn, Sumith Kulal, Daniel Mendelevitch, "
        "Maciej Kilian, Dominik Lorenz, Yam Levi, Zion English, Vikram Voleti, Adam Letts, "
        "Varun Jampani, Robin Rombach]\n"
        "    links:\n"
        "      - {kind: paper, url: https://arxiv.org/abs/2311.15127}\n"
        "      - {kind: github, url: https://github.com/Stability-AI/generative-models}\n"
    )
    line = before.count("\n") + 2
    assert result.stderr.endswith(f"added 'stable-video-diffusion' to {papers} at line {line}\n")
    paper = catalog.load(papers).get("stable-video-diffusion")
    assert paper.year == 2023 and len(paper.authors) == 12
    assert arxiv.asked == [["2311.15127"]]


def test_short_name_and_id_are_proposed_from_the_title(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "https://arxiv.org/abs/2401.03048v1", "-c", "视频生成",
                 "--modelscope", "https://modelscope.cn/models?name=Latte&page=1")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    latte = catalog.load(small).get("latte")
    assert latte.short_name == "Latte"
    assert latte.title == "Latte: Latent Diffusion Transformer for Video Generation"
    assert latte.category == "video-generation" and latte.year == 2024
    assert [(link.kind.value, link.url) for link in latte.links] == [
        ("paper", "https://arxiv.org/abs/2401.03048"),
        ("modelscope", "https://modelscope.cn/models?name=Latte&page=1"),
    ]


def test_library_call_for_notebooks(arxiv, small) -> None:
    added = add_paper("2401.03048", "video-generation", path=small, short_name="Latte",
                      paper_id="latte-dit", arxiv=ArxivSettings(api_url=arxiv.url, delay=0),
                      dry_run=True)  # fmt: skip
    assert added.paper.id == "latte-dit" and not added.written
    assert added.record.authors[0] == "Xin Ma"
    assert added.entry.startswith("  - id: latte-dit\n    short_name: Latte\n")
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()


def test_dry_run_shows_the_entry_and_changes_nothing(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith("  - id: latte\n")
    assert "would add 'latte'" in result.stderr
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()


def test_arxiv_id_already_listed_is_refused_naming_the_entry(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "arXiv:2212.09748v2", "-c", "video-generation")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: arXiv 2212.09748 is already in the catalogue as 'dit' ({small}:16)\n"
    )
    assert arxiv.asked == []  # refused before asking arXiv
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()


def test_title_already_listed_without_arxiv_id_is_refused(runner, arxiv, papers) -> None:
    before = papers.read_bytes()
    result = add(runner, arxiv.url, papers, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 2
    assert "is already in the catalogue as 'latte'" in result.stderr
    assert "add arxiv_id: '2401.03048' and its link there instead" in result.stderr
    assert papers.read_bytes() == before


def test_unknown_category_lists_the_valid_ones(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "Videos")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown category 'Videos'; valid categories: ")
    assert "video-generation (Video Generation / 视频生成)" in result.stderr


def test_not_an_arxiv_id(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "latte", "-c", "video-generation")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: 'latte' is not an arXiv id or URL")


def test_paper_arxiv_does_not_know(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2212.99999", "-c", "video-generation")
    assert (result.exit_code, result.stderr) == (2, "error: arXiv has no paper 2212.99999\n")


def test_withdrawn_paper_is_refused(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2305.10001", "-c", "video-generation")
    assert result.exit_code == 2
    assert "arXiv 2305.10001 has been withdrawn (This paper has been withdrawn" in result.stderr
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()


def test_invalid_entry_is_refused_before_writing(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation",
                 "--github", "github.com/Vchitect/Latte")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {small}:46: papers[3].links[1].url: URL scheme must be http or https "
        "(got 'github.com/Vchitect/Latte')\n"
    )
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()
    assert sorted(p.name for p in small.parent.iterdir()) == [
        ".minimal.yaml.lock",
        "cache",
        "minimal.yaml",
    ]


def test_a_warning_about_the_new_entry_is_shown(runner, arxiv, small) -> None:
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation",
                 "--github", "https://maxin-cn.github.io/latte_project/")  # fmt: skip
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "should be on github.com" in result.stderr


def test_offline_is_one_line_exit_2_and_no_change(runner, small) -> None:
    url = closed_url("/api/query")
    result = add(runner, url, small, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot reach the arXiv API at {url}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert small.read_bytes() == (CATALOGS / "minimal.yaml").read_bytes()


def test_windows_line_endings_are_kept(runner, arxiv, small) -> None:
    small.write_bytes((CATALOGS / "minimal.yaml").read_bytes().replace(b"\n", b"\r\n"))
    before = small.read_bytes()
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 0, result.stderr
    after = small.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == after.count(b"\r\n")
    assert after.count(b"\r\n") > before.count(b"\r\n")


def test_file_without_final_newline(runner, arxiv, small) -> None:
    small.write_bytes((CATALOGS / "minimal.yaml").read_bytes().rstrip(b"\n"))
    before = small.read_bytes()
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 0, result.stderr
    assert small.read_bytes().startswith(before + b"\n\n  - id: latte\n")


def test_mixed_line_endings_are_kept_as_they_are(runner, arxiv, small) -> None:
    small.write_bytes((CATALOGS / "minimal.yaml").read_bytes().replace(b"\n", b"\r\n", 3))
    before = small.read_bytes()
    result = add(runner, arxiv.url, small, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 0, result.stderr
    assert small.read_bytes().startswith(before)


def test_papers_before_other_keys_get_the_entry_after_the_last_paper(runner, arxiv, tmp_path):
    path = Path(shutil.copy(DATA / "arxiv" / "papers-not-last.yaml", tmp_path / "catalog.yaml"))
    before = path.read_text(encoding="utf-8")
    result = add(runner, arxiv.url, path, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    head, tail = before.split("\n\n# The plan.\n")
    assert after == head + "\n\n" + result.stdout + "\n# The plan.\n" + tail
    assert result.stdout.startswith("- id: latte\n  short_name: Latte\n")
    assert "  - {kind: paper, url: https://arxiv.org/abs/2401.03048}\n" in result.stdout
    assert catalog.load(path).reading_plan == ("dit",)


def test_first_paper_of_an_empty_catalogue(runner, arxiv, tmp_path) -> None:
    path = Path(shutil.copy(DATA / "arxiv" / "no-papers-yet.yaml", tmp_path / "catalog.yaml"))
    result = add(runner, arxiv.url, path, "2401.03048", "-c", "video-generation")
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\npapers:\n" + result.stdout)
    assert result.stdout.startswith("  - id: latte\n")
    assert [p.id for p in catalog.load(path).papers] == ["latte"]


@pytest.mark.parametrize(
    ("title", "github", "expected"),
    [
        ("Latte: Latent Diffusion Transformer for Video Generation", None, "Latte"),
        ("Emu Video: Factorizing Text-to-Video Generation", None, "Emu Video"),
        ("Stable Video Diffusion: Scaling Latent Video Diffusion Models", None, None),
        (
            "Scalable Diffusion Models with Transformers",
            "https://github.com/facebookresearch/DiT",
            "DiT",
        ),
        ("Denoising Diffusion Implicit Models", "https://github.com/ermongroup/ddim", None),
    ],
)
def test_propose_short_name(title: str, github: str | None, expected: str | None) -> None:
    assert propose_short_name(title, github) == expected


def test_propose_id_avoids_taken_ids() -> None:
    title = "Photorealistic Video Generation with Diffusion Models"
    assert propose_id(None, title, "2312.06662", set()) == "photorealistic-video-generation"
    assert propose_id("DiT", "x", "2212.09748", {"dit"}) == "dit-2"
    assert propose_id(None, "视频生成", "2401.00001", set()) == "arxiv-2401-00001"
