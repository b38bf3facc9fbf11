"""``minisora check-links`` as a curator and a CI job use it, against a server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import DATA
from fake_services import ArxivAPI, isolated  # noqa: F401
from httpserver import LocalServer, reply
from rawservers import no_proxy_of_the_machine  # noqa: F401
from typer.testing import CliRunner

from minisora.cli import app

LINKS = DATA / "linkcheck"
FAST = ["--timeout", "1", "--retries", "1"]


@pytest.fixture
def web() -> Iterator[LocalServer]:
    """The little web the fixture catalogue points at."""
    with LocalServer() as s:
        s.route("/gone/dit-code", lambda r: reply(r, 404, b"gone"))
        s.route("/old/sit", lambda r: reply(r, 301, headers={"Location": "/sit"}))
        s.fallback(lambda r: reply(r, 200, b"page"))
        yield s


@pytest.fixture
def catalog(web: LocalServer, tmp_path: Path) -> Path:
    text = (LINKS / "catalog-links-on-a-local-server.yaml").read_text(encoding="utf-8")
    path = tmp_path / "papers.yaml"
    path.write_text(text.replace("{base}", web.base_url), encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str | Path):
    return runner.invoke(app, ["check-links", *map(str, args)])


def test_catalogue_json_has_one_object_per_url_and_exit_1_for_broken(
    runner: CliRunner, catalog: Path, web: LocalServer
) -> None:
    result = run(runner, "--catalog", catalog, "--format", "json", *FAST)
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["paper"], r["kind"], r["verdict"], r["status"]) for r in rows] == [
        ("dit", "project", "ok", 200),
        ("dit", "github", "broken", 404),
        ("sit", "project", "moved", 200),
        ("latte", "project", "ok", 200),
        ("latte", "github", "ok", 200),
    ]
    assert rows[2]["final_url"] == web.url("/sit")
    assert set(rows[0]) >= {"url", "paper", "kind", "verdict", "status", "final_url", "error"}
    assert isinstance(rows[0]["elapsed_ms"], int)
    assert "5 links in" in result.stderr and "1 broken" in result.stderr


def test_table_groups_problems_by_paper(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, *FAST)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "dit"
    assert lines[1].split() == ["broken", "github", lines[1].split()[2], "HTTP", "404"]
    assert lines[2] == "sit"
    assert lines[3].split()[:2] == ["moved", "project"] and "moved to" in lines[3]
    assert "latte" not in result.stdout  # nothing to report there


def test_kind_and_category_choose_links(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--kind", "github", "-f", "json", *FAST)
    assert [r["paper"] for r in json.loads(result.stdout)] == ["dit", "latte"]
    result = run(runner, "--catalog", catalog, "-c", "Video Generation", "-f", "json", *FAST)
    assert result.exit_code == 0
    assert {r["paper"] for r in json.loads(result.stdout)} == {"latte"}


def test_github_annotations_name_file_and_line(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--format", "github", *FAST)
    assert result.exit_code == 1
    error, warning = result.stdout.splitlines()
    assert error.startswith(f"::error file={catalog},line=15,title=broken link of dit::")
    assert "/gone/dit-code (HTTP 404)" in error
    assert warning.startswith(f"::warning file={catalog},line=23,title=moved link of sit::")


def test_junit_report(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--format", "junit", *FAST)
    suite = ET.fromstring(result.stdout)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "1", "0")
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("classname") for c in failed] == ["dit"]
    assert failed[0].find("failure").get("message") == "broken: HTTP 404"


def test_markdown_report(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--format", "markdown", *FAST)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("**Link check**: 5 links in")
    assert lines[2] == "| Paper | Kind | Link | Verdict | Detail |"
    assert lines[4].startswith("| dit | github | <") and lines[4].endswith("| broken | HTTP 404 |")


def test_exclude_skips_links_and_says_so(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--exclude", "/gone/", "-f", "json", *FAST)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 4
    assert "1 excluded" in result.stderr


def test_url_list_and_markdown_file(runner: CliRunner, web: LocalServer, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# mine\n{web.url('/a')}\n\n{web.url('/gone/dit-code')}\n{web.url('/a')}\n")
    result = run(runner, "--urls", urls, "-f", "json", *FAST)
    assert result.exit_code == 1
    assert [(r["url"], r["verdict"]) for r in json.loads(result.stdout)] == [
        (web.url("/a"), "ok"),
        (web.url("/gone/dit-code"), "broken"),
    ]
    md = tmp_path / "README.md"
    md.write_text(f"# List\n\n- [Paper]({web.url('/a')})\n- [Code]({web.url('/b')})\n")
    result = run(runner, "--urls", md, "-f", "github", *FAST)
    assert result.exit_code == 0 and result.stdout == ""
    assert "2 links in" in result.stderr and "2 ok" in result.stderr


def test_strict_fails_on_moved_links_too(runner: CliRunner, web: LocalServer, tmp_path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(web.url("/old/sit") + "\n")
    assert run(runner, "--urls", urls, *FAST).exit_code == 0
    assert run(runner, "--urls", urls, "--strict", *FAST).exit_code == 1


def test_cache_keeps_ok_links_between_runs(
    runner: CliRunner, catalog: Path, web: LocalServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache" / "links.json"
    run(runner, "--catalog", catalog, "--cache", cache, *FAST)
    asked = len(web.requests)
    result = run(runner, "--catalog", catalog, "--cache", cache, "--max-age", "7d", *FAST)
    assert "3 from cache" in result.stderr
    assert {s.path for s in web.requests[asked:]} == {"/gone/dit-code", "/old/sit", "/sit"}
    assert json.loads(cache.read_text())["version"] == 1


@pytest.mark.usefixtures("isolated")
def test_arxiv_api_checks_arxiv_links_in_one_request(
    runner: CliRunner, web: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = ArxivAPI(web, "score-sde-and-vit.xml")
    monkeypatch.setenv("MINISORA_ARXIV_API", api.url)
    monkeypatch.setenv("MINISORA_ARXIV_DELAY", "0")
    urls = tmp_path / "urls.txt"
    urls.write_text("https://arxiv.org/abs/2011.13456\nhttps://arxiv.org/abs/2010.11929\n")
    result = run(runner, "--urls", urls, "--arxiv", "-f", "json", *FAST)
    assert result.exit_code == 0
    assert [r["verdict"] for r in json.loads(result.stdout)] == ["ok", "ok"]
    assert api.asked == [["2011.13456", "2010.11929"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--urls", LINKS / "urls-with-a-bad-line.txt"], "urls-with-a-bad-line.txt:2: not an"),
        (["--urls", LINKS / "urls-with-comments-and-blanks.txt", "--kind", "github"], "--kind"),
        (["--urls", LINKS / "no-such-file.txt"], "no-such-file.txt: file not found"),
        (["--max-age", "a week"], "--max-age: 'a week' is no duration: write one like 90s"),
        (["--accept", "x.com"], "--accept: 'x.com' is no accept rule: write HOST=CODE"),
        (["--exclude", "("], "--exclude: '(' is not a valid regular expression"),
        (["--concurrency", "0"], "concurrency must be more than 0"),
        (["--cache", LINKS / "cache-truncated.json"], "cache-truncated.json:3: not a link cache"),
        (["--kind", "video"], "unknown link kind 'video'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    runner: CliRunner, catalog: Path, args: list, message: str
) -> None:
    result = run(runner, "--catalog", catalog, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.startswith("error: ") or "Usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_catalogue_is_reported_with_file_and_line(runner: CliRunner, tmp_path) -> None:
    bad = tmp_path / "papers.yaml"
    bad.write_text("categories: []\npapers: []\n")
    result = run(runner, "--catalog", bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:1: categories:")


def test_unknown_format_is_a_usage_error(runner: CliRunner, catalog: Path) -> None:
    result = run(runner, "--catalog", catalog, "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


def test_list_show_validate_never_import_the_checker() -> None:
    code = (
        "import sys; from minisora.cli import app\n"
        "for args in (['list'], ['show', 'dit'], ['validate']):\n"
        "    try: app(args)\n    except SystemExit: pass\n"
        "print(sorted(m for m in ('minisora.linkcheck', 'aiohttp', 'markdown_it')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"
