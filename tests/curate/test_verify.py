"""``minisora verify`` against an arXiv API and a GitHub API served on 127.0.0.1."""

from __future__ import annotations

import difflib
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fake_services import DATA, ArxivAPI, GithubAPI, closed_url, isolated, service_env  # noqa: F401
from httpserver import LocalServer
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.curate.verify import FixField, same_title, verify
from minisora.sources.arxiv import ArxivSettings
from minisora.sources.github import GithubSettings

pytestmark = pytest.mark.usefixtures("isolated")

ARXIV = ("wrapped-title.xml", "score-sde-and-vit.xml", "title-with-lead.xml", "withdrawn.xml")
GITHUB = {
    "/repos/facebookresearch/DiT": "repo.json",
    "/repos/ermongroup/ddim": "archived.json",
    "/repos/guoyww/animate-diff": ("moved", "/repositories/612360512"),
    "/repositories/612360512": "renamed.json",
    "/repos/guoyww/AnimateDiff": "renamed.json",
}


class Services:
    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.arxiv = ArxivAPI(server, *ARXIV)
        self.github = GithubAPI(server, GITHUB)
        self.env = service_env(self.arxiv.url, self.github.url)


@pytest.fixture
def services() -> Iterator[Services]:
    with LocalServer() as server:
        yield Services(server)


def copy(tmp_path: Path, fixture: str) -> Path:
    return Path(shutil.copy(DATA / fixture, tmp_path / Path(fixture).name))


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def run(runner: CliRunner, services: Services, path: Path, *args: str):
    return runner.invoke(app, ["verify", *args, "--catalog", str(path)], env=services.env)


def test_both_wrong_links_from_the_community_list_are_named(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    result = run(runner, services, path, "--no-repos")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:18: papers[1].title: title differs from arXiv 2011.13456, which is "
        "'Score-Based Generative Modeling through Stochastic Differential Equations'; "
        "is the arXiv link for another paper?",
        f"warning: {path}:20: papers[1].year: year 2022, but arXiv 2011.13456 was first "
        "submitted in 2020",
        f"error: {path}:29: papers[2].title: title differs from arXiv 2010.11929, which is "
        "'An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale'; "
        "is the arXiv link for another paper?",
        f"warning: {path}:31: papers[2].year: year 2021, but arXiv 2010.11929 was first "
        "submitted in 2020",
        f"{path}: 3 papers checked on arXiv, 0 repositories on GitHub: 2 errors, 2 warnings; "
        "fixable with --fix title, --fix year",
    ]
    assert services.arxiv.asked == [["2212.09748", "2011.13456", "2010.11929"]]
    assert services.server.requests[0].path.startswith("/api/query?")
    assert result.stdout == ""


def test_fix_writes_arxiv_values_for_the_chosen_fields_only(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    before = path.read_text(encoding="utf-8")
    result = run(runner, services, path, "--no-repos", "--fix", "year")
    assert result.exit_code == 1  # the titles are still wrong
    assert result.stderr.splitlines()[-1] == (
        f"{path}: 3 papers checked on arXiv, 0 repositories on GitHub: 2 errors, 0 warnings; "
        "wrote 2 fixes; fixable with --fix title"
    )
    assert "papers[1].year" not in result.stderr and "papers[1].title" in result.stderr
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-    year: 2022",
        "+    year: 2020",
        "-    year: 2021",
        "+    year: 2020",
    ]
    result = run(runner, services, path, "--no-repos", "--fix", "title")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("0 errors, 0 warnings; wrote 2 fixes\n")
    cat = catalog.load(path)
    assert cat.get("clip").title.startswith("An Image is Worth 16x16 Words")
    assert cat.get("dit").title == "Scalable Diffusion Models with Transformers"  # untouched
    assert run(runner, services, path, "--no-repos").exit_code == 0


def test_an_edit_that_would_change_other_lines_is_refused(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n", 5))  # mixed line endings
    before = path.read_bytes()
    result = run(runner, services, path, "--no-repos", "--fix", "year")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}:6: the YAML writer would also change this line; nothing was written "
        "(please report this)\n"
    )
    assert path.read_bytes() == before


def test_withdrawn_and_unknown_papers(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/withdrawn-and-unknown.yaml")
    result = run(runner, services, path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"error: {path}:10: papers[0].arxiv_id: arXiv 2305.10001 has been withdrawn: "
        "This paper has been withdrawn by the authors",
        f"error: {path}:18: papers[1].arxiv_id: arXiv has no paper 2212.99999",
    ]
    assert "papers[2]" not in result.stderr  # Latte's title lacks "Latte:": still the same paper


def test_repository_health(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "github/repo-health.yaml")
    result = run(runner, services, path, "--no-arxiv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"warning: {path}:23: papers[1].links[0].url: repository ermongroup/ddim is archived "
        "(read-only)",
        f"warning: {path}:31: papers[2].links[0].url: repository guoyww/animate-diff has moved "
        "to https://github.com/guoyww/AnimateDiff",
        f"error: {path}:38: papers[3].links[0].url: GitHub has no repository "
        "someone/deleted-repo (HTTP 404)",
        f"{path}: 0 papers checked on arXiv, 4 repositories on GitHub: 1 error, 2 warnings; "
        "fixable with --fix github",
    ]  # the link to an account (github.com/openai) is not a repository to check
    assert services.arxiv.asked == []


def test_update_stores_repository_health_and_fix_follows_a_move(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "github/repo-health.yaml")
    before = path.read_text(encoding="utf-8")
    result = run(runner, services, path, "--no-arxiv", "--update", "--fix", "github")
    assert result.stderr.endswith("; wrote 1 fix and 3 repository statuses\n")
    today = date.today().isoformat()
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        f"+    github: {{stars: 6814, archived: false, pushed_at: 2024-05-31, checked: {today}}}",
        f"+    github: {{stars: 1546, archived: true, pushed_at: 2022-10-03, checked: {today}}}",
        f"+    github: {{stars: 11021, archived: false, pushed_at: 2024-07-17, moved_to: "
        f"https://github.com/guoyww/AnimateDiff, checked: {today}}}",
        "-      - {kind: github, url: https://github.com/guoyww/animate-diff/tree/main}",
        "+      - {kind: github, url: https://github.com/guoyww/AnimateDiff}",
    ]
    ddim = catalog.load(path).get("ddim")
    assert ddim.github is not None and ddim.github.archived and ddim.github.stars == 1546
    again = run(runner, services, path, "--no-arxiv", "--update")
    assert again.stderr.endswith("; wrote 1 repository status\n")  # moved_to is gone now


def test_json_output(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "github/repo-health.yaml")
    result = run(runner, services, path, "-f", "json")
    data = json.loads(result.stdout)
    assert {f["rule"] for f in data["findings"]} == {
        "github-archived",
        "github-moved",
        "github-missing",
    }
    dit = next(r for r in data["repositories"] if r["repo"] == "facebookresearch/DiT")
    assert dit == {
        "repo": "facebookresearch/DiT",
        "found": True,
        "full_name": "facebookresearch/DiT",
        "stars": 6814,
        "archived": False,
        "pushed_at": "2024-05-31",
        "moved_to": None,
    }


def test_category_filter_asks_only_for_its_papers(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    result = run(runner, services, path, "-c", "Multimodal", "--no-repos")
    assert services.arxiv.asked == [["2010.11929"]]
    assert "papers[2].title" in result.stderr and "papers[1]" not in result.stderr


def test_token_reaches_github_only(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "github/repo-health.yaml")
    env = {**services.env, "GITHUB_TOKEN": "s3cret"}
    runner.invoke(app, ["verify", "--catalog", str(path)], env=env)
    seen = {r.path.split("?")[0]: r.headers.get("Authorization") for r in services.server.requests}
    assert seen["/api/query"] is None
    assert seen["/repos/facebookresearch/DiT"] == "Bearer s3cret"


def test_offline_is_one_line_exit_2_and_no_change(runner, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    before = path.read_bytes()
    env = service_env(closed_url("/api/query"), closed_url())
    result = runner.invoke(
        app, ["verify", "--update", "--fix", "title", "--catalog", str(path)], env=env
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot reach the ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_unknown_fix_field(runner, services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    result = run(runner, services, path, "--fix", "authors")
    assert result.exit_code == 2
    assert result.stderr == "error: cannot fix 'authors'; choose from: title, year, github\n"


def test_library_call_for_notebooks(services, tmp_path) -> None:
    path = copy(tmp_path, "arxiv/wrong-links.yaml")
    report = verify(
        path,
        arxiv=ArxivSettings(api_url=services.arxiv.url, delay=0),
        github=GithubSettings(api_url=services.github.url),
        check_github=False,
    )
    assert [(f.line, f.rule) for f in report.errors] == [(18, "arxiv-title"), (29, "arxiv-title")]
    assert {fix.field for fix in report.fixes} == {FixField.TITLE, FixField.YEAR}
    assert not report.applied and report.arxiv_checked == 3


SURVEY = "The What, Why, and How of Context Length Extension Techniques in Large Language Models"


@pytest.mark.parametrize(
    ("ours", "theirs", "same"),
    [
        ("Scalable Diffusion Models with Transformers",
         "Scalable diffusion models with transformers.", True),
        ("Latent Diffusion Transformer for Video Generation",
         "Latte: Latent Diffusion Transformer for Video Generation", True),
        ("Scalable Difusion Models with Transformer",
         "Scalable Diffusion Models with Transformers", True),
        (f"{SURVEY} – A Detailed Survey", f"{SURVEY} -- A Detailed Survey", True),
        ("Diffusion Models in Vision: A Survey",
         "Score-Based Generative Modeling through Stochastic Differential Equations", False),
        ("Video Diffusion Models",
         "Imagen Video: High Definition Video Generation with Diffusion Models", False),
    ],
)  # fmt: skip
def test_same_title(ours: str, theirs: str, same: bool) -> None:
    assert same_title(ours, theirs) is same


def test_a_typo_in_the_github_field_gets_a_suggestion(runner) -> None:
    path = DATA / "github" / "status-typo.yaml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"error: {path}:9: papers[0].github.stras: unknown field 'stras'; did you mean 'stars'?"
        in result.stderr
    )
