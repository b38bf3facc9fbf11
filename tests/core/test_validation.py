"""Every validation rule and every hostile-file case: the file, line and field are named."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import CATALOGS

from minisora import catalog
from minisora.errors import CatalogError, Severity
from minisora.store.yaml_read import FAST_LOADER, PURE_LOADER, parse, read_text

# file, line, field, a fragment of the message
BROKEN = [
    (
        "unknown-key.yaml",
        25,
        "papers[1].githb",
        "links go in the list: links: - {kind: github, url:",
    ),
    ("url-scheme.yaml", 24, "papers[1].links[1].url", "URL scheme must be http or https"),
    ("url-relative.yaml", 24, "papers[1].links[1].url", "URL scheme must be http or https"),
    ("link-kind-typo.yaml", 24, "papers[1].links[1].kind", "'githb' is not a link kind"),
    ("duplicate-id.yaml", 26, "papers[2].id", "duplicate id 'dit', already used by papers[1]"),
    ("unknown-category.yaml", 29, "papers[2].category", "unknown category 'video-gen'"),
    ("duplicate-url.yaml", 36, "papers[2].links[1].url", "URL already used by papers[1] (dit)"),
    (
        "duplicate-arxiv-id.yaml",
        32,
        "papers[2].arxiv_id",
        "2212.09748 is already used by papers[1]",
    ),
    ("empty-title.yaml", 18, "papers[1].title", "must not be empty"),
    ("markdown-title.yaml", 18, "papers[1].title", "must be plain text"),
    ("missing-title.yaml", 16, "papers[1].title", "required field is missing"),
    ("mojibake.yaml", 33, "papers[2].tags[1]", "probably '社区'"),
    ("arxiv-mismatch.yaml", 23, "papers[1].links[0].url", "points at arXiv 2212.09784"),
    ("arxiv-missing-id.yaml", 16, "papers[1]", "add arxiv_id: '2212.09748'"),
    ("arxiv-id-with-version.yaml", 21, "papers[1].arxiv_id", "without version"),
    ("reading-plan-unknown.yaml", 6, "reading_plan[2]", "no paper has the id 'latte'"),
]

# Files that cannot even be parsed: file, line, a fragment of the message.
HOSTILE = [
    ("billion-laughs.yaml", 3, "anchors and aliases are not allowed"),
    ("anchor-alias.yaml", 34, "anchors and aliases are not allowed"),
    ("python-tag.yaml", 20, "python/object/apply:os.system' is not allowed"),
    ("duplicate-key.yaml", 21, "duplicate key 'year'"),
    ("deep-nesting.yaml", 1, "nesting"),
    ("latin1.yaml", 4, "not UTF-8 text (byte 0xe9)"),
    ("syntax-error.yaml", 27, "invalid YAML"),
    ("not-a-mapping.yaml", 1, "the file is a list, not a mapping"),
    ("empty.yaml", 1, "the file is empty"),
    ("not-a-catalogue.yaml", 1, "the file is not a catalogue; it needs the keys categories"),
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_minimal_catalogue_is_valid(minimal: Path) -> None:
    report = catalog.validate(minimal)
    assert report.ok and report.findings == ()
    assert report.catalog is not None and len(report.catalog.papers) == 3


def test_bundled_catalogue_has_no_errors() -> None:
    report = catalog.validate()
    # CI runs `validate --strict`: the bundled catalogue has no warnings either.
    assert report.findings == ()


@pytest.mark.parametrize(("name", "line", "field", "fragment"), BROKEN)
def test_each_rule_names_file_line_and_field(name: str, line: int, field: str, fragment: str):
    path = CATALOGS / name
    before = _digest(path)
    report = catalog.validate(path)
    errors = report.errors
    assert len(errors) == 1, [str(e) for e in errors]
    (error,) = errors
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert fragment in error.message
    assert str(error).startswith(f"{path}:{line}: {field}: ")
    assert report.catalog is None
    assert _digest(path) == before, "a broken file is never modified"


@pytest.mark.parametrize(("name", "line", "fragment"), HOSTILE)
def test_hostile_files_give_one_located_error(name: str, line: int, fragment: str) -> None:
    path = CATALOGS / name
    before = _digest(path)
    with pytest.raises(CatalogError) as caught:
        catalog.load(path)
    (finding,) = caught.value.findings
    assert finding.line == line
    assert fragment in finding.message
    assert _digest(path) == before


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f"categories: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(CatalogError):
        catalog.load(evil)
    assert not marker.exists()


@pytest.mark.parametrize(
    "name",
    [
        "billion-laughs.yaml",
        "deep-nesting.yaml",
        "deep-block-nesting.yaml",
        "anchor-alias.yaml",
        "duplicate-key.yaml",
        "python-tag.yaml",
    ],
)
def test_pure_python_loader_refuses_the_same_files(name: str) -> None:
    path = CATALOGS / name
    text = read_text(path, name)
    messages = []
    for loader in (FAST_LOADER, PURE_LOADER):
        with pytest.raises(CatalogError) as caught:
            parse(text, name, loader)
        messages.append(caught.value.findings[0].message)
    if name.startswith("deep"):
        assert all("nesting" in m for m in messages)
    else:
        assert messages[0] == messages[1]


def test_pure_python_loader_gives_the_same_data() -> None:
    text = read_text(catalog.bundled_path(), "papers.yaml")
    assert parse(text, "x", FAST_LOADER) == parse(text, "x", PURE_LOADER)


def test_all_errors_of_a_file_are_reported_at_once() -> None:
    path = CATALOGS / "several-errors.yaml"
    report = catalog.validate(path)
    assert [(e.line, e.field) for e in report.errors] == [
        (24, "papers[1].links[1].url"),
        (28, "papers[2].title"),
        (30, "papers[2].colour"),
    ]


def test_load_error_message_counts_the_rest() -> None:
    with pytest.raises(CatalogError) as caught:
        catalog.load(CATALOGS / "several-errors.yaml")
    assert str(caught.value).endswith("(and 2 more)")
    assert len(caught.value.errors) == 3


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="file not found"):
        catalog.load(tmp_path / "nope.yaml")


def test_warnings_do_not_fail_but_are_located(tmp_path: Path, minimal: Path) -> None:
    text = minimal.read_text().replace(
        "{kind: github, url: https://github.com/facebookresearch/DiT}",
        "{kind: github, url: https://facebookresearch.github.io/DiT}",
    )
    path = tmp_path / "mislabelled.yaml"
    path.write_text(text)
    report = catalog.validate(path)
    assert report.ok
    (warning,) = report.warnings
    assert warning.severity is Severity.WARNING and warning.rule == "mislabelled-link"
    assert (warning.line, warning.field) == (24, "papers[1].links[1].kind")
    assert "should be on github.com, not facebookresearch.github.io" in warning.message


SCALARS = """\
plain: [null, Null, NULL, ~, '', true, True, FALSE, off, On, yes, nullx, Truely, offline]
numbers: [12, -3, +7, 0o17, 0x1f, 1.5, .inf, -.Inf, .nan, 1e3, 2212.09748]
quoted: ['2212.09748', "true", '', "tab\\tand \\u793e"]
dates: [2024-01-02, 2024-01-02 10:00:00]
nested: {a: [1, {b: [c, {d: e}]}], f: []}
block: |
  two
  lines
folded: >
  one
  line
"""


@pytest.mark.parametrize("loader", [FAST_LOADER, PURE_LOADER])
def test_parser_gives_what_pyyaml_safe_load_gives(loader: type) -> None:
    import math

    import yaml

    ours, theirs = parse(SCALARS, "x", loader), yaml.safe_load(SCALARS)
    assert math.isnan(ours["numbers"].pop(8)) and math.isnan(theirs["numbers"].pop(8))
    assert ours == theirs
    bundled = catalog.bundled_path().read_text(encoding="utf-8")
    assert parse(bundled, "x", loader) == yaml.safe_load(bundled)
