"""The catalogue in front of you is the one you work on: inside a checkout every command reads and
writes its catalogue and README targets; outside one the bundled catalogue is read-only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CATALOGS
from typer.testing import CliRunner

from minisora.cli import app
from minisora.store.config import END, START

README = f"# My list\n\n{START}\n{END}\n\nThe end.\n"


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-README list with its settings in minisora.toml; the working directory is inside."""
    (tmp_path / ".git").mkdir()
    shutil.copy(CATALOGS / "minimal.yaml", tmp_path / "papers.yaml")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    (tmp_path / "minisora.toml").write_text(
        'catalog = "papers.yaml"\nreadmes = [{ path = "README.md", lang = "en" }]\n',
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    monkeypatch.delenv("MINISORA_CATALOG")
    return tmp_path


def test_commands_read_the_checkouts_catalogue(runner: CliRunner, checkout: Path) -> None:
    listed = runner.invoke(app, ["list"])
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "sora",
        "dit",
        "videopoet",
    ]
    catalogue = checkout / "papers.yaml"
    catalogue.write_text(catalogue.read_text().replace("    year: 2022\n", "    githb: x\n"))
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert "papers.yaml:" in result.stderr and "githb" in result.stderr


def test_render_writes_the_one_configured_readme(runner: CliRunner, checkout: Path) -> None:
    stale = runner.invoke(app, ["render", "--check"])
    assert stale.exit_code == 1 and "README.md (as it is)" in stale.stdout
    wrote = runner.invoke(app, ["render", "--write"])
    assert wrote.exit_code == 0, wrote.stderr
    text = (checkout / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# My list\n") and text.endswith(f"{END}\n\nThe end.\n")
    assert "Scalable Diffusion Models with Transformers" in text
    assert not (checkout / "README_EN.md").exists()
    current = runner.invoke(app, ["render", "--check"])
    assert current.exit_code == 0 and "README.md: up to date" in current.stderr
    # An edit of the catalogue shows at once.
    catalogue = checkout / "papers.yaml"
    catalogue.write_text(catalogue.read_text().replace("Scalable Diffusion", "Scaled Diffusion"))
    assert runner.invoke(app, ["render", "--check"]).exit_code == 1


def test_version_names_the_catalogue_in_use(runner: CliRunner, checkout: Path) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("minisora ")
    assert str(checkout) in result.stdout and "minisora.toml" in result.stdout


def test_outside_a_checkout_writes_are_refused_with_a_way_out(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINISORA_CATALOG")
    assert "bundled, read-only" in runner.invoke(app, ["--version"]).stdout
    for command in (["add", "2212.09748", "-c", "x"], ["verify", "--fix", "year"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2
        assert "the bundled catalogue is read-only" in result.stderr
        assert "--catalog FILE" in result.stderr


def test_a_missing_catalogue_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    for command in (["list"], ["validate"], ["show", "dit"]):
        result = runner.invoke(app, [*command, "--catalog", str(tmp_path / "nope.yaml")])
        assert result.exit_code == 2, command
        assert result.stderr.splitlines()[0].endswith("nope.yaml: file not found")


def test_python_dash_m_runs_the_cli(checkout: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MINISORA_CATALOG"}
    done = subprocess.run(
        [sys.executable, "-m", "minisora", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "minisora.toml" in done.stdout


def test_broken_settings_are_one_line_even_for_version(runner: CliRunner, checkout: Path) -> None:
    (checkout / "minisora.toml").write_text("catalog = \n", encoding="utf-8")
    for command in (["--version"], ["list"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, command
        assert result.stderr.startswith(
            "error: "
        ) and "minisora.toml: cannot read the settings" in (result.stderr)
        assert len(result.stderr.splitlines()) == 1
