"""One CLI vocabulary: each enum selects a library registry, each flag name means one thing,
every format is -f/--format, every command that reads a catalogue takes --catalog, and help
shows no <bool>."""

from __future__ import annotations

from collections import defaultdict

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from minisora import linkcheck
from minisora.cli import app
from minisora.cli.options import ExportFormat, Lang, LinkFormat, ListFormat
from minisora.render import exports, lists, tables

GROUP = get_command(app)
COMMANDS = GROUP.commands  # type: ignore[attr-defined]
# import makes a catalogue (-o) and schema describes any: neither reads one.
READ_NO_CATALOGUE = {"import", "schema"}


@pytest.mark.parametrize(
    ("choices", "registry"),
    [
        (ListFormat, set(lists.RENDERERS)),
        (ExportFormat, set(exports.EXPORTERS)),
        (LinkFormat, set(linkcheck.RENDERERS)),
        (Lang, {lang.value for lang in tables.Lang}),
    ],
)
def test_each_cli_enum_matches_the_registry_it_selects(choices, registry) -> None:
    assert {c.value for c in choices} == registry


def _options():
    for name, command in COMMANDS.items():
        for param in command.params:
            if param.param_type_name == "option":
                yield name, param


def test_one_meaning_per_flag_name() -> None:
    meanings = defaultdict(set)
    for _, option in _options():
        for flag in option.opts:
            envvar = tuple(option.envvar) if isinstance(option.envvar, list) else option.envvar
            meanings[flag].add((option.name, option.is_flag, envvar, tuple(option.opts)))
    assert {flag: m for flag, m in meanings.items() if len(m) > 1} == {}


def test_every_format_option_is_dash_f() -> None:
    formats = [(name, o.opts) for name, o in _options() if o.name == "fmt"]
    assert formats and all(opts == ["--format", "-f"] for _, opts in formats)
    assert not [name for name, o in _options() if "--json" in o.opts]


def test_every_command_that_reads_a_catalogue_takes_catalog() -> None:
    without = {name for name, c in COMMANDS.items() if "catalog" not in {p.name for p in c.params}}
    assert without == READ_NO_CATALOGUE


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)])
def test_help_shows_no_bool_metavar(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
