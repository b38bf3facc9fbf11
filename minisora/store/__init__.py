"""Files on disk: safe YAML reading, locked atomic writes, the house style, caches."""
