"""Print the lowest version of every dependency pyproject.toml declares, as pip constraints.

`.ci/run` installs them into a second venv and runs the suite there, so a lower bound that does
not work fails CI instead of a user's install. Only `name>=X` bounds are read; markers are kept.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the package's own dependency
    import tomli as tomllib


BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*>=\s*([^,;\s]+)[^;]*(;.*)?$")


def main() -> None:
    project = tomllib.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        match = BOUND.match(requirement)
        if match is None:
            sys.exit(f"{requirement!r} has no lower bound (name>=version): declare one")
        name, version, marker = match.groups()
        print(f"{name}=={version}{marker or ''}")


if __name__ == "__main__":
    main()
