from __future__ import annotations

import pytest

from minisora.core.arxiv_ids import abs_url, arxiv_id_from_url, is_pdf_url, year_of


@pytest.mark.parametrize(
    ("url", "expected", "pdf"),
    [
        ("https://arxiv.org/abs/2212.09748", "2212.09748", False),
        ("https://arxiv.org/pdf/2401.11605v1.pdf", "2401.11605", True),
        ("https://arxiv.org/pdf/2401.07872", "2401.07872", True),
        ("http://www.arxiv.org/abs/1707.04993v3", "1707.04993", False),
        ("https://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001", False),
        ("https://arxiv.org/html/2402.12376v2", "2402.12376", False),
        ("https://github.com/openai/guided-diffusion", None, False),
        ("https://arxiv.org/list/cs.CV/recent", None, False),
    ],
)
def test_arxiv_id_from_url(url: str, expected: str | None, pdf: bool) -> None:
    assert arxiv_id_from_url(url) == expected
    assert is_pdf_url(url) is pdf


def test_year_and_abs_url() -> None:
    assert year_of("2401.11605") == 2024
    assert year_of("hep-th/9901001") == 1999
    assert abs_url("2212.09748") == "https://arxiv.org/abs/2212.09748"
