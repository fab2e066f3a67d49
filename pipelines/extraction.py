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
lower CPU priority (``EXTRACT_WORKER_NICE``, default 10) so that on a busy
machine the reactor, which every page goes through, is served first. Each
worker is replaced by a fresh one after ``EXTRACT_WORKER_MAX_PAGES`` pages
(default 5000). A page still being extracted after ``EXTRACT_TIMEOUT`` seconds
(default 120) gets its worker killed and counts as a worker death on it.
The pool (:mod:`pipelines.workerpool`) is fed by the event
loop itself, with no helper threads. A worker that dies on a page costs that
page only (retried once, then dropped): the pages queued behind it had not
started and are sent again. When the pool gives up (its workers cannot even
start), the crawl is stopped with the reason ``extraction_unavailable`` and
``scrapy crawl`` exits 4; the pages not extracted are dropped as
``extract/unavailable`` without being recorded as visited, so the next run
fetches them again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from crawler.items import RefetchLater
from crawler.sites import SITES_DIR, load_sites
from pipelines.extract.encoding import content_type_of
from pipelines.extract.metadata import TZ   # (no trafilatura: the crawl process may load it)
from pipelines.extract.record import HINTS_MISSED
from pipelines.neardup import NUM_PERM
from pipelines.workerpool import ProcessPool, WorkerDied

logger = logging.getLogger(__name__)
# The worker side, named rather than imported: with workers, the crawl process
# never loads the extraction and normalization code (trafilatura, OpenCC,
# pypinyin's tables); the forkserver imports it once for all workers.
PAGE = "pipelines.page"


class ExtractionPipeline:
    def __init__(self, sites: dict, workers: int = 0, max_pending: int = 0, stats=None,
                 num_perm: int = NUM_PERM, nice: int = 0, recycle_after: int = 0,
                 timeout: float = 0, stop_crawl=None):
        self.sites = sites
        self.stop_crawl = stop_crawl   # callable(reason): ends the crawl (from_crawler: the engine's)
        self._stopping = False
        self._stop_d = None   # the engine's close, kept referenced
        self.workers = workers
        self.stats = stats
        self.num_perm = num_perm
        self.nice = nice
        self.recycle_after = recycle_after
        self.timeout = timeout
        self.max_pending = max_pending or max(8 * workers, 1)
        self._inline = None   # a pipelines.page.PageProcessor, when inline
        self._pool: ProcessPool | None = None
        self._slots = asyncio.Semaphore(self.max_pending)
        self._missed_warned: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        spider_sites = getattr(crawler.spider, "sites", None)
        workers = s.getint("EXTRACT_WORKERS", -1)
        if workers < 0:
            workers = os.cpu_count() or 1
        return cls(spider_sites if spider_sites is not None else load_sites(SITES_DIR),
                   workers, s.getint("EXTRACT_MAX_PENDING", 0), crawler.stats,
                   s.getint("DEDUP_NEAR_NUM_PERM", NUM_PERM), s.getint("EXTRACT_WORKER_NICE", 10),
                   s.getint("EXTRACT_WORKER_MAX_PAGES", 5000), s.getfloat("EXTRACT_TIMEOUT", 120),
                   stop_crawl=lambda reason: deferred_from_coro(
                       crawler.engine.close_spider_async(reason=reason)))

    def open_spider(self):
        if self.workers > 0:
            # forkserver: workers do not inherit the reactor or open sockets (the
            # server is a fresh interpreter), and they fork from one that imported
            # the extraction modules already, so the imports are paid once. Also
            # scrapy.cmdline: multiprocessing runs the parent's main module again in
            # every child (as __mp_main__), and the main module of both `scrapy crawl`
            # and `python -m scrapy.cmdline` imports it; preloaded, a new worker
            # finds Scrapy imported instead of importing it again
            self._pool = ProcessPool(
                self.workers, f"{PAGE}:process_in_worker", initializer=f"{PAGE}:init_worker",
                initargs=(self.num_perm, self.nice),
                per_worker=-(-self.max_pending // self.workers),
                max_tasks=self.recycle_after, preload=[PAGE, "scrapy.cmdline"],
                task_timeout=self.timeout)
            self._pool.start()
            logger.info("extraction: %d worker processes", self.workers)

    def close_spider(self):
        if self._pool is not None:
            self._pool.close()
            if self.stats is not None:
                self.stats.set_value("extract/workers_started", self._pool.started)
                self.stats.set_value("extract/workers_died", self._pool.died)
            self._pool = None

    def _unavailable(self, reason: str) -> None:
        """Once: no page of this run can be extracted any more; stop the crawl
        instead of fetching pages only to drop them. The stat
        ``extract/stopped`` makes ``scrapy crawl`` and ``scrapy reprocess``
        exit 4, whatever other reason the run closes with."""
        if self._stopping:
            return
        self._stopping = True
        if self.stats is not None:
            self.stats.set_value("extract/stopped", 1)
        logger.error("extraction: %s; stopping the run (extraction_unavailable); pages not "
                     "extracted are not recorded as visited", reason)
        if self.stop_crawl is None:
            return
        try:
            self._stop_d = self.stop_crawl("extraction_unavailable")
        except Exception as e:  # noqa: BLE001 - the engine gone already: the run ends anyway
            logger.error("extraction: stopping the run failed: %r", e)
            return
        if hasattr(self._stop_d, "addErrback"):
            self._stop_d.addErrback(lambda f: logger.error("extraction: stopping the run "
                                                           "failed: %s", f.value))

    def _hints_missed(self, item, keys) -> None:
        """A site hint that matched nothing on an article page: the generic
        rules ran (navigation may be in the text). Counted per page
        (``site/<id>/hint_missed/<key>``), warned once per site and hint: the
        site has likely changed its templates."""
        for key in keys:
            if self.stats is not None:
                self.stats.inc_value("extract/hint_missed")
                self.stats.inc_value(f"site/{item.site}/hint_missed/{key}")
            if (item.site, key) not in self._missed_warned:
                self._missed_warned.add((item.site, key))
                logger.warning("%s: [extract].%s matched nothing on %s (the generic rules ran; "
                               "has the site changed its pages? check with scrapy extract --site "
                               "%s on a saved page)", item.site, key, item.url, item.site)

    def _inc(self, key: str, site: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
            self.stats.inc_value(f"site/{site}/{key.split('/', 1)[1]}")

    async def _run(self, item, site) -> tuple[str, list[dict] | str, str, str]:
        args = (item.body, content_type_of(item.headers), item.url, site, item.encoding,
                item.encoding_source,
                [(p.body, content_type_of(p.headers), p.url) for p in item.parts])
        if self._pool is None:   # EXTRACT_WORKERS=0: in this thread
            if self._inline is None:
                from pipelines.page import PageProcessor
                self._inline = PageProcessor(self.num_perm)
            return self._inline(*args)
        async with self._slots:
            died_on_it = 0
            pool = self._pool
            while True:
                try:
                    return await pool.run(*args)
                except WorkerDied as e:
                    # a worker died (out of memory, a crash in lxml): on this page
                    # (one retry on a fresh worker), or on a page queued before
                    # it (this one never ran: sent again, not counted)
                    died_on_it += e.ran
                    if not pool.usable:   # given up (or closed): not this page's fault
                        return "unavailable", str(e), None, None
                    if died_on_it >= 2:
                        logger.error("extraction: %s on %s; page dropped", e, item.url)
                        return "error", f"extraction worker died on this page: {e}", None, None
                    logger.error("extraction: %s on %s; trying again", e, item.url)

    async def process_item(self, item):
        status, result, item.encoding, item.encoding_source = await self._run(
            item, self.sites.get(item.site))
        if status == "unavailable":
            self._unavailable(result)
            self._inc("extract/unavailable", item.site)
            raise RefetchLater(f"extract/unavailable: {item.url}: {result}; not recorded as "
                               "visited", log_level="INFO")
        if status == "error":
            self._inc("extract/error", item.site)
            logger.warning("extract/error: %s: %s", item.url, result)
            raise DropItem(f"extract/error: {item.url}: {result}")
        if status == "empty" or not result:
            self._hints_missed(item, result if status == "empty" else ())
            self._inc("extract/empty", item.site)
            raise DropItem(f"extract/empty: {item.url}: no article text found")
        self._inc("extract/articles", item.site)
        self._hints_missed(item, result[0].get(HINTS_MISSED, ()))
        for article in result:
            article.pop(HINTS_MISSED, None)
            dated_by_list(article, item.list_date)
            if "undecodable" in article["repairs"]:
                logger.warning("undecodable bytes in %s (replaced with U+FFFD)", item.url)
                if self.stats is not None:
                    self.stats.inc_value("normalize/undecodable")
        item.articles = result
        return item


# rules that give way to the date the list page showed beside the article's link
WEAKER_THAN_LIST = ("page_text", "meta_modified")


def dated_by_list(article: dict, day) -> None:
    """An article its page does not date (or dates only by a date somewhere
    in its text, or by when it was changed) takes the day its list page showed
    beside its link, at 00:00 China time (``published_rule`` ``list``).

    >>> import datetime as dt
    >>> a = {"published": None, "published_rule": None}
    >>> dated_by_list(a, dt.date(2024, 5, 17)); a["published"].isoformat(), a["published_rule"]
    ('2024-05-17T00:00:00+08:00', 'list')
    >>> a = {"published": dt.datetime(2024, 5, 17, 9, 30, tzinfo=TZ), "published_rule": "page_text"}
    >>> dated_by_list(a, dt.date(2024, 5, 17)); a["published_rule"]   # the same day, with its time
    'page_text'
    """
    if day is None:
        return
    published, rule = article.get("published"), article.get("published_rule")
    if published is None or (rule in WEAKER_THAN_LIST and published.astimezone(TZ).date() != day):
        article["published"] = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
        article["published_rule"] = "list"
