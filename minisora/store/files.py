"""Writing files so that nothing is lost or misplaced: locks, atomic replacement, one-line errors.

    with locked("data/papers.yaml"):       # no other minisora writes the file meanwhile
        text = read(...)                     # read (again) under the lock, edit, then
        atomic_write("data/papers.yaml", text)

- **Locks.** ``locked(path)`` holds an exclusive lock on ``.NAME.lock`` beside the file, from the
  read to the rename of a read-modify-write (the lock file stays: removing it would let two
  writers lock two different files). The operating system releases a lock when its holder dies,
  so a killed run never leaves one held. It is reentrant within a process.
- **Atomic.** The text goes to ``.NAME.XXXXXXXX.tmp`` beside the file, then replaces it with one
  rename: a reader sees the old file or the new one, never half of one. A failed write removes
  its temporary file; ones left by a killed run are removed by the next write of that file (those
  older than ``STALE_AFTER`` seconds, while nobody else holds its lock).
- **In place.** A symbolic link is followed (its target is replaced, the link stays a link); an
  existing file keeps its mode; a new file gets the usual mode (0666 less the umask, as ``open``
  gives). A read-only file is left alone.
- **Errors.** Any failure is a :class:`~minisora.errors.WriteError` naming the file, and the
  file is unchanged.
"""

from __future__ import annotations

import glob
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from minisora.errors import UsageError, WriteError

STALE_AFTER = 5.0  # seconds: a write takes well under one, so an older temporary file is dead
LOCK_TIMEOUT = 60.0  # seconds to wait for another minisora writing the same file

Pathish = str | os.PathLike[str]


def real_path(path: Pathish) -> Path:
    """Where writing ``path`` lands: the file itself, or the target of a symbolic link."""
    return Path(os.path.realpath(path))


def lock_path(path: Pathish) -> Path:
    """The lock file of ``path``: ``.NAME.lock`` beside the real file."""
    real = real_path(path)
    return real.with_name(f".{real.name}.lock")


def _error(shown: Pathish, exc: OSError) -> WriteError:
    """``cannot write FILE: REASON``, naming the link's target and the file that failed."""
    real = real_path(shown)
    target = f" (a link to {real})" if os.path.islink(shown) else ""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename and Path(os.fsdecode(exc.filename)) != real:
        reason += f": {os.fsdecode(exc.filename)}"
    return WriteError(f"cannot write {shown}{target}: {reason}; nothing was written")


@contextmanager
def locked(path: Pathish, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold the exclusive lock of ``path`` (waiting at most ``timeout`` seconds for another
    writer); yields the real path to read and write. Reentrant within a process."""
    from filelock import FileLock, Timeout

    real = real_path(path)
    lock = FileLock(lock_path(path), is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise WriteError(
            f"cannot write {path}: another program has been writing it for {timeout:g} s "
            f"(it holds {lock.lock_file}); try again when it is done"
        ) from None
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        yield real
    finally:
        lock.release()


def _sweep(real: Path) -> None:
    """Remove the temporary files of ``real`` that a killed run left: nobody holds its lock, so no
    minisora is writing one; the age spares a file another program may have in flight."""
    cutoff = time.time() - STALE_AFTER
    for tmp in real.parent.glob(f".{glob.escape(real.name)}.*.tmp"):
        with suppress(OSError):
            if tmp.lstat().st_mtime < cutoff:
                tmp.unlink()


def _create_temporary(real: Path, mode: int) -> tuple[Path, int]:
    """A new, empty temporary file beside ``real``; ``open``'s ``mode`` is reduced by the umask."""
    while True:
        tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue


def atomic_write(path: Pathish, text: str | Iterable[str]) -> Path:
    """Replace the file at ``path`` (or a link's target) by ``text``, or its pieces one after
    another, through a temporary file and a rename; returns the real path written. Raises
    :class:`WriteError`, with the file unchanged, when the file is read-only or cannot be
    written. A read-modify-write holds :func:`locked` around the read and this call."""
    real = real_path(path)
    if not _held_elsewhere(real):
        _sweep(real)
    return _replace(path, real, text)


def _held_elsewhere(real: Path) -> bool:
    """True when another process holds the lock of ``real`` (so may be writing it now)."""
    if not lock_path(real).exists():
        return False
    try:
        with locked(real, timeout=0):
            return False
    except WriteError:
        return True


def _replace(shown: Pathish, real: Path, text: str | Iterable[str]) -> Path:
    try:
        info = real.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _error(shown, exc) from None
    if info is not None and (not info.st_mode & 0o222 or not os.access(real, os.W_OK)):
        raise WriteError(f"cannot write {shown}: the file is read-only; nothing was written")
    try:
        tmp, fd = _create_temporary(real, 0o666)
    except OSError as exc:
        raise _error(shown, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            os.chmod(tmp, info.st_mode & 0o7777)
        os.replace(tmp, real)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _error(shown, exc) from None
        raise
    return real


def save(path: Pathish, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; an existing file is replaced only with ``force``."""
    target = Path(path)
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise UsageError(f"{path} already exists, and replacing it was not asked for")
    atomic_write(target, text)
    return target
