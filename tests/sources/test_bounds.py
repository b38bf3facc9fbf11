"""The sources stay bounded and honest against hostile servers on 127.0.0.1: a whole-request
deadline, a size cap read as the body streams, no compressed bodies, malformed records skipped
with one warning each, and an arXiv cache that distrusts what it cannot check."""

from __future__ import annotations

import json
import os
import socket
import time
import warnings
from pathlib import Path

import pytest
from fake_services import DATA, ArxivAPI, isolated, service_env  # noqa: F401
from httpserver import LocalServer, reply
from typer.testing import CliRunner

from minisora.cli import app
from minisora.errors import MinisoraWarning, SourceError, UsageError
from minisora.sources import run_sync
from minisora.sources.arxiv import ArxivSettings, fetch_records, parse_feed
from minisora.sources.fetch import MAX_BYTES
from minisora.sources.github import GithubSettings, fetch_repos

pytestmark = pytest.mark.usefixtures("isolated")

MB = 2**20


def records(server_url: str, ids: list[str], **settings) -> dict:
    return run_sync(fetch_records(ids, ArxivSettings(api_url=server_url, delay=0, **settings)))


def trickle(req) -> None:
    """Headers at once, then one byte every 0.1 s: every read is quick, the answer never ends."""
    req.send_response(200)
    req.send_header("Content-Type", "application/atom+xml")
    req.send_header("Content-Length", "100000")
    req.end_headers()
    try:
        for _ in range(600):
            req.wfile.write(b" ")
            req.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def test_a_trickling_api_is_cut_off_at_the_deadline() -> None:
    with LocalServer() as server:
        url = server.route("/api/query", trickle)
        with pytest.raises(SourceError) as caught:
            records(url, ["2212.09748"], deadline=1.0)
    assert str(caught.value).startswith(f"the arXiv API at {url} did not answer within 1 s")


def endless(sent: list[int], size: int = 50 * MB, length: bool = True):
    """A handler that sends ``size`` bytes (with or without a Content-Length) until the client
    hangs up, recording how many it handed to the kernel."""

    def handle(req) -> None:
        req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        req.send_response(200)
        req.send_header("Content-Type", "application/atom+xml")
        if length:
            req.send_header("Content-Length", str(size))
        req.send_header("Connection", "close")
        req.end_headers()
        req.close_connection = True
        block, count = b"<" * 65536, 0
        try:
            while count < size:
                req.wfile.write(block)
                count += len(block)
        except OSError:
            pass
        sent.append(count)

    return handle


@pytest.mark.parametrize("length", [True, False], ids=["announced", "unannounced"])
def test_a_50_mb_answer_is_refused_and_nothing_is_cached(length: bool, tmp_path: Path) -> None:
    sent: list[int] = []
    with LocalServer() as server:
        url = server.route("/api/query", endless(sent, length=length))
        with pytest.raises(SourceError, match=rf"sent more than {MAX_BYTES:,} bytes; refusing"):
            records(url, ["2212.09748"])
    assert not (tmp_path / "cache" / "arxiv").exists()
    if not length:  # read as it came, and dropped at the cap: the rest was never sent
        deadline = time.monotonic() + 10
        while not sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert MAX_BYTES < sent[0] < MAX_BYTES + 16 * MB < 50 * MB


def test_add_refuses_a_huge_answer_in_one_line(tmp_path: Path) -> None:
    catalogue = tmp_path / "papers.yaml"
    catalogue.write_bytes((DATA / "catalog" / "minimal.yaml").read_bytes())
    with LocalServer() as server:
        url = server.route("/api/query", endless([]))
        result = CliRunner().invoke(
            app,
            ["add", "2401.03048", "-c", "video-generation", "--catalog", str(catalogue)],
            env=service_env(url),
        )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: the arXiv API at {url} sent more than {MAX_BYTES:,} bytes; refusing the answer\n"
    )
    assert catalogue.read_bytes() == (DATA / "catalog" / "minimal.yaml").read_bytes()


def test_bodies_are_asked_for_unencoded_and_an_encoded_one_is_refused() -> None:
    feed = (DATA / "arxiv" / "wrapped-title.xml").read_bytes()
    with LocalServer() as server:
        url = server.route(
            "/api/query", lambda req: reply(req, 200, feed, {"Content-Encoding": "gzip, gzip"})
        )
        with pytest.raises(SourceError, match=r"sent a body in 'gzip, gzip', which was not asked"):
            records(url, ["2212.09748"])
        assert server.requests[0].headers["Accept-Encoding"] == "identity"


def test_bounds_must_bound_something() -> None:
    with pytest.raises(UsageError, match="the seconds an arXiv request may take must be at least"):
        ArxivSettings(deadline=0)
    with pytest.raises(UsageError, match="the largest GitHub answer in bytes must be at least 1"):
        GithubSettings(max_bytes=-1)


# --- malformed records ----------------------------------------------------------------------


def test_records_with_bad_or_missing_dates_are_skipped_with_a_warning_each() -> None:
    with pytest.warns(MinisoraWarning) as caught:
        [dit] = parse_feed((DATA / "arxiv" / "bad-dates.xml").read_bytes(), "the arXiv API")
    assert dit.arxiv_id == "2212.09748" and dit.year == 2022
    assert [str(w.message) for w in caught] == [
        "the arXiv API sent an unreadable record for 2401.03048 (its published date "
        "'2024-13-45T18:59:07Z' is not a date); skipped",
        "the arXiv API sent an unreadable record for 2311.15127 (its published date '' is not a "
        "date); skipped",
    ]


def test_add_of_a_malformed_record_is_a_warning_and_an_error_never_a_crash(tmp_path) -> None:
    catalogue = tmp_path / "papers.yaml"
    catalogue.write_bytes((DATA / "catalog" / "minimal.yaml").read_bytes())
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "bad-dates.xml")
        result = CliRunner().invoke(
            app,
            ["add", "2401.03048", "-c", "video-generation", "--catalog", str(catalogue)],
            env=service_env(arxiv.url),
        )
    assert result.exit_code == 2
    assert result.stderr == (
        "warning: the arXiv API sent an unreadable record for 2401.03048 (its published date "
        "'2024-13-45T18:59:07Z' is not a date); skipped\n"
        "error: arXiv has no paper 2401.03048\n"
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"full_name": "a/b", "stargazers_count": "many"}', "stargazers_count is 'many'"),
        (b'{"full_name": "a/b", "archived": "false"}', "archived is 'false'"),
        (b'{"full_name": 42}', "full_name is 42"),
        (b"[1, 2]", "not a JSON object"),
        (b"<html>", "Expecting value"),
    ],
)
def test_a_github_answer_of_the_wrong_shape_is_skipped_with_a_warning(body, problem) -> None:
    ok = b'{"full_name": "c/d", "stargazers_count": 3}'
    with LocalServer() as server:
        server.route("/repos/a/b", lambda req: reply(req, 200, body))
        server.route("/repos/c/d", lambda req: reply(req, 200, ok))
        settings = GithubSettings(api_url=server.base_url, token=None)
        with pytest.warns(MinisoraWarning, match="unreadable answer for a/b") as caught:
            found = run_sync(fetch_repos(["a/b", "c/d"], settings))
    assert list(found) == ["c/d"] and found["c/d"].stars == 3
    assert problem in str(caught[0].message) and str(caught[0].message).endswith("; skipped")


# --- the arXiv record cache -----------------------------------------------------------------


def _future(entry: dict) -> dict:
    return {**entry, "published": "2999-01-01"}


DAMAGE = {
    "another shape": lambda entry: [entry],
    "a string": lambda entry: "2212.09748",
    "missing field": lambda entry: {k: v for k, v in entry.items() if k != "title"},
    "extra field": lambda entry: {**entry, "extra": 1},
    "wrong type": lambda entry: {**entry, "version": "2"},
    "bool for int": lambda entry: {**entry, "version": True},
    "authors not strings": lambda entry: {**entry, "authors": [1, 2]},
    "future date": _future,
    "not a date": lambda entry: {**entry, "updated": "yesterday"},
    "another paper": lambda entry: {**entry, "arxiv_id": "2401.03048"},
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_an_untrusted_arxiv_cache_entry_is_a_miss_said_once(damage, tmp_path) -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml", "score-sde-and-vit.xml")
        first = records(arxiv.url, ["2212.09748", "2011.13456"])
        for key in ("2212.09748", "2011.13456"):
            kept = tmp_path / "cache" / "arxiv" / f"{key}.json"
            kept.write_text(json.dumps(damage(json.loads(kept.read_text()))))
        with pytest.warns(MinisoraWarning) as caught:
            again = records(arxiv.url, ["2212.09748", "2011.13456"])
        assert again == first and arxiv.asked[-1] == ["2212.09748", "2011.13456"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert records(arxiv.url, ["2212.09748", "2011.13456"]) == first  # written afresh
        assert len(arxiv.asked) == 2
    [warning] = caught  # two bad entries, one warning
    assert str(warning.message).startswith("the arXiv cache held an entry it cannot trust (")
    assert str(warning.message).endswith("; asking again")


@pytest.mark.parametrize("text", ['{"version": NaN}', "\x00\xff", '{"a": Infinity}', ""])
def test_nan_and_garbage_in_the_arxiv_cache_are_misses(text: str, tmp_path: Path) -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml")
        records(arxiv.url, ["2212.09748"])
        (tmp_path / "cache" / "arxiv" / "2212.09748.json").write_text(text, encoding="latin-1")
        with pytest.warns(MinisoraWarning, match="cannot trust"):
            again = records(arxiv.url, ["2212.09748"])
    assert again["2212.09748"].title == "Scalable Diffusion Models with Transformers"


def test_an_arxiv_cache_entry_dated_in_the_future_is_a_miss(tmp_path: Path) -> None:
    with LocalServer() as server:
        arxiv = ArxivAPI(server, "wrapped-title.xml")
        records(arxiv.url, ["2212.09748"])
        kept = tmp_path / "cache" / "arxiv" / "2212.09748.json"
        os.utime(kept, (1e10, 1e10))  # the year 2286: it would never grow old
        with pytest.warns(MinisoraWarning, match=r"it is dated in the future\); asking again"):
            records(arxiv.url, ["2212.09748"])
        assert len(arxiv.asked) == 2
