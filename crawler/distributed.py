"""Distributed crawls on one Redis, switched on by settings alone.

Set ``REDIS_URL`` (``-s REDIS_URL=redis://host:6379/0`` or the environment
variable) and every worker running ``scrapy crawl news`` shares:

* the request queue and the request dupefilter (scrapy-redis scheduler, with
  Scrapy's own request fingerprints instead of scrapy-redis' hand-rolled ones);
* the content-hash dedup store (``pipelines.store.RedisStore``, atomic SADD),
  one set per crawl that every worker fills from the archive it writes to;
* the near-duplicate index entries of the crawl's new articles
  (``pipelines.store.NearLog``), so a near-duplicate of an article another
  worker archived is linked to it.

Keys live under ``govnews:<crawl key>:``; the crawl key is ``REDIS_CRAWL_KEY``
(default: today's date in Asia/Shanghai, so a nightly cron starts fresh). The
last worker to close deletes the run's queue and dupefilter; every worker
sets the TTL ``REDIS_KEY_TTL`` (default a day) on all the run's keys every
TTL/4 (at most 5 minutes), so the keys of a crawl whose workers were all
killed expire. A worker whose
queue is empty keeps waiting ``REDIS_IDLE_TIMEOUT`` seconds for the others
before closing. Each worker writes its own part files (the worker id is in
every file name).
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.args import china_today

logger = logging.getLogger(__name__)
KEY_PREFIX = "govnews"


def crawl_key(settings) -> str:
    explicit = settings.get("REDIS_CRAWL_KEY")
    if explicit:
        return explicit
    return china_today().isoformat()


class RedisAddon:
    """Scrapy add-on (``ADDONS``): turns the distributed components on when
    ``REDIS_URL`` is set; does nothing otherwise."""

    def update_settings(self, settings) -> None:
        if not settings.get("REDIS_URL"):
            return
        base = f"{KEY_PREFIX}:{crawl_key(settings)}"
        settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "crawler.distributed.FingerprintDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")   # the last worker cleans up
        settings.set("SCHEDULER_QUEUE_KEY", f"{base}:%(spider)s:requests", "addon")
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{base}:%(spider)s:dupefilter", "addon")
        settings.set("DEDUP_STORE", "redis", "addon")
        # per crawl, filled from the archive by every worker at start: hashes of
        # a killed worker's unwritten rows do not outlive the crawl
        settings.set("DEDUP_REDIS_KEY", f"{base}:content_hashes", "addon")
        # the near-duplicate entries of the articles this crawl archives, shared
        settings.set("DEDUP_NEAR_REDIS_KEY", f"{base}:near", "addon")
        settings["EXTENSIONS"]["crawler.distributed.SharedQueueLifecycle"] = 100


class FingerprintDupeFilter(RFPDupeFilter):
    """scrapy-redis' dupefilter using the crawler's request fingerprinter."""

    fingerprinter = None

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        df.fingerprinter = spider.crawler.request_fingerprinter
        return df

    def request_fingerprint(self, request) -> str:
        return self.fingerprinter.fingerprint(request).hex()


class SharedQueueLifecycle:
    """Keeps a worker alive while the shared queue may still fill, and lets
    the last worker delete the run's keys."""

    def __init__(self, server, base: str, idle_timeout: float, ttl: int):
        self.server = server
        self.base = base
        self.idle_timeout = idle_timeout
        self.ttl = ttl
        self._empty_since: float | None = None
        self.crawler = None
        # every key of the run gets its TTL again this often, so the keys of a
        # crawl whose workers were all killed expire instead of staying forever
        self.refresh_every = max(1.0, min(ttl / 4, 300.0))
        self._timer: asyncio.TimerHandle | None = None
        self._refreshing: asyncio.Future | None = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL not set")
        from scrapy_redis.connection import get_redis_from_settings

        ext = cls(get_redis_from_settings(s), f"{KEY_PREFIX}:{crawl_key(s)}",
                  s.getfloat("REDIS_IDLE_TIMEOUT", 5.0), s.getint("REDIS_KEY_TTL", 86400))
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        n = self.server.incr(f"{self.base}:workers")
        self.server.expire(f"{self.base}:workers", self.ttl)
        logger.info("distributed: worker %d on %s", n, self.base)
        self._refresh_later()

    def _refresh_later(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self.refresh_every, self._refresh)

    def _refresh(self) -> None:
        if self._refreshing is None or self._refreshing.done():   # Redis I/O off the reactor
            self._refreshing = asyncio.ensure_future(asyncio.to_thread(self.expire_all))
        self._refresh_later()

    def expire_all(self) -> int:
        """Set the TTL on every key of this crawl; how many keys there were."""
        n = 0
        for key in self.server.scan_iter(f"{self.base}:*"):
            self.server.expire(key, self.ttl)
            n += 1
        return n

    def _queue_len(self) -> int:
        return len(self.crawler.engine.scheduler)  # scrapy-redis Scheduler.__len__

    def spider_idle(self, spider):
        if self._queue_len() > 0:
            self._empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._empty_since is None:
            self._empty_since = now
        if now - self._empty_since < self.idle_timeout:
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self._timer is not None:
            self._timer.cancel()
        left = self.server.decr(f"{self.base}:workers")
        keys = list(self.server.scan_iter(f"{self.base}:*"))
        if left <= 0:
            if keys:
                self.server.delete(*keys)
            logger.info("distributed: last worker done, deleted %d keys of %s", len(keys), self.base)
        else:
            for key in keys:
                self.server.expire(key, self.ttl)
            logger.info("distributed: %d workers still running on %s", left, self.base)
