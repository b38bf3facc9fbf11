"""``minisora schema``: the shipped JSON Schema is the models' schema, and editors can use it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from minisora.cli import app
from minisora.render.schema import SHIPPED_PATH, schema, schema_json
from minisora.store import yaml_read

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_shipped_schema_is_up_to_date():
    shipped = (ROOT / SHIPPED_PATH).read_text(encoding="utf-8")
    assert shipped == schema_json(), (
        "schema/papers.schema.json is stale: run `minisora schema -o schema/papers.schema.json`"
    )


def test_papers_yaml_points_editors_at_the_schema():
    first = (ROOT / "data" / "papers.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/papers.schema.json"
    assert (ROOT / "data" / "../schema/papers.schema.json").resolve().exists()


def _catalogue() -> dict:
    text = (ROOT / "data" / "papers.yaml").read_text(encoding="utf-8")
    return yaml_read.parse(text, "papers.yaml")


def test_the_catalogue_is_valid_against_the_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(_catalogue(), schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["papers"][0].update(titel="typo"), "Additional properties"),
        (lambda d: d["papers"][0]["links"][0].update(kind="code"), "'code' is not one of"),
        (lambda d: d["papers"][0].update(id="Not A Slug"), "does not match"),
        (lambda d: d["papers"][2].update(arxiv_id="2212.09748v2"), "does not match"),
    ],
    ids=["unknown-key", "link-kind", "slug", "arxiv-version"],
)
def test_the_schema_rejects_what_validate_rejects(change, complaint):
    data = _catalogue()
    change(data)
    with pytest.raises(jsonschema.ValidationError, match=complaint):
        jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)


def test_cli_prints_the_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(printed["properties"]) == {"categories", "reading_plan", "papers"}
