"""arXiv identifiers: recognise them in URLs, normalise them, and date them.

>>> arxiv_id_from_url("https://arxiv.org/pdf/2401.11605v1.pdf")
'2401.11605'
>>> year_of("1707.04993")
2017
"""

from __future__ import annotations

import re

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"^(?:{_NEW}|{_OLD})$")
_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?arxiv\.org/(?P<form>abs|pdf|html)/"
    rf"(?P<id>{_NEW}|{_OLD})(?P<version>v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_TYPED = re.compile(rf"^(?:arxiv:)?(?P<id>{_NEW}|{_OLD})(?:v\d+)?$", re.IGNORECASE)


def arxiv_id_from_url(url: str) -> str | None:
    """The versionless arXiv id an arxiv.org abs/pdf/html URL points at, or None."""
    match = _URL.match(url)
    return match["id"] if match else None


def arxiv_id_from_text(text: str) -> str | None:
    """The versionless id in what a person types: ``2212.09748v2``, ``arXiv:2212.09748``, a URL."""
    text = text.strip()
    match = _TYPED.match(text)
    return match["id"] if match else arxiv_id_from_url(text)


def is_pdf_url(url: str) -> bool:
    """True for an arxiv.org/pdf/... link (the /abs/ page is the stable, citable form)."""
    match = _URL.match(url)
    return bool(match and match["form"].lower() == "pdf")


def abs_url(arxiv_id: str) -> str:
    """The canonical abstract page of a paper."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def year_of(arxiv_id: str) -> int:
    """The year an arXiv id was assigned, from its leading YY digits (both id styles)."""
    digits = arxiv_id.rsplit("/", 1)[-1]
    yy = int(digits[:2])
    return 2000 + yy if yy < 91 else 1900 + yy
