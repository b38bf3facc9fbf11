"""Files on disk: safe YAML reading, atomic writes, the house style, round-trip edits, caches."""
