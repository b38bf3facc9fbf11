"""minisora: the Mini Sora community's catalogue of video-generation papers.

>>> from minisora import catalog
>>> cat = catalog.load()
>>> [p.short_name for p in cat.filter(category="Diffusion Transformer")]
['UViT', 'DiT', 'SiT', 'FiT', 'k-diffusion']
"""

__version__ = "0.1.0"
