"""Validated catalogues kept between runs, keyed by the file's bytes and minisora's version.

A catalogue that loaded without errors is stored as JSON lines; loading the same bytes again
skips the YAML parser and the cross-entry checks. The key covers the file's bytes and every
source file of the package (path, size and mtime), so no edit of a rule can serve what old rules
accepted. An entry ends with a checksum of its lines, and pydantic still validates what it reads,
so a damaged entry (cut short, edited, another shape) is a miss, never a wrong answer: it is
removed, with a :class:`~minisora.errors.MinisoraWarning`. At most ``KEEP`` entries are kept, the
least recently used go first. It lives in ``cache_dir.default_dir()/catalogues``;
``cache_dir.use(..., catalogues=False)`` turns it off (the CLI does for ``MINISORA_NO_CACHE=1``).
A cache that cannot be read or written is a miss: it never fails a command.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from minisora import __version__
from minisora.errors import MinisoraWarning
from minisora.models import CatalogFile, Paper
from minisora.store.cache_dir import catalogues_kept, default_dir
from minisora.store.files import atomic_write
from minisora.store.yaml_read import paused_gc

Model = TypeVar("Model", bound=BaseModel)


KEEP = 8  # catalogues kept; a 10,000-paper one takes about 5 MB


@functools.cache
def _code_stamp() -> bytes:
    """Path, size and mtime of every module of the package: changes with any rule."""
    package = Path(__file__).resolve().parent.parent
    stamp = hashlib.blake2b(__version__.encode(), digest_size=20)
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        stamp.update(f"{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns};".encode())
    return stamp.digest()


def _folder() -> Path:
    return default_dir() / "catalogues"


def _file(raw: bytes) -> Path | None:
    if not catalogues_kept():
        return None
    digest = hashlib.blake2b(raw, digest_size=20, person=b"minisora", key=_code_stamp())
    return _folder() / f"{digest.hexdigest()}.jsonl"


def _evict(keep: int = KEEP) -> None:
    """Remove all but the ``keep`` most recently used entries."""
    entries = sorted(_folder().glob("*.jsonl"), key=lambda f: f.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        stale.unlink(missing_ok=True)


def _digest() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=20, person=b"mscache")


def _checked(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines of an entry but its last, which must hold the checksum of all the others."""
    digest = _digest()
    previous = next(lines, None)
    if previous is None:
        raise ValueError("it is empty")
    for line in lines:
        digest.update(previous)
        yield previous
        previous = line
    if json.loads(previous) != {"checksum": digest.hexdigest()}:
        raise ValueError("its checksum does not match")


def get(raw: bytes, model: type[Model]) -> Model | None:
    """The catalogue validated earlier from exactly these bytes, if it is kept intact."""
    file = _file(raw)
    if file is None:
        return None
    try:
        os.utime(file)  # used now: the last to be evicted
        with file.open("rb") as handle, paused_gc():
            lines = _checked(iter(handle))
            head = json.loads(next(lines))
            # A paper a line: memory holds the models, never the whole document's JSON too.
            papers = [Paper.model_validate_json(line) for line in lines]
            return model.model_validate({**head, "papers": papers})
    except OSError:
        return None
    except (StopIteration, ValueError, TypeError) as exc:  # pydantic's ValidationError too
        with contextlib.suppress(OSError):
            file.unlink()
        reason = str(exc).splitlines()[0] if str(exc) else "it ends early"
        msg = f"the catalogue cache held an entry it cannot trust ({file}: {reason}); not used"
        warnings.warn(msg, MinisoraWarning, stacklevel=2)
        return None


def put(raw: bytes, catalog: CatalogFile) -> None:
    """Keep a catalogue that loaded without errors, with a checksum of what is kept."""
    file = _file(raw)
    if file is None:
        return
    digest = _digest()

    def lines() -> Iterator[str]:  # one paper at a time, never the whole document at once
        head = catalog.model_dump_json(exclude={"papers"}) + "\n"
        for line in itertools.chain([head], (p.model_dump_json() + "\n" for p in catalog.papers)):
            digest.update(line.encode())
            yield line
        yield json.dumps({"checksum": digest.hexdigest()}) + "\n"

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(file, lines())
        _evict()
    except OSError:
        pass
