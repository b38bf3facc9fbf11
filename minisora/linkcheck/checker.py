"""The async checker: a pool of workers over per-host queues, HEAD first, nothing idle.

    report = check_sync(["https://arxiv.org/abs/2212.09748"], Settings(timeout=5))
    report.results[0].verdict  # Verdict.OK

Each distinct URL (fragment aside) is requested once however many papers use it. Redirects are
followed by hand so that every hop goes through its own host's limits and a permanent first hop
makes the result ``moved``. ``concurrency`` workers take the next URL of any host that may be
asked now; a URL that must wait (``Retry-After``, backoff) waits in a timetable, not in a worker,
so the other hosts and URLs keep flowing. The run ends by its ``deadline`` whatever happens, and
a host's waits by ``max_wait``: what is left then gets an ``unverified`` verdict that says so.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from minisora.core.urls import host, host_key, is_http_url, redact, url_problem
from minisora.errors import MinisoraError, UsageError
from minisora.linkcheck.cache import LinkCache
from minisora.linkcheck.classify import HEAD_REFUSED, PERMANENT, REDIRECTS, failure, judge
from minisora.linkcheck.hosts import Host
from minisora.linkcheck.results import LinkReport, Result, Target, Verdict
from minisora.linkcheck.targets import group_by_url
from minisora.sources import run_sync
from minisora.sources.http import RETRY_STATUSES, Proxies, backoff_delay, retry_after_seconds

if TYPE_CHECKING:
    from minisora.linkcheck.transport import Transport
    from minisora.sources.arxiv import ArxivSettings

Progress = Callable[[Result], None]
# Refusals of HEAD that make a host (which never served one) be asked with GET only.
_HEAD_REFUSALS = 2
DEADLINE = "run deadline: not checked before the run's time was up"


@dataclass(frozen=True)
class Settings:
    """How hard and how long to try. ``accept`` maps a host to statuses that count as ok.

    ``per_host`` is half of ``concurrency`` by default, so that one host never holds every place;
    a host that rate-limits us gets fewer (halved per rate-limit window, one back per answer).

    ``max_retry_after`` is the longest single wait a host may ask for and ``max_wait`` the most
    a host's waits may add up to; a longer ask makes its URL ``unverified`` at once. ``deadline``
    bounds the whole run (None: no bound). ``proxies`` are the forward proxies to ask through
    (none by default: nothing is read from the environment).
    """

    concurrency: int = 32
    per_host: int = 16
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 60.0
    max_wait: float = 120.0
    deadline: float | None = 900.0
    max_redirects: int = 10
    body_limit: int = 8192
    accept: Mapping[str, frozenset[int]] = field(default_factory=dict)
    proxies: Proxies = field(default_factory=Proxies)

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host", "timeout", "max_redirects", "body_limit"):
            if not getattr(self, name) > 0:
                raise UsageError(f"{name.replace('_', '-')} must be more than 0")
        for name in ("retries", "backoff", "max_retry_after", "max_wait"):
            if not getattr(self, name) >= 0:
                raise UsageError(f"{name.replace('_', '-')} must not be negative")
        if self.deadline is not None and not self.deadline > 0:
            raise UsageError("deadline must be more than 0")


@dataclass(eq=False)
class _Job:
    """One URL on its way: the hop being asked, and what happened so far."""

    url: str
    targets: tuple[Target, ...]
    current: str
    gate: Host[_Job]
    started: float
    method: str = "HEAD"
    hops: int = 0
    attempt: int = 0
    moved: bool = False


def _wake_up(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class _Schedule:
    """Per-host queues, a timetable of jobs waiting for their time, and idle workers."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self.hosts: dict[str, Host[_Job]] = {}
        self._round: deque[Host[_Job]] = deque()  # hosts with queued jobs
        self._later: list[tuple[float, int, _Job]] = []
        self._order = itertools.count()
        self._busy = 0
        self._idle: deque[asyncio.Future[None]] = deque()

    def gate(self, url: str) -> Host[_Job]:
        key = host_key(url)
        gate = self.hosts.get(key)
        if gate is None:
            gate = self.hosts[key] = Host(self.per_host)
        return gate

    def put(self, job: _Job, at: float = 0.0, *, first: bool = False) -> None:
        """Queue ``job`` for its host, at once or (``at``) when its time comes."""
        if at > time.monotonic():
            heapq.heappush(self._later, (at, next(self._order), job))
        else:
            gate = job.gate
            gate.queue.appendleft(job) if first else gate.queue.append(job)
            if not gate.listed:
                gate.listed = True
                self._round.append(gate)
        self._wake()

    def release(self, gate: Host[_Job]) -> None:
        gate.active -= 1
        self._busy -= 1
        self._wake()

    def _wake(self) -> None:
        while self._idle:
            waiter = self._idle.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _next(self, now: float) -> _Job | None:
        while self._later and self._later[0][0] <= now:
            job = heapq.heappop(self._later)[2]
            self.put(job, first=True)
        for _ in range(len(self._round)):
            gate = self._round[0]
            if not gate.queue:
                self._round.popleft()
                gate.listed = False
                continue
            self._round.rotate(-1)
            if gate.free(now):
                gate.active += 1
                self._busy += 1
                return gate.queue.popleft()
        return None

    async def take(self) -> _Job | None:
        """The next job a worker may start now, waiting if need be; None when all is done."""
        loop = asyncio.get_running_loop()
        while True:
            now = time.monotonic()
            job = self._next(now)
            if job is not None:
                return job
            if not (self._busy or self._later or self._round):
                self._wake()  # let the other idle workers see that all is done
                return None
            times = [self._later[0][0]] if self._later else []
            times += [g.resume_at for g in self._round if g.resume_at > now]
            waiter = loop.create_future()
            self._idle.append(waiter)
            timer = None
            if times:
                timer = loop.call_at(loop.time() + min(times) - now, _wake_up, waiter)
            try:
                await waiter
            finally:
                if timer is not None:
                    timer.cancel()


class _Run:
    """One run: the transport, the schedule, and the results as they come in."""

    def __init__(
        self, settings: Settings, transport: Transport, done: Callable[[Result], None]
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.schedule = _Schedule(settings.per_host)
        self.done = done
        self.requests = 0

    def finish(
        self,
        job: _Job,
        verdict: Verdict,
        status: int | None = None,
        final_url: str | None = None,
        error: str | None = None,
    ) -> None:
        elapsed = round((time.monotonic() - job.started) * 1000)
        self.done(Result(job.url, verdict, status, final_url, error, elapsed, job.targets))

    def start(self, url: str, targets: tuple[Target, ...]) -> None:
        job = _Job(url, targets, url, self.schedule.gate(url), time.monotonic())
        problem = url_problem(url)
        if problem:
            self.finish(job, Verdict.ERROR, error=f"invalid URL: {problem}")
        else:
            self.schedule.put(job)

    async def worker(self) -> None:
        while (job := await self.schedule.take()) is not None:
            gate = job.gate
            try:
                await self.step(job, gate)
            finally:
                self.schedule.release(gate)

    async def step(self, job: _Job, gate: Host[_Job]) -> None:
        """Ask one request of ``job`` and finish it or queue what comes next."""
        s = self.settings
        final = job.current if job.hops else None
        if gate.exhausted:
            why = "rate limited: the host asks to wait longer than allowed"
            self.finish(job, Verdict.UNVERIFIED, 429, final, why)
            return
        method = "GET" if gate.head_refused else job.method
        sent = time.monotonic()
        self.requests += 1
        try:
            answer = await self.transport.ask(method, job.current)
        except Exception as exc:
            verdict, message, retry = failure(exc)
            if retry and job.attempt < s.retries:
                job.attempt += 1
                self.schedule.put(
                    job,
                    time.monotonic() + backoff_delay(s.backoff, job.attempt - 1, s.max_retry_after),
                )
                return
            self.finish(job, verdict, None, final, message)
            return
        status = answer.status
        if status not in RETRY_STATUSES:
            gate.answered(sent)
        if status in REDIRECTS:
            self.redirect(job, status, answer.headers.get("location"))
            return
        if method == "HEAD" and status >= 400 and status not in RETRY_STATUSES:
            # Some servers refuse HEAD (405, 501) or answer it wrongly: GET decides. A host that
            # refused it a few times and never served one is asked with GET from now on.
            if status in HEAD_REFUSED:
                gate.head_refusals += 1
                gate.head_refused = gate.head_refusals >= _HEAD_REFUSALS and not gate.head_ok
            job.method = "GET"
            self.schedule.put(job, first=True)
            return
        if method == "HEAD" and status < 400:
            gate.head_ok = True
        if status in RETRY_STATUSES:
            asked = retry_after_seconds(answer.headers.get("Retry-After", ""))
            if status == 429 or asked is not None:
                if asked is None:
                    asked = backoff_delay(s.backoff, job.attempt, s.max_retry_after)
                at = gate.limited(sent, asked, s.max_retry_after, s.max_wait)
                if at is None:
                    why = f"rate limited: the host asks to wait {asked:g} s, longer than allowed"
                    self.finish(job, Verdict.UNVERIFIED, status, final, why)
                    return
            else:
                at = time.monotonic() + backoff_delay(s.backoff, job.attempt, s.max_retry_after)
            if job.attempt < s.retries:
                job.attempt += 1
                self.schedule.put(job, at)
                return
        verdict, error = judge(
            status, answer.headers, answer.body, host(job.current), s.accept, job.moved
        )
        self.finish(job, verdict, status, final, error)

    def redirect(self, job: _Job, status: int, location: str | None) -> None:
        if not location:
            self.finish(job, Verdict.ERROR, status, job.current, "redirect without a Location")
            return
        target = urljoin(job.current, location)
        if not is_http_url(target):
            self.finish(job, Verdict.ERROR, status, target, "redirects to a non-http(s) URL")
            return
        job.hops += 1
        if job.hops > self.settings.max_redirects:
            error = f"more than {self.settings.max_redirects} redirects"
            self.finish(job, Verdict.BROKEN, status, target, error)
            return
        job.moved = job.moved or (job.hops == 1 and status in PERMANENT)
        job.current, job.gate, job.method = target, self.schedule.gate(target), "HEAD"
        self.schedule.put(job, first=True)

    async def run(self) -> None:
        """Work until every job is finished or the deadline passes."""
        workers = [asyncio.ensure_future(self.worker()) for _ in range(self.settings.concurrency)]
        try:
            await asyncio.wait_for(asyncio.gather(*workers), self.settings.deadline)
        except asyncio.TimeoutError:
            pass  # what is left unfinished is the caller's to report
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)


def _redacted(result: Result) -> Result:
    """``result`` without the credentials any of its URLs or its message carried."""
    return replace(
        result,
        url=redact(result.url),
        final_url=redact(result.final_url) if result.final_url else None,
        error=redact(result.error) if result.error else None,
        targets=tuple(replace(t, url=redact(t.url)) for t in result.targets),
    )


async def check(
    targets: Iterable[Target | str],
    settings: Settings | None = None,
    *,
    cache: LinkCache | None = None,
    progress: Progress | None = None,
    arxiv: ArxivSettings | None = None,
) -> LinkReport:
    """Check every distinct URL of ``targets`` and return a :class:`LinkReport`.

    With ``cache``, URLs it holds as ok (within its ``max_age``) are not requested again, and
    the cache is updated and saved (a cache that cannot be written is a warning of the report).
    With ``arxiv``, arXiv links are checked through the arXiv API in batches. ``progress`` is
    called with each result as it comes in. Credentials written in a URL are used for the
    request but never appear in the report or the cache.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    groups = group_by_url(targets)
    results: dict[str, Result] = {}

    def done(result: Result) -> None:
        if "@" in result.url or (result.final_url and "@" in result.final_url):
            result = _redacted(result)
        results[result.url] = result
        if progress is not None:
            progress(result)

    todo = []
    for url, group in groups.items():
        hit = cache.fresh(redact(url)) if cache is not None else None
        if hit is not None:
            done(replace(hit, targets=group, cached=True))
        else:
            todo.append(url)
    if arxiv is not None:
        from minisora.linkcheck.arxiv import check_arxiv

        for result in (await check_arxiv({u: groups[u] for u in todo}, arxiv)).values():
            done(result)
        todo = [url for url in todo if redact(url) not in results]
    requests = 0
    if todo:
        from minisora.linkcheck.transport import Transport

        s = settings
        transport = Transport(s.concurrency, s.timeout, s.body_limit, s.proxies)
        try:
            run = _Run(settings, transport, done)
            for url in todo:
                run.start(url, groups[url])
            await run.run()
            requests = run.requests
            for url in todo:
                if redact(url) not in results:
                    done(Result(url, Verdict.UNVERIFIED, error=DEADLINE, targets=groups[url]))
        finally:
            await transport.close()
    warnings: list[str] = []
    if cache is not None:
        warnings += cache.warnings
        cache.update(r for r in results.values() if not r.cached)
        try:
            cache.save()
        except (OSError, MinisoraError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            warnings.append(f"{cache.path}: the link cache was not saved: {reason}")
    ordered = tuple(results[redact(url)] for url in groups)
    return LinkReport(
        ordered,
        requests=requests,
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
    )


def check_sync(
    targets: Iterable[Target | str],
    settings: Settings | None = None,
    *,
    cache: LinkCache | None = None,
    progress: Progress | None = None,
    arxiv: ArxivSettings | None = None,
) -> LinkReport:
    """:func:`check` for code without an event loop, and for Jupyter cells (which have one)."""
    return run_sync(check(targets, settings, cache=cache, progress=progress, arxiv=arxiv))
