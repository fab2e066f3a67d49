"""Pipeline stage 1: page bytes -> finished article records.

All the CPU work on a page happens in one pure function
(:class:`pipelines.page.PageProcessor`, no Scrapy): resolve the encoding and
decode once, extract (:mod:`pipelines.extract`), normalize (:mod:`pipelines.normalize`),
compute ``content_hash`` (:mod:`pipelines.contenthash`) and the near-duplicate
signature ``minhash`` (:mod:`pipelines.neardup`). What is left for the reactor
thread is bookkeeping: the dedup store's check-and-add, an index lookup and
buffering rows.

The processor runs in a pool of worker processes sized to the machine
(``EXTRACT_WORKERS``, default: the number of cores; 0 runs it inline, in the
reactor thread). At most ``EXTRACT_MAX_PENDING`` pages (default: 8 per
worker) are in the pool at once; further items wait in Scrapy's own bounded
item queue, so memory stays flat however fast pages arrive. Workers run at a
lower CPU priority (``EXTRACT_WORKER_NICE``, default 5) so that on a busy
machine the reactor, which every page goes through, is served first, and are
replaced by fresh ones every ``EXTRACT_WORKER_MAX_PAGES`` pages (default
5000). A worker that dies on a page costs that page only.
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
from pipelines import page
from pipelines.neardup import NUM_PERM
from pipelines.page import PageProcessor

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    def __init__(self, sites: dict, workers: int = 0, max_pending: int = 0, stats=None,
                 num_perm: int = NUM_PERM, nice: int = 0, recycle_after: int = 0):
        self.sites = sites
        self.workers = workers
        self.stats = stats
        self.num_perm = num_perm
        self.nice = nice
        self.recycle_after = recycle_after
        self._inline: PageProcessor | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._pool_pages = 0
        self._recycling: asyncio.Future | None = None
        self._slots = asyncio.Semaphore(max_pending or max(8 * workers, 1))

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        spider_sites = getattr(crawler.spider, "sites", None)
        workers = s.getint("EXTRACT_WORKERS", -1)
        if workers < 0:
            workers = os.cpu_count() or 1
        return cls(spider_sites if spider_sites is not None else load_sites(SITES_DIR),
                   workers, s.getint("EXTRACT_MAX_PENDING", 0), crawler.stats,
                   s.getint("DEDUP_NEAR_NUM_PERM", NUM_PERM), s.getint("EXTRACT_WORKER_NICE", 5),
                   s.getint("EXTRACT_WORKER_MAX_PAGES", 5000))

    def open_spider(self):
        if self.workers > 0:
            self._restart_pool()
            logger.info("extraction: %d worker processes", self.workers)

    def _restart_pool(self) -> None:
        """A new pool; a current one (broken) is shut down, its pages cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool_pages = 0
        # forkserver: workers do not inherit the reactor or open sockets (the
        # server is a fresh interpreter), and they fork from one that imported
        # the extraction modules already, so the imports are paid once
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([page.__name__])
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context,
                                         initializer=page.init_worker,
                                         initargs=(self.num_perm, self.nice))

    async def _recycle_if_due(self) -> None:
        """Fresh workers every ``recycle_after`` pages: whatever a long-lived
        lxml/trafilatura process accumulates is given back. The old pool
        finishes its pages before the new one starts (never two pools' memory
        at once); pages arriving meanwhile wait."""
        while self._recycling is not None:
            await asyncio.shield(self._recycling)
        if not self.recycle_after or self._pool_pages < self.recycle_after:
            return
        self._recycling = asyncio.get_running_loop().create_future()
        try:
            logger.info("extraction: replacing the worker pool after %d pages", self._pool_pages)
            # self._pool stays the old one meanwhile: every page waits above
            await asyncio.to_thread(self._pool.shutdown, True)
            self._restart_pool()
        finally:
            done, self._recycling = self._recycling, None
            done.set_result(None)

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
        if self._pool is None:   # EXTRACT_WORKERS=0: in this thread
            if self._inline is None:
                self._inline = PageProcessor(self.num_perm)
            return self._inline(*args)
        async with self._slots:
            loop = asyncio.get_running_loop()
            await self._recycle_if_due()
            for attempt in (1, 2):
                pool = self._pool
                self._pool_pages += 1
                try:
                    return await loop.run_in_executor(pool, page.process_in_worker, *args)
                except BrokenProcessPool:
                    # a worker died (out of memory, a crash in lxml): new pool
                    # (unless another page already started one), one retry
                    logger.error("extraction: worker pool broken on %s (attempt %d)",
                                 item.url, attempt)
                    if self._pool is pool:
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
        for article in result:
            if "undecodable" in article["repairs"]:
                logger.warning("undecodable bytes in %s (replaced with U+FFFD)", item.url)
                if self.stats is not None:
                    self.stats.inc_value("normalize/undecodable")
        item.articles = result
        return item


def _content_type(headers: dict[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == "content-type":
            return value
    return None
