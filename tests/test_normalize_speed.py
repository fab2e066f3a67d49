"""Normalization costs at most 10% of extraction, and the t2s skip pays.

Best of several runs over the corpus article pages in this process, so a
busy machine slows both sides alike. ``make bench`` reports the same share
from a single pass over a larger generated corpus (``normalize_share``).
"""

from __future__ import annotations

import time

from opencc import OpenCC

from pipelines.extract import extract_articles
from pipelines.extract.encoding import decode
from pipelines.normalize import NormalizationPipeline, Normalizer
from tests.conftest import CORPUS

REPEAT = 5


def _best(fn) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _pages(manifest):
    seen, pages = set(), []
    for r in manifest["responses"]:
        if r["kind"] in ("article", "epaper_page") and r["file"] not in seen:
            seen.add(r["file"])
            body = (CORPUS / "pages" / r["file"]).read_bytes()
            pages.append((r["url"], body, decode(body, r["headers"].get("Content-Type")).encoding))
    return pages


def test_normalization_is_at_most_a_tenth_of_extraction(manifest):
    pages = _pages(manifest)
    extracted = {}

    def extract():
        for url, body, encoding in pages:
            extracted[url] = [a.as_dict() for a in extract_articles(body, encoding, url)]

    extraction = _best(extract)
    stage = NormalizationPipeline()

    def normalize():   # fresh shallow copies: the stage rewrites the dicts
        for arts in extracted.values():
            for article in arts:
                stage.normalize_article(dict(article))

    normalization = _best(normalize)
    assert sum(map(len, extracted.values())) >= 10
    assert normalization <= 0.10 * extraction, (normalization, extraction)


def test_t2s_skip_saves_most_of_the_opencc_cost(gold):
    texts = [g["text"] for g in gold.values()]   # Simplified: t2s leaves them alone
    normalizer = Normalizer()
    converter = OpenCC("t2s")
    assert all(converter.convert(t) == t for t in texts)
    full = _best(lambda: [converter.convert(t) for t in texts])
    ours = _best(lambda: [normalizer.normalize(t) for t in texts])
    assert ours < full / 5, (ours, full)
