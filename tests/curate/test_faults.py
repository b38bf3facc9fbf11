"""Writers under faults, with real processes: two `add` at once, `verify --fix` racing an `add`,
a writer killed with SIGKILL, symlinks, read-only files and folders, the umask."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import CATALOGS, DATA, REPO
from fake_services import ArxivAPI, isolated, service_env  # noqa: F401
from httpserver import LocalServer
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app
from minisora.store.files import STALE_AFTER

pytestmark = pytest.mark.usefixtures("isolated")

FIXTURES = ("long-author-list.xml", "title-with-lead.xml", "score-sde-and-vit.xml")
NEW = {"2311.15127": "stable-video-diffusion", "2401.03048": "latte"}
NEW_TOO = {"2011.13456": "score-based-generative", "2010.11929": "image-worth-16x16"}
CLI = [sys.executable, "-c", "from minisora.cli import main; main()"]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return Path(shutil.copy(CATALOGS / "minimal.yaml", tmp_path / "minimal.yaml"))


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server


def cli_env(arxiv_url: str, cache: Path) -> dict[str, str]:
    return {**os.environ, **service_env(arxiv_url), "MINISORA_CACHE_DIR": str(cache)}


def start(args: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


def asked(req) -> list[str]:
    return parse_qs(urlsplit(req.path).query)["id_list"][0].split(",")


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


# --- two writers at once ----------------------------------------------------------------------


def test_four_adds_at_once_all_land(server, small, tmp_path) -> None:
    """Four real processes add four papers; arXiv answers them all at the same moment."""
    api = ArxivAPI(server, *FIXTURES)
    together = threading.Barrier(4, timeout=30)

    def answer_together(req) -> None:
        together.wait()
        api._handle(req)

    server.route("/api/query", answer_together)
    env = cli_env(api.url, tmp_path / "cache")
    papers = {**NEW, **NEW_TOO}
    procs = [
        start(["add", i, "-c", "video-generation", "--catalog", str(small)], env) for i in papers
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    ids = [p.id for p in catalog.load(small).papers]
    assert ids[:3] == ["sora", "dit", "videopoet"]
    assert sorted(ids[3:]) == sorted(papers.values())
    assert temporaries(tmp_path) == []


def test_verify_fix_keeps_a_paper_added_while_it_asked(server, tmp_path) -> None:
    """`verify --fix` reads, asks arXiv (stalled until a real `add` has landed), then writes:
    the added paper stays, the fixes go in, and the new paper is checked too."""
    path = Path(shutil.copy(DATA / "arxiv" / "wrong-links.yaml", tmp_path / "papers.yaml"))
    api = ArxivAPI(server, "wrapped-title.xml", *FIXTURES)
    verify_asked, added = threading.Event(), threading.Event()

    def verify_waits_for_add(req) -> None:
        if len(asked(req)) > 1:  # verify's question; add asks about one paper
            verify_asked.set()
            added.wait(30)
        api._handle(req)

    server.route("/api/query", verify_waits_for_add)
    env = cli_env(api.url, tmp_path / "cache")
    verify = start(["verify", "--no-repos", "--fix", "year", "--catalog", str(path)], env)
    assert verify_asked.wait(30)
    add = subprocess.run(
        [*CLI, "add", "2401.03048", "-c", "diffusion-model", "--catalog", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert add.returncode == 0, add.stderr
    added.set()
    _out, err = verify.communicate(timeout=60)
    assert verify.returncode == 1, err  # the titles are still wrong
    cat = catalog.load(path)
    assert cat.get("latte").year == 2024  # kept
    assert cat.get("diffusion-models-in-vision").year == 2020  # fixed
    assert "4 papers checked on arXiv" in err and "wrote 2 fixes" in err


# --- killed writers ---------------------------------------------------------------------------


def test_add_killed_while_arxiv_stalls_changes_nothing_and_holds_nothing(server, small, tmp_path):
    stalled = threading.Event()
    release = threading.Event()

    def stall(req) -> None:
        stalled.set()
        release.wait(30)

    server.route("/api/query", stall)
    env = cli_env(server.url("/api/query"), tmp_path / "cache")
    before = small.read_bytes()
    proc = start(["add", "2401.03048", "-c", "video-generation", "--catalog", str(small)], env)
    assert stalled.wait(30)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    release.set()
    assert proc.returncode == -signal.SIGKILL
    assert small.read_bytes() == before and temporaries(tmp_path) == []
    api = ArxivAPI(server, *FIXTURES)  # now arXiv answers: the next add is not kept waiting
    result = subprocess.run(
        [*CLI, "add", "2401.03048", "-c", "video-generation", "--catalog", str(small)],
        env=cli_env(api.url, tmp_path / "cache"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert catalog.load(small).get("latte")


# Writes the first half of a catalogue under its lock, as `add` does, then stops until killed.
HALF_WRITER = """
import sys, time
from minisora.store.files import atomic_write, locked

def pieces():
    yield "categories: [half of a catalogue"
    print("writing", flush=True)
    time.sleep(600)

with locked(sys.argv[1]):
    atomic_write(sys.argv[1], pieces())
"""


def test_a_writer_killed_mid_write_leaves_the_old_file_and_the_next_add_cleans_up(
    server, small, tmp_path
) -> None:
    before = small.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", HALF_WRITER, str(small)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline() == "writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=30)
    (left,) = temporaries(tmp_path)
    assert left.name.startswith(".minimal.yaml.")
    assert small.read_bytes() == before  # old content, whole
    then = time.time() - STALE_AFTER - 1  # as if killed a while ago
    os.utime(left, (then, then))
    api = ArxivAPI(server, *FIXTURES)
    result = subprocess.run(
        [*CLI, "add", "2401.03048", "-c", "video-generation", "--catalog", str(small)],
        env=cli_env(api.url, tmp_path / "cache"),
        capture_output=True,
        text=True,
        timeout=60,  # the dead writer's lock is gone: no wait
    )
    assert result.returncode == 0, result.stderr
    assert temporaries(tmp_path) == []
    assert catalog.load(small).get("latte")


# --- where and how files are written ----------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def arxiv(server) -> ArxivAPI:
    return ArxivAPI(server, *FIXTURES)


def add(arxiv: ArxivAPI, path: Path, reference: str = "2401.03048"):
    args = ["add", reference, "-c", "video-generation", "--catalog", str(path)]
    return runner.invoke(app, args, env=service_env(arxiv.url))


def test_add_through_a_symlink_writes_its_target(arxiv, small, tmp_path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(small)
    result = add(arxiv, link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(small)
    assert catalog.load(small).get("latte")


def test_verify_fix_through_a_symlink_writes_its_target(server, tmp_path) -> None:
    real = Path(shutil.copy(DATA / "arxiv" / "wrong-links.yaml", tmp_path / "papers.yaml"))
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)  # a relative link
    api = ArxivAPI(server, "wrapped-title.xml", *FIXTURES)
    args = ["verify", "--no-repos", "--fix", "year", "--catalog", str(link)]
    result = runner.invoke(app, args, env=service_env(api.url))
    assert "wrote 2 fixes" in result.stderr
    assert link.is_symlink() and catalog.load(real).get("clip").year == 2020


def test_render_write_through_a_symlinked_readme(tmp_path: Path) -> None:
    real = tmp_path / "docs"
    real.mkdir()
    for name in ("README.md", "README_EN.md"):
        shutil.copy(REPO / name, real / name)
        (tmp_path / name).symlink_to(real / name)
    result = runner.invoke(app, ["render", "--write", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert all((tmp_path / name).is_symlink() for name in ("README.md", "README_EN.md"))
    assert "Sora" in (real / "README_EN.md").read_text(encoding="utf-8")
    check = runner.invoke(app, ["render", "--check", "--root", str(real)])
    assert check.exit_code == 0, check.stdout


def test_add_keeps_the_catalogues_mode(arxiv, small) -> None:
    small.chmod(0o640)
    assert add(arxiv, small).exit_code == 0
    assert stat.S_IMODE(small.stat().st_mode) == 0o640


def test_add_to_a_read_only_catalogue_is_one_line_and_no_change(arxiv, small) -> None:
    small.chmod(0o444)
    before = small.read_bytes()
    result = add(arxiv, small)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot write {small}: the file is read-only; nothing was written\n"
    )
    assert small.read_bytes() == before and temporaries(small.parent) == []


@pytest.mark.parametrize(
    "args",
    [
        ["export", "-f", "json", "-o"],
        ["schema", "-o"],
        ["import", str(DATA / "real" / "minisora-README.md"), "-o"],
    ],
    ids=["export", "schema", "import"],
)
def test_new_files_respect_the_umask(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out.file"
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, [*args, str(out)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# --- a folder this user cannot write ----------------------------------------------------------


def _drop_root_override() -> None:  # pragma: no cover (runs in the child, before exec)
    """Give up what lets root write anywhere (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
    CAP_FOWNER), so that a 0555 folder stops root as it stops everyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0):  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, dict]]:
    """A 0555 folder, and how to run a writer so that it cannot write there (as root: without
    the capabilities that override file modes)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    how = {"preexec_fn": _drop_root_override} if os.geteuid() == 0 else {}
    probe = subprocess.run([sys.executable, "-c", ""], capture_output=True, **how)
    if probe.returncode:
        pytest.skip("root here cannot give up CAP_DAC_OVERRIDE")
    yield folder, how
    folder.chmod(0o755)


def test_writers_in_a_read_only_folder_fail_with_one_line(arxiv, read_only_folder, tmp_path):
    folder, how = read_only_folder
    catalogue = Path(shutil.copy(CATALOGS / "minimal.yaml", folder / "papers.yaml"))
    for name in ("README.md", "README_EN.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        (folder / name).write_text(text.replace("| Sora", "| Old"), encoding="utf-8")
    folder.chmod(0o555)
    before = {p: p.read_bytes() for p in folder.iterdir()}
    env = cli_env(arxiv.url, tmp_path / "cache")
    runs = {
        "add": ["add", "2401.03048", "-c", "video-generation", "--catalog", str(catalogue)],
        "render": ["render", "--write", "--root", str(folder), "--catalog", str(catalogue)],
        "export": ["export", "-o", str(folder / "out.json"), "--catalog", str(catalogue)],
    }
    for name, args in runs.items():
        result = subprocess.run(
            [*CLI, *args], env=env, capture_output=True, text=True, timeout=60, **how
        )
        assert result.returncode == 1, (name, result.stderr)
        assert result.stderr.startswith(f"error: cannot write {folder}/"), (name, result.stderr)
        assert "Permission denied" in result.stderr and "nothing was written" in result.stderr
        assert result.stderr.count("\n") == 1, (name, result.stderr)
    assert {p: p.read_bytes() for p in folder.iterdir()} == before
