"""How `minisora import` scales with the number of table rows.

    python benchmarks/import_scale.py [--sizes 1000 10000 100000] [--workdir /tmp/minisora-bench]

For each size N it writes a Mini Sora style README (numbered rows under 20 ``<h3>`` sections,
each row with an arXiv link, a GitHub link and a project page, one in ten with a /pdf/ link), then
runs `minisora import FILE --output OUT --force` as a separate process and prints wall time, CPU
time, peak memory and microseconds per row, so that linear growth is visible.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from measure import run

EXE = shutil.which("minisora", path=str(Path(sys.executable).parent)) or "minisora"
SECTIONS = 20


def readme(n: int) -> str:
    """A README with ``n`` rows in the community's table format."""
    out = ['# A long list\n\n| <h3 id="s0">01 Section 0</h3> | |\n| :--- | :--- |\n']
    per = max(1, n // SECTIONS)
    for i in range(n):
        section, number = divmod(i, per)
        if number == 0 and i:
            out.append(f'| <h3 id="s{section}">{section + 1:02} Section {section}</h3> | |\n')
            out.append("| **Paper** | **Link** |\n")
        arxiv = f"{2000 + i // 90000:04d}.{i % 90000 + 10000:05d}"
        form = f"pdf/{arxiv}v2.pdf" if i % 10 == 0 else f"abs/{arxiv}"
        out.append(
            f"| {number + 1}) **Model{i}**: Video Generation Study Number {i} "
            f"| [**CVPR 24 Paper**](https://arxiv.org/{form}), "
            f"[GitHub](https://github.com/lab{i % 97}/model{i}), "
            f"[Project](https://model{i}.github.io/?ref=list&v={i}) |\n"
        )
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/minisora-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print("| rows | wall s | CPU s | peak MB | µs / row |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        source = args.workdir / f"readme-{n}.md"
        source.write_text(readme(n), encoding="utf-8")
        out = args.workdir / f"imported-{n}.yaml"
        result = run([EXE, "import", str(source), "--output", str(out), "--force"])
        if result.returncode != 0:
            sys.exit(f"import of {n} rows failed (exit {result.returncode})")
        print(
            f"| {n:,} | {result.wall:.2f} | {result.cpu:.2f} | {result.peak_mb:.0f} "
            f"| {result.wall / n * 1e6:.0f} |"
        )


if __name__ == "__main__":
    main()
