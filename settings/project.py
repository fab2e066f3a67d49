"""Scrapy settings of the project. Read top to bottom to follow one page from
`scrapy crawl news` to a Parquet row: spider -> ITEM_PIPELINES in order.

Every component reads its own prefixed settings (ARCHIVE_*, DEDUP_*, ...);
defaults live here, `-s NAME=value` overrides them.
"""

import os
from pathlib import Path

from scrapy.utils.conf import closest_scrapy_cfg

BOT_NAME = "govnews"
SPIDER_MODULES = ["crawler.spider"]
NEWSPIDER_MODULE = "crawler.spider"
COMMANDS_MODULE = "crawler.commands"

# --- politeness (per-site delay/concurrency come from the site files) -----
ROBOTSTXT_OBEY = True
ROBOTSTXT_CRAWL_DELAY_MAX = 30    # robots.txt Crawl-delay honoured up to this (s); 0: ignored
USER_AGENT = "govnews-archiver/0.1 (+research archive of public government news)"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# The next request is taken from the site (download slot) with the fewest
# requests in the downloader: a site waiting out its delay, or a pause a 429
# asked for (crawler/middlewares.py: RetryAfter), does not fill the 16 places
# while the other sites wait (Scrapy's choice for crawls of many domains).
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Outputs of one response handled at once. Scrapy starts this many tasks for
# every response (default 100); a page yields at most one item plus its
# links (scheduled at once), so two are enough, and every task saved is
# reactor time saved on every page.
CONCURRENT_ITEMS = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_AFTER_MAX = 120             # longest Retry-After (s) waited for; longer: left to the next run
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOG_FORMATTER = "crawler.logformatter.DropReasonFormatter"   # a dropped item: its reason only

# Scrapy's meta-refresh check, after a look at the raw bytes; Retry-After
# honoured before RetryMiddleware (550) retries (crawler/middlewares.py)
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.MetaRefreshFirstBytes": 580,
    "crawler.middlewares.RetryAfter": 560,
}

# --- the path of a page ----------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 100,   # bytes -> normalized, hashed records (worker processes)
    "pipelines.dedup.DedupPipeline": 300,              # duplicates and near-duplicates flagged
    "pipelines.archive.ArchivePipeline": 900,          # Parquet rows
}

EXTENSIONS = {
    "crawler.gctune.GcTuning": 100,                    # fewer garbage collections (crawler/gctune.py)
    "crawler.crawldelay.CrawlDelay": 200,              # Crawl-delay per site; site delays kept under AutoThrottle
    "crawler.warc.WarcWriter": 400,                    # every response into archive/warc/
    "crawler.runlog.RunLog": 500,                      # per-site summary + archive/runs
}
GC_THRESHOLD = [10000, 10, 10]    # CPython's default is 700, 10, 10; empty: left alone
GC_FREEZE = True                  # objects alive when the engine starts are not scanned again
WARC_ENABLED = True
WARC_QUEUE_SIZE = 200             # responses waiting for the WARC writer thread; the crawl waits when full
REPLAY_MAX_PENDING = 64           # scrapy reprocess: pages in the pipelines at once

# --- archive ----------------------------------------------------------------
# default: archive/ beside scrapy.cfg, wherever under the project the crawl
# is started (Scrapy finds scrapy.cfg upwards from the working directory)
_CFG = closest_scrapy_cfg()
ARCHIVE_DIR = os.environ.get("ARCHIVE_DIR") or (
    str(Path(_CFG).parent / "archive") if _CFG else "archive")
ARCHIVE_FLUSH_ROWS = 500          # rows buffered per partition before a part file is written
ARCHIVE_MAX_BUFFERED_ROWS = 5000  # rows buffered in all partitions together before all are written
ARCHIVE_LOCK_WAIT = 0             # seconds to wait for another run's lock on the archive, then exit 1
ARCHIVE_LOCK_MODE = "auto"        # auto: shared when DEDUP_STORE=redis (distributed workers), else exclusive
DEDUP_ENABLED = True
DEDUP_NEAR_ENABLED = True
DEDUP_NEAR_THRESHOLD = 0.8
# DEDUP_STORE (memory | redis) is not set here: the distributed add-on sets it
# to redis, and a project setting would outrank the add-on.

# --- scale-out (crawler/distributed.py): set REDIS_URL to share one crawl
# between workers; off by default.
ADDONS = {"crawler.distributed.RedisAddon": 100}
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_IDLE_TIMEOUT = 5.0          # seconds a worker waits on an empty shared queue
REDIS_KEY_TTL = 86400
REDIS_WORKER_TTL = 60             # seconds a worker's alive key lasts unless renewed

# --- CPU work off the reactor (pipelines/extraction.py) ----------------------
EXTRACT_WORKERS = -1              # worker processes for extraction; -1 = one per core, 0 = inline
EXTRACT_MAX_PENDING = 0           # pages in the pool at once; 0 = 8 per worker
EXTRACT_WORKER_NICE = 10          # workers' CPU priority below the reactor's (0: same)
EXTRACT_WORKER_MAX_PAGES = 5000   # pages before a worker is replaced by a fresh one (0: never)
EXTRACT_TIMEOUT = 120             # seconds one page may take in a worker before it is killed (0: no limit)
