"""The source text made safe to read: control characters removed, wrong encodings repaired.

>>> fixed, notes = clean_lines("Diff\\x00usion\\n")
>>> fixed, [rule for _line, _message, rule in notes]
('Diffusion\\n', ['control-character'])
"""

from __future__ import annotations

import re

from minisora.core.rules import mojibake_suggestion

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. markdown-it turns NUL
# into U+FFFD ("Diff\ufffdusion") and a URL with one into a punycode host.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Note = tuple[int, str, str]  # line, message, rule


def clean_lines(text: str) -> tuple[str, list[Note]]:
    """``text`` without control characters and with mojibake repaired; a note per changed line."""
    notes: list[Note] = []
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines, 1):
        fixed = mojibake_suggestion(line)
        if fixed is not None:
            damaged, repaired = _changed(line, fixed)
            notes.append(
                (
                    n,
                    f"text damaged by a wrong encoding: {damaged!r} repaired to {repaired!r}",
                    "mojibake",
                )
            )
            line = fixed
        found = sorted(set(_CONTROL.findall(line)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            shown = line.rstrip("\r\n")[:60]
            notes.append(
                (n, f"control character {names} removed from {shown!r}", "control-character")
            )
            line = _CONTROL.sub("", line)
        lines[n - 1] = line
    return "".join(lines), notes


def _common(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(min(a, b, key=len))
    )


def _changed(before: str, after: str, width: int = 40) -> tuple[str, str]:
    """The part of a line that a repair changed, before and after (at most ``width`` chars)."""
    head = _common(before, after)
    tail = _common(before[head:][::-1], after[head:][::-1])
    return before[head : len(before) - tail][:width], after[head : len(after) - tail][:width]
