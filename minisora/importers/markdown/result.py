"""Drafts to a catalogue, and what an import reports: warnings per line, folds once."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from minisora.core.arxiv_ids import arxiv_id_from_url, year_of
from minisora.core.naming import free_slug, slugify
from minisora.core.schema_errors import findings_from_validation_error
from minisora.errors import CatalogError, Finding
from minisora.importers.markdown.rows import FOLDS, Importer
from minisora.models import CatalogFile
from minisora.store.house_style import to_yaml


@dataclass(frozen=True)
class ImportResult:
    """What an import found: the catalogue, every warning, how many rows and links it read, and
    how often each kind of redundancy was folded (``folds``: what -> count)."""

    catalog: CatalogFile
    warnings: tuple[Finding, ...]
    source: str
    rows: int
    links: int
    folds: dict[str, int] = field(default_factory=dict)

    def to_yaml(self) -> str:
        """The catalogue as ``papers.yaml`` text, with a header naming the source."""
        return to_yaml(self.catalog, header=f"Imported from {self.source} by `minisora import`.")

    def check(self) -> list[Finding]:
        """What ``minisora validate`` will find in the catalogue (without file and line yet)."""
        from minisora.core.rules import run

        return run(self.catalog)

    def summary(self) -> list[str]:
        """One line per kind of fold: ``22 arXiv links written as /pdf/ ... folded ...``."""
        return [f"{count} {FOLDS[what]}" for what, count in self.folds.items() if count]


def catalog(imp: Importer) -> CatalogFile:
    """The drafts as a validated catalogue file (ids made unique, arXiv ids and years filled)."""
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for draft in imp.drafts:
        base = slugify(draft.short_name or "") or slugify(" ".join(draft.title.split()[:6]))
        paper_id = free_slug(base or "paper", taken)
        taken.add(paper_id)
        ids[id(draft)] = paper_id
    papers = []
    for draft in imp.drafts:
        arxiv = next(filter(None, (arxiv_id_from_url(link.url) for link in draft.links)), None)
        cats = list(dict.fromkeys(draft.categories))
        papers.append(
            {
                "id": ids[id(draft)],
                "title": draft.title or draft.links[0].url,
                "short_name": draft.short_name or None,
                "category": cats[0] if cats else None,
                "also_in": cats[1:],
                "year": draft.year or (year_of(arxiv) if arxiv else None),
                "arxiv_id": arxiv,
                "venue": draft.venue,
                "tags": list(dict.fromkeys(draft.tags)),
                "description": draft.description,
                "links": draft.links,
            }
        )
    data = {
        "categories": [
            {
                "id": cat_id,
                "name_en": imp.names[cat_id],
                "name_zh": imp.names_zh.get(cat_id, imp.names[cat_id]),
            }
            for cat_id in dict.fromkeys(imp.categories.values())
        ],
        "reading_plan": [ids[id(d)] for d in imp.plan],
        "papers": papers,
    }
    if not data["categories"]:
        data["categories"] = [{"id": "papers", "name_en": "Papers", "name_zh": "论文"}]
    try:
        return CatalogFile.model_validate(data)
    except ValidationError as exc:
        found = findings_from_validation_error(exc)
        raise CatalogError([Finding(imp.source, None, f.loc, f.message) for f in found]) from None
