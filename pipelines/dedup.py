"""Pipeline stage 3: content hash, exact duplicates and near-duplicates.

Every article has ``content_hash`` (:mod:`pipelines.contenthash`, the one
definition), computed with its near-duplicate signature in the extraction
worker. The hash goes into the dedup store (:mod:`pipelines.store`) with
one atomic check-and-add; when it was there already (this run, an earlier run
in the archive, or another worker sharing a Redis store) the article is marked
``duplicate=True`` and the archive stage writes only its sighting, no article
row.

A new article is then checked for near-duplicates (:mod:`pipelines.neardup`):
when it is the same text with another footer or a changed sentence it gets
``near_dup_of`` = the content hash of the first article seen of its group. It
is still archived.

At start (``open_spider``, after the archive pipeline took the archive lock)
the store is filled from the archive's ``content_hash`` column and the
near-duplicate index from the ``minhash`` column: column reads, never whole
files. Unreadable part files are logged and skipped.

Stats: ``dedup/loaded``, ``dedup/duplicates``, ``dedup/near_duplicates``, and
per site ``site/<id>/duplicates``, ``site/<id>/near_duplicates``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.exceptions import NotConfigured

from pipelines.archive import log_unreadable, part_files
from pipelines.contenthash import content_hash
from pipelines.neardup import MIN_SCHEMA_VERSION, NUM_PERM, THRESHOLD, NearDupIndex
from pipelines.store import MemoryStore, NearLog, store_from_settings

logger = logging.getLogger(__name__)

__all__ = ["DedupPipeline", "MemoryStore", "hash_chunks", "load_columns", "load_hashes"]


def _read_columns(path: Path, columns: list[str]) -> pa.Table | None:
    try:
        schema = pq.read_schema(path)
        present = [c for c in columns if c in schema.names]
        return pq.read_table(path, columns=present, use_threads=False)
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types on a bad file
        log_unreadable("dedup", path, e)
        return None


def load_columns(archive_dir: str | Path, columns: list[str], dataset: str = "articles",
                 threads: int = 8) -> list[pa.Table]:
    """The given columns of every readable part file of ``archive/<dataset>``,
    one table per file in path order. Files are read in parallel threads
    (pyarrow releases the GIL); a file lacking a column gives a table without it."""
    return [t for _, t in load_columns_by_file(archive_dir, columns, dataset, threads)]


def load_columns_by_file(archive_dir: str | Path, columns: list[str], dataset: str = "articles",
                         threads: int = 8) -> list[tuple[Path, pa.Table]]:
    """Like :func:`load_columns`, with the path of each table's file."""
    files = part_files(Path(archive_dir) / dataset)
    if not files:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(files)))) as pool:
        tables = pool.map(lambda p: _read_columns(p, columns), files)
        return [(p, t) for p, t in zip(files, tables) if t is not None]


def hash_chunks(archive_dir: str | Path):
    """The archived articles' content hashes, one list per part file
    (the ``content_hash`` column only)."""
    for table in load_columns(archive_dir, ["content_hash"]):
        if "content_hash" in table.column_names:
            yield table.column("content_hash").to_pylist()


def load_hashes(archive_dir: str | Path, store=None):
    """Every archived article's content hash, added to ``store`` (a new
    MemoryStore by default), which is returned."""
    store = MemoryStore() if store is None else store
    for chunk in hash_chunks(archive_dir):
        store.update(chunk)
    return store


def load_near_rows(archive_dir: str | Path, signer=None):
    """(content_hash, minhash, near_dup_of) of archived articles, for
    NearDupIndex.load. Rows written before schema version 3 carry no
    signature or one of an older scheme: with ``signer`` their signature is
    recomputed from the text (read only for those files), else they are left out."""
    columns = ["content_hash", "minhash", "near_dup_of", "schema_version"]
    for path, table in load_columns_by_file(archive_dir, columns):
        yield from _near_rows(path, table, signer)


def _near_rows(path: Path, table: pa.Table, signer):
    n = table.num_rows
    hashes = table.column("content_hash").to_pylist()
    near = (table.column("near_dup_of").to_pylist() if "near_dup_of" in table.column_names
            else [None] * n)
    versions = (table.column("schema_version").to_pylist()
                if "schema_version" in table.column_names else [1] * n)
    sigs = (table.column("minhash").to_pylist() if "minhash" in table.column_names
            else [None] * n)
    old = [i for i, v in enumerate(versions) if (v or 1) < MIN_SCHEMA_VERSION]
    if old:
        texts = _read_columns(path, ["text"]) if signer is not None else None
        if texts is None or "text" not in texts.column_names:
            for i in old:
                sigs[i] = None
        else:
            text = texts.column("text")
            for i in old:
                sigs[i] = signer.sign(text[i].as_py() or "")
            logger.info("dedup: %d near-duplicate signatures of %s re-signed (written by "
                        "schema version < %d)", len(old), path, MIN_SCHEMA_VERSION)
    yield from zip(hashes, sigs, near)


def _tee_into(store, chunks):
    for chunk in chunks:
        store.update(chunk)
        yield chunk


def _log_publish_failure(future) -> None:
    if future.exception() is not None:
        logger.error("dedup: near-duplicate entries not shared with the other workers: %r "
                     "(their near-duplicates of these articles go unlinked)", future.exception())


class DedupPipeline:
    def __init__(self, store, archive_dir: str | Path | None = None, stats=None,
                 near: NearDupIndex | None = None):
        self.store = store
        self.archive_dir = Path(archive_dir) if archive_dir else None
        self.stats = stats
        self.near = near
        # a remote store's round trips: one thread, so pages are judged in the
        # order they came (a duplicate never before its original)
        self._store_thread: ThreadPoolExecutor | None = None
        # distributed: the other workers' new articles reach this near-duplicate
        # index through a shared log (pipelines.store.NearLog), read with each
        # page's round trip
        self.near_log = None
        self._indexed: set[str] = set()   # hashes of the shared log indexed here

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("DEDUP_ENABLED", True):
            raise NotConfigured("DEDUP_ENABLED is off")
        near = None
        if s.getbool("DEDUP_NEAR_ENABLED", True):
            near = NearDupIndex(s.getfloat("DEDUP_NEAR_THRESHOLD", THRESHOLD),
                                s.getint("DEDUP_NEAR_NUM_PERM", NUM_PERM))
        o = cls(store_from_settings(s), s.get("ARCHIVE_DIR"), crawler.stats, near)
        key = s.get("DEDUP_NEAR_REDIS_KEY")
        if near is not None and key and getattr(o.store, "remote", False):
            o.near_log = NearLog(o.store.client, key)
        o.crawler = crawler
        return o

    async def open_spider(self):
        if self.archive_dir is None:
            return
        await asyncio.to_thread(self.load)

    def load(self) -> None:
        """Fill the store (and the near-duplicate index) from the archive."""
        t0 = time.monotonic()
        n = sum(len(chunk) for chunk in _tee_into(self.store, hash_chunks(self.archive_dir)))
        t1 = time.monotonic()
        logger.info("dedup: %d archived content hashes loaded from %s in %.2f s "
                    "(store now holds %d)", n, self.archive_dir, t1 - t0, len(self.store))
        if self.stats is not None:
            self.stats.set_value("dedup/loaded", n)
        if self.near is not None:
            n = self.near.load(load_near_rows(self.archive_dir, self.near.signer))
            logger.info("dedup: %d MinHash signatures indexed for near-duplicates in %.2f s",
                        n, time.monotonic() - t1)

    def _inc(self, key: str, site: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"dedup/{key}")
            self.stats.inc_value(f"site/{site}/{key}")

    def process_item(self, item):
        """The item with ``duplicate`` (and near-duplicate columns) set on each
        article; with a remote store (Redis), a coroutine that makes the
        store's round trip in a thread, off the reactor (one thread: round
        trips and judgements keep the order the pages came in)."""
        hashes = []
        for article in item.articles:
            # computed by the extraction worker; here only when a record lacks it
            article["content_hash"] = article.get("content_hash") or content_hash(article["text"])
            hashes.append(article["content_hash"])
        if self.store.remote:
            if self._store_thread is None:
                self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="dedup-store")
            added = self._store_thread.submit(self._round_trip, hashes)   # FIFO
            return self._judge_after(item, added)
        return self._judge(item, self.store.add_many(hashes))

    def close_spider(self):
        if self._store_thread is not None:
            self._store_thread.shutdown(wait=False)   # every page was judged already
            self._store_thread = None

    def _round_trip(self, hashes: list[str]):
        """In the store thread: the check-and-add, and what the other workers
        indexed since the last page."""
        added = self.store.add_many(hashes)
        return added, (self.near_log.read_new() if self.near_log is not None else [])

    async def _judge_after(self, item, pending):
        added, shared = await asyncio.wrap_future(pending)
        for h, root, sig in shared:   # other workers' articles (ours are known)
            if h not in self._indexed and len(sig) == 4 * self.near.num_perm:
                self._indexed.add(h)
                self.near.add(h, self.near.from_bytes(sig), root)
        item = self._judge(item, added)
        if self.near_log is not None:
            mine = [(a["content_hash"], a.get("near_dup_of"), a["minhash"])
                    for a in item.articles if not a["duplicate"] and a.get("minhash")]
            self._indexed.update(h for h, _, _ in mine)
            self._store_thread.submit(self.near_log.publish, mine).add_done_callback(
                _log_publish_failure)
        return item

    def _judge(self, item, added: list[bool]):
        for article, new in zip(item.articles, added):
            h = article["content_hash"]
            article["duplicate"] = not new
            if article["duplicate"]:
                self._inc("duplicates", item.site)
                if self.near is not None:
                    article["near_dup_of"] = self.near.root_of(h)
                logger.info("dedup: %s is a duplicate of content %s (no article row, "
                            "sighting kept)", item.url, h[:12])
                continue
            if self.near is not None:
                article["near_dup_of"], article["minhash"] = self.near.check_and_add(
                    h, article.get("minhash"), article["text"])
                if article["near_dup_of"]:
                    self._inc("near_duplicates", item.site)
                    logger.info("dedup: %s is a near-duplicate of content %s (archived with "
                                "near_dup_of)", item.url, article["near_dup_of"][:12])
        return item
