"""``minisora export``: JSON, CSV, BibTeX and YAML, for the whole catalogue or one category."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import SEED_CATALOG
from typer.testing import CliRunner

from minisora import catalog
from minisora.catalog import Catalog
from minisora.cli import app
from minisora.cli.options import ExportFormat
from minisora.render.bibtex import escape, to_bibtex
from minisora.render.exports import EXPORTERS, export
from minisora.store import yaml_read

runner = CliRunner()


def test_every_format_has_an_exporter():
    assert set(EXPORTERS) == {f.value for f in ExportFormat}


def test_bibtex_entries_have_stable_keys_and_arxiv_fields():
    text = export(catalog.load(SEED_CATALOG).subset("Diffusion Transformer"), "bibtex")
    keys = re.findall(r"^@(\w+)\{([^,]+),$", text, re.M)
    assert keys == [
        ("misc", "uvit"),
        ("misc", "dit"),
        ("misc", "sit"),
        ("misc", "fit"),
        ("misc", "k-diffusion"),
    ]
    dit = text.split("@misc{dit,\n")[1].split("\n}\n")[0]
    assert dit.splitlines() == [
        "  title = {{Scalable Diffusion Models with Transformers}},",
        "  year = {2022},",
        "  eprint = {2212.09748},",
        "  archivePrefix = {arXiv},",
        "  url = {https://arxiv.org/abs/2212.09748},",
    ]
    assert text.count("{") == text.count("}")
    assert text == export(catalog.load(SEED_CATALOG).subset("diffusion-transformer"), "bibtex")


def test_bibtex_uses_the_venue_and_escapes_latex_specials(tmp_path):
    paper = (
        catalog.load(SEED_CATALOG)
        .get("dit")
        .model_copy(
            update={"venue": "ICCV", "title": "50% of R&D: x_1 {#1}", "authors": ("A. B", "C D")}
        )
    )
    entry = to_bibtex([paper])
    assert entry.startswith("@inproceedings{dit,\n")
    assert "  booktitle = {ICCV},\n" in entry
    assert "  author = {A. B and C D},\n" in entry
    assert r"  title = {{50\% of R\&D: x\_1 \{\#1\}}}," in entry
    assert escape("a\\b~c^") == r"a\textbackslash{}b\~{}c\^{}"


def test_csv_has_one_row_per_paper():
    rows = list(csv.DictReader(io.StringIO(export(catalog.load(SEED_CATALOG), "csv"))))
    assert len(rows) == len(catalog.load(SEED_CATALOG).papers)
    dit = next(r for r in rows if r["id"] == "dit")
    assert (dit["arxiv_id"], dit["github"]) == (
        "2212.09748",
        "https://github.com/facebookresearch/DiT",
    )


def test_json_export_of_one_category():
    data = json.loads(export(catalog.load(SEED_CATALOG).subset("长上下文"), "json"))
    assert [p["id"] for p in data][:2] == ["large-world-model", "ring-attention"]
    assert all(p["category"] == "long-context" for p in data)


def test_yaml_export_loads_back_to_the_same_catalogue():
    cat = catalog.load(SEED_CATALOG)
    text = export(cat, "yaml")
    assert "  - {kind: paper, url: https://arxiv.org/abs/2212.09748}\n" in text
    assert "    arxiv_id: '2212.09748'\n" in text
    assert Catalog.model_validate(yaml_read.parse(text, "export.yaml")) == cat


def test_yaml_export_of_a_category_is_a_valid_catalogue(tmp_path):
    out = tmp_path / "dit.yaml"
    result = runner.invoke(
        app, ["export", "--format", "yaml", "--category", "Diffusion Transformer", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    sub = catalog.load(out)
    assert [c.id for c in sub.categories] == ["diffusion-transformer"]
    assert sub.reading_plan == ("dit",)
    assert len(sub.papers) == 5


def test_cli_export_defaults_to_json_and_rejects_unknown_input():
    shown = runner.invoke(app, ["export"])
    assert shown.exit_code == 0
    assert len(json.loads(shown.stdout)) == len(catalog.load(SEED_CATALOG).papers)
    unknown = runner.invoke(app, ["export", "--category", "Nope"])
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: unknown category 'Nope'")
    bad = runner.invoke(app, ["export", "--format", "docx"])
    assert bad.exit_code == 2


def test_library_rejects_unknown_formats():
    with pytest.raises(Exception, match="unknown export format 'docx'; use one of: json, csv"):
        export(catalog.load(SEED_CATALOG), "docx")
