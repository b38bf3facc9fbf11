"""Results kept between runs, so that a nightly job does not ask again about links found ok.

One JSON file holds every URL's last result and when it was found::

    {"version": 1, "results": {"https://...": {"verdict": "ok", "status": 200,
                                               "final_url": null, "checked_at": 1732500000.0}}}

Only ``ok`` results within ``max_age`` are reused; anything else is asked about again. An entry
that cannot be trusted (another shape, a time in the future or not a number) is a miss, and
the cache says so once in :attr:`LinkCache.warnings`. URLs are stored without credentials.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from minisora.core.urls import redact
from minisora.errors import UsageError
from minisora.linkcheck.results import Result, Verdict
from minisora.store.cache_dir import DAY

VERSION = 1
_VERDICTS = frozenset(v.value for v in Verdict)
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": DAY, "w": 7 * DAY}
# Clocks of two machines sharing a cache may differ a little; a minute more is "the future".
_SKEW = 60.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``90s``, ``30m``, ``12h``, ``7d``, ``2w`` or a plain number of seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"{text!r} is no duration: write one like 90s, 30m, 12h, 7d or 2w")
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
        self.max_age = max_age
        self._clock = clock
        self.entries: dict[str, dict[str, Any]] = {}
        untrusted = 0
        for url, entry in (entries or {}).items():
            if self._trusted(entry):
                self.entries[redact(url)] = entry
            else:
                untrusted += 1
        self.warnings: list[str] = []
        if untrusted:
            where = f"{path}: " if path else ""
            self.warnings.append(
                f"{where}{untrusted} link cache entr{'y' if untrusted == 1 else 'ies'} could not "
                "be trusted (another shape, or a time in the future); those links are asked again"
            )

    def _trusted(self, entry: object) -> bool:
        """Whether a stored entry has the shape :meth:`update` writes and a believable time."""
        if not isinstance(entry, dict):
            return False
        checked, status = entry.get("checked_at"), entry.get("status")
        # bool is an int, but not a time; NaN and infinities are floats, but not times either.
        if isinstance(checked, bool) or not isinstance(checked, (int, float)):
            return False
        if not math.isfinite(checked):
            return False
        return (
            entry.get("verdict") in _VERDICTS
            and (status is None or (type(status) is int and 99 < status < 1000))
            and (entry.get("final_url") is None or isinstance(entry.get("final_url"), str))
            and checked <= self._clock() + _SKEW
        )

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
        except (FileNotFoundError, NotADirectoryError):  # not there (yet): saving will say why
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
        if entry is None or entry["verdict"] != Verdict.OK.value:
            return None
        if self._clock() - entry["checked_at"] > self.max_age:
            return None
        return Result(url, Verdict.OK, entry["status"])

    def update(self, results: Iterable[Result]) -> None:
        """Record fresh results (any verdict) with the time they were found. Results come from
        :func:`~minisora.linkcheck.check`, whose URLs carry no credentials."""
        now = self._clock()
        for r in results:
            self.entries[r.url] = {
                "verdict": r.verdict.value,
                "status": r.status,
                "final_url": r.final_url,
                "checked_at": now,
            }

    def save(self) -> None:
        """Write the cache atomically (a no-op for a cache without a file). Raises ``OSError``
        when it cannot be written."""
        if self.path is None:
            return
        from minisora.store.files import atomic_write

        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "results": self.entries}, indent=0, sort_keys=True)
        atomic_write(self.path, text + "\n")
