"""Downloader middlewares of the project.

:class:`RetryAfter` makes a 429 or 503 answer's ``Retry-After`` hold: the
site (its download slot) waits that long before its next request, and
Scrapy's RetryMiddleware retries after the wait; a wait longer than
``RETRY_AFTER_MAX`` seconds is not retried in this run (the next run asks
again).

:class:`MetaRefreshFirstBytes` replaces Scrapy's ``MetaRefreshMiddleware``
(same settings, same redirects). Scrapy's reads ``response.text[:4096]``:
it decodes the whole body, with encoding detection when the page declares
none, in the reactor thread, for every HTML page. Here the raw bytes are
checked first: with no ``refresh`` (any case) and no NUL byte (UTF-16 or
UTF-32 text) in the first 16,384 bytes, which hold the first 4,096 characters in any
ASCII-compatible encoding (4 bytes a character at most), Scrapy's check
cannot find a refresh either, and the page goes on undecoded. The text of
an article page is decoded once, in its extraction worker.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

HEAD_BYTES = 4 * 4096   # Scrapy looks at text[:4096]


def may_refresh(body: bytes) -> bool:
    """``refresh`` in any case, or a NUL byte, in the first ``HEAD_BYTES``
    (``bytes.lower`` and ``in``: a case-blind regex is ten times slower).

    >>> may_refresh(b'<META HTTP-EQUIV="Refresh" CONTENT="0">'), may_refresh(b"<p>x</p>")
    (True, False)
    """
    head = body[:HEAD_BYTES]
    return b"refresh" in head.lower() or b"\x00" in head


class MetaRefreshFirstBytes(MetaRefreshMiddleware):
    def process_response(self, request, response):
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)


def retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` value asks for: delay-seconds or an HTTP
    date; ``None`` when absent or unreadable; a date in the past is 0.

    >>> retry_after(b"120"), retry_after(" 5 "), retry_after(b"soon"), retry_after(None)
    (120.0, 5.0, None, None)
    >>> t = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)
    >>> retry_after("Wed, 02 Dec 2026 08:01:30 GMT", t), retry_after("Wed, 02 Dec 2026 07:00:00 GMT", t)
    (90.0, 0.0)
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfter:
    """Pause a site as long as its 429/503 answer's ``Retry-After`` asks.

    The pause is per download slot (one per site, see the spider): every
    request of the site waits in :meth:`process_request` until it is over,
    the retry of the answer included, and the requests already waiting in
    the slot's queue are held by moving the slot's last download time to the
    pause's end (Scrapy's downloader waits ``delay`` after it; with a delay
    of 0 those few go on). It sits after RetryMiddleware in the
    response path (a higher number), so a wait above ``max_wait`` marks the
    request ``dont_retry`` before Scrapy would retry it too early.
    """

    STATUSES = (429, 503)

    def __init__(self, max_wait: float, stats=None, slots=None):
        self.max_wait = max_wait
        self.stats = stats
        self.slots = slots or dict                   # () -> the downloader's slots
        self.paused_until: dict[str, float] = {}     # slot -> monotonic time

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        max_wait = settings.getfloat("RETRY_AFTER_MAX")
        if max_wait <= 0 or not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_AFTER_MAX is 0 or retries are off")
        return cls(max_wait, crawler.stats, lambda: crawler.engine.downloader.slots)

    @staticmethod
    def _slot(request) -> str:
        return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""

    def process_request(self, request):
        """None at once (no coroutine per request: this runs for every
        page), or, while the request's site is paused, a Deferred that fires
        with None when the pause is over."""
        if not self.paused_until:
            return None
        key = self._slot(request)
        until = self.paused_until.get(key)
        if until is None:
            return None
        wait = until - monotonic()
        if wait <= 0:
            del self.paused_until[key]
            return None
        return deferred_from_coro(sleep(wait))

    def process_response(self, request, response):
        if response.status not in self.STATUSES:
            return response
        wait = retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        key = self._slot(request)
        if wait > self.max_wait:
            logger.warning("%s answered %d asking to come back in %.0f s, more than "
                           "RETRY_AFTER_MAX (%.0f s): not retried in this run",
                           request.url, response.status, wait, self.max_wait)
            request.meta["dont_retry"] = True
            self._inc("retry_after/too_long")
            return response
        until = monotonic() + wait
        if until > self.paused_until.get(key, 0.0):
            self.paused_until[key] = until
            slot = self.slots().get(key)
            if slot is not None:
                slot.lastseen = max(slot.lastseen, until)
            logger.info("%s answered %d with Retry-After %.0f s: site %s paused",
                        request.url, response.status, wait, key)
            self._inc("retry_after/paused")
        return response

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
