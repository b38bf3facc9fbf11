"""The CLI as a person uses it: CliRunner for each command, and the installed entry point once."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED, CATALOGS, SEED_CATALOG
from typer.testing import CliRunner

from minisora import catalog
from minisora.cli import app


def test_list_category_diffusion_transformer(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--category", "Diffusion Transformer"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1]) for r in rows] == [
        ("uvit", "UViT"),
        ("dit", "DiT"),
        ("sit", "SiT"),
        ("fit", "FiT"),
        ("k-diffusion", "k-diffusion"),
    ]
    assert rows[1][4].startswith("paper=https://arxiv.org/abs/2212.09748 github=")


def test_list_json_holds_every_paper_and_link(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--format", "json"])
    assert result.exit_code == 0
    papers = json.loads(result.stdout)
    bundled = catalog.load(SEED_CATALOG)
    assert [p["id"] for p in papers] == [p.id for p in bundled.papers]
    assert sum(len(p["links"]) for p in papers) == 61
    dit = next(p for p in papers if p["id"] == "dit")
    assert {"id", "title", "short_name", "category", "links", "arxiv_id", "year"} <= set(dit)
    assert dit["links"][2] == {
        "kind": "modelscope",
        "url": "https://modelscope.cn/models?name=Dit&page=1",
    }


def test_list_csv_and_markdown(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "-c", "long-context", "--has", "github", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [
        "large-world-model",
        "ring-attention",
        "extending-context-100-samples",
        "attention-sinks",
    ]
    assert rows[0]["github"] == "https://github.com/LargeWorldModel/LWM"
    result = runner.invoke(app, ["list", "--query", "videopoet", "--format", "markdown"])
    assert result.stdout.splitlines()[2] == (
        "| **VideoPoet**: A Large Language Model for Zero-Shot Video Generation | 2023 | "
        "[Paper](https://arxiv.org/abs/2312.14125) |"
    )


def test_list_year_filter_and_empty_result(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--year", "2017"])
    assert result.stdout.split("\t")[0] == "mocogan"
    result = runner.invoke(app, ["list", "--year", "1999", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "no papers match" in result.stderr


def test_unknown_category_exits_2_and_lists_valid_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--category", "Diffusion Transformers"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: unknown category 'Diffusion Transformers'; valid")
    assert "diffusion-transformer (Diffusion Transformer / 扩散 Transformer)" in result.stderr
    assert "Traceback" not in result.output


def test_show_paper(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "dit"])
    assert result.exit_code == 0
    assert "Scalable Diffusion Models with Transformers" in result.stdout
    assert "Diffusion Transformer (扩散 Transformer)" in result.stdout
    assert "https://github.com/facebookresearch/DiT" in result.stdout
    data = json.loads(runner.invoke(app, ["show", "SiT", "--format", "json"]).stdout)
    assert data["arxiv_id"] == "2401.08740"


def test_show_unknown_paper_suggests(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "ditt"])
    assert result.exit_code == 2
    assert result.stderr == "error: no paper with id 'ditt'; did you mean dit?\n"


def test_categories(runner: CliRunner) -> None:
    rows = json.loads(runner.invoke(app, ["categories", "--format", "json"]).stdout)
    assert [(r["id"], r["name_zh"], r["papers"]) for r in rows] == [
        ("diffusion-model", "扩散模型", 6),
        ("diffusion-transformer", "扩散 Transformer", 5),
        ("video-generation", "视频生成", 10),
        ("long-context", "长上下文", 5),
        ("base-video-models", "基础视频模型", 2),
    ]
    text = runner.invoke(app, ["categories"]).stdout
    assert "video-generation" in text and "视频生成" in text


def test_validate_bundled_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert "0 errors, 3 warnings; 30 papers in 5 categories" in result.stderr


def test_validate_broken_file_exits_1_with_located_errors(runner: CliRunner) -> None:
    path = CATALOGS / "several-errors.yaml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"error: {path}:24: papers[1].links[1].url: URL scheme must be http "
        "or https (got 'ftp://github.com/facebookresearch/DiT')"
    )
    assert lines[-1] == f"{path}: 3 errors, 0 warnings"
    assert "Traceback" not in result.output


def test_validate_formats(runner: CliRunner) -> None:
    path = str(CATALOGS / "duplicate-id.yaml")
    rows = json.loads(runner.invoke(app, ["validate", path, "--format", "json"]).stdout)
    assert rows == [
        {
            "path": path,
            "line": 26,
            "field": "papers[2].id",
            "severity": "error",
            "rule": "duplicate-id",
            "message": "duplicate id 'dit', already used by papers[1]",
        }
    ]
    github = runner.invoke(app, ["validate", path, "--format", "github"]).stdout
    assert github.startswith(f"::error file={path},line=26,title=papers[2].id::duplicate id")


def test_validate_strict_fails_on_warnings(runner: CliRunner) -> None:
    assert runner.invoke(app, ["validate", "--strict"]).exit_code == 1


def test_catalog_option_and_environment(runner: CliRunner, minimal: Path) -> None:
    result = runner.invoke(app, ["list", "--catalog", str(minimal), "--format", "json"])
    assert [p["id"] for p in json.loads(result.stdout)] == ["sora", "dit", "videopoet"]
    result = runner.invoke(
        app, ["categories", "-f", "json"], env={"MINISORA_CATALOG": str(minimal)}
    )
    assert [c["id"] for c in json.loads(result.stdout)] == [
        "diffusion-transformer",
        "video-generation",
    ]
    result = runner.invoke(app, ["validate"], env={"MINISORA_CATALOG": str(minimal)})
    assert f"{minimal}: 0 errors, 0 warnings; 3 papers" in result.stderr


@pytest.mark.parametrize("command", ["list", "show", "categories"])
def test_invalid_catalogue_is_one_line_per_error(runner: CliRunner, command: str) -> None:
    path = CATALOGS / "billion-laughs.yaml"
    args = [command, "dit"] if command == "show" else [command]
    result = runner.invoke(app, [*args, "--catalog", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}:3: invalid YAML: anchors and aliases are not allowed in a catalogue\n"
    )


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "list" in result.output and "validate" in result.output


def _entry_point() -> str | None:
    beside = Path(sys.executable).with_name("minisora")
    return str(beside) if beside.exists() else shutil.which("minisora")


@pytest.mark.skipif(_entry_point() is None, reason="the minisora script is not installed")
def test_installed_entry_point_runs_from_any_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MINISORA_CATALOG"}
    script = _entry_point()
    assert script is not None
    done = subprocess.run(
        [script, "list", "--category", "Diffusion Transformer"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    listed = [line.split("\t")[0] for line in done.stdout.splitlines()]
    # The bundled catalogue grows: its Diffusion Transformer papers include the seed's five.
    assert {"uvit", "dit", "sit", "fit", "k-diffusion"} <= set(listed)
    # The installed copy may predate an edit of data/papers.yaml: what it lists is still there.
    bundled = [p.id for p in catalog.load(BUNDLED).filter(category="Diffusion Transformer")]
    assert set(listed) <= set(bundled)
    bad = subprocess.run(
        [script, "validate", str(CATALOGS / "latin1.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 1
    assert "latin1.yaml:4: not UTF-8 text" in bad.stderr and "Traceback" not in bad.stderr


def test_list_does_not_import_network_code() -> None:
    code = (
        "import sys; from minisora.cli import app\n"
        "try: app(['list', '-f', 'json'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in ('httpx', 'httpcore', 'ftfy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_piped_output_is_whole_lines(runner: CliRunner) -> None:
    # CliRunner's stdout is no terminal, as in `minisora show sora | grep report`.
    shown = runner.invoke(app, ["show", "sora"]).stdout
    assert "report: https://openai.com/research/video-generation-models-as-world-simulators\n" in (
        shown
    )
    rows = [line.split("\t") for line in runner.invoke(app, ["categories"]).stdout.splitlines()]
    assert rows[0][:2] == ["diffusion-model", "Diffusion Model"] and rows[0][3].isdigit()


def _complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "_MINISORA_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-m", "minisora"], capture_output=True, text=True, env=env, timeout=60
    )
    return done.stdout.splitlines()


def test_completion_offers_categories_paper_ids_and_kinds() -> None:
    assert _complete("minisora list -c Diffusion") == ["Diffusion Model", "Diffusion Transformer"]
    assert _complete("minisora show la") == ["latte", "latent-diffusion", "large-world-model"]
    assert _complete("minisora list --has git") == ["github"]
    assert _complete("minisora export -c 扩散") == ["扩散模型", "扩散 Transformer"]
