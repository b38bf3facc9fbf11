"""Write a realistic synthetic catalogue of N papers, for the scale benchmarks.

    python benchmarks/make_catalogue.py 10000 > /tmp/papers-10k.yaml
    python benchmarks/make_catalogue.py 100000 --output /tmp/papers-100k.yaml

Varied English titles, Chinese category names and tags, 1-5 links per paper of every kind,
unique arXiv ids consistent with their links and years, 20 categories, some papers listed in
several categories. The same N always gives the same file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

CATEGORIES = [
    ("Diffusion Model", "扩散模型"),
    ("Diffusion Transformer", "扩散 Transformer"),
    ("Video Generation", "视频生成"),
    ("Long-context", "长上下文"),
    ("Base Video Models", "基础视频模型"),
    ("Audio Generation", "音频生成"),
    ("Video Editing", "视频编辑"),
    ("3D Generation", "三维生成"),
    ("World Models", "世界模型"),
    ("Evaluation", "评测"),
    ("Datasets", "数据集"),
    ("Efficient Inference", "高效推理"),
    ("Tokenizers", "视觉分词器"),
    ("Super Resolution", "超分辨率"),
    ("Motion Control", "运动控制"),
    ("Image-to-Video", "图生视频"),
    ("Text-to-Image", "文生图"),
    ("Autoregressive Models", "自回归模型"),
    ("Consistency Models", "一致性模型"),
    ("Surveys", "综述"),
]
ADJECTIVES = [
    "Scalable",
    "Efficient",
    "Latent",
    "Hierarchical",
    "Controllable",
    "Masked",
    "Conditional",
    "Zero-Shot",
    "Long",
    "High-Resolution",
    "Consistent",
    "Temporal",
    "Adaptive",
    "Unified",
    "Sparse",
    "Cascaded",
    "Personalized",
    "Interactive",
]
NOUNS = [
    "Diffusion",
    "Transformers",
    "Video Synthesis",
    "World Models",
    "Flow Matching",
    "Attention",
    "Autoencoders",
    "Tokenizers",
    "Motion Priors",
    "Score Models",
    "Video Prediction",
    "Text-to-Video Generation",
    "Image Animation",
    "Camera Control",
]
TAILS = [
    "with Transformers",
    "for Video Generation",
    "at Scale",
    "without Specific Tuning",
    "via Cascaded Diffusion Models",
    "in Latent Space",
    "from Text",
    "for Long Videos",
    "with Million-Length Context",
    "Beat GANs",
    "for Zero-Shot Editing",
]
TAGS = ["survey", "benchmark", "开源", "技术报告", "dataset", "code", "视频", "text-to-video"]
SURNAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Chen",
    "Liu",
    "Peebles",
    "Xie",
    "Ho",
    "Song",
    "Rombach",
    "Esser",
    "Blattmann",
    "Ma",
    "Zhou",
    "Huang",
    "Yang",
]
KINDS = ["github", "modelscope", "project", "blog"]


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def paper(i: int, rng: random.Random) -> str:
    year = 2015 + i % 11
    arxiv = f"{year % 100:02d}{1 + i % 12:02d}.{10000 + i // 132:05d}"
    title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(TAILS)}"
    short = f"{rng.choice(NOUNS).split()[0][:4]}{i}"
    category = _slug(CATEGORIES[i % len(CATEGORIES)][0])
    lines = [
        f"  - id: p{i}-{_slug(short)}",
        f"    short_name: {short}",
        f"    title: '{title} ({i})'",
        f"    category: {category}",
    ]
    if i % 7 == 0:
        lines.append(f"    also_in: [{_slug(CATEGORIES[(i + 3) % len(CATEGORIES)][0])}]")
    authors = ", ".join(rng.sample(SURNAMES, k=1 + i % 4))
    lines += [f"    year: {year}", f"    arxiv_id: '{arxiv}'", f"    authors: [{authors}]"]
    if i % 5 == 0:
        lines.append(f"    tags: [{', '.join(rng.sample(TAGS, k=2))}]")
    lines.append("    links:")
    lines.append(f"      - {{kind: paper, url: https://arxiv.org/abs/{arxiv}}}")
    for kind in rng.sample(KINDS, k=i % 5):
        host = {
            "github": "github.com/lab",
            "modelscope": "modelscope.cn/models/lab",
            "project": f"p{i}.github.io",
            "blog": "example.org/blog",
        }[kind]
        lines.append(f"      - {{kind: {kind}, url: https://{host}/{_slug(short)}-{i}}}")
    return "\n".join(lines)


def catalogue(n: int) -> str:
    rng = random.Random(n)
    cats = "\n".join(
        f"  - {{id: {_slug(en)}, name_en: {en}, name_zh: {zh}}}" for en, zh in CATEGORIES
    )
    plan = ", ".join(f"p{i}-" + _slug(f"x{i}") for i in ())  # filled below
    papers = [paper(i, rng) for i in range(n)]
    first = [p.split("\n", 1)[0].split("id: ", 1)[1] for p in papers[:3]]
    plan = ", ".join(first)
    return (
        f"# Synthetic catalogue of {n} papers (benchmarks/make_catalogue.py)\n"
        f"categories:\n{cats}\n\nreading_plan: [{plan}]\n\npapers:\n" + "\n\n".join(papers) + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args()
    text = catalogue(args.n)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
