"""Dedup targets on the bundled corpus (real crawls).

000 is on three URLs: the Simplified original, a Traditional+pinyin repost and
a Simplified repost with other footers; 002a on the original and the e-paper.
Whether the footer repost gets its own row (``near_dup_of`` set) or shares the
original's row depends on extraction: when the footers are stripped the texts
are identical and so are the hashes. Both are accepted; a third outcome (a
row of its own with no link to the original) is not.
"""

from __future__ import annotations

import pandas as pd
import pytest

from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, crawl

ORIGINAL = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
TRAD_PINYIN = "http://zjk-news.test/news/hbxw/2022-03/24/content_486512.htm"
FOOTER = "http://lf-news.test/hbyw/202203/t20220324_5098765.html"
A002 = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
A002_EPAPER = "http://sjz-epaper.test/html/2022-03/29/content_123456.htm"


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    archive = tmp_path_factory.mktemp("corpus") / "archive"
    with CorpusServer(CORPUS) as server:
        first = crawl(server.url, archive)
        assert first.returncode == 0, first.stderr[-3000:]
        after_first = (pd.read_parquet(archive / "articles"), pd.read_parquet(archive / "sightings"))
        second = crawl(server.url, archive, "-a", "full=1")
        assert second.returncode == 0, second.stderr[-3000:]
    return archive, after_first


def hash_of(sightings: pd.DataFrame, url: str) -> str:
    hashes = set(sightings.loc[sightings["url"] == url, "content_hash"])
    assert len(hashes) == 1, (url, hashes)
    return hashes.pop()


def group_root(articles: pd.DataFrame, h: str) -> str:
    row = articles.loc[articles["content_hash"] == h]
    assert len(row) == 1, h
    near = row["near_dup_of"].iloc[0]
    return near if isinstance(near, str) else h


def test_traditional_pinyin_repost_shares_the_original_row(twice):
    archive, (articles, sightings) = twice
    h = hash_of(sightings, ORIGINAL)
    assert hash_of(sightings, TRAD_PINYIN) == h
    assert (articles["content_hash"] == h).sum() == 1
    assert (sightings["content_hash"] == h).sum() >= 2


def test_footer_repost_same_row_or_near_dup_of_original(twice):
    _, (articles, sightings) = twice
    original, footer = hash_of(sightings, ORIGINAL), hash_of(sightings, FOOTER)
    if footer != original:
        assert group_root(articles, footer) == group_root(articles, original)


def test_epaper_copy_of_002a_shares_its_row_or_group(twice):
    _, (articles, sightings) = twice
    a, b = hash_of(sightings, A002), hash_of(sightings, A002_EPAPER)
    assert a == b or group_root(articles, a) == group_root(articles, b)


def test_one_group_per_gold_article(twice):
    _, (articles, _) = twice
    roots = articles[articles["near_dup_of"].isna()]
    assert len(roots) == 6        # 000, 001, 002a, 002b, 003, 004


def test_second_full_run_adds_sightings_not_articles(twice):
    archive, (articles, sightings) = twice
    assert len(pd.read_parquet(archive / "articles")) == len(articles)
    again = pd.read_parquet(archive / "sightings")
    assert len(again) >= 2 * len(sightings)
    assert set(again["content_hash"]) == set(articles["content_hash"])
