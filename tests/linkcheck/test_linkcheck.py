"""The link checker against a real HTTP server on 127.0.0.1: every case of the issue, and the
politeness rules (one request per URL, per-host limits, keep-alive, rate limits, no credentials).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from fake_services import ArxivAPI, isolated  # noqa: F401
from httpserver import LocalServer, reply, reset, stream

from minisora.errors import UsageError
from minisora.linkcheck import LinkCache, Settings, Target, Verdict, check, check_sync
from minisora.linkcheck.arxiv import check_arxiv
from minisora.linkcheck.classify import failure
from minisora.sources.arxiv import ArxivSettings
from minisora.sources.http import USER_AGENT

# Short waits everywhere so that the whole file runs in a few seconds.
FAST = Settings(timeout=0.5, backoff=0.01, max_retry_after=0.3)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def only(server: LocalServer, path: str, settings: Settings = FAST):
    report = check_sync([server.url(path)], settings)
    assert len(report.results) == 1
    return report.results[0]


def test_ok_costs_one_head_request(server: LocalServer) -> None:
    server.route("/ok", lambda r: reply(r, 200, b"hello"))
    result = only(server, "/ok")
    assert (result.verdict, result.status, result.final_url, result.error) == (
        Verdict.OK,
        200,
        None,
        None,
    )
    assert [(s.method, s.path) for s in server.requests] == [("HEAD", "/ok")]
    headers = {name.lower(): value for name, value in server.requests[0].headers.items()}
    assert headers["user-agent"] == USER_AGENT


def test_404_is_broken_after_get_confirms_it(server: LocalServer) -> None:
    server.route("/gone", lambda r: reply(r, 404, b"not here"))
    result = only(server, "/gone")
    assert (result.verdict, result.status) == (Verdict.BROKEN, 404)
    assert result.detail == "HTTP 404"
    assert [s.method for s in server.requests] == ["HEAD", "GET"]


def test_301_chain_is_moved_and_names_the_final_url(server: LocalServer) -> None:
    server.route("/old", lambda r: reply(r, 301, headers={"Location": "/older"}))
    server.route("/older", lambda r: reply(r, 301, headers={"Location": "/new"}))
    server.route("/new", lambda r: reply(r, 200))
    result = only(server, "/old")
    assert result.verdict is Verdict.MOVED
    assert result.final_url == server.url("/new")
    assert result.detail == f"HTTP 200, moved to {server.url('/new')}"
    assert [s.path for s in server.requests] == ["/old", "/older", "/new"]


def test_temporary_redirect_is_ok_with_its_final_url(server: LocalServer) -> None:
    server.route("/login", lambda r: reply(r, 302, headers={"Location": "/page"}))
    server.route("/page", lambda r: reply(r, 200))
    result = only(server, "/login")
    assert (result.verdict, result.final_url) == (Verdict.OK, server.url("/page"))


def test_redirect_loop_is_broken_and_redirect_off_the_web_is_an_error(server: LocalServer) -> None:
    server.route("/loop", lambda r: reply(r, 302, headers={"Location": "/loop"}))
    server.route("/ftp", lambda r: reply(r, 301, headers={"Location": "ftp://example.org/f"}))
    loop = only(server, "/loop", Settings(timeout=0.5, max_redirects=3))
    assert (loop.verdict, loop.error) == (Verdict.BROKEN, "more than 3 redirects")
    assert len(server.requests) == 4
    ftp = only(server, "/ftp")
    assert (ftp.verdict, ftp.final_url) == (Verdict.ERROR, "ftp://example.org/f")
    assert [s.path for s in server.requests].count("/ftp") == 1


def test_429_then_ok_waits_as_long_as_asked_and_never_less(server: LocalServer) -> None:
    seen: list[float] = []

    def busy_once(req) -> None:
        seen.append(time.monotonic())
        if len(seen) == 1:
            reply(req, 429, headers={"Retry-After": "0.2"})
        else:
            reply(req, 200)

    server.route("/busy", busy_once)
    result = only(server, "/busy", Settings(timeout=0.5, max_retry_after=1))
    assert (result.verdict, result.status) == (Verdict.OK, 200)
    assert len(seen) == 2
    assert seen[1] - seen[0] >= 0.2


def test_a_wait_longer_than_allowed_is_unverified_without_asking_again(
    server: LocalServer,
) -> None:
    server.route("/busy", lambda r: reply(r, 429, headers={"Retry-After": "3600"}))
    result = only(server, "/busy", Settings(timeout=0.5, max_retry_after=0.2))
    assert (result.verdict, result.status) == (Verdict.UNVERIFIED, 429)
    assert result.error == "rate limited: the host asks to wait 3600 s, longer than allowed"
    assert len(server.requests) == 1


def test_a_host_answering_429_for_a_while_is_paused_instead_of_failing(
    server: LocalServer,
) -> None:
    seen: list[tuple[float, int]] = []

    def limited(req) -> None:
        now = time.monotonic()
        busy = not seen or now - seen[0][0] < 0.3
        seen.append((now, 429 if busy else 200))
        reply(req, 429, headers={"Retry-After": "0.3"}) if busy else reply(req, 200)

    server.fallback(limited)
    urls = [server.url(f"/p{i}") for i in range(12)]
    report = check_sync(urls, Settings(per_host=4, timeout=1, max_retry_after=1))
    assert report.counts[Verdict.OK] == 12
    # The first wave (4) met the limit, then at most three more, at half the places, proved it
    # was the host's: the host was paused, so the other URLs waited instead of asking.
    assert len(server.requests) <= 12 + 4 + 3
    assert [status for _, status in seen].count(429) <= 7


def test_a_rate_limited_page_waits_while_the_rest_of_its_host_keeps_flowing(
    server: LocalServer,
) -> None:
    hits: dict[str, list[float]] = {}

    def per_page(req) -> None:
        hits.setdefault(req.path, []).append(time.monotonic())
        if req.path.startswith("/limited") and len(hits[req.path]) == 1:
            reply(req, 429, headers={"Retry-After": "0.4"})
        else:
            reply(req, 200)

    server.fallback(per_page)
    urls = [server.url("/limited/1")] + [server.url(f"/ok/{i}") for i in range(20)]
    urls.append(server.url("/limited/2"))
    report = check_sync(urls, Settings(per_host=2, timeout=1, max_retry_after=1))
    assert report.counts[Verdict.OK] == 22
    for path in ("/limited/1", "/limited/2"):
        first, again = hits[path]
        assert again - first >= 0.4  # never asked again before the wait it asked for
    assert all(len(times) == 1 for path, times in hits.items() if path.startswith("/ok/"))
    # The healthy pages did not wait for the limited ones.
    assert (
        max(times[0] for path, times in hits.items() if path.startswith("/ok/"))
        < (hits["/limited/1"][1])
    )


def test_429_with_a_huge_retry_after_finishes_at_once_and_gives_up_the_host(
    server: LocalServer,
) -> None:
    server.fallback(lambda r: reply(r, 429, headers={"Retry-After": "100000"}))
    urls = [server.url(f"/p{i}") for i in range(10)]
    started = time.monotonic()
    report = check_sync(urls, Settings(per_host=2, timeout=1))
    assert time.monotonic() - started < 5
    assert report.counts[Verdict.UNVERIFIED] == 10
    assert all(r.error.startswith("rate limited") for r in report.results)
    # Two waves of two: the second proved the limit was the host's; the rest were not asked.
    assert len(server.requests) <= 6


def test_total_wait_per_host_is_bounded_by_max_wait(server: LocalServer) -> None:
    server.fallback(lambda r: reply(r, 429, headers={"Retry-After": "0.2"}))
    urls = [server.url(f"/p{i}") for i in range(6)]
    started = time.monotonic()
    report = check_sync(urls, Settings(per_host=1, timeout=1, retries=10, max_wait=0.5))
    assert time.monotonic() - started < 2
    assert report.counts[Verdict.UNVERIFIED] == 6


def test_the_run_deadline_gives_what_is_left_an_honest_verdict(server: LocalServer) -> None:
    server.route("/quick", lambda r: reply(r, 200))
    server.fallback(lambda r: (time.sleep(2), reply(r, 200)))
    urls = [server.url("/quick"), server.url("/slow/1"), server.url("/slow/2")]
    started = time.monotonic()
    report = check_sync(urls, Settings(per_host=1, timeout=5, deadline=0.5))
    assert time.monotonic() - started < 1.5
    assert [r.verdict for r in report.results] == [Verdict.OK, *[Verdict.UNVERIFIED] * 2]
    assert report.results[1].error == "run deadline: not checked before the run's time was up"


def test_rate_limit_that_never_ends_is_unverified_not_broken(server: LocalServer) -> None:
    server.route("/limited", lambda r: reply(r, 429, headers={"Retry-After": "0"}))
    result = only(server, "/limited", Settings(timeout=0.5, retries=1, max_retry_after=0.05))
    assert (result.verdict, result.status) == (Verdict.UNVERIFIED, 429)
    assert "rate limited" in (result.error or "")


def test_503_is_retried_with_backoff_then_an_error(server: LocalServer) -> None:
    server.route("/down", lambda r: reply(r, 503))
    result = only(server, "/down", Settings(timeout=0.5, retries=2, backoff=0.01))
    assert (result.verdict, result.status, result.error) == (Verdict.ERROR, 503, "server error")
    assert len(server.requests) == 3


def test_head_405_falls_back_to_get_and_the_host_is_remembered(server: LocalServer) -> None:
    def no_head(req) -> None:
        reply(req, 405) if req.command == "HEAD" else reply(req, 200, b"page")

    server.fallback(no_head)
    urls = [server.url(f"/{name}") for name in "abcd"]
    report = check_sync(urls, Settings(per_host=1, timeout=0.5))
    assert [r.verdict for r in report.results] == [Verdict.OK] * 4
    assert [(s.method, s.path) for s in server.requests] == [
        ("HEAD", "/a"),
        ("GET", "/a"),
        ("HEAD", "/b"),
        ("GET", "/b"),
        ("GET", "/c"),
        ("GET", "/d"),
    ]


def test_one_page_refusing_head_does_not_make_its_host_a_get_host(server: LocalServer) -> None:
    def one_page_without_head(req) -> None:
        refused = req.command == "HEAD" and req.path in ("/no-head", "/no-head-2")
        reply(req, 405) if refused else reply(req, 200, b"page")

    server.fallback(one_page_without_head)
    urls = [server.url(p) for p in ("/ok", "/no-head", "/no-head-2", "/a", "/b")]
    report = check_sync(urls, Settings(per_host=1, timeout=0.5))
    assert report.counts[Verdict.OK] == 5
    assert [s.method for s in server.requests if s.path in ("/a", "/b")] == ["HEAD", "HEAD"]


def test_a_50_mb_body_costs_well_under_a_megabyte(server: LocalServer) -> None:
    sent: list[int] = []

    def large(req) -> None:
        if req.command == "HEAD":
            reply(req, 405)
        else:
            sent.append(stream(req, 50 * 2**20))

    server.route("/large.pdf", large)
    result = only(server, "/large.pdf", Settings(timeout=2))
    assert (result.verdict, result.status) == (Verdict.OK, 200)
    deadline = time.monotonic() + 2
    while not sent and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sent and sent[0] < 2**20  # includes what sat in the socket buffers


def test_slower_than_the_timeout_is_a_timeout(server: LocalServer) -> None:
    server.route("/slow", lambda r: (time.sleep(1.0), reply(r, 200)))
    result = only(server, "/slow", Settings(timeout=0.2))
    assert (result.verdict, result.status, result.error) == (
        Verdict.TIMEOUT,
        None,
        "no answer in time",
    )
    deadline = time.monotonic() + 2  # on a busy machine the server may log the request late
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server.requests) == 1  # a timeout is not worth a second wait


def test_closed_port_is_connection_refused() -> None:
    result = check_sync([f"http://127.0.0.1:{closed_port()}/x"], FAST).results[0]
    assert (result.verdict, result.error) == (Verdict.ERROR, "connection refused")


def test_reset_connection_is_retried_then_an_error(server: LocalServer) -> None:
    server.route("/reset", reset)
    result = only(server, "/reset", Settings(timeout=0.5, retries=1, backoff=0.01))
    assert (result.verdict, result.error) == (Verdict.ERROR, "connection reset by the host")
    assert len(server.requests) >= 2


def test_speaking_tls_to_a_plain_http_port_is_a_tls_error(server: LocalServer) -> None:
    server.fallback(lambda r: reply(r, 200))
    url = server.base_url.replace("http://", "https://") + "/x"
    result = check_sync([url], FAST).results[0]
    assert result.verdict is Verdict.ERROR
    assert result.error.startswith("TLS handshake failed: [SSL: WRONG_VERSION_NUMBER]")


def test_an_unknown_host_is_a_dns_error() -> None:
    # Built by hand: a real lookup would ask the machine's resolver, which tests must not do.
    key = ConnectionKey(*[None] * len(ConnectionKey._fields))
    lookup = aiohttp.ClientConnectorDNSError(key, OSError(socket.EAI_NONAME, "Name unknown"))
    assert failure(lookup) == (Verdict.ERROR, "DNS lookup failed: no such host", False)


def test_bot_walls_are_unverified_and_accepted_codes_are_ok(server: LocalServer) -> None:
    challenge = b"<html><title>Just a moment...</title></html>"
    server.route("/cf", lambda r: reply(r, 403, challenge, {"cf-mitigated": "challenge"}))
    server.route("/page", lambda r: reply(r, 403, b"<title>Just a moment...</title>"))
    server.route("/li", lambda r: reply(r, 999))
    server.route("/forbidden", lambda r: reply(r, 403, b"no"))
    verdicts = {path: only(server, path).verdict for path in ("/cf", "/page", "/li", "/forbidden")}
    assert verdicts == {
        "/cf": Verdict.UNVERIFIED,
        "/page": Verdict.UNVERIFIED,
        "/li": Verdict.UNVERIFIED,
        "/forbidden": Verdict.BROKEN,
    }
    accepting = Settings(timeout=0.5, accept={"127.0.0.1": frozenset({403})})
    assert only(server, "/forbidden", accepting).verdict is Verdict.OK


def test_each_distinct_url_is_requested_once(server: LocalServer) -> None:
    server.route("/shared", lambda r: reply(r, 200))
    url = server.url("/shared")
    targets = [
        Target(url, "dit", "paper"),
        Target(url + "#section", "sit", "project"),
        Target(url, "latte", "blog"),
    ]
    report = check_sync(targets, FAST)
    assert len(server.requests) == 1
    [result] = report.results
    assert [t.paper for t in result.targets] == ["dit", "sit", "latte"]
    assert result.to_record()["papers"] == ["dit", "latte", "sit"]


def test_per_host_and_global_limits_hold_and_connections_are_reused() -> None:
    lock = threading.Lock()
    now = {"total": 0, "peak": 0}
    per: dict[int, int] = {}
    peaks: dict[int, int] = {}

    def counted(port: int):
        def handler(req) -> None:
            with lock:
                now["total"] += 1
                per[port] = per.get(port, 0) + 1
                now["peak"] = max(now["peak"], now["total"])
                peaks[port] = max(peaks.get(port, 0), per[port])
            time.sleep(0.03)
            with lock:
                now["total"] -= 1
                per[port] -= 1
            reply(req, 200)

        return handler

    with LocalServer() as a, LocalServer() as b:
        for s in (a, b):
            s.fallback(counted(id(s)))
        urls = [s.url(f"/p{i}") for i in range(12) for s in (a, b)]
        report = check_sync(urls, Settings(concurrency=5, per_host=3, timeout=2))
        assert report.counts[Verdict.OK] == 24
        assert report.requests == 24
        assert now["peak"] <= 5
        assert max(peaks.values()) == 3
        assert a.connections <= 3 and b.connections <= 3  # keep-alive, not one per link


def test_only_http_urls_are_ever_requested() -> None:
    with pytest.raises(UsageError, match="not an http"):
        check_sync(["file:///etc/passwd"], FAST)


def test_credentials_in_the_environment_are_never_sent(
    server: LocalServer, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login curator password secret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", f"http://user:pw@127.0.0.1:{closed_port()}")
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{closed_port()}")
    server.route("/a", lambda r: reply(r, 302, headers={"Location": "/b", "Set-Cookie": "s=1"}))
    server.route("/b", lambda r: reply(r, 200))
    result = only(server, "/a")
    assert result.verdict is Verdict.OK  # the proxies were ignored: the server was reached
    for seen in server.requests:
        names = {name.lower() for name in seen.headers}
        assert not names & {"authorization", "proxy-authorization", "cookie"}


def test_sync_wrapper_works_inside_a_running_event_loop(server: LocalServer) -> None:
    server.route("/ok", lambda r: reply(r, 200))

    async def notebook_cell() -> Verdict:
        return check_sync([server.url("/ok")], FAST).results[0].verdict

    assert asyncio.run(notebook_cell()) is Verdict.OK


def test_async_api_reports_progress_in_completion_order(server: LocalServer) -> None:
    server.route("/slow", lambda r: (time.sleep(0.1), reply(r, 200)))
    server.route("/fast", lambda r: reply(r, 200))
    seen: list[str] = []
    urls = [server.url("/slow"), server.url("/fast")]
    report = asyncio.run(check(urls, FAST, progress=lambda r: seen.append(r.url)))
    assert [r.url for r in report.results] == urls  # the report keeps the list's order
    assert seen == urls[::-1]


def test_cache_skips_links_found_ok_recently_and_asks_again_later(
    server: LocalServer, tmp_path
) -> None:
    server.route("/ok", lambda r: reply(r, 200))
    server.route("/gone", lambda r: reply(r, 404))
    urls = [server.url("/ok"), server.url("/gone")]
    clock = [1000.0]
    path = tmp_path / "links.json"

    def run() -> list[bool]:
        cache = LinkCache.load(path, max_age=3600, clock=lambda: clock[0])
        return [r.cached for r in check_sync(urls, FAST, cache=cache).results]

    assert run() == [False, False]
    first = len(server.requests)
    assert run() == [True, False]  # the broken one is asked about again
    assert [s.path for s in server.requests[first:]] == ["/gone", "/gone"]
    clock[0] += 3601
    assert run() == [False, False]


@pytest.mark.usefixtures("isolated")
def test_arxiv_links_go_through_the_api_in_one_batch(server: LocalServer) -> None:
    api = ArxivAPI(server, "score-sde-and-vit.xml")
    server.route("/page", lambda r: reply(r, 200))
    targets = [
        Target("https://arxiv.org/abs/2011.13456", "score-sde", "paper"),
        Target("https://arxiv.org/pdf/2010.11929v2.pdf", "vit", "paper"),
        Target("https://arxiv.org/abs/2401.99999", "nobody", "paper"),
        Target(server.url("/page"), "vit", "project"),
    ]
    report = check_sync(targets, FAST, arxiv=ArxivSettings(api_url=api.url, delay=0))
    assert [(r.paper, r.verdict) for r in report.results] == [
        ("score-sde", Verdict.OK),
        ("vit", Verdict.OK),
        ("nobody", Verdict.BROKEN),
        ("vit", Verdict.OK),
    ]
    assert report.results[2].error == "arXiv has no paper 2401.99999"
    assert api.asked == [["2011.13456", "2010.11929", "2401.99999"]]
    assert [s.path for s in server.requests if s.path == "/page"] == ["/page"]


@pytest.mark.usefixtures("isolated")
def test_arxiv_links_are_left_to_page_requests_when_the_api_is_away() -> None:
    away = ArxivSettings(api_url=f"http://127.0.0.1:{closed_port()}/api/query", delay=0)
    groups = {"https://arxiv.org/abs/2011.13456": (Target("https://arxiv.org/abs/2011.13456"),)}
    assert asyncio.run(check_arxiv(groups, away)) == {}
