"""Safe YAML reading with line numbers.

Reading never constructs Python objects from YAML tags, refuses anchors and aliases (which is what
makes "billion laughs" bombs possible), refuses duplicate keys and absurd nesting, and rejects files
that are not UTF-8. Line numbers are looked up only when there is something to report, so the fast
path is libyaml's C parser plus plain dicts and lists.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from sys import intern
from typing import Any, cast

import yaml
from yaml.error import Mark
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from minisora.errors import CatalogError, Finding

MAX_DEPTH = 64
ItemHook = Callable[[Any, int], Any]
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PURE_LOADER: type = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_RESOLVER = yaml.SafeLoader("")  # resolves plain scalars and builds ints, bools, dates, ...
# The first characters of plain scalars that YAML 1.1 may read as numbers, dates, ~ or merges.
_NUMERIC_STARTS = frozenset(
    key for key in yaml.SafeLoader.yaml_implicit_resolvers if key and not key.isalpha()
)
# The only words YAML 1.1 reads as something other than a string (booleans and null).
_IMPLICIT_WORDS = frozenset(
    form
    for word in ("yes", "no", "true", "false", "on", "off", "null")
    for form in (word, word.title(), word.upper())
)


class _Refuse(yaml.MarkedYAMLError):
    """A construct we refuse, with the mark of the event that holds it."""

    def __init__(self, problem: str, event: Event) -> None:
        super().__init__(problem=problem, problem_mark=_mark(event.start_mark))


def _mark(mark: object) -> Mark | None:
    """libyaml's marks are not ``yaml.Mark`` to the type checker, though they act as one."""
    return cast(Mark | None, mark)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that hold no cycles.

    Building a large catalogue creates millions of objects, each creation counting towards a
    collection that walks all of them again; pausing makes loading several times faster.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _resolved_scalar(event: ScalarEvent) -> Any:
    """A scalar that may not be a plain string: resolve its tag and build an int, bool, date..."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _STR:
        return event.value
    if tag not in _SCALAR_TAGS:
        raise _Refuse(f"the tag {tag!r} is not allowed: a catalogue holds only plain data", event)
    node = ScalarNode(tag, event.value, _mark(event.start_mark), _mark(event.end_mark))
    try:
        return _RESOLVER.yaml_constructors[tag](_RESOLVER, node)
    except ValueError as exc:  # such as the date 2024-13-01
        kind = tag.rsplit(":", 1)[-1]
        raise _Refuse(f"{event.value!r} is not a valid {kind}: {exc}", event) from None


def _container_tag_ok(event: MappingStartEvent | SequenceStartEvent, expected: str) -> None:
    if event.tag not in (None, "!", expected) and not event.implicit:
        raise _Refuse(
            f"the tag {event.tag!r} is not allowed: a catalogue holds only plain data", event
        )


_NO_KEY = object()


def build(next_event: Callable[[], Event], items: Mapping[str, ItemHook]) -> Any:
    """Plain dicts, lists and scalars from a YAML parser's events, refusing aliases, duplicate
    keys, non-standard tags, several documents and nesting deeper than ``MAX_DEPTH``.

    Each finished item of a top-level list named in ``items`` is replaced by what its hook
    returns for ``(item, index)``, so a caller can validate papers one at a time and never hold
    the plain data and the validated catalogue together. This is the hot path of loading a large
    catalogue, hence one flat loop.
    """
    stack: list[Any] = []
    keys: list[Any] = []
    documents = 0
    root: Any = None
    numeric, words = _NUMERIC_STARTS, _IMPLICIT_WORDS
    while True:
        event = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            value = event.value  # type: ignore[attr-defined]
            if event.tag is None and event.implicit[0]:  # type: ignore[attr-defined]
                if value.isdigit() and value.isascii() and value[0] != "0":
                    value = int(value)  # years, the commonest non-string: no resolver needed
                elif not value or value[0] in numeric or value in words:
                    value = _resolved_scalar(event)  # type: ignore[arg-type]
            elif event.tag is not None:  # type: ignore[attr-defined]
                value = _resolved_scalar(event)  # type: ignore[arg-type]
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            is_map = kind is MappingStartEvent
            _container_tag_ok(event, _MAP if is_map else _SEQ)  # type: ignore[arg-type]
            if len(stack) >= MAX_DEPTH:
                raise _Refuse(f"nesting deeper than {MAX_DEPTH} levels", event)
            stack.append({} if is_map else [])
            keys.append(_NO_KEY)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()
            keys.pop()
        elif kind is AliasEvent:
            raise _Refuse("anchors and aliases are not allowed in a catalogue", event)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refuse("a catalogue is one YAML document, not several", event)
            continue
        elif kind is StreamEndEvent:
            return root
        else:
            continue
        if not stack:
            root = value
            continue
        parent = stack[-1]
        if type(parent) is list:
            if len(stack) == 2 and keys[0] in items:
                value = items[keys[0]](value, len(parent))
            parent.append(value)
        elif keys[-1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Refuse("a mapping key must be a plain value", event)
            if value in parent:
                raise _Refuse(f"duplicate key {value!r}", event)
            # A large catalogue repeats the same few keys millions of times: share one copy.
            keys[-1] = intern(value) if type(value) is str else value
        else:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY


def read_utf8(path: Path, shown: str) -> bytes:
    """A file's bytes, checked to be UTF-8 text; a wrong encoding is a located error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(
            [Finding(shown, None, (), "file not found", rule="missing-file")]
        ) from None
    except OSError as exc:
        raise CatalogError([Finding(shown, None, (), f"cannot read: {exc.strerror}")]) from None
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise CatalogError([Finding(shown, line, (), msg)]) from None
    return raw


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 text (a BOM is allowed); a wrong encoding is a located error."""
    return read_utf8(path, shown).decode("utf-8-sig")


def parse(
    text: str | bytes,
    shown: str,
    loader: type = FAST_LOADER,
    items: Mapping[str, ItemHook] | None = None,
) -> Any:
    """Parse YAML (text, or UTF-8 bytes) into plain dicts, lists and scalars, or raise a located
    CatalogError. ``loader`` supplies the event parser: libyaml's (C) by default, or
    ``PURE_LOADER``; ``items`` maps a top-level key to a hook for each item of its list.
    """
    try:
        with paused_gc():
            return build(loader(text).get_event, items or {})
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = (exc.problem or "invalid YAML").strip()
        if exc.context and exc.problem and "found" in exc.problem:
            problem = f"{exc.context}, {exc.problem}"
        raise CatalogError([Finding(shown, line, (), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([Finding(shown, None, (), f"invalid YAML: {exc}")]) from None


class _Frame:
    """An open mapping or sequence while walking events: where it is and what comes next."""

    __slots__ = ("at_key", "index", "is_map", "key", "path")

    def __init__(self, path: tuple[str | int, ...], is_map: bool) -> None:
        self.path, self.is_map = path, is_map
        self.index, self.at_key = 0, True
        self.key: str | int = ""


def locate(
    text: str | bytes, locs: Iterable[Sequence[str | int]]
) -> dict[tuple[str | int, ...], int]:
    """The 1-based line of each field location, such as ``("papers", 7, "links", 1)``.

    A location that does not exist in the file (a missing field) gets the line of its deepest
    existing parent. One pass over the events of a file that :func:`parse` accepted.
    """
    keys = [tuple(loc) for loc in locs]
    wanted = {loc[:n] for loc in keys for n in range(len(loc) + 1)}
    found: dict[tuple[str | int, ...], int] = {}
    stack: list[_Frame] = []
    for event in yaml.parse(text, Loader=FAST_LOADER):
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        if (
            kind is not ScalarEvent
            and kind is not MappingStartEvent
            and (kind is not SequenceStartEvent)
        ):
            continue
        here: tuple[str | int, ...] = ()
        if stack:
            top = stack[-1]
            if top.is_map and top.at_key:
                top.key, top.at_key = event.value, False  # type: ignore[attr-defined]
                continue
            if top.is_map:
                here, top.at_key = (*top.path, top.key), True
            else:
                here, top.index = (*top.path, top.index), top.index + 1
        if here in wanted:
            found.setdefault(here, cast(Mark, event.start_mark).line + 1)
        if kind is not ScalarEvent:
            stack.append(_Frame(here, kind is MappingStartEvent))
    result = {}
    for loc in keys:
        prefix = next(loc[:n] for n in range(len(loc), -1, -1) if loc[:n] in found or n == 0)
        result[loc] = found.get(prefix, 1)
    return result


def located(text: str | bytes, shown: str, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with the file name ``shown`` and the line of each one's field in ``text``."""
    lines = locate(text, [f.loc for f in findings]) if findings else {}
    return [replace(f, path=shown, line=lines[f.loc]) for f in findings]
