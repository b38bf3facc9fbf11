"""GitHub Actions workflow annotations (``::error file=F,line=L,title=T::message``), escaped as
the runner expects, for `validate` and `check-links` in CI."""

from __future__ import annotations


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    title: str | None = None,
) -> str:
    """One annotation line; ``level`` is error, warning or notice."""
    props = []
    if file:
        props.append(f"file={_property(file)}")
        if line:
            props.append(f"line={line}")
    if title:
        props.append(f"title={_property(title)}")
    return f"::{level} {','.join(props)}::{_data(message)}\n"
