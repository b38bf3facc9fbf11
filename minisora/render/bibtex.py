"""BibTeX entries for reference managers (Zotero, JabRef, biber).

>>> from minisora import catalog
>>> print(to_bibtex([catalog.load().get("dit")]))   # doctest: +NORMALIZE_WHITESPACE
@inproceedings{dit,
  title = {{Scalable Diffusion Models with Transformers}},
  booktitle = {ICCV},
  year = {2022},
  eprint = {2212.09748},
  archivePrefix = {arXiv},
  url = {https://arxiv.org/abs/2212.09748},
}

The key of an entry is the paper's id, so it stays the same as long as the id does. Papers with a
venue are ``@inproceedings`` with a ``booktitle``; the rest are ``@misc``. arXiv papers get the
``eprint``/``archivePrefix`` fields that reference managers use to fetch the preprint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from minisora.core.arxiv_ids import abs_url
from minisora.models import LinkKind, Paper

_SPECIAL = re.compile(r"[\\{}&%$#_^~]")
_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def escape(text: str) -> str:
    """Text safe inside a braced BibTeX value: LaTeX's special characters escaped."""
    return _SPECIAL.sub(lambda m: _ESCAPES.get(m[0], "\\" + m[0]), text)


def _url(paper: Paper) -> str:
    if paper.arxiv_id:
        return abs_url(paper.arxiv_id)
    return (paper.urls(LinkKind.PAPER) or [paper.links[0].url])[0]


def entry(paper: Paper) -> str:
    """One ``@misc{id, ...}`` or ``@inproceedings{id, ...}`` entry."""
    fields = [("title", "{" + escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(escape(a) for a in paper.authors)))
    if paper.venue:
        fields.append(("booktitle", escape(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    fields.append(("url", _url(paper).replace("{", "%7B").replace("}", "%7D")))
    kind = "inproceedings" if paper.venue else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{paper.id},\n{body}}}\n"


def to_bibtex(papers: Sequence[Paper]) -> str:
    """Every paper as a BibTeX entry, separated by blank lines."""
    return "\n".join(entry(p) for p in papers)
