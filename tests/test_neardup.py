"""The near-duplicate index itself: signatures, LSH lookups across merges of
its sorted arrays, first-seen order, and signatures of older archives."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

import numpy as np

from pipelines import schema
from pipelines.archive import to_table, write_part
from pipelines.contenthash import content_hash
from pipelines.dedup import DedupPipeline, load_near_rows
from pipelines.page import PageProcessor
from pipelines.neardup import RECENT_ROWS, NearDupIndex, Signer
from pipelines.store import MemoryStore

CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
         "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都")


def texts(n: int, length: int = 300, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(CHARS) for _ in range(length)) for _ in range(n)]


def h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def jaccard(a: str, b: str, k: int = 5) -> float:
    sa = {a[i:i + k] for i in range(len(a) - k + 1)}
    sb = {b[i:i + k] for i in range(len(b) - k + 1)}
    return len(sa & sb) / len(sa | sb)


def test_signature_estimates_jaccard_without_bias():
    signer = Signer()
    errors = []
    for i, text in enumerate(texts(60, 400, seed=1)):
        cut = 10 + 3 * i
        edited = text[:-cut] + "本网编辑张三版权所有"[: cut // 3]
        est = float(np.mean(signer.signature(text) == signer.signature(edited)))
        errors.append(est - jaccard(text, edited))
    assert abs(np.mean(errors)) < 0.02
    assert np.std(errors) < 0.06


def test_signature_ignores_width_and_whitespace_like_the_content_hash():
    signer = Signer()
    a, b = "会议指出，要 加强领导。\n推进工作", "会议指出,要加强领导。推进工作"
    assert content_hash(a) == content_hash(b)
    assert signer.sign(a) == signer.sign(b)
    assert len(signer.sign("")) == 4 * 128   # empty and short texts still sign


def test_near_duplicates_found_across_merges_in_first_seen_order():
    """Thousands of inserts (several merges of the sorted arrays): an edited
    copy of an early article, of one still in the recent dict, and of one
    that was merged, each points at the original; unrelated texts do not."""
    index = NearDupIndex()
    originals = texts(2 * RECENT_ROWS + 500, seed=2)
    for text in originals:
        root, sig = index.check_and_add(h(text), text=text)
        assert root is None and len(sig) == 4 * 128
    assert index._n_sorted >= 2 * RECENT_ROWS and len(index) > index._n_sorted   # merged and recent rows
    for pos in (0, RECENT_ROWS + 7, len(originals) - 3):
        edited = originals[pos][:-12] + "（责任编辑：张三）"
        root, _ = index.check_and_add(h(edited), text=edited)
        assert root == h(originals[pos]), pos
        # a further edit of the edited copy points at the group's root too
        again = edited.replace(edited[50:54], "会议召开")
        assert index.check_and_add(h(again), text=again)[0] == h(originals[pos])
    for text in texts(50, seed=3):
        assert index.check_and_add(h(text), text=text)[0] is None


def test_first_seen_article_wins_among_candidates():
    index = NearDupIndex()
    base = texts(1, 400, seed=4)[0]
    first, second = base + "甲乙丙", base + "丁戊己"
    index.check_and_add(h(first), text=first)
    index.check_and_add(h(second), text=second)   # near-dup of first
    third = base + "庚辛壬"
    assert index.check_and_add(h(third), text=third)[0] == h(first)


def test_loaded_index_answers_like_the_live_one():
    live = NearDupIndex()
    rows = []
    for text in texts(3000, seed=5):
        root, sig = live.check_and_add(h(text), text=text)
        rows.append((h(text), sig, root))
    loaded = NearDupIndex()
    assert loaded.load(rows) == len(rows)
    for text in texts(3000, seed=5)[::250]:
        probe = text[:-10] + "本网记者"
        assert loaded.find(loaded.signature(probe)) == live.find(live.signature(probe)) == h(text)


def test_worker_output_carries_hash_and_signature_of_the_normalized_text():
    para = "会议指出，要加强领导，推进各项工作落实，确保取得实效，切实维护人民群众利益。"
    html = ("<html><body><h1>會議召開</h1>" + "".join(f"<p>{para}{i}</p>" for i in range(5))
            + "</body></html>").encode("utf-8")
    status, records, encoding, source = PageProcessor()(html, "text/html; charset=utf-8",
                                                        "http://a.test/1.htm", None)
    assert status == "ok" and encoding == "utf-8" and source == "header"
    [record] = records
    assert record["content_hash"] == content_hash(record["text"])
    assert record["minhash"] == Signer().sign(record["text"])


def _v2_file(root, text: str, signature: bytes) -> None:
    """An articles part file as schema version 2 wrote it (another signature scheme)."""
    row = {"url": "http://a.test/old", "text": text, "content_hash": content_hash(text),
           "minhash": signature, "fetched_at": dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
           "run_id": "old", "schema_version": 2}
    table = to_table([row], schema.ARTICLES)
    table = table.replace_schema_metadata({"schema_version": "2"})
    write_part(root / "articles" / "site=a" / "month=2025-01", "part-old.parquet", table)


def test_signatures_of_schema_2_files_are_recomputed_from_the_text(tmp_path, caplog):
    old = texts(1, 500, seed=6)[0]
    _v2_file(tmp_path, old, np.arange(128, dtype="<u4").tobytes())   # a foreign scheme
    dedup = DedupPipeline(MemoryStore(), tmp_path, near=NearDupIndex())
    with caplog.at_level("INFO", logger="pipelines.dedup"):
        dedup.load()
    assert "re-signed" in caplog.text
    [(hash_, sig, _)] = list(load_near_rows(tmp_path, Signer()))
    assert hash_ == content_hash(old) and sig == Signer().sign(old)
    edited = old[:-15] + "（责任编辑：李四）"
    root, _ = dedup.near.check_and_add(content_hash(edited), text=edited)
    assert root == content_hash(old)
    # the file itself is untouched: still version 2 with its own signature
    import pyarrow.parquet as pq
    [part] = (tmp_path / "articles").rglob("part-old.parquet")
    assert pq.read_table(part).column("minhash")[0].as_py() == np.arange(128, dtype="<u4").tobytes()
