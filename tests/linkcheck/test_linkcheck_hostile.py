"""A link checker that cannot be turned against its user: bombs, secrets, hostile URLs, damaged
caches and proxies, each against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import math
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from httpserver import LocalServer, reply
from markdown_it import MarkdownIt
from rawservers import ForwardProxy, RawServer, no_proxy_of_the_machine  # noqa: F401
from typer.testing import CliRunner

from minisora.cli import app
from minisora.linkcheck import RENDERERS, LinkCache, Settings, Verdict, check_sync
from minisora.sources.http import Proxies

FAST = Settings(timeout=2, retries=0)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def check_links(runner: CliRunner, *args: str | Path, env: dict[str, str] | None = None):
    return runner.invoke(app, ["check-links", *map(str, args)], env=env)


def _bomb(inflated: int) -> bytes:
    """A body that is ``inflated`` bytes of zeros under two layers of gzip."""
    return gzip.compress(gzip.compress(bytes(inflated), 9), 9)


@pytest.mark.parametrize("status", [200, 403])
def test_a_stacked_gzip_bomb_is_never_inflated(status: int) -> None:
    body = _bomb(200 * 2**20)
    assert len(body) < 2**20

    def answer(head: bytes) -> bytes:
        if head.startswith(b"HEAD"):
            return b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
        return (
            f"HTTP/1.1 {status} OK\r\nContent-Encoding: gzip, gzip\r\n"
            f"Content-Type: text/html\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with RawServer(answer) as raw:
        result = check_sync([raw.url("/bomb")], FAST).results[0]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.verdict is (Verdict.OK if status == 200 else Verdict.BROKEN)
    assert grown_mb < 50  # 200 MB inflated would show; nothing was decoded
    assert all(b"accept-encoding: identity" in h.lower() for h in raw.heads)


SECRET = "s3cretPW"


def test_credentials_are_in_no_output_and_not_in_the_cache(
    server: LocalServer, runner: CliRunner, tmp_path: Path
) -> None:
    server.route("/private", lambda r: reply(r, 404))
    server.route("/moved", lambda r: reply(r, 301, headers={"Location": "/private"}))
    urls = [
        server.url("/private").replace("://", f"://curator:{SECRET}@"),
        server.url("/moved").replace("://", f"://curator:{SECRET}@"),
    ]
    cache = LinkCache(tmp_path / "links.json")
    report = check_sync(urls, FAST, cache=cache)
    assert [r.verdict for r in report.results] == [Verdict.BROKEN, Verdict.BROKEN]
    for name, render in RENDERERS.items():
        text = render(report)
        assert SECRET not in text, name
        assert "curator" not in text, name
    assert SECRET not in (tmp_path / "links.json").read_text()
    assert report.results[0].url == server.url("/private").replace("://", "://***@")
    # The CLI, every format, and the report file.
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    for fmt in RENDERERS:
        result = check_links(runner, "--urls", listing, "--format", fmt, "--timeout", "2")
        assert result.exit_code == 1
        assert SECRET not in result.stdout + result.stderr


def _cells(html_row: str) -> int:
    return html_row.count("<td")


def test_the_markdown_report_cannot_be_injected(server: LocalServer) -> None:
    evil = "http://evil.example/p.png"
    server.route("/r", lambda r: reply(r, 302, headers={"Location": f"/x|![x]({evil})"}))
    server.fallback(lambda r: reply(r, 404))
    urls = [
        server.url("/a|b|c"),
        server.url("/**bold**"),
        server.url("/<i>tag</i>"),
        server.url("/`code`"),
        server.url("/r"),
    ]
    report = check_sync(urls, FAST)
    assert report.counts[Verdict.BROKEN] == 5
    rendered = MarkdownIt("commonmark").enable("table").render(report.to_markdown())
    html = rendered[rendered.index("<table>") :]
    rows = html.split("<tr>")[2:]
    assert len(rows) == 5
    assert all(_cells(row) == 5 for row in rows)
    for forbidden in ("<img", "<strong>", "<i>", "<code>", 'src="http://evil'):
        assert forbidden not in html
    assert "evil.example" in html  # shown as text, not loaded as an image


def test_junit_is_valid_xml_with_control_characters_in_what_a_host_sent(
    server: LocalServer,
) -> None:
    server.route("/r", lambda r: reply(r, 301, headers={"Location": "/x\x1b[31m\x7fend"}))
    server.fallback(lambda r: reply(r, 404))
    report = check_sync([server.url("/r"), server.url("/a\x7fb")], FAST)
    suite = ET.fromstring(RENDERERS["junit"](report).encode())
    assert suite.get("tests") == "2"
    table = RENDERERS["table"](report)
    assert "\x1b" not in table and "\x7f" not in table
    assert "\\x1b" in table or "\\x7f" in table


def test_a_url_that_cannot_be_requested_is_a_verdict_beside_the_others(
    server: LocalServer, runner: CliRunner, tmp_path: Path
) -> None:
    server.route("/gone", lambda r: reply(r, 404))
    listing = tmp_path / "urls.txt"
    lines = [
        server.url("/a\x7fb"),
        server.url("/esc\x1b[2J"),
        server.url("/gone"),
        "http://127.0.0.1:99999/bad-port",
    ]
    listing.write_text("\n".join(lines) + "\n")
    result = check_links(runner, "--urls", listing, "--format", "json", "--timeout", "2")
    assert result.exit_code == 1, result.output
    records = {r["url"]: r for r in json.loads(result.stdout)}
    assert records[server.url("/gone")]["verdict"] == "broken"
    for url in (lines[0], lines[1], lines[3]):
        assert records[url]["verdict"] == "error"
        assert records[url]["error"].startswith("invalid URL")
    assert "internal error" not in result.stderr
    assert [s.path for s in server.requests] == ["/gone", "/gone"]  # HEAD, then GET confirms


@pytest.mark.parametrize(
    "checked_at", [1e30, math.nan, math.inf, "yesterday", None, True, -math.inf]
)
def test_a_cache_entry_that_cannot_be_trusted_is_a_miss_said_once(
    server: LocalServer, tmp_path: Path, checked_at: object
) -> None:
    server.route("/gone", lambda r: reply(r, 404))
    url = server.url("/gone")
    entry = {"verdict": "ok", "status": 200, "final_url": None, "checked_at": checked_at}
    path = tmp_path / "links.json"
    text = json.dumps({"version": 1, "results": {url: entry, server.url("/x"): entry}})
    path.write_text(text)
    cache = LinkCache.load(path, max_age=math.inf)
    assert len(cache.warnings) == 1
    assert "2 link cache entries could not be trusted" in cache.warnings[0]
    report = check_sync([url], FAST, cache=cache)
    assert report.results[0].verdict is Verdict.BROKEN
    assert len(report.warnings) == len(cache.warnings)


def test_wrong_shapes_in_the_cache_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    now = time.time()
    results = {
        "https://a.org/1": ["ok"],
        "https://a.org/2": {"verdict": "fine", "checked_at": now},
        "https://a.org/3": {"verdict": "ok", "status": "200", "checked_at": now},
        "https://a.org/4": {"verdict": "ok", "status": 200, "final_url": 3, "checked_at": now},
        "https://a.org/5": {"verdict": "ok", "status": 200, "checked_at": now + 86400},
        "https://a.org/6": {"verdict": "ok", "status": 200, "final_url": None, "checked_at": now},
    }
    path.write_text(json.dumps({"version": 1, "results": results}))
    cache = LinkCache.load(path)
    assert [url for url in results if cache.fresh(url)] == ["https://a.org/6"]
    assert cache.warnings == [
        f"{path}: 5 link cache entries could not be trusted (another shape, or a time in the "
        "future); those links are asked again"
    ]


def test_a_cache_that_cannot_be_written_still_gives_the_report(
    web_ok: LocalServer, runner: CliRunner, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder should be")
    listing = tmp_path / "urls.txt"
    listing.write_text(web_ok.url("/a") + "\n")
    cache = blocker / "links.json"
    result = check_links(runner, "--urls", listing, "--cache", cache, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["verdict"] == "ok"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "the link cache was not saved" in warnings[0]


@pytest.fixture
def web_ok() -> Iterator[LocalServer]:
    with LocalServer() as s:
        s.fallback(lambda r: reply(r, 200))
        yield s


def test_report_written_to_a_file_with_output(
    web_ok: LocalServer, runner: CliRunner, tmp_path: Path
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(web_ok.url("/a") + "\n")
    out = tmp_path / "report.json"
    result = check_links(runner, "--urls", listing, "--format", "json", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())[0]["url"] == web_ok.url("/a")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_proxies_come_from_the_environment_and_no_proxy_is_honoured(
    web_ok: LocalServer, runner: CliRunner, tmp_path: Path
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(web_ok.url("/via-proxy") + "\n")
    with ForwardProxy() as proxy:
        result = check_links(
            runner, "--urls", listing, "--format", "json", env={"HTTP_PROXY": proxy.url}
        )
        assert result.exit_code == 0, result.output
        assert proxy.seen == [f"HEAD {web_ok.url('/via-proxy')} HTTP/1.1"]
        assert [s.path for s in web_ok.requests] == ["/via-proxy"]
        env = {"HTTP_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"}
        result = check_links(runner, "--urls", listing, "--format", "json", env=env)
        assert result.exit_code == 0
        assert len(proxy.seen) == 1  # the second run went direct
        assert len(web_ok.requests) == 2


def test_https_links_go_through_a_connect_tunnel(web_ok: LocalServer) -> None:
    # The tunnel reaches a plain-HTTP port, so TLS fails: the point is that CONNECT was used.
    url = web_ok.base_url.replace("http://", "https://") + "/x"
    with ForwardProxy() as proxy:
        settings = Settings(timeout=2, retries=0, proxies=Proxies(https=proxy.url))
        result = check_sync([url], settings).results[0]
    assert proxy.seen == [f"CONNECT {url.removeprefix('https://').removesuffix('/x')} HTTP/1.1"]
    assert result.verdict is Verdict.ERROR and result.error.startswith("TLS handshake failed")


def test_the_library_reads_no_proxy_from_the_environment(
    web_ok: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        assert check_sync([web_ok.url("/a")], FAST).results[0].verdict is Verdict.OK
    assert proxy.seen == []


def test_deadline_and_max_wait_are_cli_options(runner: CliRunner, tmp_path: Path) -> None:
    with LocalServer() as server:
        server.route("/quick", lambda r: reply(r, 200))
        server.route("/busy", lambda r: reply(r, 429, headers={"Retry-After": "5"}))
        server.fallback(lambda r: (time.sleep(3), reply(r, 200)))
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(server.url(p) for p in ("/quick", "/busy", "/slow")) + "\n")
        started = time.monotonic()
        result = check_links(
            runner, "--urls", listing, "--format", "json", "--deadline", "1", "--max-wait", "2"
        )
    assert time.monotonic() - started < 2.5
    assert result.exit_code == 0, result.output
    verdicts = [(r["verdict"], (r["error"] or "").split(":")[0]) for r in json.loads(result.stdout)]
    assert verdicts == [("ok", ""), ("unverified", "rate limited"), ("unverified", "run deadline")]


def test_the_terminal_table_shows_urls_as_text_not_markup(server: LocalServer) -> None:
    from rich.console import Console

    from minisora.cli.links import _problem_table

    server.fallback(lambda r: reply(r, 404))
    report = check_sync([server.url("/[link=http://evil.example]x[/link]\x1b[2J")], FAST)
    console = Console(record=True, width=400, color_system="truecolor")
    console.print(_problem_table(report))
    shown = console.export_text()
    assert "[link=http://evil.example]x[/link]\\x1b[2J" in shown
    assert "\x1b]8;" not in console.export_text(styles=True)  # no terminal hyperlink
