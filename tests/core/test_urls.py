"""What counts as a URL: control characters and spaces never do; credentials can be hidden."""

from __future__ import annotations

import pytest
from conftest import CATALOGS

from minisora import catalog
from minisora.core.urls import is_http_url, redact, url_problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/a\x7fb", "URL must not contain control characters"),
        ("https://example.org/\x1b[31mred", "URL must not contain control characters"),
        ("https://exa\x00mple.org/", "URL must not contain control characters"),
        ("https://example.org/\x9b", "URL must not contain control characters"),
        ("https://example.org/a b", "URL must not contain spaces"),
        ("https://example.org/a\tb", "URL must not contain spaces"),
        ("https://example.org/a\u00a0b", "URL must not contain spaces"),
        ("https://example.org/a\nb", "URL must not contain spaces"),
        ("ftp://example.org/a", "URL scheme must be http or https"),
        ("https:///a", "URL must be absolute, with a host (https://host/...)"),
    ],
)
def test_url_problem_names_what_is_wrong(url: str, problem: str) -> None:
    assert url_problem(url) == problem
    assert not is_http_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a",
        "http://127.0.0.1:8080/x?q=1&r=2#frag",
        "https://zh.wikipedia.org/wiki/中文",
        "https://user:pw@example.org/",
    ],
)
def test_ordinary_urls_have_no_problem(url: str) -> None:
    assert url_problem(url) is None


def test_redact_hides_credentials_wherever_they_stand() -> None:
    text = "from http://curator:s3cret@a.org/x to https://token@b.org/y, not c.org/@me"
    assert redact(text) == "from http://***@a.org/x to https://***@b.org/y, not c.org/@me"
    assert redact("https://a.org/p?mail=me@b.org") == "https://a.org/p?mail=me@b.org"


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ('"https://github.com/facebookresearch/DiT\\x7f"', "control characters"),
        ('"https://github.com/facebookresearch/\\eDiT"', "control characters"),
        ('"https://github.com/facebookresearch/ DiT"', "spaces"),
    ],
)
def test_validate_refuses_such_urls_with_file_line_and_field(written: str, problem: str) -> None:
    text = (CATALOGS / "url-scheme.yaml").read_text(encoding="utf-8")
    text = text.replace("ftp://github.com/facebookresearch/DiT", written)
    [finding] = catalog.validate_text(text, "papers.yaml").findings
    assert str(finding).startswith(
        f"papers.yaml:24: papers[1].links[1].url: URL must not contain {problem}"
    )
