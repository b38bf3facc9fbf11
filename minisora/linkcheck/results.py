"""What a link check produces: a verdict per URL, with the papers that use it.

These types import no network code, so reports and caches can be read without aiohttp.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from minisora.linkcheck.escape import markdown, markdown_link


class Verdict(str, Enum):
    """What became of a URL. Only ``broken`` fails a run (``timeout`` and ``error`` may be
    passing trouble, ``unverified`` is a host that refuses robots)."""

    OK = "ok"
    MOVED = "moved"
    BROKEN = "broken"
    UNVERIFIED = "unverified"
    TIMEOUT = "timeout"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Target:
    """One use of a URL: the paper and link kind it belongs to, and where it is written."""

    url: str
    paper: str | None = None
    kind: str | None = None
    source: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        """``data/papers.yaml:12``, or the paper id when the file is unknown."""
        if self.source:
            return f"{self.source}:{self.line}" if self.line else self.source
        return self.paper or ""


@dataclass(frozen=True)
class Result:
    """The verdict on one distinct URL. ``targets`` are every use of it that was checked."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    error: str | None = None
    elapsed_ms: int = 0
    targets: tuple[Target, ...] = ()
    cached: bool = False

    @property
    def paper(self) -> str | None:
        return self.targets[0].paper if self.targets else None

    @property
    def kind(self) -> str | None:
        return self.targets[0].kind if self.targets else None

    @property
    def detail(self) -> str:
        """One human line: ``HTTP 404``, ``moved to https://...``, ``connection refused``."""
        parts = [f"HTTP {self.status}"] if self.status else []
        if self.verdict is Verdict.MOVED and self.final_url:
            parts.append(f"moved to {self.final_url}")
        elif self.final_url and self.verdict is not Verdict.OK:
            parts.append(f"at {self.final_url}")
        if self.error:
            parts.append(self.error)
        return ", ".join(parts)

    def to_record(self) -> dict[str, Any]:
        """The JSON object of ``--format json``."""
        return {
            "url": self.url,
            "paper": self.paper,
            "papers": sorted({t.paper for t in self.targets if t.paper}),
            "kind": self.kind,
            "verdict": self.verdict.value,
            "status": self.status,
            "final_url": self.final_url,
            "error": self.error,
            "elapsed_ms": self.elapsed_ms,
            "cached": self.cached,
        }


@dataclass(frozen=True)
class LinkReport:
    """Every result of a run, in the order the URLs were first listed, and what it cost."""

    results: tuple[Result, ...]
    requests: int = 0
    seconds: float = 0.0
    excluded: int = 0
    warnings: tuple[str, ...] = ()
    counts: Counter[Verdict] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", Counter(r.verdict for r in self.results))

    @property
    def broken(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.verdict is Verdict.BROKEN)

    @property
    def problems(self) -> tuple[Result, ...]:
        """Everything that is not plainly ok: what a curator should look at."""
        return tuple(r for r in self.results if r.verdict is not Verdict.OK)

    @property
    def ok(self) -> bool:
        """True when nothing is broken."""
        return not self.counts[Verdict.BROKEN]

    def by_paper(self) -> dict[str, list[Result]]:
        """The problems (everything not ok), grouped by paper id, or by file and line."""
        groups: dict[str, list[Result]] = {}
        for result in self.problems:
            keys = dict.fromkeys(t.paper or t.where for t in result.targets) or {result.url: None}
            for key in keys:
                groups.setdefault(key, []).append(result)
        return groups

    def to_markdown(self) -> str:
        """A Markdown table of the problems, for an issue or a pull-request comment."""
        lines = [f"**Link check**: {markdown(self.summary())}", ""]
        if self.problems:
            lines += [
                "| Paper | Kind | Link | Verdict | Detail |",
                "| --- | --- | --- | --- | --- |",
            ]
            for paper, results in self.by_paper().items():
                lines += [
                    f"| {markdown(paper)} | {markdown(r.kind or '')} | {markdown_link(r.url)} "
                    f"| {r.verdict.value} | {markdown(r.detail)} |"
                    for r in results
                ]
        return "\n".join(lines) + "\n"

    _repr_markdown_ = to_markdown

    def summary(self) -> str:
        """``412 links in 3.1 s: 400 ok, 5 moved, 7 broken (402 requests)``."""
        counts = ", ".join(f"{self.counts[v]} {v}" for v in Verdict if self.counts[v])
        cached = sum(r.cached for r in self.results)
        extras = [f"{self.requests} requests"]
        if cached:
            extras.append(f"{cached} from cache")
        if self.excluded:
            extras.append(f"{self.excluded} excluded")
        n = len(self.results)
        return (
            f"{n} link{'s' * (n != 1)} in {self.seconds:.1f} s: {counts or 'nothing checked'} "
            f"({', '.join(extras)})"
        )
