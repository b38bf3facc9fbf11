"""minisora: the Mini Sora community's catalogue of video-generation papers.

>>> from minisora import catalog
>>> cat = catalog.load()
>>> "DiT" in [p.short_name for p in cat.filter(category="Diffusion Transformer")]
True
"""

__version__ = "0.1.0"
