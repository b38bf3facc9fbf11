"""How long `minisora add` and `verify --fix` take to edit catalogues of growing size.

    python benchmarks/make_catalogue.py 10000 --output /tmp/papers-10k.yaml
    python benchmarks/editing.py /tmp/papers-10k.yaml

Appending writes the new entry as text after the last paper, so it costs a validation of the
file whatever its size; a field edit loads the whole file into ruamel.yaml (pure Python).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from minisora.curate.document import Document

ENTRY = {
    "id": "benchmark-new-paper",
    "title": "A Paper Added by the Benchmark",
    "year": 2024,
    "arxiv_id": "2412.99999",
    "links": [{"kind": "paper", "url": "https://arxiv.org/abs/2412.99999"}],
}


def timed(path: Path, edit: str) -> tuple[float, float]:
    """Seconds to open (read and validate) and to edit and save a copy of ``path``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(shutil.copy(path, Path(tmp) / path.name))
        start = time.perf_counter()
        doc = Document(copy)
        opened = time.perf_counter()
        if edit == "append":
            doc.append_paper({**ENTRY, "category": doc.catalog.categories[0].id})
        else:
            doc.set_field(len(doc.catalog.papers) // 2, "year", 2020)
        doc.save()
        return opened - start, time.perf_counter() - opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogues", nargs="+", type=Path)
    args = parser.parse_args()
    for path in args.catalogues:
        for edit in ("append", "set_field"):
            opened, saved = timed(path, edit)
            print(f"{path.name}: {edit}: open {opened:.2f} s, edit and save {saved:.2f} s")


if __name__ == "__main__":
    main()
