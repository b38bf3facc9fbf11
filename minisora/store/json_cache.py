"""A small on-disk cache of JSON documents, one file per key.

It lives under ``cache_dir.default_dir()`` (``~/.cache/minisora`` unless the CLI or a caller chose).
A cache that cannot be read or written is simply a miss: it never fails a command. An entry the
caller's reader does not trust (another shape, wrong types, NaN, a date in the future) is a miss
too: it is removed, and the first one a cache meets is reported as a
:class:`~minisora.errors.MinisoraWarning`.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from minisora.errors import MinisoraWarning
from minisora.store.cache_dir import DAY
from minisora.store.files import atomic_write

T = TypeVar("T")
CLOCK_SKEW = 300.0  # seconds an entry may seem to come from the future (clocks differ)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


@dataclass
class JsonCache:
    """JSON values by key under ``directory``; entries older than ``max_age`` seconds are misses.
    ``name`` is how warnings call it ("the arXiv cache")."""

    directory: Path
    max_age: float = 7 * DAY
    name: str = "the cache"
    _warned: bool = field(default=False, init=False, repr=False)

    def _file(self, key: str) -> Path:
        return self.directory / (re.sub(r"[^A-Za-z0-9.-]", "_", key) + ".json")

    def get(self, key: str, read: Callable[[Any], T]) -> T | None:
        """What ``read`` makes of the value kept for ``key``; None when there is none, it is too
        old, or it cannot be trusted (``read`` raises ValueError, TypeError or KeyError)."""
        file = self._file(key)
        try:
            age = time.time() - file.stat().st_mtime
            raw = file.read_bytes()
        except OSError:
            return None
        if age > self.max_age:
            return None
        try:
            if age < -CLOCK_SKEW:
                raise ValueError("it is dated in the future")
            return read(json.loads(raw, parse_constant=_no_constant))
        except (ValueError, TypeError, KeyError) as exc:
            self._distrust(file, exc)
            return None

    def put(self, key: str, value: Any) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(self._file(key), json.dumps(value, ensure_ascii=False, allow_nan=False))
        except (OSError, ValueError):
            pass  # a read-only or full disk costs a refetch next time, nothing more

    def _distrust(self, file: Path, why: Exception) -> None:
        with contextlib.suppress(OSError):
            file.unlink(missing_ok=True)
        if not self._warned:
            self._warned = True
            reason = str(why) or type(why).__name__
            msg = f"{self.name} held an entry it cannot trust ({file}: {reason}); asking again"
            warnings.warn(msg, MinisoraWarning, stacklevel=3)
