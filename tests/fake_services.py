"""Servers on 127.0.0.1 that answer like the arXiv API and the GitHub REST API, from fixtures.

with LocalServer() as server:
    arxiv = ArxivAPI(server, "wrapped-title.xml")       # answers id_list=2212.09748
    github = GithubAPI(server, {"/repos/facebookresearch/DiT": "repo.json"})
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from httpserver import LocalServer, reply

DATA = Path(__file__).parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"
ET.register_namespace("", "http://www.w3.org/2005/Atom")
ET.register_namespace("arxiv", "http://arxiv.org/schemas/atom")
ET.register_namespace("opensearch", "http://a9.com/-/spec/opensearch/1.1/")


_SETTINGS = ("GITHUB_TOKEN", "MINISORA_ARXIV_API", "MINISORA_ARXIV_DELAY", "MINISORA_GITHUB_API")
_PROXIES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache directory, and none of the caller's tokens or API settings."""
    from minisora.store import cache_dir

    monkeypatch.setenv("MINISORA_CACHE_DIR", str(tmp_path / "cache"))  # for the CLI
    cache_dir.use(tmp_path / "cache")  # for the library (conftest's cache_dir resets it)
    for name in (*_SETTINGS, *_PROXIES, "MINISORA_CATALOG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache"


def service_env(arxiv: str | None = None, github: str | None = None) -> dict[str, str]:
    """The environment that points the CLI at local servers, with no pause between requests."""
    env = {"MINISORA_ARXIV_DELAY": "0"}
    if arxiv:
        env["MINISORA_ARXIV_API"] = arxiv
    if github:
        env["MINISORA_GITHUB_API"] = github
    return env


def closed_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


class ArxivAPI:
    """Answers ``id_list`` queries with the entries of the given Atom fixtures, as arXiv does:
    one feed holding the entries asked for. ``busy`` holds statuses to answer first."""

    def __init__(self, server: LocalServer, *fixtures: str) -> None:
        self.entries: dict[str, ET.Element] = {}
        for name in fixtures:
            root = ET.parse(DATA / "arxiv" / name).getroot()
            for entry in root.iter(f"{ATOM}entry"):
                url = entry.findtext(f"{ATOM}id", "").strip()
                self.entries[url.rsplit("/abs/", 1)[-1].rsplit("v", 1)[0]] = entry
        self.busy: list[tuple[int, dict[str, str]]] = []
        self.body: bytes | None = None  # answer this instead of a feed
        self.asked: list[list[str]] = []
        self.url = server.route("/api/query", self._handle)

    def _handle(self, req) -> None:
        query = parse_qs(urlsplit(req.path).query)
        ids = query.get("id_list", [""])[0].split(",")
        self.asked.append(ids)
        if self.busy:
            status, headers = self.busy.pop(0)
            reply(req, status, b"Rate exceeded.", headers)
            return
        if self.body is not None:
            reply(req, 200, self.body, {"Content-Type": "text/plain"})
            return
        feed = ET.Element(f"{ATOM}feed")
        ET.SubElement(feed, f"{ATOM}title").text = f"ArXiv Query: id_list={','.join(ids)}"
        feed.extend(self.entries[i] for i in ids if i in self.entries)
        body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
        reply(req, 200, body, {"Content-Type": "application/atom+xml; charset=UTF-8"})


Answer = str | int | tuple[str, str]


class GithubAPI:
    """Answers ``GET /repos/...`` from a map of API path to answer: a JSON fixture name (200),
    a status (with not-found.json), or ``("moved", path)`` (301 to that path, as for a rename)."""

    def __init__(self, server: LocalServer, answers: dict[str, Answer]) -> None:
        self.server = server
        self.answers = {path.casefold(): answer for path, answer in answers.items()}
        self.url = server.base_url
        server.fallback(self._handle)

    def _handle(self, req) -> None:
        answer = self.answers.get(urlsplit(req.path).path.casefold(), 404)
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        if isinstance(answer, tuple):
            body = (DATA / "github" / "moved-permanently.json").read_bytes()
            reply(req, 301, body, {**json_type, "Location": self.server.url(answer[1])})
        elif isinstance(answer, int):
            reply(req, answer, (DATA / "github" / "not-found.json").read_bytes(), json_type)
        else:
            reply(req, 200, (DATA / "github" / answer).read_bytes(), json_type)
