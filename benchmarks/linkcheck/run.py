"""Run the shared loopback link-checker harness with ``minisora check-links`` beside its peers.

    python benchmarks/linkcheck/run.py                                  # N=2000,10000, 3 runs
    python benchmarks/linkcheck/run.py --sizes 2000 --reps 1 --tools lychee
    python benchmarks/linkcheck/run.py --ratelimit-window 1             # strict 429 windows

The harness of record lives outside this repository (``--harness``, default
``../shared/bench/linkcheck`` beside it; its README says what it serves and how each peer is set
up).
It is copied to ``--workdir`` once and installed there with its own ``setup.sh`` (lychee 0.24.2,
linkinator, markdown-link-check, LinkChecker); every other option goes to its ``run_bench.sh``
as is. minisora runs as a user would: the benchmarked configuration is only
``--concurrency`` and ``--timeout`` (the harness's 32 and 10 s), everything else its defaults.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

MINISORA = Path(sys.executable).with_name("minisora")
# ../shared beside the repository, as CI and every session lay it out.
SHARED = Path(__file__).resolve().parents[3] / "shared" / "bench" / "linkcheck"
COMMAND = (
    f"{MINISORA} check-links --urls {{list}} --concurrency {{concurrency}} "
    "--timeout {timeout} --format json -o {out}"
)


def prepared(harness: Path, workdir: Path) -> Path:
    """A writable, installed copy of the harness."""
    if not workdir.exists():
        shutil.copytree(harness, workdir, ignore=shutil.ignore_patterns("results", ".venv"))
    if not (workdir / ".venv" / "bin" / "lychee").exists():
        subprocess.run(["./setup.sh"], cwd=workdir, check=True)
    return workdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--harness", type=Path, default=SHARED)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/minisora-linkcheck-bench"))
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--reps", default="3")
    args, rest = parser.parse_known_args()
    workdir = prepared(args.harness, args.workdir)
    argv = ["./run_bench.sh", "--sizes", args.sizes, "--reps", args.reps, *rest]
    argv += ["--tool", COMMAND, "--tool-name", "minisora"]
    sys.exit(subprocess.run(argv, cwd=workdir).returncode)


if __name__ == "__main__":
    main()
