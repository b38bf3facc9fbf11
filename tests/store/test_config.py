"""Finding the checkout around the working directory, and reading its settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from minisora.errors import UsageError
from minisora.store.config import DEFAULT_READMES, ReadmeTarget, find_project


def _layout(root: Path, *files: str) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    return root


def test_the_community_layout_needs_no_settings(tmp_path: Path) -> None:
    root = _layout(tmp_path, ".git/HEAD", "data/papers.yaml", "docs/notes/a.md")
    project = find_project(root / "docs" / "notes")
    assert project is not None
    assert (project.root, project.catalog) == (root, root / "data" / "papers.yaml")
    assert project.readmes == DEFAULT_READMES and project.settings is None


def test_pyproject_table_names_the_catalogue_and_readmes(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.minisora]\ncatalog = "list/papers.yaml"\n'
        'readmes = [{ path = "README.md", lang = "en", start = "<!-- a -->", '
        'end = "<!-- b -->" }]\n',
        encoding="utf-8",
    )
    project = find_project(tmp_path)
    assert project is not None and project.settings == tmp_path / "pyproject.toml"
    assert project.catalog == tmp_path / "list" / "papers.yaml"
    assert project.readmes == (ReadmeTarget("README.md", "en", "<!-- a -->", "<!-- b -->"),)


def test_a_pyproject_without_the_table_is_no_checkout(tmp_path: Path) -> None:
    _layout(tmp_path, ".git/HEAD")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_project(tmp_path) is None


def test_the_search_stops_at_the_top_of_the_repository(tmp_path: Path) -> None:
    outer = _layout(tmp_path, "data/papers.yaml")
    inner = _layout(outer / "other", ".git/HEAD", "src/x.py")
    assert find_project(inner / "src") is None
    found = find_project(outer / "notes")
    assert found is not None and found.root == outer


def test_a_python_package_is_never_a_checkout(tmp_path: Path) -> None:
    # The installed package holds minisora/data/papers.yaml: it must not be taken for a checkout.
    _layout(tmp_path, ".git/HEAD", "minisora/__init__.py", "minisora/data/papers.yaml")
    assert find_project(tmp_path / "minisora") is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('catalog = ""', "catalog must be a non-empty string"),
        ("readmes = []", "readmes must be a list"),
        ('readmes = [{ path = "README.md" }]', "readmes[0].lang must be a non-empty string"),
        ('readmes = [{ path = "R.md", lang = "en", at = 1 }]', "readmes[0]: unknown key 'at'"),
        ('catalogue = "x.yaml"', "unknown setting 'catalogue'"),
        ("catalog = ", "cannot read the settings"),
    ],
)
def test_bad_settings_are_one_clear_error(tmp_path: Path, settings: str, message: str) -> None:
    (tmp_path / "minisora.toml").write_text(settings + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"minisora\.toml: .*" + message.replace("[", r"\[")):
        find_project(tmp_path)
