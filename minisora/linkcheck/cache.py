"""Results kept between runs, so that a nightly job does not ask again about links found ok.

One JSON file holds every URL's last result and when it was found::

    {"version": 1, "results": {"https://...": {"verdict": "ok", "status": 200,
                                               "final_url": null, "checked_at": 1732500000.0}}}

Only ``ok`` results within ``max_age`` are reused; anything else is asked about again.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from minisora.errors import UsageError
from minisora.linkcheck.results import Result, Verdict
from minisora.store.cache_dir import DAY
from minisora.store.files import atomic_write

VERSION = 1
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": DAY, "w": 7 * DAY}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``30m``, ``12h``, ``7d``, ``2w`` or a plain number of seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"--max-age {text!r}: write a duration like 90s, 30m, 12h, 7d or 2w")
    return float(match[1]) * _UNITS[(match[2] or "s").lower()]


class LinkCache:
    """The results of earlier runs, by URL. Build one with :meth:`load`."""

    def __init__(
        self,
        path: Path | None = None,
        entries: dict[str, dict[str, Any]] | None = None,
        max_age: float = DAY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.entries = entries or {}
        self.max_age = max_age
        self._clock = clock

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        max_age: float = DAY,
        clock: Callable[[], float] = time.time,
    ) -> LinkCache:
        """The cache in ``path``; an empty one when the file does not exist yet."""
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(file, {}, max_age, clock)
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read the link cache: {exc}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"{path}:{exc.lineno}: not a link cache (invalid JSON: {exc.msg}); "
                "delete the file to start afresh"
            ) from None
        entries = data.get("results") if isinstance(data, dict) else None
        if not isinstance(entries, dict) or data.get("version") != VERSION:
            raise UsageError(
                f"{path}:1: results: not a minisora link cache (version {VERSION}); "
                "delete the file to start afresh"
            )
        return cls(file, entries, max_age, clock)

    def fresh(self, url: str) -> Result | None:
        """The cached result for ``url`` when it was ok less than ``max_age`` ago."""
        entry = self.entries.get(url)
        if not isinstance(entry, dict) or entry.get("verdict") != Verdict.OK.value:
            return None
        checked = entry.get("checked_at")
        if not isinstance(checked, (int, float)) or self._clock() - checked > self.max_age:
            return None
        status = entry.get("status")
        return Result(url, Verdict.OK, status if isinstance(status, int) else None)

    def update(self, results: Iterable[Result]) -> None:
        """Record fresh results (any verdict) with the time they were found."""
        now = self._clock()
        for r in results:
            self.entries[r.url] = {
                "verdict": r.verdict.value,
                "status": r.status,
                "final_url": r.final_url,
                "checked_at": now,
            }

    def save(self) -> None:
        """Write the cache atomically (a no-op for a cache without a file)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "results": self.entries}, indent=0, sort_keys=True)
        atomic_write(self.path, text + "\n")
