"""Proxies: add and verify go through HTTP_PROXY/HTTPS_PROXY (NO_PROXY aside), read by the CLI;
the library takes them as plain values. A real forward proxy on 127.0.0.1, started here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import CATALOGS
from fake_services import ArxivAPI, GithubAPI, isolated, service_env  # noqa: F401
from httpserver import LocalServer
from rawservers import ForwardProxy
from typer.testing import CliRunner

from minisora.cli import app
from minisora.errors import UsageError
from minisora.sources import run_sync
from minisora.sources.arxiv import ArxivSettings, fetch_records
from minisora.sources.http import Proxies

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as server:
        yield server


@pytest.fixture
def arxiv() -> Iterator[ArxivAPI]:
    with LocalServer() as server:
        yield ArxivAPI(server, "wrapped-title.xml")


def _asked(proxy: ForwardProxy) -> list[str]:
    """The URLs the proxy was asked for, without their queries."""
    return [line.split(" ")[1].split("?")[0] for line in proxy.seen]


def test_the_library_asks_through_the_proxy_it_is_given(proxy, arxiv) -> None:
    settings = ArxivSettings(api_url=arxiv.url, delay=0, proxies=Proxies(http=proxy.base_url))
    found = run_sync(fetch_records(["2212.09748"], settings))
    assert found["2212.09748"].title.startswith("Scalable Diffusion Models")
    assert _asked(proxy) == [arxiv.url]


def test_no_proxy_hosts_are_asked_directly(proxy, arxiv) -> None:
    proxies = Proxies.from_names(None, proxy.base_url, "example.org, 127.0.0.1")
    settings = ArxivSettings(api_url=arxiv.url, delay=0, proxies=proxies)
    assert run_sync(fetch_records(["2212.09748"], settings))
    assert proxy.seen == [] and arxiv.asked == [["2212.09748"]]


def test_the_cli_reads_the_proxy_variables(runner: CliRunner, proxy, arxiv, tmp_path) -> None:
    with LocalServer() as github_server:
        github = GithubAPI(github_server, {"/repos/facebookresearch/DiT": "repo.json"})
        env = {**service_env(arxiv.url, github.url), "HTTP_PROXY": proxy.base_url}
        catalogue = Path(tmp_path / "papers.yaml")
        catalogue.write_text((CATALOGS / "minimal.yaml").read_text(encoding="utf-8"))
        result = runner.invoke(app, ["verify", "--catalog", str(catalogue)], env=env)
        assert "2 papers checked on arXiv, 1 repository on GitHub" in result.stderr
        assert _asked(proxy) == [arxiv.url, f"{github.url}/repos/facebookresearch/DiT"]
        # HTTPS_PROXY is for https:// URLs only: these http:// servers are asked directly.
        proxy.seen.clear()
        env = {**service_env(arxiv.url, github.url), "HTTPS_PROXY": proxy.base_url}
        again = runner.invoke(app, ["verify", "--catalog", str(catalogue), "--refresh"], env=env)
        assert again.exit_code == result.exit_code and proxy.seen == []
        assert len(arxiv.asked) == 2


def test_a_proxy_that_is_no_url_is_refused() -> None:
    with pytest.raises(UsageError, match="the https proxy 'http://exa mple' is no http"):
        Proxies(https="exa mple")
    assert Proxies(http="proxy.example:3128").http == "http://proxy.example:3128"


def test_no_proxy_star_and_subdomains() -> None:
    limits = httpx.Limits()
    assert Proxies.from_names("http://p:1", "http://p:1", "*").mounts(limits) == {}
    mounts = Proxies.from_names("http://p:1", None, "example.com,::1,localhost").mounts(limits)
    assert set(mounts) == {"https://", "all://*example.com", "all://[::1]", "all://localhost"}
    assert [mounts[k] for k in mounts if k.startswith("all://")] == [None, None, None]
    assert Proxies().mounts(limits) == {}
