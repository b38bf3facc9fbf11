"""store/files.py on real files: links followed, modes kept, umask respected, read-only files
left alone, temporary files removed, and a lock that another real process holds."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from minisora.errors import UsageError, WriteError
from minisora.store.files import STALE_AFTER, atomic_write, lock_path, locked, save


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_symlink_stays_a_link_and_its_target_gets_the_text(tmp_path: Path) -> None:
    real = tmp_path / "real" / "papers.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert atomic_write(link, "new\n") == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new\n"
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    file = tmp_path / "papers.yaml"
    file.write_text("old\n")
    file.chmod(0o640)
    atomic_write(file, "new\n")
    assert mode(file) == 0o640 and file.read_text() == "new\n"


@pytest.mark.usefixtures("umask_022")
def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    atomic_write(tmp_path / "new.json", "{}")
    save(tmp_path / "saved.yaml", "a: 1\n")
    assert mode(tmp_path / "new.json") == 0o644
    assert mode(tmp_path / "saved.yaml") == 0o644


def test_a_read_only_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    file = tmp_path / "papers.yaml"
    file.write_text("old\n")
    file.chmod(0o444)
    with pytest.raises(WriteError, match=rf"^cannot write {file}: the file is read-only"):
        atomic_write(file, "new\n")
    assert file.read_text() == "old\n" and mode(file) == 0o444
    assert leftovers(tmp_path) == []


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path) -> None:
    file = tmp_path / "papers.yaml"
    file.write_text("old\n")

    def pieces() -> Iterator[str]:
        yield "half of the new "
        raise RuntimeError("the renderer failed")

    with pytest.raises(RuntimeError):
        atomic_write(file, pieces())
    assert file.read_text() == "old\n" and leftovers(tmp_path) == []


def test_a_missing_folder_is_a_write_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "x.json"
    with pytest.raises(WriteError, match=rf"^cannot write {target}: No such file or directory"):
        atomic_write(target, "{}")
    assert isinstance(WriteError("x"), OSError)  # code catching OSError still catches it


def test_save_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    file = tmp_path / "out.yaml"
    save(file, "one\n")
    with pytest.raises(UsageError, match="already exists"):
        save(file, "two\n")
    save(file, "two\n", force=True)
    assert file.read_text() == "two\n"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_stale_temporary_files_are_swept_by_the_next_write(tmp_path: Path) -> None:
    file = tmp_path / "papers.yaml"
    file.write_text("old\n")
    stale = tmp_path / ".papers.yaml.0badf00d.tmp"
    fresh = tmp_path / ".papers.yaml.5eed1e55.tmp"
    other = tmp_path / ".other.yaml.0badf00d.tmp"
    for tmp in (stale, fresh, other):
        tmp.write_text("half")
    _age(stale, STALE_AFTER + 60)
    _age(other, STALE_AFTER + 60)
    atomic_write(file, "new\n")
    assert leftovers(tmp_path) == [other.name, fresh.name]  # only this file's stale one went


# A real second process that holds the lock of a file until its stdin closes.
HOLDER = """
import sys
from minisora.store.files import locked
with locked(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    file = tmp_path / "papers.yaml"
    file.write_text("old\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline() == "locked\n"
    yield file, proc
    proc.stdin.close()
    proc.wait(10)


def test_a_lock_held_by_another_process_is_waited_for_then_named(holder) -> None:
    file, _proc = holder
    busy = r"another program has been writing it for 0\.2 s"
    with pytest.raises(WriteError, match=busy), locked(file, timeout=0.2):
        pass
    assert lock_path(file).name == ".papers.yaml.lock"


def test_temporary_files_of_a_writer_holding_the_lock_are_spared(holder) -> None:
    file, _proc = holder
    busy = file.with_name(".papers.yaml.0badf00d.tmp")
    busy.write_text("being written")
    _age(busy, STALE_AFTER + 60)
    atomic_write(file, "new\n")  # a plain write does not wait, and leaves the other's file
    assert busy.exists()


def test_the_lock_is_released_when_its_holder_is_killed(holder) -> None:
    file, proc = holder
    proc.kill()
    proc.wait(10)
    with locked(file, timeout=5):
        atomic_write(file, "new\n")
    assert file.read_text() == "new\n"
