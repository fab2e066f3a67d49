"""Golden fixtures: raw body bytes + info + expected records, one test per field.

Each case in tests/fixtures/extraction/<case>/ holds the raw body (``body.html``,
or for corpus pages ``corpus_file`` in info.json naming the byte-identical page
in tests/corpus, so it is not stored twice), ``info.json`` (URL, Content-Type,
resolved encoding, site) and ``expected.json`` (the records after normalization: gold fields, the
date the page itself states, captions only where the page shows the photo).
Regenerate a case with ``scrapy extract --save-fixture DIR --url URL FILE``
and check it against the gold before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.sites import load_sites
from pipelines.extract import extract_articles, resolve
from pipelines.normalize import ArticleNormalizer
from tests.conftest import CORPUS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").exists())
FIELDS = ("url", "title", "subtitle", "text", "published", "published_rule", "source",
          "authors", "editor", "photographers", "captions")
# Fields normalization adds to a record; everything else must be one of FIELDS.
NORMALIZATION_FIELDS = {"text_original", "script_original", "repairs"}


def _load(case: str):
    """Body bytes (``body.html``, or the corpus page named by ``corpus_file``),
    info and expected record of one case."""
    d = FIXTURES / case
    info = json.loads((d / "info.json").read_text("utf-8"))
    body_file = d / "body.html"
    if not body_file.exists():
        body_file = CORPUS / "pages" / info["corpus_file"]
    return body_file.read_bytes(), info, json.loads((d / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[dict]]:
    sites = load_sites()
    normalize = ArticleNormalizer().normalize_article
    out = {}
    for case in CASES:
        body, info, _ = _load(case)
        site = sites.get(info["site"]) if info["site"] else None
        records = extract_articles(body, info["encoding"], info["url"], site)
        out[case] = [normalize(r.as_dict()) for r in records]
    return out


def test_every_corpus_site_has_a_fixture():
    sites = {json.loads((FIXTURES / c / "info.json").read_text("utf-8"))["site"] for c in CASES}
    assert sites == set(load_sites())


@pytest.mark.parametrize("case", CASES)
def test_encoding_resolves_as_recorded(case):
    body, info, _ = _load(case)
    assert resolve(body, info["content_type"]).encoding == info["encoding"]


@pytest.mark.parametrize("case", CASES)
def test_record_count(case, extracted):
    assert len(extracted[case]) == len(_load(case)[2])


@pytest.mark.parametrize("case", CASES)
def test_no_unexpected_fields(case, extracted):
    for record in extracted[case]:
        assert set(record) - NORMALIZATION_FIELDS == set(FIELDS)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES)
def test_field(case, field, extracted):
    expected = _load(case)[2]
    got = extracted[case]
    assert len(got) == len(expected)
    for record, want in zip(got, expected):
        value = record[field]
        if field == "published":
            assert value is not None and value.utcoffset() is not None
            value = value.isoformat()
        assert value == want[field], f"{case}: {field}"
