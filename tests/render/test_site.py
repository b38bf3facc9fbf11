"""``minisora site``: the static page, tested as HTML and in a real browser (Debian's chromium
driven by Playwright), served from 127.0.0.1 and opened from file://.

The browser tests skip, with the reason, only when /usr/bin/chromium or playwright is missing.
"""

from __future__ import annotations

import html
import json
import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browser import ARGS, CHROMIUM, static_files
from typer.testing import CliRunner

from minisora import catalog
from minisora.catalog import Catalog
from minisora.cli import app
from minisora.models import GithubStatus, Link, Paper
from minisora.render.site import build_site, site_data, write_site

DATA = Path(__file__).resolve().parents[1] / "data" / "site"
SMALL = DATA / "small.yaml"
HOSTILE = DATA / "hostile.yaml"
# Titles with real tags cannot pass validation; the hostile test adds them with model_copy.
SCRIPT_TITLE = '<script>window.__pwned = "script"</script> "quotes" & <b>bold</b>'
IMG_NAME = "<img src=x onerror=\"window.__pwned = 'img'\">"
SVG_DESCRIPTION = "<svg onload=\"window.__pwned = 'svg'\"></svg> described"

try:
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def _small() -> Catalog:
    return catalog.load(SMALL)


def _hostile() -> Catalog:
    cat = catalog.load(HOSTILE)
    second = cat.papers[1].model_copy(
        update={"title": SCRIPT_TITLE, "short_name": IMG_NAME, "description": SVG_DESCRIPTION}
    )
    return cat.model_copy(update={"papers": (cat.papers[0], second)})


def _big(n: int = 120) -> Catalog:
    """``n`` copies of small.yaml's DiT under new ids: enough papers for several result pages."""
    base = _small()
    dit = base.get("dit")
    papers = [dit.model_copy(update={"id": f"p{i}", "short_name": f"P{i}"}) for i in range(n)]
    return base.model_copy(update={"papers": tuple(papers), "reading_plan": ()})


def _search_text(paper: Paper) -> str:
    fields = [paper.short_name or "", paper.title, paper.id, *paper.authors, paper.venue or ""]
    fields += [*paper.tags, getattr(paper, "description", None) or "", paper.arxiv_id or ""]
    return "\n".join(fields).lower()


def expected(
    cat: Catalog,
    q: str = "",
    category: str | None = None,
    start: int | None = None,
    end: int | None = None,
    has: tuple[str, ...] = (),
) -> set[str]:
    """The ids the page should show, computed independently of its script."""
    words = q.lower().split()
    return {
        p.id
        for p in cat.papers
        if all(w in _search_text(p) for w in words)
        and (category is None or category in p.categories)
        and (start is None or (p.year or 0) >= start)
        and (end is None or (p.year is not None and p.year <= end))
        and all(p.has(kind) for kind in has)
    }


# --- the files, without a browser ----------------------------------------------------------


def _data_of(page: str) -> Any:
    found = re.search(r'<script type="application/json" id="minisora-data">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_index_is_self_contained_with_a_strict_policy():
    files = build_site(_small())
    assert sorted(files) == ["index.html", "list.html"]
    page = files["index.html"]
    # No stylesheet, script, image or font from anywhere: everything is inline.
    assert not re.search(r"<(?:link|img|iframe)\b|\bsrc=|@import|url\(", page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1)
    assert "script-src 'sha256-" in policy.group(1)
    assert "unsafe-inline" not in policy.group(1)
    assert _data_of(page) == json.loads(json.dumps(site_data(_small()), ensure_ascii=False))


ODD_URLS = (
    "HTTPS://Example.org/A/b",
    "HTTPS://Example.org/A/x",
    "https://example.org",
    "https://example.org?x=1",
    "https://example.org?x=2",
    "https://example.org/A/c",
    "https://example.org/A/c",
    "https://user@example.org:8080/A/",
)


def test_data_decodes_to_every_link_and_field():
    base = _small()
    odd = base.papers[1].model_copy(
        update={"links": tuple(Link(kind="other", url=url) for url in ODD_URLS)}
    )
    zero = base.get("dit").model_copy(
        update={"github": GithubStatus(stars=0, checked=date(2025, 1, 1))}
    )
    cat = base.model_copy(update={"papers": (*base.papers, odd, zero)})
    data = site_data(cat)
    for paper, row in zip(cat.papers, data["papers"], strict=True):
        urls = [(data["origins"][link[1]] if link[1] >= 0 else "") + link[2] for link in row[8]]
        assert urls == [link.url for link in paper.links]
        assert [data["kinds"][link[0]] for link in row[8]] == [x.kind.value for x in paper.links]
        assert [data["categories"][i][0] for i in row[3]] == list(paper.categories)
    dit = data["papers"][[p.id for p in cat.papers].index("dit")]
    assert dit[9] == [6123, 0, "2024-05-01"]
    assert data["papers"][-1][9] == [0]  # no stars is not "no GitHub status"
    assert data["plan"] == ["sora", "dit", "latte"]


def test_hostile_text_is_escaped_in_every_file():
    files = build_site(_hostile())
    for name, page in files.items():
        assert "<script>window" not in page, name
        assert "<img" not in page and "<svg" not in page, name
    assert html.escape(SCRIPT_TITLE) in files["list.html"]
    assert html.escape(IMG_NAME) in files["index.html"]  # in the no-JS list
    # In the JSON, "<" is \u003c: nothing can close the data's <script> element early.
    data_text = re.search(r'id="minisora-data">(.*?)</script>', files["index.html"], re.S)
    assert data_text is not None and "<" not in data_text.group(1)
    assert _data_of(files["index.html"])["papers"][1][2] == SCRIPT_TITLE
    # A tag that spells a template placeholder stays text.
    assert _data_of(files["index.html"])["papers"][0][7] == [
        "&lt;b&gt;bold&lt;/b&gt;",
        "{{SCRIPT}}",
    ]


def test_a_huge_list_moves_to_list_html():
    files = build_site(_small(), inline_limit=0)
    assert 'http-equiv="refresh" content="0; url=list.html"' in files["index.html"]
    item = "<li><b>DiT</b>: Scalable Diffusion Models with Transformers"
    assert item not in files["index.html"]
    assert item in files["list.html"]
    inline = build_site(_small())["index.html"]
    assert 'http-equiv="refresh"' not in inline
    assert item in inline


def test_cli_writes_the_files(tmp_path: Path):
    out = tmp_path / "new" / "site"
    result = CliRunner().invoke(app, ["site", "-o", str(out), "--catalog", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "9 papers" in result.output
    files = build_site(_small())
    for name, text in files.items():
        path = out / name
        assert path.read_text(encoding="utf-8") == text
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in out.iterdir()) == sorted(files)  # no temporary files left


def test_cli_reports_a_broken_catalogue(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("categories: []\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["site", "-o", str(tmp_path / "out"), "--catalog", str(broken)]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "out" / "index.html").exists()


# --- in the browser ----------------------------------------------------------------------------


# One browser for every browser test; they all live in this module. Not session-wide: while
# Playwright's sync API runs it marks an asyncio loop as running on the main thread, and the
# asyncio.run() of the link-check tests that follow would refuse to start.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if sync_playwright is None:
        pytest.skip("browser tests need playwright's Python package (pip install playwright)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Built sites under one folder, served on 127.0.0.1: (folder, base URL)."""
    root = tmp_path_factory.mktemp("sites")
    write_site(_small(), root / "small")
    write_site(_hostile(), root / "hostile")
    write_site(catalog.load(), root / "bundled")
    write_site(_big(), root / "big")
    for name, text in build_site(_small(), inline_limit=0).items():
        (root / "huge").mkdir(exist_ok=True)
        (root / "huge" / name).write_text(text, encoding="utf-8")
    with static_files(root) as served:
        yield root, served.base_url


# Records what the page must never do: raise, run injected code, break its policy, fetch.
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


class Watched:
    """A page with everything it did that it should not have."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        context.add_init_script(WATCH)
        context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.new_page()

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        return page

    def check(self, base: str) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert self.page.evaluate("window.__violations") == []
        foreign = [u for u in self.requests if not u.startswith((base + "/", "file://"))]
        assert foreign == []


@pytest.fixture
def watched(browser: Browser, sites: tuple[Path, str]) -> Iterator[Watched]:
    context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    w = Watched(context)
    yield w
    w.check(sites[1])
    context.close()


def ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("#results > li", "els => els.map(e => e.id.slice(6))")


def shown(page: Page) -> int:
    return int(page.get_attribute("#count", "data-shown") or -1)


def open_site(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector("#app:not([hidden])")
    return page


def test_the_bundled_catalogue_is_all_shown(watched: Watched, sites: tuple[Path, str]):
    cat = catalog.load()
    page = open_site(watched.page, sites[1] + "/bundled/index.html")
    assert shown(page) == len(cat.papers)
    assert page.get_attribute("#count", "data-total") == str(len(cat.papers))
    assert page.locator("#category option").count() == len(cat.categories) + 1
    # One page of cards at a time; the rest behind "Show more".
    assert len(ids(page)) == min(50, len(cat.papers))
    assert page.evaluate("performance.getEntriesByName('minisora-ready').length") == 1


def test_search_ranks_short_names_first_and_highlights(watched: Watched, sites: tuple[Path, str]):
    cat = _small()
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.fill("#q", "dit")
    found = ids(page)
    assert set(found) == expected(cat, "dit") == {"dit", "mcvd"}
    # MCVD ("Conditional") comes first in the file; DiT's short name puts it first here.
    assert found[0] == "dit"
    assert page.locator("#paper-dit mark").all_inner_texts() == ["DiT"]
    assert page.locator("#paper-mcvd mark").all_inner_texts() == ["dit"]
    assert shown(page) == 2
    assert page.inner_text("#count") == "2 of 9 papers"


@pytest.mark.parametrize(
    "q", ["diffusion", "ho", "ICCV", "开源", "technical report", "Peebles xie", "2212.09748"]
)
def test_search_covers_every_field(watched: Watched, sites: tuple[Path, str], q: str):
    cat = _small()
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.fill("#q", q)
    assert set(ids(page)) == expected(cat, q)
    assert expected(cat, q)  # each query finds something, so the comparison means something


def test_no_match_says_so(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.fill("#q", "zzzz-nothing")
    assert ids(page) == []
    assert "No papers match" in page.inner_text("#count")


def test_filters_combine_with_search(watched: Watched, sites: tuple[Path, str]):
    cat = _small()
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.select_option("#category", "video-generation")
    assert set(ids(page)) == expected(cat, category="video-generation")
    assert ids(page) == [p.id for p in cat.papers if p.id in ids(page)]  # file order
    page.select_option("#from", "2022")
    page.select_option("#to", "2023")
    assert set(ids(page)) == expected(cat, category="video-generation", start=2022, end=2023)
    page.get_by_role("checkbox", name="GitHub").check()
    assert set(ids(page)) == {"mcvd", "dit"}
    assert set(ids(page)) == expected(
        cat, category="video-generation", start=2022, end=2023, has=("github",)
    )
    page.fill("#q", "diffusion")
    assert set(ids(page)) == expected(
        cat, "diffusion", category="video-generation", start=2022, end=2023, has=("github",)
    )
    page.get_by_role("checkbox", name="ModelScope").check()
    assert ids(page) == ["dit"]
    page.click("#reset")
    assert shown(page) == len(cat.papers)
    assert page.input_value("#q") == ""


def test_the_url_reproduces_a_view(watched: Watched, sites: tuple[Path, str]):
    cat = _small()
    page = open_site(
        watched.page,
        sites[1] + "/small/index.html#q=diffusion&category=video-generation&from=2020&has=github",
    )
    assert page.input_value("#q") == "diffusion"
    assert page.input_value("#category") == "video-generation"
    assert page.input_value("#from") == "2020"
    assert page.input_value("#to") == ""
    assert page.get_by_role("checkbox", name="GitHub").is_checked()
    assert set(ids(page)) == expected(
        cat, "diffusion", category="video-generation", start=2020, has=("github",)
    )
    page.select_option("#to", "2022")
    assert page.evaluate("location.hash") == (
        "#q=diffusion&category=video-generation&from=2020&to=2022&has=github"
    )
    # Unknown values are ignored, not trusted.
    page.goto(sites[1] + "/small/index.html#category=nope&has=nope,github&from=x")
    assert page.input_value("#category") == ""
    assert set(ids(page)) == expected(cat, has=("github",))


def _back_and_forward(page: Page) -> None:
    cat = _small()
    page.locator("#q").press_sequentially("dit")
    assert page.evaluate("location.hash") == "#q=dit"
    page.select_option("#category", "video-generation")
    assert page.evaluate("location.hash") == "#q=dit&category=video-generation"
    assert ids(page) == ["dit", "mcvd"]
    page.go_back()
    assert page.evaluate("location.hash") == "#q=dit"
    page.wait_for_function("document.getElementById('category').value === ''")
    assert page.input_value("#q") == "dit"
    assert set(ids(page)) == {"dit", "mcvd"}
    # Typing made one history entry, not one per key.
    page.go_back()
    page.wait_for_function("document.getElementById('q').value === ''")
    assert shown(page) == len(cat.papers)
    page.go_forward()
    page.go_forward()
    page.wait_for_function("document.getElementById('category').value === 'video-generation'")
    assert page.input_value("#q") == "dit"


def test_back_and_forward_over_http(watched: Watched, sites: tuple[Path, str]):
    _back_and_forward(open_site(watched.page, sites[1] + "/small/index.html"))


def test_works_from_a_file_url(watched: Watched, sites: tuple[Path, str]):
    url = (sites[0] / "small" / "index.html").as_uri()
    _back_and_forward(open_site(watched.page, url))
    page = open_site(watched.page, url + "#q=latte")
    assert ids(page) == ["latte"]


def test_language_follows_the_browser_and_is_remembered(browser: Browser, sites: tuple[Path, str]):
    url = sites[1] + "/small/index.html"
    zh = Watched(browser.new_context(locale="zh-CN"))
    page = open_site(zh.page, url)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.inner_text("label[for=q]") == "搜索"
    assert "扩散模型" in page.locator("#category").inner_text()
    assert page.inner_text("#count") == "显示 9 / 9 篇论文"
    page.click("#lang")
    assert page.inner_text("label[for=q]") == "Search"
    page.reload()
    page.wait_for_selector("#app:not([hidden])")
    assert page.inner_text("label[for=q]") == "Search"  # remembered over the browser's choice
    zh.check(sites[1])
    zh.context.close()


def test_every_interface_text_is_translated(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/small/index.html")
    texts = """() => [
        ...[...document.querySelectorAll('[data-i18n]')].map(e => e.textContent),
        document.title, document.getElementById('q').placeholder,
        document.getElementById('lang').textContent, document.getElementById('count').textContent,
        ...[...document.querySelectorAll('#category option')].map(e => e.textContent),
        document.querySelector('#from option').textContent,
        ...[...document.querySelectorAll('#kinds label')].map(e => e.textContent),
        document.querySelector('#paper-dit .meta .cat').textContent,
        document.querySelector('#paper-dit .plan-badge').textContent,
        ...[...document.querySelectorAll('#paper-ddpm .chip')].map(e => e.textContent),
    ]"""
    english = page.evaluate(texts)
    page.get_by_role("button", name="切换到中文 (switch to Chinese)").click()
    chinese = page.evaluate(texts)
    same = [
        e
        for e, c in zip(english, chinese, strict=True)
        if e == c and e.strip() not in {"GitHub", "ModelScope"}
    ]
    assert same == []
    assert "扩散 Transformer, 视频生成" in chinese
    assert "共读计划 第 2 篇" in chinese
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.evaluate("localStorage.getItem('minisora.lang')") == "zh"


def test_paper_details_plan_and_github_health(watched: Watched, sites: tuple[Path, str]):
    cat = _small()
    page = open_site(watched.page, sites[1] + "/small/index.html")
    plan = page.locator("#plan-list > li .short").all_inner_texts()
    assert plan == [cat.get(i).short_name for i in cat.reading_plan]
    dit = page.locator("#paper-dit")
    assert dit.locator(".title").inner_text() == "Scalable Diffusion Models with Transformers"
    assert dit.locator(".meta > span").all_inner_texts() == [
        "Diffusion Transformer, Video Generation",
        "2023",
        "ICCV 2023",
        "William Peebles, Saining Xie",
    ]
    links = dit.locator(".links a")
    hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs == [x.url for x in cat.get("dit").links]
    assert dit.locator(".links .kind").all_inner_texts() == ["Paper", "GitHub", "ModelScope"]
    assert "Reading plan #2" in dit.locator(".chip").all_inner_texts()
    assert "★ 6,123 stars" in dit.locator(".chip").all_inner_texts()
    assert dit.locator(".archived").count() == 0
    ddpm = page.locator("#paper-ddpm")
    assert ddpm.locator(".archived").inner_text() == "archived"
    sora = page.locator("#paper-sora")
    assert "Sora: Creating video from text" in sora.locator(".links").inner_text()
    assert sora.locator(".meta .year").inner_text() == "2024"


def test_results_come_a_page_at_a_time(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/big/index.html")
    assert shown(page) == 120
    assert len(ids(page)) == 50
    page.click("#more")
    assert len(ids(page)) == 100
    assert page.evaluate("document.activeElement.closest('li.paper').id") == "paper-p50"
    page.click("#more")
    assert len(ids(page)) == 120
    assert page.locator("#more").is_hidden()


def test_keyboard_and_labels(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("ddpm")
    assert ids(page) == ["ddpm"]
    page.keyboard.press("Escape")
    assert page.input_value("#q") == ""
    assert shown(page) == 9
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "category"
    # Every control has a name a screen reader can announce.
    assert page.get_by_role("searchbox", name="Search").count() == 1
    for name in ("Category", "From year", "To year"):
        assert page.get_by_role("combobox", name=name).count() == 1
    assert page.get_by_role("group", name="Has link").count() == 1
    assert page.get_by_role("status").inner_text() == "9 of 9 papers"
    name = "DiT Scalable Diffusion Models with Transformers"
    assert page.get_by_role("article", name=name, exact=True).count() == 1
    # The skip link is the first stop and leads to the results, without touching the URL.
    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    assert page.evaluate("location.hash") == ""


def test_responsive_and_dark(browser: Browser, sites: tuple[Path, str]):
    url = sites[1] + "/small/index.html"
    phone = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = open_site(phone.new_page(), url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    phone.close()
    light_context = browser.new_context(color_scheme="light")
    page = open_site(light_context.new_page(), url)
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    light_context.close()
    assert dark != light


def test_without_javascript_the_whole_list_is_there(browser: Browser, sites: tuple[Path, str]):
    cat = catalog.load()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites[1] + "/bundled/index.html")
    assert page.locator("#app").is_hidden()
    text = page.text_content("main") or ""
    assert "Search and filters need JavaScript" in text
    missing = [p.title for p in cat.papers if p.title not in text]
    assert missing == []
    hrefs = set(page.eval_on_selector_all("main a", "as => as.map(a => a.getAttribute('href'))"))
    assert {link.url for p in cat.papers for link in p.links} <= hrefs
    context.close()


def test_without_javascript_a_huge_list_is_a_page_of_its_own(
    browser: Browser, sites: tuple[Path, str]
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites[1] + "/huge/index.html")
    page.wait_for_url("**/huge/list.html")
    text = page.inner_text("main")
    assert [p.title for p in _small().papers if p.title not in text] == []
    context.close()


def test_hostile_text_stays_text(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/hostile/index.html")
    evil = page.locator("#paper-second")
    assert evil.locator(".title").text_content() == SCRIPT_TITLE
    assert evil.locator(".short").text_content() == IMG_NAME
    assert evil.locator(".desc").text_content() == SVG_DESCRIPTION
    quotes = page.locator("#paper-quotes")
    assert quotes.locator(".short").text_content() == "\"Q\" & 'A'"
    assert quotes.locator(".tag").all_text_contents() == ["#&lt;b&gt;bold&lt;/b&gt;", "#{{SCRIPT}}"]
    assert quotes.locator(".meta .cat").text_content() == 'Evil "quoted" & <category'
    first = quotes.locator(".links a").first
    assert (
        first.get_attribute("href") == 'https://example.org/a?x="><script>window.__pwned=1</script>'
    )
    page.fill("#q", "script")  # highlighting splits the text: still no markup
    assert evil.locator(".title mark").all_text_contents() == ["script"] * 3
    assert page.locator("main img, main svg, main b, #results script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_hostile_text_stays_text_without_javascript(browser: Browser, sites: tuple[Path, str]):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name in ("index.html", "list.html"):
        page.goto(f"{sites[1]}/hostile/{name}")
        assert page.locator("main img, main svg, main script").count() == 0
        text = page.inner_text("main")
        assert SCRIPT_TITLE in text and IMG_NAME in text and SVG_DESCRIPTION in text
    context.close()


def test_no_request_leaves_the_page(watched: Watched, sites: tuple[Path, str]):
    page = open_site(watched.page, sites[1] + "/small/index.html")
    page.fill("#q", "diffusion")
    page.click("#lang")
    page.get_by_role("checkbox", name="GitHub").check()
    assert watched.requests == [sites[1] + "/small/index.html"]


def test_the_assets_ship_in_the_package():
    from importlib import resources

    assets = resources.files("minisora.render").joinpath("site_assets")
    names = {entry.name for entry in assets.iterdir()}
    assert {"site.js", "site.css", "template.html", "list.html"} <= names


def test_the_pages_workflow_is_pinned_and_least_privileged():
    import yaml

    path = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) == 4
    for action, comment in uses:
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), action
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = jobs["build"]["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"persist-credentials": False}
    assert "minisora site" in text
