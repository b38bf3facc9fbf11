"""Turn pydantic's validation errors into short findings a curator can act on."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from minisora.errors import Finding
from minisora.models import CatalogFile, Category, GithubStatus, Link, LinkKind, Paper


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel]:
    """Which model a location's last part is a field of."""
    depth = len(loc)
    if depth >= 5 and loc[0] == "papers" and loc[2] == "links":
        return Link
    if depth >= 4 and loc[0] == "papers" and loc[2] == "github":
        return GithubStatus
    if depth >= 3 and loc[0] == "papers":
        return Paper
    if depth >= 3 and loc[0] == "categories":
        return Category
    return CatalogFile


def _unknown_field(loc: tuple[str | int, ...], value: object) -> str:
    name = str(loc[-1])
    model = _model_at(loc)
    kinds = [k.value for k in LinkKind]
    kind = difflib.get_close_matches(name, kinds, n=1)
    if model is Paper and kind and isinstance(value, str) and "://" in value:
        # `githb: https://...` is a link written as a field, not a typo of the `github:` status.
        return (
            f"unknown field {name!r}; links go in the list: "
            f"links: - {{kind: {kind[0]}, url: {value}}}"
        )
    fields = list(model.model_fields)
    close = difflib.get_close_matches(name, fields, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(fields)}"
    return f"unknown field {name!r}; {hint}"


def _message(error: Any) -> str:
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    if kind == "extra_forbidden":
        return _unknown_field(loc, value)
    if kind == "missing":
        return "required field is missing"
    if kind == "enum" and loc[-1] == "kind":
        return f"{value!r} is not a link kind; use one of: {', '.join(k.value for k in LinkKind)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping of fields, not {_describe(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list, not {_describe(value)}"
    if kind == "string_type":
        return f"must be text, not {_describe(value)}"
    if kind == "too_short" and loc[-1] == "links":
        return "a paper needs at least one link"
    message = str(error["msg"])
    if isinstance(value, str) and kind == "url" and len(value) < 120:
        message += f" (got {value!r})"
    return message


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {value!r}"[:80]


def findings_from_validation_error(
    exc: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[Finding]:
    """One finding per pydantic error, located by field (the file and line are added later).

    ``prefix`` is where the validated value sits in the file, for a part validated on its own.
    """
    found = []
    for error in exc.errors(include_url=False):
        error["loc"] = (*prefix, *error["loc"])
        found.append(Finding("", None, error["loc"], _message(error), rule="schema"))
    return found
