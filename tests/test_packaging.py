"""Honest packaging: a license, classifiers, project URLs, an index page whose links work, and
lower bounds that CI installs and tests (.ci/lowest)."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: minisora's own dependency
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def test_the_license_is_apache_2_in_full() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 10_000
    assert PROJECT["license"] == "Apache-2.0" and PROJECT["license-files"] == ["LICENSE"]


def test_metadata_has_classifiers_and_project_urls() -> None:
    meta = importlib.metadata.metadata("minisora")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues"} <= set(urls)
    assert all(url.startswith("https://github.com/mini-sora/minisora") for url in urls.values())
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    low = PROJECT["requires-python"].removeprefix(">=")
    assert f"Programming Language :: Python :: {low}" in classifiers


def test_the_long_description_has_only_absolute_links() -> None:
    meta = importlib.metadata.metadata("minisora")
    description = meta.get_payload() or meta["Description"]  # type: ignore[attr-defined]
    assert "minisora" in description and meta["Description-Content-Type"] == "text/markdown"
    relative = re.findall(r"\]\((?!https?://|#|mailto:)[^)]*\)", description)
    assert relative == []
    assert "](https://github.com/mini-sora/minisora/blob/main/" in description


def test_every_dependency_has_a_lower_bound_that_ci_installs() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / ".ci" / "lowest_versions.py"), str(REPO / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    pins = done.stdout.splitlines()
    assert len(pins) == len(PROJECT["dependencies"])
    assert "ruamel.yaml==0.18.11" in pins and "rich==13.8" in pins
    assert all("==" in pin for pin in pins)
