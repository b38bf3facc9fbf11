"""How validate and list scale with the size of the catalogue.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--workdir /tmp/minisora-bench]

For each size N it writes a synthetic catalogue (make_catalogue.py), then runs
`minisora validate FILE` and, twice (cold, then from the catalogue cache),
`minisora list --catalog FILE --query diffusion --format json`, each as a separate process,
printing wall time, CPU time, peak memory and microseconds per paper, so that linear growth is
visible. Last, it plants an error in the middle of the largest catalogue and
checks that validate still names its exact file:line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from make_catalogue import catalogue
from measure import run

EXE = shutil.which("minisora", path=str(Path(sys.executable).parent)) or "minisora"


def ensure_catalogue(workdir: Path, n: int) -> Path:
    path = workdir / f"papers-{n}.yaml"
    if not path.exists():
        path.write_text(catalogue(n), encoding="utf-8")
    return path


def planted_error(path: Path) -> tuple[Path, int]:
    """A copy of ``path`` with one bad URL halfway through, and the line it is on."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = next(i for i in range(len(lines) // 2, len(lines)) if "{kind: paper, url:" in lines[i])
    lines[middle] = lines[middle].replace("url: https://", "url: ftp://")
    broken = path.with_name(f"broken-{path.name}")
    broken.write_text("".join(lines), encoding="utf-8")
    return broken, middle + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/minisora-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{'papers':>8} {'command':10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'us/paper':>9}")
    for n in args.sizes:
        path = ensure_catalogue(args.workdir, n)
        cache = args.workdir / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "MINISORA_CACHE_DIR": str(cache)}
        list_argv = [EXE, "list", "--catalog", str(path), "--query", "diffusion", "-f", "json"]
        # validate always reads the file; list's first run fills the cache its second run reads.
        for name, argv in (
            ("validate", [EXE, "validate", str(path)]),
            ("list cold", list_argv),
            ("list warm", list_argv),
        ):
            m = run(argv, stdout=args.workdir / "out.txt", env=env)
            status = "" if m.returncode == 0 else f"  (exit {m.returncode})"
            print(
                f"{n:>8} {name:10} {m.wall:>8.2f} {m.cpu:>8.2f} {m.peak_mb:>8.0f} "
                f"{m.wall / n * 1e6:>9.0f}{status}"
            )
    broken, line = planted_error(ensure_catalogue(args.workdir, max(args.sizes)))
    m = run([EXE, "validate", "--format", "json", str(broken)])
    found = __import__("json").loads(m.stdout)
    ok = [f["line"] for f in found] == [line]
    print(
        f"planted error at line {line} of {broken.name}: reported at "
        f"{[f['line'] for f in found]} in {m.wall:.2f} s -> {'exact' if ok else 'WRONG'}"
    )


if __name__ == "__main__":
    main()
