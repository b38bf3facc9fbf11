"""Pure renderers of a link report: plain table, JSON, Markdown, JUnit XML, GitHub annotations.

Each takes a :class:`~minisora.linkcheck.results.Report` and returns a ``str``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from ..annotations import annotation
from ..choices import LinkFormat as Format
from .results import Report, Result, Target, Verdict


def by_paper(report: Report) -> dict[str, list[Result]]:
    """The problems (everything not ok), grouped by paper id, or by file and line."""
    groups: dict[str, list[Result]] = {}
    for result in report.problems:
        keys = dict.fromkeys(t.paper or t.where for t in result.targets) or {result.url: None}
        for key in keys:
            groups.setdefault(key, []).append(result)
    return groups


def to_table(report: Report) -> str:
    """Plain text: one block per paper with a line per problem link; nothing for ok links."""
    lines = []
    for paper, results in by_paper(report).items():
        lines.append(paper)
        for r in results:
            lines.append(f"  {r.verdict.value:<10} {r.kind or 'link':<10} {r.url}  {r.detail}")
    return "\n".join(lines) + "\n" if lines else ""


def to_json(report: Report) -> str:
    """A JSON array with one object per URL."""
    return json.dumps([r.to_record() for r in report.results], ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def to_markdown(report: Report) -> str:
    """A Markdown table of the problems, for an issue or a pull-request comment."""
    lines = [f"**Link check**: {_md(report.summary())}", ""]
    if report.problems:
        lines += ["| Paper | Kind | Link | Verdict | Detail |", "| --- | --- | --- | --- | --- |"]
        for paper, results in by_paper(report).items():
            lines += [
                f"| {_md(paper)} | {r.kind or ''} | <{r.url}> | {r.verdict.value} "
                f"| {_md(r.detail)} |"
                for r in results
            ]
    return "\n".join(lines) + "\n"


def to_junit(report: Report) -> str:
    """JUnit XML: a test case per URL; broken ones fail, timeouts and errors are errors."""
    suite = ET.Element(
        "testsuite",
        name="minisora check-links",
        tests=str(len(report.results)),
        failures=str(report.counts[Verdict.BROKEN]),
        errors=str(report.counts[Verdict.TIMEOUT] + report.counts[Verdict.ERROR]),
        skipped=str(report.counts[Verdict.UNVERIFIED]),
        time=f"{report.seconds:.3f}",
    )
    for r in report.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=r.paper or (r.targets[0].where if r.targets else "links"),
            name=r.url,
            time=f"{r.elapsed_ms / 1000:.3f}",
        )
        message = f"{r.verdict.value}: {r.detail}".rstrip(": ")
        if r.verdict is Verdict.BROKEN:
            ET.SubElement(case, "failure", message=message, type="broken")
        elif r.verdict in (Verdict.TIMEOUT, Verdict.ERROR):
            ET.SubElement(case, "error", message=message, type=r.verdict.value)
        elif r.verdict is Verdict.UNVERIFIED:
            ET.SubElement(case, "skipped", message=message)
        elif r.verdict is Verdict.MOVED:
            ET.SubElement(case, "system-out").text = message
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, "unicode") + "\n"


def to_github(report: Report) -> str:
    """GitHub workflow annotations: an error per broken link, a warning per other problem."""
    lines = []
    for r in report.problems:
        level = "error" if r.verdict is Verdict.BROKEN else "warning"
        for t in r.targets or (Target(r.url),):
            title = f"{r.verdict.value} link" + (f" of {t.paper}" if t.paper else "")
            lines.append(
                annotation(level, f"{t.url} ({r.detail})", file=t.source, line=t.line, title=title)
            )
    return "".join(lines)


RENDERERS: dict[Format, Callable[[Report], str]] = {
    Format.TABLE: to_table,
    Format.JSON: to_json,
    Format.MARKDOWN: to_markdown,
    Format.JUNIT: to_junit,
    Format.GITHUB: to_github,
}
