"""Curating: sources turned into catalogue edits (``add``) and checks (``verify``)."""
