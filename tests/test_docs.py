"""The documentation keeps up with the code: every command is listed, documented and has help."""

from __future__ import annotations

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
