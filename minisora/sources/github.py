"""GitHub repository health through the REST API: exists, archived, renamed, stars, last push.

    from minisora.sources import run_sync
    from minisora.sources.github import GithubSettings, fetch_repos
    health = run_sync(fetch_repos(["facebookresearch/DiT"], GithubSettings()))

Settings are plain values (default https://api.github.com, no token); the CLI fills them from
``$MINISORA_GITHUB_API`` and ``$GITHUB_TOKEN``. The REST API answers without a token (60 requests
an hour; 5,000 with one), which GraphQL does not. The token goes to the API host only: never to
another host, not even through a redirect.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import httpx

from minisora.errors import MinisoraWarning, SourceError
from minisora.models import GithubStatus
from minisora.sources.fetch import Pacer, polite_get
from minisora.sources.http import Proxies, async_client, at_least, check_api_url

DEFAULT_API = "https://api.github.com"
TOKEN_ENV = "GITHUB_TOKEN"  # where users keep a token: messages name it, the CLI reads it

_REPO_URL = re.compile(
    r"^https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)"
    r"/(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?(?:[/?#].*)?$",
    re.IGNORECASE,
)
# First path parts of github.com pages that are not accounts.
_NOT_OWNERS = frozenset(
    {"about", "apps", "collections", "customer-stories", "enterprise", "events", "explore"}
    | {"features", "login", "marketplace", "orgs", "pricing", "search", "settings", "site"}
    | {"sponsors", "topics", "trending"}
)
_GONE = frozenset({404, 410, 451})


def repo_of(url: str) -> str | None:
    """``owner/name`` of a github.com repository URL (any page inside it), else None."""
    match = _REPO_URL.match(url)
    if not match or match["owner"].lower() in _NOT_OWNERS or match["name"] in (".", ".."):
        return None
    return f"{match['owner']}/{match['name']}"


@dataclass(frozen=True)
class GithubSettings:
    """Where to ask GitHub, and with which token. Checked when made: a bad value is a UsageError."""

    api_url: str = DEFAULT_API
    token: str | None = field(default=None, repr=False)
    concurrency: int = 4
    attempts: int = 3
    backoff: float = 1.0
    max_bytes: int = 2**20  # a repository's JSON is about 6 KB
    deadline: float = 30.0  # seconds for each request, from connecting to the last byte
    proxies: Proxies = field(default_factory=Proxies)

    def __post_init__(self) -> None:
        at_least(self.max_bytes, 1, "the largest GitHub answer in bytes")
        at_least(self.deadline, 0.001, "the seconds a GitHub request may take")
        check_api_url(self.api_url, "GitHub")
        at_least(self.concurrency, 1, "the GitHub requests in flight")
        at_least(self.attempts, 1, "the attempts per GitHub request")
        at_least(self.backoff, 0, "the GitHub backoff")


@dataclass(frozen=True)
class RepoHealth:
    """What GitHub says about one repository, asked for as ``repo`` (``owner/name``)."""

    repo: str
    found: bool
    http_status: int = 200
    full_name: str = ""
    archived: bool = False
    stars: int = 0
    pushed_at: date | None = None

    @property
    def moved_to(self) -> str | None:
        """The repository's new URL when it was renamed or transferred."""
        if self.found and self.full_name.casefold() != self.repo.casefold():
            return f"https://github.com/{self.full_name}"
        return None

    def status(self, checked: date) -> GithubStatus:
        """The catalogue's ``github:`` field for this repository."""
        return GithubStatus(
            stars=self.stars,
            archived=self.archived,
            pushed_at=self.pushed_at,
            moved_to=self.moved_to,
            checked=checked,
        )


class _TokenForHost(httpx.Auth):
    """Adds the token to requests for the API's own scheme, host and port, and to nothing else."""

    def __init__(self, token: str, api_url: str) -> None:
        self._token = token
        self._origin = _origin(httpx.URL(api_url))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if _origin(request.url) == self._origin:
            request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _rate_limited(response: httpx.Response) -> SourceError | None:
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    if headers.get("x-ratelimit-remaining") != "0" and "retry-after" not in headers:
        return None
    reset = headers.get("x-ratelimit-reset", "")
    when = (
        f" until {datetime.fromtimestamp(int(reset), timezone.utc):%H:%M} UTC"
        if reset.isdigit()
        else ""
    )
    advice = "" if "authorization" in response.request.headers else f"; set {TOKEN_ENV} for more"
    return SourceError(f"the GitHub API rate limit is used up{when}{advice}")


def _health(repo: str, response: httpx.Response) -> RepoHealth | None:
    """What ``response`` says about ``repo``; None (with a warning) when it cannot be read."""
    status = response.status_code
    limited = _rate_limited(response)
    if limited is not None:
        raise limited
    if status in _GONE or status == 403:  # 403 without a rate limit: access blocked
        return RepoHealth(repo, found=False, http_status=status)
    if status == 401:
        raise SourceError(f"the GitHub API refused the token in {TOKEN_ENV} (HTTP 401)")
    if status != 200:
        raise SourceError(f"the GitHub API answered HTTP {status} for {repo}")
    try:
        return _found(repo, response.json())
    except ValueError as exc:
        msg = f"the GitHub API gave an unreadable answer for {repo} ({exc}); skipped"
        warnings.warn(msg, MinisoraWarning, stacklevel=1)
        return None


def _found(repo: str, data: object) -> RepoHealth:
    """A repository from the API's JSON; ValueError names the first field that is not as
    documented."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    full_name, archived = data.get("full_name"), data.get("archived", False)
    stars = data.get("stargazers_count") or 0
    if not isinstance(full_name, str) or not full_name:
        raise ValueError(f"full_name is {full_name!r}")
    if not isinstance(archived, bool):
        raise ValueError(f"archived is {archived!r}")
    if not isinstance(stars, int) or isinstance(stars, bool) or stars < 0:
        raise ValueError(f"stargazers_count is {stars!r}")
    return RepoHealth(
        repo,
        found=True,
        full_name=full_name,
        archived=archived,
        stars=stars,
        pushed_at=_day(data.get("pushed_at")),
    )


async def fetch_repos(
    repos: Iterable[str],
    settings: GithubSettings | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, RepoHealth]:
    """Health of each ``owner/name``, keyed as given. Renamed repositories are followed; one
    whose answer cannot be read is left out, with a :class:`MinisoraWarning`."""
    settings = settings or GithubSettings()
    wanted = list(dict.fromkeys(repos))
    if not wanted:
        return {}
    if progress:
        repos = f"{len(wanted)} repositor" + ("ies" if len(wanted) > 1 else "y")
        progress(f"GitHub: asking about {repos}")
    base = settings.api_url.rstrip("/")
    auth = _TokenForHost(settings.token, base) if settings.token else None
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    limit = asyncio.Semaphore(max(1, settings.concurrency))
    pacer = Pacer(0.0)
    hint = " (offline, or behind a proxy?)"

    async with async_client(
        timeout=20.0,
        max_connections=settings.concurrency,
        proxies=settings.proxies,
        headers=headers,
        auth=auth,
        follow_redirects=True,
    ) as http:

        async def one(repo: str) -> RepoHealth | None:
            async with limit:
                response = await polite_get(
                    http,
                    f"{base}/repos/{repo}",
                    service="the GitHub API",
                    pacer=pacer,
                    backoff=settings.backoff,
                    attempts=settings.attempts,
                    max_bytes=settings.max_bytes,
                    deadline=settings.deadline,
                    hint=hint,
                )
            return _health(repo, response)

        results = await asyncio.gather(*(one(repo) for repo in wanted), return_exceptions=True)
    health = {}
    for repo, result in zip(wanted, results, strict=True):
        if isinstance(result, BaseException):
            raise result
        if result is not None:
            health[repo] = result
    return health
