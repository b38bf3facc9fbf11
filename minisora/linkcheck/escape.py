"""Making what a host or a list wrote safe to print: in a terminal, in Markdown, in XML.

A URL, a redirect target or an error message comes from outside; none of it may start a
Markdown cell, image or tag, an XML-invalid character, or a terminal escape sequence.

>>> markdown("x|![i](http://evil.example/p.png)")
'x\\\\|\\\\!\\\\[i\\\\](http://evil.example/p.png)'
>>> printable("http://a/\\x1b[31m")
'http://a/\\\\x1b[31m'
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL: a terminal acts on them, XML 1.0 forbids most of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Lone surrogates and the two non-characters XML 1.0 forbids as well.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Everything that can start Markdown or HTML structure; CommonMark lets a backslash escape any
# ASCII punctuation, so escaping these leaves the text as written.
_MARKDOWN = re.compile(r"([\\`*_\[\]!|<>~&])")
# What an autolink <URL> may hold as is: no space, bracket, backslash, backtick or control.
_AUTOLINK_SAFE = re.compile(r"[^\s<>\\`\x00-\x1f\x7f-\x9f]+")


def printable(text: str) -> str:
    """``text`` with each control character written as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def markdown(text: str) -> str:
    """``text`` as literal Markdown: no cell, emphasis, link, image, code or tag can start."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def xml(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (ElementTree escapes the rest)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def markdown_link(url: str) -> str:
    """``<url>`` (a Markdown autolink, inside which nothing is parsed) when the URL can stand in
    one; otherwise the URL as literal text."""
    if _AUTOLINK_SAFE.fullmatch(url):
        return f"<{url.replace('|', '%7C')}>"
    return markdown(url)
