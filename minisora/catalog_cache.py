"""Validated catalogues kept between runs, keyed by the file's bytes and minisora's version.

A catalogue that loaded without errors is stored as JSON lines; loading the same bytes again
skips the YAML parser and the cross-entry checks. pydantic still validates what it reads, so a
damaged or stale entry is a miss, never a wrong answer. ``MINISORA_NO_CACHE=1`` turns it off. A
cache that cannot be read or written is a miss: it never fails a command.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from . import __version__
from .cache_dir import default_dir
from .models import CatalogFile, Paper
from .yamlio import atomic_write, paused_gc

Model = TypeVar("Model", bound=BaseModel)


def _file(raw: bytes) -> Path | None:
    if os.environ.get("MINISORA_NO_CACHE"):
        return None
    digest = hashlib.blake2b(raw, digest_size=20, person=b"minisora")
    # The rules live in these modules: in a source checkout, editing them must not serve
    # catalogues that the old rules accepted.
    here = Path(__file__).parent
    for module in ("models.py", "checks.py", "yamlio.py"):
        digest.update(str((here / module).stat().st_mtime_ns).encode())
    return default_dir() / "catalogues" / f"{__version__}-{digest.hexdigest()}.jsonl"


def get(raw: bytes, model: type[Model]) -> Model | None:
    """The catalogue validated earlier from exactly these bytes, if it is kept."""
    file = _file(raw)
    if file is None:
        return None
    try:
        with file.open("rb") as lines, paused_gc():
            head = json.loads(next(lines))
            # A paper a line: memory holds the models, never the whole document's JSON too.
            papers = [Paper.model_validate_json(line) for line in lines]
            return model.model_validate({**head, "papers": papers})
    except (OSError, StopIteration, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def put(raw: bytes, catalog: CatalogFile) -> None:
    """Keep a catalogue that loaded without errors."""
    file = _file(raw)
    if file is None:
        return
    head = catalog.model_dump_json(exclude={"papers"}) + "\n"
    lines = (paper.model_dump_json() + "\n" for paper in catalog.papers)  # never all at once
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(file, itertools.chain([head], lines))
    except OSError:
        pass
