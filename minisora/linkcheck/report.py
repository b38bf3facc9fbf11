"""Pure renderers of a link report: plain table, JSON, Markdown, JUnit XML, GitHub annotations.

Each takes a :class:`~minisora.linkcheck.results.LinkReport` and returns a ``str``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from minisora.linkcheck.escape import printable, xml
from minisora.linkcheck.results import LinkReport, Target, Verdict
from minisora.render.annotations import annotation


def to_table(report: LinkReport) -> str:
    """Plain text: one block per paper with a line per problem link; nothing for ok links.
    Control characters are shown as ``\\xNN``, never sent to the terminal."""
    lines = []
    for paper, results in report.by_paper().items():
        lines.append(printable(paper))
        for r in results:
            text = f"  {r.verdict.value:<10} {r.kind or 'link':<10} {r.url}  {r.detail}"
            lines.append(printable(text))
    return "\n".join(lines) + "\n" if lines else ""


def to_json(report: LinkReport) -> str:
    """A JSON array with one object per URL."""
    return json.dumps([r.to_record() for r in report.results], ensure_ascii=False, indent=2) + "\n"


def to_junit(report: LinkReport) -> str:
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
            classname=xml(r.paper or (r.targets[0].where if r.targets else "links")),
            name=xml(r.url),
            time=f"{r.elapsed_ms / 1000:.3f}",
        )
        message = xml(f"{r.verdict.value}: {r.detail}".rstrip(": "))
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


def to_github(report: LinkReport) -> str:
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


RENDERERS: dict[str, Callable[[LinkReport], str]] = {
    "table": to_table,
    "json": to_json,
    "markdown": LinkReport.to_markdown,
    "junit": to_junit,
    "github": to_github,
}
