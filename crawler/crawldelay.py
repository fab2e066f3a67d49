"""The ``Crawl-delay`` of a site's robots.txt, honoured.

Scrapy reads robots.txt for what it forbids but leaves its ``Crawl-delay``
alone. This extension reads it for the crawl's user agent when Scrapy has
parsed a host's robots.txt (the ``robots_parsed`` signal) and raises the
delay of the download slot of the site whose request asked for it (one slot
per site, see the spider) to that many seconds, without the random variation
(which would go below it). A site's own ``[politeness] delay`` that is longer
stays. A Crawl-delay above ``ROBOTSTXT_CRAWL_DELAY_MAX`` seconds (default
30) is capped there, with a warning; ``ROBOTSTXT_CRAWL_DELAY_MAX = 0`` turns
the extension off.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class CrawlDelay:
    def __init__(self, user_agent: str, max_delay: float, slots=None, stats=None):
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.slots = slots or dict          # () -> the downloader's slots
        self.stats = stats
        self.delays: dict[str, float] = {}  # slot -> seconds between requests
        self.signals = None                 # connected to request_reached_downloader once
                                            # a Crawl-delay is known (a call per request)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("robots.txt is not obeyed")
        max_delay = settings.getfloat("ROBOTSTXT_CRAWL_DELAY_MAX")
        if max_delay <= 0:
            raise NotConfigured("ROBOTSTXT_CRAWL_DELAY_MAX is 0")
        ext = cls(settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT"),
                  max_delay, lambda: crawler.engine.downloader.slots, crawler.stats)
        ext.signals = crawler.signals
        crawler.signals.connect(ext.robots_parsed, signal=signals.robots_parsed)
        return ext

    def robots_parsed(self, robotparser, request):
        try:
            delay = robotparser.crawl_delay(self.user_agent)
        except (AttributeError, NotImplementedError, ValueError, TypeError):
            return
        if not delay or delay <= 0:
            return
        key = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        host = urlparse_cached(request).netloc
        if delay > self.max_delay:
            logger.warning("%s: robots.txt of %s asks for Crawl-delay %g s; capped at "
                           "ROBOTSTXT_CRAWL_DELAY_MAX (%g s)", key, host, delay, self.max_delay)
            delay = self.max_delay
        else:
            logger.info("%s: robots.txt of %s asks for Crawl-delay %g s", key, host, delay)
        if self.signals is not None and not self.delays:   # from now on, per request
            self.signals.connect(self.request_reached_downloader,
                                 signal=signals.request_reached_downloader)
        if delay > self.delays.get(key, 0.0):
            self.delays[key] = delay
            if self.stats is not None:
                self.stats.set_value(f"site/{key}/crawl_delay", delay)
        self._apply(key)

    def request_reached_downloader(self, request, spider=None):
        key = request.meta.get("download_slot")
        if key in self.delays:
            self._apply(key)

    def _apply(self, key: str) -> None:
        """The slot's delay at least the Crawl-delay (a slot the downloader
        dropped after a quiet minute comes back with its configured delay)."""
        slot = self.slots().get(key)
        if slot is not None and slot.delay < self.delays[key]:
            slot.delay = self.delays[key]
            slot.jitter = 0.0
