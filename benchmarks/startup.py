"""Start-up cost of the CLI against its unavoidable imports.

    python benchmarks/startup.py [--repeat 21]

Times, interleaved and by median, `minisora list --category "Diffusion Transformer"` (piped, so
plain text) against `python -c "import typer, rich.table, pydantic, yaml"`, and against the same
with `from pydantic import BaseModel` (which `import pydantic` alone does not load: pydantic imports
lazily), and against a typer app with the same options that does nothing (empty_cli.py: typer
parses options through pydantic, so that is the floor of any typer CLI). Also checks that list,
show, validate and render never import httpx or other network code.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from measure import median_wall

PY = sys.executable
BASELINE = "import typer, rich.table, pydantic, yaml"
MODULES_NEVER_IMPORTED = ("httpx", "httpcore", "ruamel", "minisora.linkcheck", "minisora.sources")


def _minisora() -> str:
    found = shutil.which("minisora", path=str(Path(PY).parent))
    return found or "minisora"


def imported_network_modules(command: list[str]) -> list[str]:
    """Which network modules a CLI command imports (from `python -X importtime`)."""
    code = (
        "import sys; from minisora.cli import main; sys.argv = ['minisora', *sys.argv[1:]]\n"
        "try: main()\nexcept SystemExit: pass"
    )
    done = subprocess.run(
        [PY, "-X", "importtime", "-c", code, *command], capture_output=True, text=True, check=False
    )
    names = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(
        n for n in names if any(n == m or n.startswith(m + ".") for m in MODULES_NEVER_IMPORTED)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    commands = {
        "imports (typer, rich.table, pydantic, yaml)": [PY, "-c", BASELINE],
        "imports + pydantic.BaseModel": [PY, "-c", BASELINE + "; from pydantic import BaseModel"],
        "a typer app with list's options, doing nothing": [
            PY,
            str(Path(__file__).with_name("empty_cli.py")),
            "list",
            "-c",
            "x",
        ],
        "minisora list --category 'Diffusion Transformer'": [
            _minisora(),
            "list",
            "--category",
            "Diffusion Transformer",
        ],
    }
    walls = median_wall(commands, args.repeat)
    base = walls[next(iter(commands))]
    print(f"{'command':52} {'median wall':>12} {'x imports':>10}")
    for name, wall in walls.items():
        print(f"{name:52} {wall * 1000:>10.0f}ms {wall / base:>10.2f}")
    for command in (["list"], ["show", "dit"], ["validate"], ["render"]):
        found = imported_network_modules(command)
        print(f"minisora {' '.join(command):24} imports network code: {found or 'no'}")


if __name__ == "__main__":
    main()
