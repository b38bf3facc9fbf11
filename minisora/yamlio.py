"""Safe YAML reading with line numbers, and atomic writing.

Reading never constructs Python objects from YAML tags, refuses anchors and aliases (which is what
makes "billion laughs" bombs possible), refuses duplicate keys and absurd nesting, and rejects files
that are not UTF-8. Line numbers are looked up only when there is something to report, so the fast
path is libyaml's C parser plus plain dicts and lists.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CatalogError, Finding

MAX_DEPTH = 64
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refuse(yaml.MarkedYAMLError):
    """A construct we refuse, with the mark of the node that holds it."""

    def __init__(self, problem: str, node: Node) -> None:
        super().__init__(problem=problem, problem_mark=node.start_mark)


class _StrictMixin:
    """Refuses aliases, duplicate keys and deep nesting while constructing plain data."""

    constructed_objects: dict[Node, Any]
    _depth = 0

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise _Refuse(
                "anchors and aliases are not allowed in a catalogue (the anchor here is reused)",
                node,
            )
        return super().construct_object(node, deep)  # type: ignore[misc]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    raise _Refuse(f"duplicate key {key_node.value!r}", key_node)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)  # type: ignore[misc]

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        # Only the pure-Python composer calls this; libyaml has its own nesting limit.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f"nesting deeper than {MAX_DEPTH} levels",
                    problem_mark=self.peek_event().start_mark,  # type: ignore[attr-defined]
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class StrictLoader(_StrictMixin, _BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader when available, with the strict rules above."""


class PureStrictLoader(_StrictMixin, yaml.SafeLoader):
    """The pure-Python fallback; gives the same results as :class:`StrictLoader`."""


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 (a BOM is allowed); a wrong encoding is a located error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError([Finding(shown, None, (), "file not found")]) from None
    except OSError as exc:
        raise CatalogError([Finding(shown, None, (), f"cannot read: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise CatalogError([Finding(shown, line, (), msg)]) from None


def parse(text: str, shown: str, loader: type = StrictLoader) -> Any:
    """Parse YAML text into plain dicts, lists and scalars, or raise a located CatalogError."""
    try:
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit(" ", 1)[-1]
            problem = f"the tag {tag} is not allowed: a catalogue holds only plain data"
        if exc.context and exc.problem and "found" in exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        raise CatalogError([Finding(shown, line, (), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([Finding(shown, None, (), f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise CatalogError([Finding(shown, None, (), "invalid YAML: nesting too deep")]) from None


class LineIndex:
    """Maps a field location such as ``("papers", 7, "links", 1)`` to its line in the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Node | bool | None = False

    def _node(self) -> Node | None:
        if self._root is False:
            try:
                self._root = yaml.compose(self._text, Loader=_BaseLoader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root  # type: ignore[return-value]

    def line(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest node on the path ``loc`` that exists."""
        node = self._node()
        if node is None:
            return None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


def _child(node: Node, part: str | int) -> Node | None:
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return value
    return None


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file and a rename: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
