"""A small on-disk cache of JSON documents, one file per key.

It lives under ``cache_dir.default_dir()`` (``~/.cache/minisora`` unless the CLI or a caller chose).
A cache that cannot be read or written is simply a miss: it never fails a command.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minisora.store.cache_dir import DAY
from minisora.store.yaml_read import atomic_write


@dataclass(frozen=True)
class JsonCache:
    """JSON values by key under ``directory``; entries older than ``max_age`` seconds are misses."""

    directory: Path
    max_age: float = 7 * DAY

    def _file(self, key: str) -> Path:
        return self.directory / (re.sub(r"[^A-Za-z0-9.-]", "_", key) + ".json")

    def get(self, key: str) -> Any | None:
        file = self._file(key)
        try:
            if time.time() - file.stat().st_mtime > self.max_age:
                return None
            return json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(self._file(key), json.dumps(value, ensure_ascii=False))
        except OSError:
            pass  # a read-only or full disk costs a refetch next time, nothing more
