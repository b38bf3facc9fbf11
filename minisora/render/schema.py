"""The JSON Schema of ``papers.yaml``, made from the pydantic models, for editors and other tools.

The repository ships it as ``schema/papers.schema.json``; the first line of ``data/papers.yaml``
(``# yaml-language-server: $schema=../schema/papers.schema.json``) lets editors with the YAML
language server validate and complete entries while they are typed.
"""

from __future__ import annotations

import json
from typing import Any

from minisora.models import CatalogFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SHIPPED_PATH = "schema/papers.schema.json"


def schema() -> dict[str, Any]:
    """The schema as a dict."""
    body = CatalogFile.model_json_schema()
    body["title"] = "minisora catalogue (papers.yaml)"
    return {"$schema": DIALECT, **body}


def schema_json() -> str:
    """The schema as the JSON text that is shipped (stable key order, two-space indent)."""
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"
