"""Last stage: article and sighting rows into the Parquet archive.

Layout (hive partitioning, ``pandas.read_parquet("archive/articles")`` loads all)::

    archive/articles/site=<id>/month=YYYY-MM/part-<run_id>-<worker>-<seq>.parquet
    archive/sightings/site=<id>/month=YYYY-MM/part-...parquet

``month`` is the article's publication month (Asia/Shanghai), or the fetch
month when the page states no date. Part files are written to a hidden
temporary name in the same directory, fsynced, then renamed into place; an
existing file is never opened for writing. Writes run in a thread, off the
reactor.

Integrity (see :mod:`pipelines.lock`, :mod:`pipelines.integrity`):

* the pipeline takes the archive lock when it is built, before any stage
  reads the archive, and keeps it until the engine stops; a second run waits
  ``ARCHIVE_LOCK_WAIT`` seconds (default 0) and then fails with a message
  naming the run that holds it. Workers of a distributed crawl
  (``DEDUP_STORE=redis``) share the lock (``ARCHIVE_LOCK_MODE``: auto |
  exclusive | shared);
* at start, leftovers of a killed run (hidden temporary part files, an
  unfinished compaction) are removed or completed, each one logged; finished
  part files are never touched, corrupt ones included;
* an article row is always on disk before its sighting (a flush writes every
  buffered article row first), so a run killed at any moment never leaves a
  sighting, which makes the next run skip the URL, without its article.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import itertools
import socket
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scrapy import signals

from pipelines import schema
from pipelines.contenthash import content_hash
from pipelines.extract.metadata import TZ as CN
from pipelines.lock import ArchiveLock, ArchiveLocked, ArchiveUnavailable

logger = logging.getLogger(__name__)
TMP_PREFIX = ".tmp-"
CORRUPT_PREFIX = "_corrupt-"   # an unreadable part file moved aside (archive-check --quarantine)


def month_of(published: dt.datetime | None, fetched_at: dt.datetime) -> str:
    """
    >>> month_of(dt.datetime(2022, 3, 31, 23, 0, tzinfo=CN), dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    '2022-03'
    >>> month_of(None, dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.timezone.utc))
    '2026-02'
    """
    when = published or fetched_at
    return when.astimezone(CN).strftime("%Y-%m")


def write_part(directory: Path, name: str, table: pa.Table) -> Path:
    """Write ``table`` as ``directory/name`` atomically (temp file, fsync, rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    if final.exists():
        raise FileExistsError(f"{final} exists; part files are never rewritten")
    tmp = directory / f"{TMP_PREFIX}{name}"
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def log_unreadable(who: str, path: Path, error: Exception) -> None:
    """One line for a part file that cannot be read: skipped, left as it is,
    and what to do about it (pandas cannot read its table while it is there)."""
    logger.error("%s: skipping unreadable part file %s: %s (pandas.read_parquet of the table "
                 "fails while it is there: `scrapy archive-check --quarantine` moves it aside)",
                 who, path, error)


def part_files(root: Path) -> list[Path]:
    """Every finished part file below ``root`` (temporary files excluded)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.parquet") if not p.name.startswith((".", "_")))


def sighting_key(url: str, run_id: str, content_hash: str) -> int:
    """One fetch's sighting: a run fetches an article URL once. (Not
    ``fetched_at``: a replay's is the WARC record's date, a moment apart.)"""
    return hash((url, run_id, content_hash))


def sighting_keys(sightings: Path, sites) -> set[int]:
    """The sightings already archived of these sites (unreadable part files
    logged and skipped)."""
    keys: set[int] = set()
    for site in sorted(sites):
        for path in part_files(sightings / f"site={site}"):
            try:
                cols = pq.read_table(path, columns=["url", "run_id", "content_hash"]).to_pydict()
            except Exception as e:  # noqa: BLE001 - a corrupt file must not stop the run
                log_unreadable("archive", path, e)
                continue
            keys.update(map(sighting_key, cols["url"], cols["run_id"], cols["content_hash"]))
    return keys


def to_table(rows: list[dict], table_schema: pa.Schema) -> pa.Table:
    columns = {f.name: [r.get(f.name) for r in rows] for f in table_schema}
    return pa.Table.from_pydict(columns, schema=table_schema)


def worker_id(settings) -> str:
    """This process's name in part files: ``ARCHIVE_WORKER_ID`` or ``<hostname>-<pid>``."""
    return settings.get("ARCHIVE_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"


class ArchivePipeline:
    """Buffers rows per partition; when a buffer reaches ``flush_rows``, when
    all buffers together hold ``max_buffered`` rows (a crawl touching many
    sites and months, whose partitions each fill slowly), and at the end of
    the run, writes every buffered article row, then the sightings."""

    def __init__(self, root: str | Path, run_id: str, worker: str, flush_rows: int = 500,
                 sites: dict | None = None, stats=None, lock: ArchiveLock | None = None,
                 max_buffered: int = 5000, skip_known_sightings: bool = False):
        self.root = Path(root)
        self.run_id = run_id
        self.worker = worker
        self.flush_rows = flush_rows
        self.max_buffered = max_buffered   # 0: no bound on all buffers together
        self._buffered = 0
        self._flush_at = max_buffered       # raised after a failed write: no retry per item
        self.sites = sites or {}
        self.stats = stats
        self.lock = lock
        self._buffers: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self._seq = itertools.count(1)
        # a replay (scrapy reprocess) into an archive that holds its fetches
        # already: their sightings are not written a second time
        self.skip_known_sightings = skip_known_sightings
        self._known_sightings: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        worker = worker_id(s)
        run_id = s.get("RUN_ID") or "norun"
        root = s.get("ARCHIVE_DIR", "archive")
        mode = (s.get("ARCHIVE_LOCK_MODE") or "auto").lower()
        if mode not in ("auto", "exclusive", "shared"):
            raise ValueError(f"ARCHIVE_LOCK_MODE must be auto, exclusive or shared, not {mode!r}")
        shared = mode == "shared" or (mode == "auto" and
                                      (s.get("DEDUP_STORE") or "memory").lower() == "redis")
        lock = ArchiveLock(root, owner=run_id, wait=s.getfloat("ARCHIVE_LOCK_WAIT", 0),
                           shared=shared)
        o = cls(root, run_id, worker, s.getint("ARCHIVE_FLUSH_ROWS", 500),
                getattr(crawler.spider, "sites", None), crawler.stats, lock,
                s.getint("ARCHIVE_MAX_BUFFERED_ROWS", 5000),
                s.getbool("ARCHIVE_SKIP_KNOWN_SIGHTINGS"))
        o.take_lock()
        crawler.signals.connect(o.engine_stopped, signal=signals.engine_stopped)
        return o

    def take_lock(self) -> None:
        """Lock the archive and clean up after killed runs.

        Called while the engine is being built: before any component's
        open_spider reads the archive (the dedup state, the spider's known
        URLs), which Scrapy runs concurrently. A refused run fails before its
        spider opens, writes nothing and exits non-zero. Leftovers are cleaned
        only while the lock is held exclusively (no one else is writing).
        """
        from pipelines.integrity import clean_leftovers

        if self.lock.wait > 0:
            logger.info("archive: waiting up to %g s for the lock on %s", self.lock.wait, self.root)
        try:
            self.lock.acquire()
        except ArchiveLocked as e:
            logger.error("archive: run refused: %s", e)
            raise
        except OSError as e:   # not a directory, not writable, no space...
            logger.error("archive: cannot use %s: %s", self.root.absolute(), e)
            raise ArchiveUnavailable(f"cannot use {self.root}: {e}") from e
        if self.lock.exclusive:
            clean_leftovers(self.root)
        else:
            logger.info("archive: other workers are writing %s; leftovers are cleaned by the "
                        "next run that finds it idle", self.root)
        if self.lock.shared:
            self.lock.downgrade()
        logger.info("archive: locked %s (%s) for run %s", self.root.absolute(),
                    "shared" if self.lock.shared else "exclusive", self.run_id)

    async def open_spider(self) -> None:
        if self.skip_known_sightings:
            self._known_sightings = await asyncio.to_thread(
                sighting_keys, self.root / "sightings", self.sites)
            logger.info("archive: %d sightings already archived are not written again",
                        len(self._known_sightings))

    def engine_stopped(self) -> None:
        if self.lock is not None:
            self.lock.release()

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, n)

    def rows_for(self, item) -> tuple[list[dict], list[dict]]:
        site = self.sites.get(item.site)
        articles, sightings = [], []
        for a in item.articles:
            if not a.get("content_hash"):   # dedup stage disabled
                a["content_hash"] = content_hash(a["text"])
            published = a.get("published")
            month = month_of(published, item.fetched_at)
            common = {"fetched_at": item.fetched_at, "run_id": item.run_id,
                      "schema_version": schema.SCHEMA_VERSION,
                      "_site": item.site, "_month": month}
            if self._known_sightings and sighting_key(
                    a["url"], item.run_id, a["content_hash"]) in self._known_sightings:
                self._inc("archive/sightings_known")
            else:
                sightings.append({**common, "url": a["url"], "content_hash": a["content_hash"],
                                  "duplicate": bool(a.get("duplicate")),
                                  "near_dup_of": a.get("near_dup_of"), "published": published})
            if a.get("duplicate"):
                continue
            articles.append({
                **a, **common,
                "region": site.region if site else None,
                "level": site.level if site else None,
                "encoding": item.encoding, "encoding_source": item.encoding_source,
                "warc_file": item.warc_file, "warc_record_id": item.warc_record_id})
        return articles, sightings

    async def process_item(self, item):
        articles, sightings = self.rows_for(item)
        full = False
        for kind, rows in (("articles", articles), ("sightings", sightings)):
            for row in rows:
                key = (kind, row["_site"], row["_month"])
                self._buffers[key].append(row)
                full = full or len(self._buffers[key]) >= self.flush_rows
        self._buffered += len(articles) + len(sightings)
        for a in articles:
            self._inc(f"site/{item.site}/articles_new")
        if full or (self.max_buffered and self._buffered >= self._flush_at):
            self._keep(await asyncio.to_thread(self._write, self._take()))
            # after a failure, the kept rows alone would trigger a write on every item
            self._flush_at = self._buffered + self.max_buffered
        return item

    def _keep(self, unwritten: list) -> None:
        """Rows of a failed write go back into the buffers for the next flush."""
        for key, rows in unwritten:
            self._buffers[key][:0] = rows
            self._buffered += len(rows)

    def _take(self) -> list:
        """Every buffer, article buffers first."""
        due = sorted(self._buffers.items(), key=lambda kv: kv[0][0] != "articles")
        self._buffers.clear()
        self._buffered = 0
        return due

    async def close_spider(self):
        due = self._take()
        if due:
            unwritten = await asyncio.to_thread(self._write, due)
            if unwritten:  # one more try, e.g. after a transient disk error
                self._keep(await asyncio.to_thread(self._write, unwritten))
            lost = sum(len(rows) for rows in self._buffers.values())
            if lost:   # the crawl exits 6 (crawler.commands.crawl)
                self._inc("archive/rows_lost", lost)
                logger.error("archive: %d rows could not be written; their pages will be "
                             "fetched again by the next run", lost)

    def _write(self, due: list) -> list:
        """Write the buffers in order; on the first failure stop (so no sighting
        reaches disk before its article) and return what was not written."""
        for i, ((kind, site, month), rows) in enumerate(due):
            table_schema = schema.ARTICLES if kind == "articles" else schema.SIGHTINGS
            name = f"part-{self.run_id}-{self.worker}-{next(self._seq):05d}.parquet"
            directory = self.root / kind / f"site={site}" / f"month={month}"
            try:
                path = write_part(directory, name, to_table(rows, table_schema))
            except Exception as e:  # noqa: BLE001 - OSError, Arrow errors: keep the rows
                logger.error("archive: writing %d %s rows to %s failed: %s", len(rows), kind,
                             directory, e)
                self._inc("archive/write_errors")
                return due[i:]
            self._inc("archive/rows_written" if kind == "articles" else "archive/sightings_written",
                      len(rows))
            self._inc("archive/files_written")
            logger.info("archive: wrote %d %s rows to %s", len(rows), kind, path)
        return []
