"""The documentation keeps up with the code: every command is listed, documented and has help."""

from __future__ import annotations

import re

import pytest
from conftest import REPO
from typer.main import get_command
from typer.testing import CliRunner

from minisora.cli import app
from minisora.cli.app import COMMAND_ORDER

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_help_lists_every_command_in_order(runner: CliRunner) -> None:
    assert sorted(COMMAND_ORDER) == COMMANDS
    help_text = runner.invoke(app, ["--help"]).stdout
    # A command's row starts at the box's edge; wrapped descriptions are indented.
    shown = [
        line.split()[1]
        for line in help_text.splitlines()
        if line.startswith("│ ") and line[2] != " " and line.split()[1] in COMMANDS
    ]
    assert shown == list(COMMAND_ORDER)


@pytest.mark.parametrize("readme", ["README.md", "README_EN.md"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_both_readmes(readme: str, command: str) -> None:
    assert f"`minisora {command}" in (REPO / readme).read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"minisora {command}" in result.stdout


def _python_blocks(readme: str) -> list[str]:
    text = (REPO / readme).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, re.M | re.S)


@pytest.mark.parametrize("readme", ["README_EN.md", "README.md"])
def test_the_readmes_python_blocks_run(readme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks(readme)
    assert blocks, f"{readme} shows the library API in a ```python block"
    monkeypatch.chdir(REPO)
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, f"{readme} (python block)", "exec"), namespace)
        if "pd" in namespace:  # the notebook example: one row per paper, the CSV's columns
            frame = namespace["pd"].DataFrame(namespace["cat"].to_records())  # type: ignore[attr-defined]
            assert len(frame) == len(namespace["cat"].papers)  # type: ignore[attr-defined]
            assert (
                frame.loc[frame["id"] == "dit", "github"].item().startswith("https://github.com/")
            )
