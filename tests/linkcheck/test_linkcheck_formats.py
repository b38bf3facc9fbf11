"""The pure halves of the link checker: where URLs come from, how reports read, the cache file."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import CATALOGS, DATA

from minisora import catalog
from minisora.cli.options import LinkFormat
from minisora.errors import UsageError
from minisora.linkcheck import (
    RENDERERS,
    LinkCache,
    LinkReport,
    Result,
    Target,
    Verdict,
    accept_rules,
    exclude,
    from_catalog,
    from_file,
    parse_duration,
)
from minisora.linkcheck.report import to_github

LINKS = DATA / "linkcheck"


def test_markdown_links_in_every_form_with_their_lines() -> None:
    found = [
        (t.url.removeprefix("https://example.org/"), t.line)
        for t in from_file(LINKS / "markdown-links-in-every-form.md")
    ]
    assert found == [
        ("dit", 5),
        ("dit-code", 5),
        ("auto", 7),
        ("logo.png", 8),
        ("survey", 10),
        ("html", 10),
        ("badge.svg", 12),
    ]


def test_url_list_skips_comments_and_blanks() -> None:
    targets = from_file(LINKS / "urls-with-comments-and-blanks.txt")
    assert [(t.url, t.line) for t in targets] == [
        ("https://example.org/a", 3),
        ("https://example.org/b", 4),
        ("https://example.org/a", 7),
    ]
    assert targets[0].where == f"{LINKS / 'urls-with-comments-and-blanks.txt'}:3"


def test_url_list_with_a_bad_line_names_it() -> None:
    with pytest.raises(UsageError, match=r"urls-with-a-bad-line.txt:2: not an http\(s\) URL"):
        from_file(LINKS / "urls-with-a-bad-line.txt")


def test_catalogue_targets_know_paper_kind_and_line() -> None:
    path = CATALOGS / "minimal.yaml"
    targets = from_catalog(catalog.load(path), kind="github", path=path, source="papers.yaml")
    assert targets == [
        Target("https://github.com/facebookresearch/DiT", "dit", "github", "papers.yaml", 24)
    ]
    everything = from_catalog(catalog.load(path), category="video-generation")
    assert [t.paper for t in everything] == ["videopoet"]


def test_exclude_counts_what_it_leaves_out() -> None:
    targets = [Target("https://a.org/x"), Target("https://b.org/y"), Target("https://a.org/z")]
    kept, left_out = exclude(targets, [r"^https://a\.org/"])
    assert ([t.url for t in kept], left_out) == (["https://b.org/y"], 2)


def test_accept_rules_and_durations() -> None:
    assert accept_rules(["x.com=403", "X.com=999", "www.linkedin.com=999,403"]) == {
        "x.com": frozenset({403, 999}),
        "linkedin.com": frozenset({403, 999}),
    }
    assert [parse_duration(t) for t in ("90", "90s", "30m", "12h", "7d", "2w")] == [
        90,
        90,
        1800,
        43200,
        604800,
        1209600,
    ]
    with pytest.raises(UsageError):
        accept_rules(["x.com=ok"])


def sample_report() -> LinkReport:
    dit = Target("https://a.org/dit", "dit", "paper", "data/papers.yaml", 12)
    sit = Target("https://a.org/old", "sit", "project", "data/papers.yaml", 20)
    return LinkReport(
        (
            Result("https://a.org/ok", Verdict.OK, 200, targets=(Target("https://a.org/ok"),)),
            Result(dit.url, Verdict.BROKEN, 404, elapsed_ms=31, targets=(dit,)),
            Result(sit.url, Verdict.MOVED, 200, "https://a.org/new, 100%", targets=(sit,)),
            Result("https://slow.org/", Verdict.TIMEOUT, error="no answer in time"),
        ),
        requests=5,
        seconds=1.25,
    )


def test_every_format_has_a_renderer_and_renders_the_sample() -> None:
    assert set(RENDERERS) == {f.value for f in LinkFormat}
    for render in RENDERERS.values():
        assert isinstance(render(sample_report()), str)


def test_summary_counts_verdicts() -> None:
    assert sample_report().summary() == (
        "4 links in 1.2 s: 1 ok, 1 moved, 1 broken, 1 timeout (5 requests)"
    )
    assert not sample_report().ok


def test_github_annotations_escape_what_would_break_them() -> None:
    lines = to_github(sample_report()).splitlines()
    assert lines[0] == (
        "::error file=data/papers.yaml,line=12,title=broken link of dit::"
        "https://a.org/dit (HTTP 404)"
    )
    assert lines[1].endswith("moved to https://a.org/new, 100%25)")
    assert lines[2] == "::warning title=timeout link::https://slow.org/ (no answer in time)"


def test_junit_counts_and_json_fields() -> None:
    suite = ET.fromstring(RENDERERS["junit"](sample_report()))
    assert [suite.get(k) for k in ("tests", "failures", "errors")] == ["4", "1", "1"]
    rows = json.loads(RENDERERS["json"](sample_report()))
    assert rows[1] == {
        "url": "https://a.org/dit",
        "paper": "dit",
        "papers": ["dit"],
        "kind": "paper",
        "verdict": "broken",
        "status": 404,
        "final_url": None,
        "error": None,
        "elapsed_ms": 31,
        "cached": False,
    }


def test_a_truncated_cache_file_is_a_located_error() -> None:
    with pytest.raises(UsageError, match=r"cache-truncated.json:3: not a link cache"):
        LinkCache.load(LINKS / "cache-truncated.json")


def test_cache_round_trip_keeps_only_fresh_ok_results(tmp_path: Path) -> None:
    clock = [100.0]
    cache = LinkCache.load(tmp_path / "c.json", max_age=60, clock=lambda: clock[0])
    cache.update(sample_report().results)
    cache.save()
    again = LinkCache.load(tmp_path / "c.json", max_age=60, clock=lambda: clock[0])
    assert again.fresh("https://a.org/ok") == Result("https://a.org/ok", Verdict.OK, 200)
    assert again.fresh("https://a.org/dit") is None
    clock[0] += 61
    assert again.fresh("https://a.org/ok") is None


def test_a_report_shows_as_markdown_in_jupyter() -> None:
    shown = sample_report()._repr_markdown_()
    assert shown.startswith("**Link check**: 4 links in 1.2 s")
    assert "| dit | paper | <https://a.org/dit> | broken | HTTP 404 |" in shown


PLAIN_LISTS = [
    "| Title | Links |\n| --- | --- |\n"
    + "".join(
        f"| {i}) **T{i}** | [Paper](https://arxiv.org/abs/2401.{i:05d}), "
        f'[Code](https://github.com/a/b{i}?tab=x&q=1 "code") |\n'
        for i in range(50)
    ),
    "# List\n\nSee `a` and `b`.\n\n- [One](https://a.org/1) and ![img](https://a.org/i.png)\n"
    "  - [Two](https://a.org/2#frag)\n\n> [Quoted](https://a.org/q)\n",
    "Para [x](https://a.org/%E4%B8%AD) [rel](docs/x.md) [mail](mailto:a@b.org) [e]()\n",
]
NOT_PLAIN = [
    "[a](https://a.org/1)\n\n[ref]: https://a.org/r\n",  # reference definitions
    "<a href='https://a.org/h'>x</a> [a](https://a.org/1)\n",  # HTML
    "```\n[a](https://a.org/in-code)\n```\n",  # fenced code
    "`code [a](https://a.org/x)`\n",  # a code span
    "    [a](https://a.org/indented)\n",  # indented code
    "[a](https://a.org/x_(y))\n",  # parentheses in the destination
    "[a](https://a.org/中文)\n",  # percent-encoded by markdown-it
    "[a [b] c](https://a.org/x)\n",  # brackets in the text
    "[a](https://a.org/x?a=1&amp;b=2)\n",  # an entity
]


@pytest.mark.parametrize("text", PLAIN_LISTS)
def test_the_fast_path_finds_what_markdown_it_finds(text: str) -> None:
    from minisora.linkcheck.targets import _markdown_links, _plain_links

    assert _plain_links(text) == list(_markdown_links(text))


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_unusual_goes_to_markdown_it(text: str) -> None:
    from minisora.linkcheck.targets import _plain_links

    assert _plain_links(text) is None


def test_real_lists_read_the_same_either_way() -> None:
    from minisora.linkcheck.targets import _markdown_links, _plain_links

    for path in sorted((DATA / "real").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        plain = _plain_links(text)
        assert plain is None or plain == list(_markdown_links(text)), path.name
