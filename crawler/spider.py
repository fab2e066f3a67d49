"""The one spider. Every site's quirks come from ``settings/sites/<id>.toml``.

The spider only navigates: start URLs, sitemaps and list pages are followed by
the site's link rules; article pages become :class:`crawler.items.Page` items
for the pipelines, with the later pages of an article split over several
pages (``[article_pages]``, :mod:`crawler.articlepages`) fetched with the
first. It never extracts text.

Arguments: ``-a site=ID[,ID...]`` (default: every site), ``-a full=1``
(refetch everything, ignoring what the archive already has),
``-a since=YYYY-MM-DD`` (skip older article links, stop paging past older
lists), ``-a until=YYYY-MM-DD`` (skip newer article links; dated e-paper
templates end that day instead of today, and with ``since`` start on it),
``-a sites_dir=PATH`` (another directory of site files); checked in :mod:`crawler.args`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from pathlib import Path

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.antibot import challenge, describe
from crawler.archivestate import archive_state
from crawler.args import check_args, china_today, date_window, log_dated
from crawler.articlepages import fetch_later_pages, part_urls
from crawler.items import Page, Part, headers_of
from crawler.listpages import json_as_html, lastmod_day, link_dates, sitemap_date
from crawler.sites import Site, select_sites
from crawler.unfinished import Runs
from crawler.urls import canonical_url
from pipelines.extract.encoding import resolve

logger = logging.getLogger(__name__)


SMALL_PAGE = 20_000   # bytes: an article answer this short may be an anti-bot challenge
LIST_PRIORITY = -1   # below articles (0)


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true", "yes", "on")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, site: str | None = None, full=None, since: str | None = None,
                 until: str | None = None, sites_dir: str | None = None, **kwargs):
        check_args(kwargs)
        super().__init__(**kwargs)
        # an invalid file of a site not asked for by name is skipped (logged at
        # the start, counted as sites/invalid_files: the crawl exits 3), not fatal
        self.invalid_site_files: list = []
        self.sites: dict[str, Site] = select_sites(sites_dir, site, self.invalid_site_files)
        self.full = _flag(full)
        self.since, self.until = date_window(since, until)
        self.allowed_domains = sorted({h for s in self.sites.values() for h in s.hosts})
        self._extractors = {
            sid: LinkExtractor(restrict_xpaths=s.links.restrict_xpaths, tags=("a", "area"),
                               attrs=("href",), unique=True)
            for sid, s in self.sites.items()}
        self._list_pages: dict[str, int] = dict.fromkeys(self.sites, 0)
        self._challenges: set[tuple[str, str]] = set()   # (site, kind) logged
        # list pages whose outcome the run log keeps in visited: (site, URL, status, 0:
        # no answer) of each that failed, and of each failed before that answered now
        self.list_visits: list[tuple[str, str, int]] = []
        self.retry_lists: dict[str, set[str]] = {}   # failed in earlier runs: asked again
        self.known_urls: set[str] = set()   # filled by the archive at open (incremental runs)
        self.runs: Runs | None = None   # this run's unfinished-run marker (crawler.unfinished)
        self.catching_up: set[str] = set()   # sites an earlier run left unfinished
        self.run_id = ""

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.run_id = settings.get("RUN_ID") or new_run_id()
        settings.set("RUN_ID", spider.run_id, priority="spider")
        settings.set("NEWS_SITES", sorted(spider.sites), priority="spider")
        # Per-site politeness, one download slot per site. A global value given
        # on the command line (-s DOWNLOAD_DELAY=..., -s CONCURRENT_REQUESTS_PER_DOMAIN=...)
        # still wins.
        cmdline = SETTINGS_PRIORITIES["cmdline"]
        delay_cli = settings.getpriority("DOWNLOAD_DELAY") >= cmdline
        conc_cli = settings.getpriority("CONCURRENT_REQUESTS_PER_DOMAIN") >= cmdline
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        for sid, site in spider.sites.items():
            p = site.politeness
            slots.setdefault(sid, {
                "delay": settings.getfloat("DOWNLOAD_DELAY") if delay_cli else p.delay,
                "concurrency": (settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
                                if conc_cli else p.concurrency),
                "jitter": 0.5 if p.randomize_delay else 0.0,
            })
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    # --- requests ----------------------------------------------------------

    def _request(self, site: Site, url: str, kind: str, meta_extra: dict | None = None,
                 **kw) -> scrapy.Request:
        headers = dict(site.headers)
        if kind == "list":
            headers.update(site.pagination.headers)
            # Articles before more list pages: the queue then holds about one
            # list page's links per site, not every link of the whole pagination.
            kw.setdefault("priority", LIST_PRIORITY)
        return scrapy.Request(
            url, callback=kw.pop("callback", self.parse_page), errback=self.on_error,
            headers=headers or None,
            meta={"site": site.id, "kind": kind, "download_slot": site.id, **(meta_extra or {})},
            **kw)

    async def start(self):
        for error in self.invalid_site_files:
            logger.error("site file skipped, its site is not crawled: %s", error)
        if self.invalid_site_files:
            self.crawler.stats.set_value("sites/invalid_files", len(self.invalid_site_files))
        settings = self.crawler.settings
        archive = Path(settings.get("ARCHIVE_DIR", "archive"))
        self.runs = Runs.of_crawl(self.crawler, self.run_id, self.sites)
        self.catching_up = await asyncio.to_thread(self.runs.open)
        if not self.full:
            self.known_urls, self.retry_lists = await asyncio.to_thread(
                archive_state, archive, self.sites)
            logger.info("incremental run: %d URLs already archived or visited are skipped "
                        "(-a full=1 refetches); %d list pages that failed before are asked "
                        "again", len(self.known_urls), sum(map(len, self.retry_lists.values())))
        last, first = self.template_days()
        for site in self.sites.values():
            log_dated(site, self.since, self.until, last, first)
            for url, dated in site.expand_start_urls(last, first):
                if dated:   # one URL per day: an e-paper issue's first page
                    self._count(site, "issue_days")
                yield self._request(site, url, "start",
                                    meta_extra={"issue": "day"} if dated else None)
            pages = site.template_pages(last, first)
            page_meta = {"issue": "page"} if "{date" in site.pagination.template else None
            if len(pages) > site.pagination.max_pages:
                self._count(site, "skipped/max_pages")
                logger.warning("%s: %d template list pages, only the first %d requested "
                               "([pagination] max_pages)", site.id, len(pages),
                               site.pagination.max_pages)
            for url in pages[:site.pagination.max_pages]:
                self._list_pages[site.id] += 1
                yield self._request(site, url, "list", meta_extra={**(page_meta or {}),
                                                                   "generated": True})
            for url in site.sitemap_urls:
                yield self._request(site, url, "sitemap", callback=self.parse_sitemap)
            for url in sorted(self.retry_lists.get(site.id, ())):   # the articles behind them
                self._count(site, "retried_lists")
                yield self._request(site, url, "list")

    def closed(self, reason: str) -> None:
        """A run finished, every write done: its unfinished-run marker goes."""
        stats = self.crawler.stats
        if self.runs is not None and reason == "finished" and not (
                stats.get_value("archive/rows_lost") or stats.get_value("extract/stopped")):
            self.runs.settle()

    def template_days(self) -> tuple[dt.date, dt.date | None]:
        """(last day, first day or None) of ``{date:…}`` templates: the last
        ``start_days`` days up to today; with ``until``, up to that day, and
        from ``since`` when both are given (``since`` alone leaves them be,
        so a nightly run with a fixed ``since`` does not fetch every issue
        back to it)."""
        return self.until or china_today(), (self.since if self.until else None)

    # --- callbacks ---------------------------------------------------------

    def parse_sitemap(self, response):
        site = self.sites[response.meta["site"]]
        body = response.body
        if response.url.endswith("robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield self._request(site, url, "sitemap", callback=self.parse_sitemap)
            return
        try:
            entries = Sitemap(body)
        except Exception as e:  # lxml raises several types on junk
            logger.warning("sitemap %s unreadable: %s", response.url, e)
            self._count(site, "errors/sitemap_unreadable")
            return
        for entry in entries:
            loc = entry.get("loc", "")
            lastmod = lastmod_day(entry.get("lastmod", ""))
            if entries.type == "sitemapindex":
                if self.since and lastmod and lastmod < self.since:   # nothing changed since
                    self._count(site, "skipped/sitemap_older_than_since")
                    continue
                yield self._request(site, loc, "sitemap", callback=self.parse_sitemap)
            else:
                when = sitemap_date(loc, lastmod, self.since) if self.since or self.until else None
                try:
                    dates = {canonical_url(loc, site.urls.drop_params): when} if when else None
                except ValueError:   # a malformed URL: _follow leaves it out
                    dates = None
                yield from self._follow(site, [loc], dates=dates)

    def parse_page(self, response):
        """A plain generator; for an article page of a site with
        ``[article_pages]`` an async one, which fetches the later pages first
        (a callback's output is judged by its type)."""
        site = self.sites[response.meta["site"]]
        url = canonical_url(response.url, site.urls.drop_params)
        if site.article_pages.enabled and _is_article(site, response, url):
            return self._parse_with_parts(site, url, response)
        return self._parse(site, url, response)

    async def _parse_with_parts(self, site: Site, url: str, response):
        parts = []
        if not (len(response.body) < SMALL_PAGE
                and challenge(response.status, response.body, True)):   # the page itself
            parts = await fetch_later_pages(self, site, url, response)
        for out in self._parse(site, url, response, parts):
            yield out

    def _parse(self, site: Site, url: str, response, parts: list[Part] | None = None):
        kind = response.meta["kind"]
        self._count(site, f"pages/{kind}")
        article = _is_article(site, response, url)
        if article:
            if len(response.body) < SMALL_PAGE and self._challenged(
                    site.id, response.url, response.status, response.body, page=True):
                return   # not the article: not recorded, asked again next run
            # the encoding is resolved with the extraction, in its worker process
            page = self._page(site, url, response)
            page.parts = parts or []
            yield page
        if kind == "article" and not site.links.follow_from_articles:
            return
        asked = canonical_url(_asked(response), site.urls.drop_params)
        if asked in self.retry_lists.get(site.id, ()):   # failed before, answered now
            self.list_visits.append((site.id, asked, response.status))
        if not isinstance(response, TextResponse):
            return
        encoding, _ = resolve(response.body, _header(response, b"Content-Type"),
                              site.extract.encoding)
        response = response.replace(encoding=encoding)
        text = response.text
        response = json_as_html(response) or response   # a list answered with JSON/XML data
        links = [link.url for link in self._extractors[site.id].extract_links(response)]
        # pages only a script links (TRS createPageHTML); on an article page
        # (follow_from_articles) the same script counts the article's own pages
        counted = None   # the next page the count says exists, and the count for the one after
        if site.pagination.count_regex and not article:
            nxt, count = site.next_counted_page(text, response.url, response.meta.get("page_count"))
            if nxt:
                links.append(nxt)
                counted = (canonical_url(nxt, site.urls.drop_params), count)
        if article and site.article_pages.enabled:   # its later pages are in this row already
            later = {u for _, u in part_urls(site.article_pages, url, text, site.urls.drop_params)}
            links = [u for u in links if canonical_url(u, site.urls.drop_params) not in later]
        if not links:
            self._challenged(site.id, response.url, response.status, response.body)
        dates = link_dates(response, site.urls.drop_params)   # (also an undated article's date)
        issue_dir = response.url.rsplit("/", 1)[0] + "/" if response.meta.get("issue") else None
        yield from self._follow(site, links, response.meta.get("stale", 0), dates, issue_dir, counted)

    def _follow(self, site: Site, links: list[str], stale: int = 0, dates: dict | None = None,
                issue_dir: str | None = None, counted: tuple | None = None):
        """Requests for a page's article and list links. Incremental runs: known
        article URLs are not requested again, and a list page whose article
        links are all known (or, with ``since``, all older than that date) only
        leads to ``pagination.extra_pages`` more list pages. Links dated after
        ``until`` are not requested either, but paging goes on past them. An
        issue page's list links in its own directory (``issue_dir``) are always
        followed, as issue pages: the issue's other pages, not older ones (a
        literal e-paper start URL needs ``extra_pages``). ``counted``: (the
        next counted page, the page count it carries on).
        """
        articles, lists = [], []
        for link in links:
            if not site.owns_url(link) or site.links.is_denied(link):
                continue
            url = canonical_url(link, site.urls.drop_params)
            if site.links.is_article(url, link):
                articles.append((url, (dates or {}).get(url)))
            elif site.links.is_list(url, link):
                lists.append(url)
        fresh = newer = 0
        for url, when in dict(articles).items():
            self._count(site, "links/article")
            if self.until and when and when > self.until:   # known or not: the window is further on
                self._count(site, "skipped/newer_than_until")
                newer += 1
                continue
            if not self.full and url in self.known_urls:
                self._count(site, "skipped/known_article")
                continue
            if self.since and when and when < self.since:
                self._count(site, "skipped/older_than_since")
                continue
            fresh += 1
            yield self._request(site, url, "article", meta_extra={"list_date": when} if when else None)
        stale = (stale + 1 if articles and not fresh and not newer and not self.full
                 and site.id not in self.catching_up else 0)
        stopped = stale > site.pagination.extra_pages
        for url in dict.fromkeys(lists):
            sibling = issue_dir is not None and url.startswith(issue_dir)
            if stopped and not sibling:
                self._count(site, "skipped/pagination_stopped")
                continue
            if self._list_pages[site.id] >= site.pagination.max_pages:
                self._count(site, "skipped/max_pages")
                return
            self._list_pages[site.id] += 1
            meta = {"stale": 0, "issue": "page"} if sibling else {"stale": stale}
            if counted and url == counted[0]:   # its page count goes with it (an AJAX page has none)
                meta["page_count"] = counted[1]
            yield self._request(site, url, "list", meta_extra=meta)

    def _page(self, site: Site, url: str, response) -> Page:
        return Page(
            url=url, site=site.id, status=response.status,
            headers=headers_of(response),
            body=response.body,
            fetched_at=dt.datetime.now(dt.timezone.utc), run_id=self.run_id,
            # set by the WARC extension when it recorded this response
            warc_file=response.meta.get("warc_file"),
            warc_record_id=response.meta.get("warc_record_id"), list_date=response.meta.get("list_date"))

    def on_error(self, failure):
        request = failure.request
        site_id = request.meta.get("site", "?")
        if failure.check(HttpError):
            status = failure.value.response.status
            issue = request.meta.get("issue")
            if status == 404 and issue:   # an e-paper day without an issue, or a short issue
                self.crawler.stats.inc_value(f"site/{site_id}/no_issue")
                if issue == "day":
                    self.crawler.stats.inc_value(f"site/{site_id}/no_issue_days")
                logger.info("%s: no issue at %s (404)", site_id, _asked(request))
                return
            kind = f"http_{status}"
            self._challenged(site_id, request.url, status, failure.value.response.body)
        else:
            status = 0
            kind = failure.type.__name__ if failure.type else "unknown"
        # a linked list page is asked again next run (start and template pages are anyway;
        # not one robots.txt forbids)
        forbidden = failure.check(IgnoreRequest) and not failure.check(HttpError)
        if request.meta.get("kind") == "list" and not request.meta.get("generated") \
                and not forbidden:
            self.list_visits.append((site_id, _asked(request), status))
        self.crawler.stats.inc_value(f"site/{site_id}/errors/{kind}")
        logger.warning("%s: %s failed: %s", site_id, request.url, kind)

    def _challenged(self, site_id: str, url: str, status: int, body: bytes,
                    page: bool = False) -> bool:
        """Count an anti-bot challenge answered instead of a page (``blocked/<key>``);
        log it once per site and kind. True when it was one."""
        key = challenge(status, body, page)
        if key is None:
            return False
        self.crawler.stats.inc_value(f"site/{site_id}/blocked/{key}")
        if (site_id, key) not in self._challenges:
            self._challenges.add((site_id, key))
            logger.warning("%s: %s answered %s instead of the page (anti-bot): the pages "
                           "behind it need a browser, and this crawler runs no JavaScript",
                           site_id, url, describe(key))
        return True

    def _count(self, site: Site, key: str) -> None:
        self.crawler.stats.inc_value(f"site/{site.id}/{key}")


def _is_article(site: Site, response, url: str) -> bool:
    """An article link (matched as written or canonical), unless it led
    elsewhere; a start or sitemap page by its URL."""
    kind = response.meta["kind"]
    return (kind == "article" and not response.meta.get("redirect_urls")) or (
        kind != "list" and site.links.is_article(url, response.url))


def _asked(r) -> str:
    """The URL a request or response was first asked for (before redirects)."""
    return (r.meta.get("redirect_urls") or [r.url])[0]


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
