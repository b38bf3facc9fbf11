"""Pure rules: URLs, arXiv ids, naming, cross-entry checks. No I/O."""
