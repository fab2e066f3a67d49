"""`scrapy crawl`, with an exit status for cron.

Same as Scrapy's crawl command, but it exits 3 when the run log found a
broken site (no article links, or every article page empty), so a nightly
cron mail shows it, and 4 when the crawl was stopped because no extraction
worker could run, and 5 when it was interrupted (Ctrl-C, SIGTERM) before it
finished: what it fetched is archived, and the next run fetches the rest.
Bootstrap failures (bad site file, unknown site) exit 1.
"""

from __future__ import annotations

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

BROKEN_EXIT = 3
EXTRACTION_EXIT = 4
INTERRUPTED_EXIT = 5


def interrupted(crawler) -> bool:
    """The run was stopped by a signal (Scrapy's close reason ``shutdown``)."""
    return bool(crawler.stats) and crawler.stats.get_value("finish_reason") == "shutdown"


class Command(ScrapyCrawl):
    def run(self, args, opts) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes exactly one spider name")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
        elif crawler.stats and crawler.stats.get_value("extract/stopped"):
            self.exitcode = EXTRACTION_EXIT
        elif interrupted(crawler):
            self.exitcode = INTERRUPTED_EXIT
        elif crawler.stats and crawler.stats.get_value("runlog/broken_sites"):
            self.exitcode = BROKEN_EXIT
