"""Time `minisora validate` on every broken and hostile fixture (alias bombs, deep nesting, ...).

    python benchmarks/hostile.py

Each must fail (exit 1) within a second with one located error, never a traceback.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from measure import run

EXE = shutil.which("minisora", path=str(Path(sys.executable).parent)) or "minisora"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "catalog"


def main() -> None:
    print(f"{'fixture':32} {'exit':>4} {'wall s':>7} {'peak MB':>8}  first line of output")
    slowest = 0.0
    for path in sorted(FIXTURES.glob("*.yaml")):
        if path.name == "minimal.yaml":
            continue
        m = run([EXE, "validate", "--format", "json", str(path)])
        slowest = max(slowest, m.wall)
        first = m.stdout.decode().split('"message": ', 1)[-1].split("\n", 1)[0][:60]
        print(f"{path.name:32} {m.returncode:>4} {m.wall:>7.2f} {m.peak_mb:>8.0f}  {first}")
    print(f"slowest: {slowest:.2f} s")


if __name__ == "__main__":
    main()
