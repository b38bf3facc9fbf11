"""Files on disk: safe YAML reading, locked atomic writes, house style, round-trip edits, caches."""
