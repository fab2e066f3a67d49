"""`scrapy crawl`, with an exit status for cron.

Same as Scrapy's crawl command, but it exits 3 when the run log found a
broken site (no article links, or every article page empty) or a site file
was skipped as invalid (the other sites were crawled), so a nightly cron
mail shows it, and 4 when the crawl was stopped because no extraction
worker could run, and 5 when it was interrupted (Ctrl-C, SIGTERM) before it
finished: what it fetched is archived, and the next run fetches the rest,
and 6 when rows could not be written to the archive (a full disk, an
unwritable directory: ``archive/rows_lost``; their pages are fetched again
by the next run). Bootstrap failures (a bad file of a site named with ``-a site``, no valid
site file, an unknown site) exit 1.
"""

from __future__ import annotations

import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.args import check_args, date_window
from crawler.sites import select_sites
from pipelines.lock import ArchiveUnavailable

logger = logging.getLogger(__name__)
BROKEN_EXIT = 3
EXTRACTION_EXIT = 4
INTERRUPTED_EXIT = 5
UNWRITTEN_EXIT = 6


def sites_ok(sites_dir: str | None, wanted: str | None, spargs: dict | None = None) -> bool:
    """Site files (and the spider's date arguments) checked before Scrapy
    starts, so a bad one is one clear line on stderr (file, key, what is
    wrong), not a traceback from a task."""
    try:
        select_sites(sites_dir, wanted, [])   # (a skipped file is the spider's to log)
        if spargs:
            check_args(spargs)
            date_window(spargs.get("since"), spargs.get("until"))
    except ValueError as e:
        print(f"scrapy: error: {e}", file=sys.stderr)
        return False
    return True


def quiet_if_unavailable(task) -> None:
    """An archive the run cannot use was logged in one line where it was
    found; asyncio would add the task's traceback as never retrieved. Any
    other failure keeps its traceback."""
    def retrieve(done) -> None:
        error = None if done.cancelled() else done.exception()   # (retrieved now)
        if error is not None and not isinstance(error, ArchiveUnavailable):
            logger.error("the crawl failed to start", exc_info=error)
    if hasattr(task, "add_done_callback"):   # an asyncio task (AsyncCrawlerProcess)
        task.add_done_callback(retrieve)


def interrupted(crawler) -> bool:
    """The run was stopped by a signal (Scrapy's close reason ``shutdown``)."""
    return bool(crawler.stats) and crawler.stats.get_value("finish_reason") == "shutdown"


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes exactly one spider name")
        if not sites_ok(opts.spargs.get("sites_dir"), opts.spargs.get("site"), opts.spargs):
            self.exitcode = 1
            return
        crawler = self._create_crawler(args[0])
        quiet_if_unavailable(self.crawler_process.crawl(crawler, **opts.spargs))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats and crawler.stats.get_value("archive/rows_lost"):
            self.exitcode = UNWRITTEN_EXIT
        elif crawler.stats and crawler.stats.get_value("extract/stopped"):
            self.exitcode = EXTRACTION_EXIT
        elif interrupted(crawler):
            self.exitcode = INTERRUPTED_EXIT
        elif crawler.stats and (crawler.stats.get_value("runlog/broken_sites")
                                or crawler.stats.get_value("sites/invalid_files")):
            self.exitcode = BROKEN_EXIT
