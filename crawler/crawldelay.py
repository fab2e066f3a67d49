"""The least delay of each site: its ``[politeness] delay``, raised to the
``Crawl-delay`` of its robots.txt, held against AutoThrottle.

Scrapy reads robots.txt for what it forbids but leaves its ``Crawl-delay``
alone. This extension reads it for the crawl's user agent when Scrapy has
parsed a host's robots.txt (the ``robots_parsed`` signal) and raises the
delay of the download slot of the site whose request asked for it (one slot
per site, see the spider) to that many seconds, without the random variation
(which would go below it). A site's own ``[politeness] delay`` that is longer
stays. A Crawl-delay above ``ROBOTSTXT_CRAWL_DELAY_MAX`` seconds (default
30) is capped there, with a warning; ``ROBOTSTXT_CRAWL_DELAY_MAX = 0`` (or
``ROBOTSTXT_OBEY = False``) stops the reading.

With ``AUTOTHROTTLE_ENABLED``, Scrapy's AutoThrottle sets a slot's delay
after every response from the server's latency, never below the global
``DOWNLOAD_DELAY`` but below a site's own longer delay or its Crawl-delay;
the floor is put back after it (this extension is built after AutoThrottle,
so its handler runs second) and before each request.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)


class CrawlDelay:
    def __init__(self, user_agent: str, max_delay: float, slots=None, stats=None,
                 site_delays: dict[str, float] | None = None):
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.slots = slots or dict          # () -> the downloader's slots
        self.stats = stats
        self.site_delays = dict(site_delays or {})  # slot -> its configured delay, held
                                            # against AutoThrottle (empty without it)
        self.delays: dict[str, float] = {}  # slot -> its robots.txt Crawl-delay
        self.signals = None                 # connected to request_reached_downloader once
        self._connected = False             # a floor is known (a call per request)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        max_delay = (settings.getfloat("ROBOTSTXT_CRAWL_DELAY_MAX")
                     if settings.getbool("ROBOTSTXT_OBEY") else 0.0)
        throttled = settings.getbool("AUTOTHROTTLE_ENABLED")
        if max_delay <= 0 and not throttled:
            raise NotConfigured("robots.txt's Crawl-delay is not read "
                                "(ROBOTSTXT_OBEY off or ROBOTSTXT_CRAWL_DELAY_MAX 0) "
                                "and AutoThrottle is off")
        site_delays = {}
        if throttled:   # the spider's one slot per site, with its delay
            site_delays = {key: float(slot["delay"])
                           for key, slot in settings.getdict("DOWNLOAD_SLOTS").items()
                           if isinstance(slot, dict) and slot.get("delay")}
        ext = cls(settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT"),
                  max_delay, lambda: crawler.engine.downloader.slots, crawler.stats,
                  site_delays)
        ext.signals = crawler.signals
        if max_delay > 0:
            crawler.signals.connect(ext.robots_parsed, signal=signals.robots_parsed)
        if throttled:   # after AutoThrottle's own handler (built before this one)
            crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        if site_delays:
            ext._per_request()
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
        self._per_request()
        if delay > self.delays.get(key, 0.0):
            self.delays[key] = delay
            if self.stats is not None:
                self.stats.set_value(f"site/{key}/crawl_delay", delay)
        self._apply(key)

    def _per_request(self) -> None:
        """From now on the floor is put back before every request too."""
        if self.signals is not None and not self._connected:
            self._connected = True
            self.signals.connect(self.request_reached_downloader,
                                 signal=signals.request_reached_downloader)

    def request_reached_downloader(self, request, spider=None):
        self._apply(request.meta.get("download_slot"))

    def response_downloaded(self, response, request, spider=None):
        """After AutoThrottle has set the slot's delay from this response."""
        self._apply(request.meta.get("download_slot"))

    def _apply(self, key: str | None) -> None:
        """The slot's delay at least its floor (a slot the downloader dropped
        after a quiet minute comes back with its configured delay)."""
        crawl_delay = self.delays.get(key, 0.0)
        floor = max(crawl_delay, self.site_delays.get(key, 0.0))
        if not floor:
            return
        slot = self.slots().get(key)
        if slot is None:
            return
        if slot.delay < floor:
            slot.delay = floor
        if crawl_delay:                     # no random variation below the Crawl-delay
            slot.jitter = min(slot.jitter, max(0.0, 1.0 - crawl_delay / slot.delay))
