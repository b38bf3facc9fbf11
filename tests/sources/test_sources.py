"""The arXiv and GitHub clients against real HTTP servers on 127.0.0.1 that answer from fixtures."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest
from fake_services import DATA, ArxivAPI, GithubAPI, closed_url, isolated  # noqa: F401
from httpserver import LocalServer, reply

from minisora.core.arxiv_ids import arxiv_id_from_text
from minisora.errors import SourceError, UsageError
from minisora.sources import run_sync
from minisora.sources.arxiv import ArxivSettings, fetch_records, parse_feed
from minisora.sources.fetch import Pacer, polite_get
from minisora.sources.github import GithubSettings, fetch_repos, repo_of
from minisora.sources.http import async_client

pytestmark = pytest.mark.usefixtures("isolated")


def feed(name: str) -> bytes:
    return (DATA / "arxiv" / name).read_bytes()


def records(server_url: str, ids: list[str], **settings) -> dict:
    return run_sync(fetch_records(ids, ArxivSettings(api_url=server_url, delay=0, **settings)))


# --- Atom parsing ---------------------------------------------------------------------------


def test_feed_with_wrapped_title_gives_one_clean_record() -> None:
    [dit] = parse_feed(feed("wrapped-title.xml"))
    assert dit.arxiv_id == "2212.09748" and dit.version == 2
    assert dit.title == "Scalable Diffusion Models with Transformers"
    assert dit.authors == ("William Peebles", "Saining Xie")
    assert dit.published == date(2022, 12, 19) and dit.year == 2022
    assert dit.abstract.startswith("We explore a new class of diffusion models based on the")
    assert dit.comment == "Code, project page and videos available at https://www.wpeebles.com/DiT"
    assert not dit.withdrawn


def test_withdrawn_paper_is_recognised() -> None:
    [paper] = parse_feed(feed("withdrawn.xml"))
    assert paper.withdrawn and paper.version == 3


def test_unknown_id_gives_no_record() -> None:
    assert parse_feed(feed("unknown-id.xml")) == []


def test_error_entry_is_an_error_not_a_paper() -> None:
    with pytest.raises(
        SourceError, match=r"refused the query: incorrect id format for 1234\.1234x"
    ):
        parse_feed(feed("error-entry.xml"))


def test_plain_text_answer_is_an_error_that_quotes_it() -> None:
    with pytest.raises(SourceError, match=r"did not answer with an Atom feed.*'Rate exceeded\.'"):
        parse_feed(feed("rate-exceeded.txt"))


def test_entity_expansion_bomb_is_refused() -> None:
    with pytest.raises(SourceError, match="amplification"):
        parse_feed(feed("billion-laughs.xml"))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2212.09748", "2212.09748"),
        ("2212.09748v2", "2212.09748"),
        (" arXiv:2212.09748 ", "2212.09748"),
        ("https://arxiv.org/abs/2212.09748v1", "2212.09748"),
        ("https://arxiv.org/pdf/2401.11605v1.pdf", "2401.11605"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("DiT", None),
        ("https://example.org/abs/2212.09748", None),
    ],
)
def test_arxiv_id_from_what_a_person_types(typed: str, expected: str | None) -> None:
    assert arxiv_id_from_text(typed) == expected


# --- arXiv client: batches, pacing, backoff, cache ----------------------------------------------


def test_ids_are_asked_in_batches_with_max_results() -> None:
    ids = [f"2301.{n:05d}" for n in range(150)]
    with LocalServer() as server:
        arxiv = ArxivAPI(server)
        assert records(arxiv.url, ids, batch_size=100) == {}
        assert [len(batch) for batch in arxiv.asked] == [100, 50]
        assert server.requests[0].headers["User-Agent"].startswith("minisora/")
        assert "max_results=100" in server.requests[0].path
        assert "max_results=50" in server.requests[1].path


def test_settings_have_constant_defaults_whatever_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("MINISORA_ARXIV_DELAY", "0.5")  # read by the CLI, never by the library
    monkeypatch.setenv("GITHUB_TOKEN", "s3cret")
    assert ArxivSettings().delay == 3.0
    assert GithubSettings().token is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ArxivSettings(delay=-1), "the delay between arXiv requests must be at least 0"),
        (lambda: ArxivSettings(attempts=0), "the attempts per arXiv request must be at least 1"),
        (lambda: ArxivSettings(batch_size=0), "the arXiv batch size must be at least 1, not 0"),
        (lambda: ArxivSettings(api_url="export.arxiv.org"), "the arXiv API address"),
        (lambda: GithubSettings(attempts=0), "the attempts per GitHub request must be at least 1"),
        (lambda: GithubSettings(concurrency=0), "the GitHub requests in flight must be at least 1"),
    ],
)
def test_settings_refuse_bad_values_when_made(make, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make()


def test_pacer_spaces_requests_by_the_interval() -> None:
    now, slept = [100.0], []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    async def three_requests() -> None:
        pacer = Pacer(3.0, clock=lambda: now[0], sleep=sleep)
        await pacer.wait()  # the first goes at once
        now[0] += 1.0  # the answer took a second
        await pacer.wait()
        await pacer.wait()

    asyncio.run(three_requests())
    assert slept == [2.0, 3.0]


def test_backoff_honours_retry_after_then_doubles() -> None:
    now, slept = [0.0], []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    async def get(url: str) -> int:
        pacer = Pacer(3.0, clock=lambda: now[0], sleep=sleep)
        async with async_client() as http:
            response = await polite_get(http, url, service="arXiv", pacer=pacer, backoff=3.0)
        return response.status_code

    answers = [(503, {"Retry-After": "7"}), (429, {}), (200, {})]
    with LocalServer() as server:
        server.route("/api", lambda req: reply(req, answers[0][0], b"x", answers.pop(0)[1]))
        assert asyncio.run(get(server.url("/api"))) == 200
    # Retry-After first; then 3 s doubled (with up to 25 % jitter); the pacer adds nothing more.
    assert len(slept) == 2
    assert slept[0] == 7.0
    assert 6.0 <= slept[1] <= 7.5


def test_busy_service_gives_up_after_the_attempts() -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml")
        arxiv.busy = [(503, {})] * 3
        with pytest.raises(
            SourceError, match=r"the arXiv API is busy \(HTTP 503\) after 3 attempts"
        ):
            records(arxiv.url, ["2212.09748"], attempts=3)
        assert len(arxiv.asked) == 3


def test_a_long_retry_after_is_not_waited_for() -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml")
        arxiv.busy = [(429, {"Retry-After": "3600"})]
        with pytest.raises(SourceError, match=r"busy \(HTTP 429\) after 1 attempt;"):
            records(arxiv.url, ["2212.09748"])
        assert len(arxiv.asked) == 1


def test_one_busy_answer_is_retried() -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml")
        arxiv.busy = [(503, {"Retry-After": "0"})]
        found = records(arxiv.url, ["2212.09748"])
    assert found["2212.09748"].title == "Scalable Diffusion Models with Transformers"
    assert len(arxiv.asked) == 2


def test_records_are_cached_and_refresh_asks_again(tmp_path: Path) -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "score-sde-and-vit.xml")
        first = records(arxiv.url, ["2011.13456", "2010.11929"])
        again = records(arxiv.url, ["2010.11929", "2011.13456"])
        assert again == first and len(arxiv.asked) == 1
        records(arxiv.url, ["2011.13456"], refresh=True)
        assert arxiv.asked[-1] == ["2011.13456"] and len(arxiv.asked) == 2
    assert sorted(p.name for p in (tmp_path / "cache" / "arxiv").iterdir()) == [
        "2010.11929.json",
        "2011.13456.json",
    ]


def test_unreachable_arxiv_is_one_clear_error() -> None:
    url = closed_url("/api/query")
    with pytest.raises(SourceError) as caught:
        records(url, ["2212.09748"])
    message = str(caught.value)
    assert message.startswith(f"cannot reach the arXiv API at {url}: ")
    assert message.endswith("(offline, or behind a proxy?)")
    assert "\n" not in message


def test_http_error_status_is_reported() -> None:
    with LocalServer() as server:
        server.route("/api/query", lambda req: reply(req, 500, b"oops"))
        with pytest.raises(SourceError, match="answered HTTP 500"):
            records(server.url("/api/query"), ["2212.09748"])


def test_run_sync_works_inside_a_running_loop() -> None:
    async def inner() -> int:
        return 42

    async def notebook_cell() -> int:
        return run_sync(inner())

    assert asyncio.run(notebook_cell()) == 42


# --- GitHub client --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/facebookresearch/DiT", "facebookresearch/DiT"),
        ("https://github.com/guoyww/animatediff/", "guoyww/animatediff"),
        ("https://github.com/Vchitect/Latte/tree/main/docs", "Vchitect/Latte"),
        ("https://www.github.com/openai/CLIP.git", "openai/CLIP"),
        ("http://github.com/a/b?tab=readme", "a/b"),
        ("https://github.com/openai", None),
        ("https://github.com/orgs/openai/repositories", None),
        ("https://github.com/topics/diffusion", None),
        ("https://maxin-cn.github.io/latte_project/", None),
        ("https://gitlab.com/a/b", None),
    ],
)
def test_repo_of(url: str, repo: str | None) -> None:
    assert repo_of(url) == repo


GITHUB = {
    "/repos/facebookresearch/DiT": "repo.json",
    "/repos/ermongroup/ddim": "archived.json",
    "/repos/guoyww/animate-diff": ("moved", "/repositories/612360512"),
    "/repositories/612360512": "renamed.json",
}


def repos(api_url: str, names: list[str], token: str | None = None) -> dict:
    return run_sync(fetch_repos(names, GithubSettings(api_url=api_url, token=token)))


def test_repository_states() -> None:
    with LocalServer() as server:
        github = GithubAPI(server, GITHUB)
        found = repos(
            github.url,
            [*["facebookresearch/DiT", "ermongroup/ddim"], "guoyww/animate-diff", "gone/away"],
        )
    dit, ddim, moved, gone = found.values()
    assert (dit.found, dit.stars, dit.archived, dit.pushed_at) == (
        True,
        6814,
        False,
        date(2024, 5, 31),
    )
    assert dit.moved_to is None
    assert ddim.archived and ddim.stars == 1546
    assert moved.moved_to == "https://github.com/guoyww/AnimateDiff"
    assert (gone.found, gone.http_status) == (False, 404)
    status = moved.status(date(2025, 2, 10))
    assert status.moved_to == "https://github.com/guoyww/AnimateDiff" and status.stars == 11021


def test_case_of_the_name_is_not_a_move() -> None:
    with LocalServer() as server:
        github = GithubAPI(server, {"/repos/guoyww/animatediff": "renamed.json"})
        [health] = repos(github.url, ["guoyww/animatediff"]).values()
    assert health.found and health.moved_to is None


def test_token_goes_to_the_api_host_only() -> None:
    with LocalServer() as api, LocalServer() as elsewhere:
        elsewhere.route("/repositories/1", lambda req: reply(req, 200, b'{"full_name": "a/b"}'))
        api.route(
            "/repos/a/c",
            lambda req: reply(req, 301, b"", {"Location": elsewhere.url("/repositories/1")}),
        )
        api.route("/repos/a/b", lambda req: reply(req, 200, b'{"full_name": "a/b"}'))
        repos(api.base_url, ["a/b", "a/c"], token="s3cret")
        assert {r.headers.get("Authorization") for r in api.requests} == {"Bearer s3cret"}
        assert [r.headers.get("Authorization") for r in elsewhere.requests] == [None]


def test_no_token_no_authorization_header() -> None:
    with LocalServer() as server:
        github = GithubAPI(server, GITHUB)
        repos(github.url, ["facebookresearch/DiT"])
        assert "Authorization" not in server.requests[0].headers
        assert server.requests[0].headers["Accept"] == "application/vnd.github+json"
        assert server.requests[0].headers["User-Agent"].startswith("minisora/")


def test_rate_limit_is_one_error_with_advice() -> None:
    body = (DATA / "github" / "rate-limited.json").read_bytes()
    limited = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1739188800"}
    with LocalServer() as server:
        server.route("/repos/a/b", lambda req: reply(req, 403, body, limited))
        with pytest.raises(SourceError) as caught:
            repos(server.base_url, ["a/b"])
    assert str(caught.value) == (
        "the GitHub API rate limit is used up until 12:00 UTC; set GITHUB_TOKEN for more"
    )


def test_bad_token_is_reported() -> None:
    with LocalServer() as server:
        server.route("/repos/a/b", lambda req: reply(req, 401, b'{"message": "Bad credentials"}'))
        with pytest.raises(SourceError, match=r"refused the token in GITHUB_TOKEN \(HTTP 401\)"):
            repos(server.base_url, ["a/b"], token="wrong")


def test_unreachable_github_is_one_clear_error() -> None:
    url = closed_url()
    with pytest.raises(SourceError, match=r"^cannot reach the GitHub API at http://127\.0\.0\.1:"):
        repos(url, ["a/b", "c/d"])
