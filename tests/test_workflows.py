"""The workflows, the composite action and the pre-commit hooks: linted by actionlint, pinned and
least-privileged, and the action's steps and the hooks run for real on a temporary list."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CATALOGS, REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTION = REPO / "action.yml"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_every_workflow_passes_actionlint() -> None:
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "actionlint")], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"actionlint: {len(WORKFLOWS)} workflow files, 0 problems" in done.stdout


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_a_version_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    used = re.findall(r"uses: (\S+)(.*)", text.split("\nname:", 1)[1])
    assert used
    for action, comment in used:
        assert PINNED.match(action), action
        assert re.match(r"\s+# v\d+\.\d+\.\d+$", comment), (action, comment)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_hold_least_privilege(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {"contents": "read"}
    # A job asks for more only to publish the web page (GitHub Pages: pages and id-token).
    publish = {"contents": "read", "pages": "write", "id-token": "write"}
    for job in workflow["jobs"].values():
        extra = job.get("permissions", {})
        assert extra.items() <= publish.items(), extra
        assert not extra or path.name == "pages.yml"
    checkouts = [s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_ci_gates_pushes_and_pull_requests_on_every_supported_python() -> None:
    workflow = _load(REPO / ".github" / "workflows" / "ci.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    pythons = workflow["jobs"]["tests"]["strategy"]["matrix"]["python"]
    classifiers = re.findall(
        r'"Programming Language :: Python :: (3\.\d+)"', (REPO / "pyproject.toml").read_text()
    )
    assert pythons == classifiers
    runs = [s.get("run", "") for s in _steps(workflow)]
    assert "python -m pytest" in runs and "bash .ci/run" in runs
    ci = (REPO / ".ci" / "run").read_text()
    for check in ("validate --strict", "render --check", ".ci/actionlint", ".ci/lowest"):
        assert check in ci


def test_link_check_saves_its_cache_even_when_links_are_broken() -> None:
    workflow = _load(REPO / ".github" / "workflows" / "link-check.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert {"schedule", "pull_request"} <= set(triggers)
    steps = _steps(workflow)
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses.index("actions/cache/restore") < uses.index("actions/cache/save")
    save = steps[uses.index("actions/cache/save")]
    assert save["if"].startswith("always()")
    check = next(s for s in steps if s.get("name") == "Check links")
    assert "$GITHUB_STEP_SUMMARY" in check["run"] and "--format markdown" in check["run"]
    assert check["shell"] == "bash"  # -o pipefail: tee keeps the checker's exit code


@pytest.fixture
def a_list(tmp_path: Path) -> Path:
    """Another community's list: a git repository with one README and minisora.toml."""
    root = tmp_path / "list"
    (root / "data").mkdir(parents=True)
    shutil.copy(CATALOGS / "minimal.yaml", root / "data" / "papers.yaml")
    (root / "README.md").write_text("# A list\n\n<!-- papers:start -->\n<!-- papers:end -->\n")
    (root / "minisora.toml").write_text('readmes = [{ path = "README.md", lang = "en" }]\n')
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("MINISORA_CATALOG")
    subprocess.run(
        [str(BIN / "minisora"), "render", "--write"], cwd=root, env=env, check=True, timeout=60
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "a list")
    return root


def _git(root: Path, *args: str) -> None:
    who = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *who, *args], cwd=root, check=True, timeout=60)


def _run_action(root: Path, **given: str) -> list[tuple[str, int, str]]:
    """The action's own shell steps, run as GitHub runs them (bash -e -o pipefail, inputs given
    through env); setup-python and the install step are the test's Python, which has minisora."""
    action = _load(ACTION)
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update((name.replace("_", "-"), value) for name, value in given.items())
    results = []
    for step in _steps(action):
        if "run" not in step or step.get("id") == "install":
            continue
        condition = re.fullmatch(r"inputs\.([\w-]+) == '(\w+)'", step.get("if", "inputs.x == ''"))
        if condition and inputs.get(condition[1], "") != condition[2]:
            continue
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        env.pop("MINISORA_CATALOG")
        for name, value in step.get("env", {}).items():
            env[name] = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m[1]], value)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
    return results


def test_the_action_validates_and_checks_the_readme_of_another_list(a_list: Path) -> None:
    ran = _run_action(a_list)
    assert [(name, code) for name, code, _ in ran] == [
        ("Validate the catalogue", 0),
        ("Check the README tables", 0),
    ]
    catalogue = a_list / "data" / "papers.yaml"
    text = catalogue.read_text()
    catalogue.write_text(text.replace("Scalable Diffusion", "Scaled Diffusion"))
    ran = _run_action(a_list, catalog="data/papers.yaml")
    assert [code for _, code, _ in ran] == [0, 1]
    assert "README.md (rendered from the catalogue)" in ran[1][2]
    catalogue.write_text(text.replace("year: 2022", "year: 1800"))
    ran = _run_action(a_list, render_check="false")
    assert [(name, code) for name, code, _ in ran] == [("Validate the catalogue", 1)]
    assert "::error file=data/papers.yaml,line=20,title=papers[1].year::" in ran[0][2]


def test_the_pre_commit_hooks_run_on_another_list(a_list: Path) -> None:
    # try-repo installs the hooks afresh each time (about 15 s): every hook runs in one call.
    def try_repo() -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "MINISORA_CATALOG"}
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "--all-files"],
            cwd=a_list,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def verdicts(output: str) -> dict[str, str]:
        found = re.findall(r"^(minisora [^.\n]*?)\.{3,}(Passed|Failed)$", output, re.M)
        return dict(found)

    done = try_repo()
    assert done.returncode == 0, done.stdout + done.stderr
    passed = {"minisora validate": "Passed", "minisora render --check": "Passed"}
    assert verdicts(done.stdout) == passed
    catalogue = a_list / "data" / "papers.yaml"
    # A warning (validate is --strict) and a title the README does not show yet.
    text = catalogue.read_text().replace("Scalable Diffusion", "Scaled Diffusion")
    catalogue.write_text(text.replace("arxiv.org/abs/2212.09748", "arxiv.org/pdf/2212.09748"))
    failed = try_repo()
    assert failed.returncode == 1
    assert verdicts(failed.stdout) == dict.fromkeys(passed, "Failed")
    assert "papers[1].links[0].url: links to the PDF" in failed.stdout
    assert "the READMEs are out of date: run `minisora render --write`" in failed.stdout
