"""Curating: round-trip edits of a catalogue file (``document``), sources turned into new
papers (``add``) and checks and fixes (``verify``)."""
