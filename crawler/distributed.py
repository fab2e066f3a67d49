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
(default: today's date in Asia/Shanghai, so a nightly cron starts fresh).
Each worker keeps a key of its own alive (``…:alive:<worker>``, TTL
``REDIS_WORKER_TTL``, renewed every third of it): the last worker to close
(no other worker alive) deletes the crawl's keys, and a worker that starts
when no worker of its crawl key is alive (they finished or were killed)
deletes what a killed crawl left (its queue, whose requests were popped and
lost with the worker, and its dupefilter, which would make a rerun under the
same key fetch nothing) and starts the key afresh: a new generation, part of
the crawl id (``distributed/crawl_id``) that the run's unfinished-run marker
carries (:mod:`crawler.unfinished`), so the killed workers' sites are caught
up. Every worker also sets the TTL ``REDIS_KEY_TTL`` (default a day) on the
crawl's other keys every TTL/4 (at most 5 minutes), so keys of a crawl whose
workers were all killed expire even when no worker comes back. A worker
whose queue is empty keeps waiting ``REDIS_IDLE_TIMEOUT`` seconds for the
others before closing. Each worker writes its own part files (the worker id
is in every file name).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import warnings

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.args import china_today
from pipelines.archive import worker_id

logger = logging.getLogger(__name__)
KEY_PREFIX = "govnews"

# KEYS run inside the scripts: the crawl's few keys (queue, dupefilter, hashes,
# near log, generation, one alive key per worker), each script atomic.
# ARGV: base, worker, new generation, alive TTL. Returns (generation, keys
# deleted, other workers alive).
_JOIN = """
local alive = redis.call('KEYS', ARGV[1] .. ':alive:*')
local deleted = 0
if #alive == 0 then
  local stale = redis.call('KEYS', ARGV[1] .. ':*')
  for i = 1, #stale, 1000 do
    deleted = deleted + redis.call('DEL', unpack(stale, i, math.min(i + 999, #stale)))
  end
  redis.call('SET', ARGV[1] .. ':generation', ARGV[3])
end
redis.call('SET', ARGV[1] .. ':alive:' .. ARGV[2], '1', 'EX', ARGV[4])
return {redis.call('GET', ARGV[1] .. ':generation') or '', deleted, #alive}
"""
# ARGV: base, worker. Returns (other workers alive, keys deleted).
_LEAVE = """
redis.call('DEL', ARGV[1] .. ':alive:' .. ARGV[2])
local alive = redis.call('KEYS', ARGV[1] .. ':alive:*')
if #alive > 0 then return {#alive, 0} end
local keys = redis.call('KEYS', ARGV[1] .. ':*')
local deleted = 0
for i = 1, #keys, 1000 do
  deleted = deleted + redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
end
return {0, deleted}
"""


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
        # scrapy-redis (0.9) still passes spider= to the stats collector: two
        # WARNING lines per crawl about a library's internals, nothing to act on
        warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning,
                                module=r"scrapy_redis\.")
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
    """Keeps a worker alive while the shared queue may still fill, keeps the
    worker's alive key, and lets the last worker delete the crawl's keys."""

    def __init__(self, server, base: str, idle_timeout: float, ttl: int,
                 worker: str = "w", worker_ttl: int = 60):
        self.server = server
        self.base = base
        self.idle_timeout = idle_timeout
        self.ttl = ttl
        self.worker = worker
        self.worker_ttl = worker_ttl
        self._empty_since: float | None = None
        self.crawler = None
        # the alive key is renewed every third of its TTL; every other key of
        # the crawl gets its TTL again every TTL/4 (at most 5 minutes)
        self.refresh_every = max(1.0, min(worker_ttl / 3, ttl / 4, 300.0))
        self._timer: asyncio.TimerHandle | None = None
        self._refreshing: asyncio.Future | None = None
        self._expired_at = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL not set")
        from scrapy_redis.connection import get_redis_from_settings

        ext = cls(get_redis_from_settings(s), f"{KEY_PREFIX}:{crawl_key(s)}",
                  s.getfloat("REDIS_IDLE_TIMEOUT", 5.0), s.getint("REDIS_KEY_TTL", 86400),
                  worker_id(s), s.getint("REDIS_WORKER_TTL", 60))
        ext.crawler = crawler
        # before the pipelines open: a reset must not delete the content
        # hashes this worker is about to load
        crawler.stats.set_value("distributed/crawl_id", ext.join())
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def join(self) -> str:
        """Marks this worker alive; starts the crawl key afresh when no worker
        of it is alive. The crawl id: ``<base>/<generation>``."""
        generation, deleted, others = self.server.eval(
            _JOIN, 0, self.base, self.worker, secrets.token_hex(4), self.worker_ttl)
        generation = generation.decode() if isinstance(generation, bytes) else generation
        if deleted:
            logger.warning("distributed: no worker of %s alive: deleted the %d keys its "
                           "earlier workers left (killed?); this crawl starts afresh",
                           self.base, deleted)
        logger.info("distributed: worker %s joins %s (generation %s, %d other workers alive)",
                    self.worker, self.base, generation, others)
        return f"{self.base}/{generation}"

    def spider_opened(self, spider):
        self._refresh_later()

    def _refresh_later(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self.refresh_every, self._refresh)

    def _refresh(self) -> None:
        if self._refreshing is None or self._refreshing.done():   # Redis I/O off the reactor
            self._refreshing = asyncio.ensure_future(asyncio.to_thread(self.keep_alive))
        self._refresh_later()

    def keep_alive(self) -> None:
        self.server.set(f"{self.base}:alive:{self.worker}", "1", ex=self.worker_ttl)
        if time.monotonic() - self._expired_at >= min(self.ttl / 4, 300.0):
            self._expired_at = time.monotonic()
            self.expire_all()

    def expire_all(self) -> int:
        """Set the TTL on every key of this crawl but the workers' alive keys
        (theirs is short, renewed by each); how many keys there were."""
        n = 0
        for key in self.server.scan_iter(f"{self.base}:*"):
            if b":alive:" not in (key if isinstance(key, bytes) else key.encode()):
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
        left, deleted = self.server.eval(_LEAVE, 0, self.base, self.worker)
        if left <= 0:
            logger.info("distributed: last worker done, deleted %d keys of %s", deleted, self.base)
        else:
            self.expire_all()
            logger.info("distributed: %d workers still running on %s", left, self.base)
