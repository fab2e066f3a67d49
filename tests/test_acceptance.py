"""Acceptance: one crawl of the corpus archives every gold article, each
duplicate group once, under the right site, with the gold's metadata."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, crawl

HOST_SITE = {"hebei-gov.test": "hebei-gov", "zjk-news.test": "zjk-news", "lf-news.test": "lf-news",
             "jl-repost.test": "jl-repost", "hd-news.test": "hd-news",
             "sjz-epaper.test": "sjz-epaper"}


def bigram_f1(got: str, want: str) -> float:
    def grams(s):
        s = "".join(s.split())
        return Counter(s[i:i + 2] for i in range(len(s) - 1))
    g, w = grams(got), grams(want)
    overlap = sum((g & w).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(g.values()), overlap / sum(w.values())
    return 2 * p * r / (p + r)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("acceptance")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, root)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return pd.read_parquet(root / "articles")


def rows_for(df: pd.DataFrame, gold: dict) -> pd.DataFrame:
    scores = df["text"].map(lambda t: bigram_f1(t, gold["text"]))
    return df[scores >= 0.9]


def test_every_gold_article_archived_once_per_dup_group(archive, gold, manifest):
    assert archive["content_hash"].is_unique
    for gid, g in gold.items():
        rows = rows_for(archive, g)
        originals = rows[rows["near_dup_of"].isna()]
        assert len(originals) == 1, (gid, rows[["url", "site", "near_dup_of"]].to_dict("records"))
        url = originals.iloc[0]["url"]
        carriers = [r["url"] for r in manifest["responses"] if gid in r["gold"]]
        assert url in carriers, (gid, url)
        assert originals.iloc[0]["site"] == HOST_SITE[url.split("/")[2]]


def test_archived_text_matches_gold(archive, gold):
    for gid, g in gold.items():
        row = rows_for(archive, g).sort_values("near_dup_of", na_position="first").iloc[0]
        assert bigram_f1(row["text"], g["text"]) >= 0.99, gid
        assert row["title"] == g["title"], gid
        assert (None if pd.isna(row["source"]) else row["source"]) == g["source"], gid
        assert list(row["authors"]) == g["authors"], gid


def test_published_is_what_the_page_states(archive, manifest):
    stated = {r["url"]: r["published"] for r in manifest["responses"] if r.get("published")}
    for _, row in archive.iterrows():
        want = stated[row["url"]]
        if "T" in want:
            assert row["published"].to_pydatetime() == dt.datetime.fromisoformat(want), row["url"]
        else:
            assert row["published"].date().isoformat() == want, row["url"]


def test_every_text_is_simplified_without_pinyin(archive):
    for text in archive["text"]:
        assert "(" not in text or "ī" not in text
        assert not any(ch in text for ch in "應對領導會議"), text[:60]
