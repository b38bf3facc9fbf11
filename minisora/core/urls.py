"""Everything minisora knows about URLs: what counts as one, its host, and when two are the same.

>>> host("https://www.GitHub.com/facebookresearch/DiT")
'github.com'
>>> url_key("http://github.com/facebookresearch/DiT/") == url_key("https://github.com/facebookresearch/DiT")
True
>>> host_in("https://docs.github.com/x", ("github.com",))
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# Most URLs match this at once; only the others pay for the checks that explain what is wrong.
# No whitespace and no control character (C0, DEL, C1) anywhere: such a URL cannot be requested.
_PLAIN_HTTP_URL = re.compile(
    r"^[hH][tT][tT][pP][sS]?://[^\s\x00-\x1f\x7f-\x9f/?#@:]+(?::\d+)?"
    r"(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The user:password@ of scheme://user:password@host, wherever it stands in a text.
_CREDENTIALS = re.compile(r"(?<=://)[^/?#@\s]*@")
# scheme://[user@]host[:port]/path?query#fragment; rules run over every link, urlsplit is slow.
_PARTS = re.compile(r"^[^:/?#]+://(?:[^@/?#]*@)?([^/?#:]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a host, or None when it is one."""
    if _PLAIN_HTTP_URL.match(url):
        return None
    if any(c.isspace() for c in url):
        return "URL must not contain spaces"
    if _CONTROL.search(url):
        return "URL must not contain control characters"
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "URL scheme must be http or https"
    if not hostname:
        return "URL must be absolute, with a host (https://host/...)"
    return None


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind minisora keeps or requests."""
    return url_problem(url) is None


def redact(text: str) -> str:
    """``text`` with the credentials of every URL in it replaced by ``***``.

    >>> redact("see http://curator:s3cret@example.org/x")
    'see http://***@example.org/x'
    """
    return _CREDENTIALS.sub("***@", text) if "@" in text else text


def host(url: str) -> str:
    """The lower-case host without "www.": ``github.com``; "" for what is not a URL."""
    match = _PARTS.match(url)
    return match[1].lower().removeprefix("www.") if match else ""


def host_key(url: str) -> str:
    """``host`` or ``host:port`` as written (with "www."): the unit per-host limits apply to."""
    match = _PARTS.match(url)
    if not match:
        return ""
    name = match[1].lower()
    return f"{name}:{match[2]}" if match[2] else name


def host_in(url_or_host: str, domains: Iterable[str]) -> bool:
    """True when the host (of a URL, or given as is) is one of ``domains`` or a subdomain."""
    name = host(url_or_host) if "://" in url_or_host else url_or_host.lower()
    return any(name == d or name.endswith("." + d) for d in domains)


def path(url: str) -> str:
    """The path of a URL, "" when it has none."""
    match = _PARTS.match(url)
    return match[3] if match else ""


def url_key(url: str) -> str:
    """A URL without scheme, "www.", trailing slash and fragment: two URLs of one page match."""
    match = _PARTS.match(url)
    if not match:
        return url
    name, where, query = match[1].lower().removeprefix("www."), match[3].rstrip("/"), match[4]
    return f"{name}{where}?{query}" if query else f"{name}{where}"
