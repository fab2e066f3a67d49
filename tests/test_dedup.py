"""Dedup stage on constructed inputs: content_hash, exact and near duplicates,
state loaded from the archive, and the 1 M-hash load (timed, not asserted)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time

import re
import unicodedata

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st

from crawler.items import Page
from pipelines.archive import ArchivePipeline
from pipelines.contenthash import content_hash, fold
from pipelines.dedup import DedupPipeline, load_hashes
from pipelines.neardup import NearDupIndex
from pipelines.store import MemoryStore
from tests.conftest import CORPUS

BODY = json.loads((CORPUS / "gold" / "000.json").read_text(encoding="utf-8"))["text"]
OTHER = json.loads((CORPUS / "gold" / "001.json").read_text(encoding="utf-8"))["text"]
FOOTER = "\n（责任编辑：张三）\n本网站所有内容版权所有，未经许可不得转载。冀ICP备12345678号"


def page(url: str, site: str, *texts: str, run_id: str = "r1") -> Page:
    return Page(url=url, site=site, status=200, headers={}, body=b"", encoding="utf-8",
                encoding_source="header", fetched_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                run_id=run_id,
                articles=[{"url": url, "text": t, "title": "t", "published": None} for t in texts])


class Stats(dict):
    def inc_value(self, key, n=1):
        self[key] = self.get(key, 0) + n

    def set_value(self, key, v):
        self[key] = v


def test_content_hash_folds_width_and_whitespace_only():
    assert content_hash("会议指出，要 加强。\n") == content_hash("会议指出,要加强。")
    assert content_hash("ＡＢＣ１２３") == content_hash("ABC123")
    assert content_hash("会议指出要加强") != content_hash("会议指出要加强。")
    assert content_hash("x") == hashlib.sha256(b"x").hexdigest()


@given(st.text(st.one_of(st.characters(), st.sampled_from("，：；（）！？\u3000ＡＢ１２ﬁ①㎡e\u0301"),
                        st.sampled_from("会议指出要加强。")), max_size=200))
def test_fold_is_nfkc_without_white_space(text):
    """fold's shortcut (common full-width forms replaced first) gives exactly
    the documented definition, on any text."""
    assert fold(text) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_exact_duplicates_across_sites_marked_and_counted():
    stats = Stats()
    dedup = DedupPipeline(MemoryStore(), stats=stats, near=NearDupIndex())
    first = dedup.process_item(page("http://a.test/1", "a", BODY)).articles[0]
    again = dedup.process_item(page("http://b.test/9", "b", BODY.replace("，", ",") + "\n")).articles[0]
    assert first["duplicate"] is False and again["duplicate"] is True
    assert first["content_hash"] == again["content_hash"]
    assert stats["dedup/duplicates"] == 1 and stats["site/b/duplicates"] == 1
    assert "site/a/duplicates" not in stats


def test_near_duplicate_kept_with_near_dup_of_first_seen():
    stats = Stats()
    dedup = DedupPipeline(MemoryStore(), stats=stats, near=NearDupIndex())
    orig = dedup.process_item(page("http://a.test/1", "a", BODY)).articles[0]
    footer = dedup.process_item(page("http://c.test/2", "c", BODY + FOOTER)).articles[0]
    edited = dedup.process_item(page("http://d.test/3", "d", BODY.replace("会议", "大会", 2)
                                     + FOOTER)).articles[0]
    other = dedup.process_item(page("http://e.test/4", "e", OTHER)).articles[0]
    assert orig["near_dup_of"] is None
    assert footer["duplicate"] is False and footer["near_dup_of"] == orig["content_hash"]
    # the group's root, not the closest member
    assert edited["near_dup_of"] == orig["content_hash"]
    assert other["near_dup_of"] is None
    assert stats["dedup/near_duplicates"] == 2 and stats["site/c/near_duplicates"] == 1
    assert len(footer["minhash"]) == 4 * 128


def test_two_articles_of_one_page_deduped_individually():
    dedup = DedupPipeline(MemoryStore(), near=None)
    item = dedup.process_item(page("http://a.test/p", "a", BODY, OTHER, BODY))
    assert [a["duplicate"] for a in item.articles] == [False, False, True]


def _archive(root, *items, run_id="r1"):
    async def go():
        arch = ArchivePipeline(root, run_id, "w", flush_rows=500, sites={})
        for item in items:
            await arch.process_item(item)
        await arch.close_spider()
    asyncio.run(go())


def test_state_loaded_from_archive_across_runs(tmp_path):
    run1 = DedupPipeline(MemoryStore(), tmp_path, near=NearDupIndex())
    run1.load()
    _archive(tmp_path, run1.process_item(page("http://a.test/1", "a", BODY)))
    run2 = DedupPipeline(MemoryStore(), tmp_path, stats=Stats(), near=NearDupIndex())
    run2.load()
    assert run2.stats["dedup/loaded"] == 1
    dup = run2.process_item(page("http://b.test/1", "b", BODY, run_id="r2"))
    near = run2.process_item(page("http://c.test/1", "c", BODY + FOOTER, run_id="r2"))
    assert dup.articles[0]["duplicate"] is True
    assert near.articles[0]["duplicate"] is False
    assert near.articles[0]["near_dup_of"] == content_hash(BODY)
    _archive(tmp_path, dup, near, run_id="r2")
    # run 3: the near-duplicate's row and signature came back from the archive;
    # an exact copy of it is a duplicate whose sighting names the group root
    run3 = DedupPipeline(MemoryStore(), tmp_path, near=NearDupIndex())
    run3.load()
    again = run3.process_item(page("http://d.test/1", "d", BODY + FOOTER)).articles[0]
    assert again["duplicate"] is True and again["near_dup_of"] == content_hash(BODY)


def test_load_hashes_skips_corrupt_file_without_touching_it(tmp_path, caplog):
    d = tmp_path / "articles" / "site=a" / "month=2022-03"
    d.mkdir(parents=True)
    pq.write_table(pa.table({"content_hash": ["h1", "h2"], "text": ["x", "y"]}), d / "part-1.parquet")
    bad = d / "part-2.parquet"
    bad.write_bytes(b"PAR1 truncated")
    store = load_hashes(tmp_path)
    assert len(store) == 2 and "h1" in store and "h2" in store
    assert bad.read_bytes() == b"PAR1 truncated"
    assert str(bad) in caplog.text


def test_load_one_million_hashes(tmp_path):
    """Benchmark figure for the README: printed, not asserted (machines differ)."""
    n, files = 1_000_000, 200
    per = n // files
    for f in range(files):
        d = tmp_path / "articles" / f"site=s{f % 6}" / f"month=2022-{f % 12 + 1:02d}"
        d.mkdir(parents=True, exist_ok=True)
        hashes = [hashlib.sha256(str(f * per + i).encode()).hexdigest() for i in range(per)]
        pq.write_table(pa.table({"content_hash": hashes, "text": ["正文" * 50] * per}),
                       d / f"part-{f:05d}.parquet", compression="zstd")
    t0 = time.perf_counter()
    store = load_hashes(tmp_path, MemoryStore())
    elapsed = time.perf_counter() - t0
    print(f"\nBENCH dedup load: {len(store):,} hashes from {files} part files in {elapsed:.2f} s")
    assert len(store) == n
