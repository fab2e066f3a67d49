"""Pipeline stage 1: page bytes -> article records (see pipelines.extract).

Extraction is the CPU-heavy part of a crawl, so it runs in a pool of worker
processes sized to the machine (``EXTRACT_WORKERS``, default: the number of
cores; 0 runs it inline, in the reactor thread). At most
``EXTRACT_MAX_PENDING`` pages (default: 2 per worker) are in the pool at
once; further items wait in Scrapy's own bounded item queue, so memory stays
flat however fast pages arrive.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.exceptions import DropItem

from crawler.sites import SITES_DIR, load_sites
from pipelines.extract import ExtractionError, extract_articles, resolve

logger = logging.getLogger(__name__)


def extract_dicts(body: bytes, content_type: str | None, url: str, site,
                  encoding: str | None = None,
                  source: str | None = None) -> tuple[str, list[dict] | str, str, str]:
    """Run in a worker process: resolve the encoding unless known (this is the
    edge where the bytes are decoded, once), then extract. Returns (status,
    records or reason, encoding, encoding source); status is "ok" or "error"."""
    if encoding is None:
        encoding, source = resolve(body, content_type, site.extract.encoding if site else "")
    try:
        records = [a.as_dict() for a in extract_articles(body, encoding, url, site)]
        return "ok", records, encoding, source
    except ExtractionError as e:
        return "error", str(e), encoding, source
    except Exception as e:  # noqa: BLE001 - a bad page must not stop the crawl
        logger.exception("extraction crashed on %s", url)
        return "error", f"{type(e).__name__}: {e}", encoding, source


class ExtractionPipeline:
    def __init__(self, sites: dict, workers: int = 0, max_pending: int = 0, stats=None):
        self.sites = sites
        self.workers = workers
        self.stats = stats
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(max_pending or max(2 * workers, 1))

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        spider_sites = getattr(crawler.spider, "sites", None)
        workers = s.getint("EXTRACT_WORKERS", -1)
        if workers < 0:
            workers = os.cpu_count() or 1
        return cls(spider_sites if spider_sites is not None else load_sites(SITES_DIR),
                   workers, s.getint("EXTRACT_MAX_PENDING", 0), crawler.stats)

    def open_spider(self):
        if self.workers > 0:
            self._restart_pool()
            logger.info("extraction: %d worker processes", self.workers)

    def _restart_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        # spawn: workers do not inherit the reactor or open sockets
        self._pool = ProcessPoolExecutor(self.workers,
                                         mp_context=multiprocessing.get_context("spawn"))

    def close_spider(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=False)
            self._pool = None

    def _inc(self, key: str, site: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
            self.stats.inc_value(f"site/{site}/{key.split('/', 1)[1]}")

    async def _run(self, item, site) -> tuple[str, list[dict] | str, str, str]:
        args = (item.body, _content_type(item.headers), item.url, site, item.encoding,
                item.encoding_source)
        if self._pool is None:
            return extract_dicts(*args)
        async with self._slots:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._pool, extract_dicts, *args)
            except BrokenProcessPool:
                # a worker died (out of memory, a crash in lxml): new pool, one retry
                logger.error("extraction: worker pool broken on %s; starting a new one", item.url)
                self._restart_pool()
                try:
                    return await loop.run_in_executor(self._pool, extract_dicts, *args)
                except BrokenProcessPool:
                    self._restart_pool()
                    return "error", "extraction worker died on this page", None, None

    async def process_item(self, item):
        status, result, item.encoding, item.encoding_source = await self._run(
            item, self.sites.get(item.site))
        if status == "error":
            self._inc("extract/error", item.site)
            logger.warning("extract/error: %s: %s", item.url, result)
            raise DropItem(f"extract/error: {item.url}: {result}")
        if not result:
            self._inc("extract/empty", item.site)
            raise DropItem(f"extract/empty: {item.url}: no article text found")
        self._inc("extract/articles", item.site)
        item.articles = result
        return item


def _content_type(headers: dict[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value
    return None
