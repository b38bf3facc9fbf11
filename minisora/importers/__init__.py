"""Importers: existing lists in, catalogues out. ``markdown`` reads awesome-list READMEs."""
