"""Run log: per-site counters, the end-of-run summary and ``archive/runs/``.

Counters live in the Scrapy stats under ``site/<id>/...`` (the spider and the
pipelines increment them); this extension adds request/response counts from
signals, and at the end writes one row per (run, site) to
``archive/runs/part-<run_id>-<worker>.parquet`` and logs a summary table.

A site is *broken* when the list pages this process fetched yielded no
article link at all, when article pages were fetched but none gave an
article, or when none of its requests was answered (some failed, none got a
2xx/3xx answer; a dated e-paper day with no issue is no failure, unless every
day of a week or more was one; requests still on the way when a run is
stopped early, by Ctrl-C, SIGTERM or a ``CLOSESPIDER_*`` limit, are neither).
A distributed worker
sees only part of a site's pages (one may get only a list page that has no
article link), so it does not judge. The stat
``runlog/broken_sites`` makes ``scrapy crawl`` exit non-zero.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from array import array
from pathlib import Path

import pyarrow as pa
from scrapy import signals

from crawler.antibot import describe
from crawler.archivestate import GONE
from crawler.items import Page, RefetchLater
from crawler.urls import canonical_url
from pipelines import schema
from pipelines.archive import to_table, worker_id, write_part

logger = logging.getLogger(__name__)
MOVED_DAYS = 7   # dated e-paper days, all 404s, from which a site counts as moved


def site_row(stats: dict, site: str, run_id: str, started, finished,
             extracting: bool = True, whole_site: bool = True) -> dict:
    """One runs-table row from flat stats (``site/<id>/...`` keys).
    ``extracting=False`` (no item pipelines) does not judge empty articles;
    ``whole_site=False`` (a distributed worker, which saw only part of the
    site's pages) does not judge whether the site is broken."""
    prefix = f"site/{site}/"
    mine = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix)}

    def n(key: str) -> int:
        return int(mine.get(key, 0) or 0)

    by_status = {k.split("/", 1)[1]: int(v) for k, v in mine.items() if k.startswith("responses/")}
    by_kind = {k.split("/", 1)[1]: int(v) for k, v in mine.items() if k.startswith("errors/")}
    if n("error"):
        by_kind["extract_error"] = n("error")
    if n("unavailable"):
        by_kind["extract_unavailable"] = n("unavailable")
    article_requests = n("article_requests")
    extracted = n("articles")
    listed = n("pages/start") + n("pages/list")
    judged = extracted + n("empty") + n("error")   # article pages extraction judged
    answered = sum(v for k, v in by_status.items() if k.startswith(("2", "3")))
    # requests that got an outcome: a response (any status) or a download error
    # (timeouts, refused connections...; not an HTTP status, a sitemap or extraction)
    # (a dated e-paper day with no issue, a 404, is no failure of the site)
    outcomes = sum(by_status.values()) - n("no_issue") + sum(
        v for k, v in by_kind.items() if not k.startswith(("http_", "extract_", "sitemap_")))
    no_links = listed > 0 and n("links/article") == 0       # lists without article links
    # every article page empty: judged on 3 or more, or when nothing was known before
    # (not judged when extraction stopped: the pages never got there)
    all_empty = (extracting and judged > 0 and extracted == 0 and not n("unavailable")
                 and (judged >= 3 or n("skipped/known_article") == 0))
    silent = outcomes > 0 and answered == 0                   # nothing answered at all
    # a dated e-paper whose every day of a week or more was a 404: its URLs moved
    moved = n("issue_days") >= MOVED_DAYS and n("no_issue_days") == n("issue_days")
    broken = whole_site and (no_links or all_empty or silent or moved)
    why = ""
    if broken:
        shown = {**by_status, "404": by_status.get("404", 0) - n("no_issue")}
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(shown.items()) if v > 0)
        why = (f"every one of its {n('issue_days')} dated issue pages was a 404 (has the "
               f"e-paper's URL layout changed?)" if moved else
               f"none of its {outcomes} requests was answered"
               + (f" with a page (HTTP {statuses})" if statuses else "") if silent else
               f"its {listed} list pages gave no link matching [links].article (compare the "
               f"regexes with the list pages' hrefs, made absolute)" if no_links else
               f"none of its {judged} article pages gave an article ({n('empty')} empty, "
               f"{n('error')} unparsable): try `scrapy extract --site {site}` on one")
        blocked = {k.split("/", 1)[1]: int(v) for k, v in mine.items() if k.startswith("blocked/")}
        if blocked:   # the likely cause of all the above
            kinds = ", ".join(f"{describe(k)} ({v} page{'s' * (v != 1)})"
                              for k, v in sorted(blocked.items()))
            why = (f"it answered {kinds} instead of its pages (anti-bot): they need a browser, "
                   f"and this crawler runs no JavaScript; {why}")
    return {
        "run_id": run_id, "site": site, "started_at": started, "finished_at": finished,
        "requests": n("requests"), "article_requests": article_requests,
        "articles_new": n("articles_new"), "duplicates": n("duplicates"),
        "near_duplicates": n("near_duplicates"), "empty": n("empty"),
        "errors": sum(by_kind.values()), "broken": broken, "broken_why": why,
        "responses_by_status": by_status, "errors_by_kind": by_kind,
        "schema_version": schema.SCHEMA_VERSION,
    }


def format_summary(rows: list[dict]) -> str:
    head = (f"{'site':<14}{'requests':>9}{'art.pages':>10}{'new':>6}{'dups':>6}"
            f"{'near':>6}{'empty':>6}{'errors':>7}  status")
    lines = [head, "-" * len(head)]
    for r in rows:
        errs = ", ".join(f"{k}={v}" for k, v in sorted(r["errors_by_kind"].items()))
        status = "BROKEN" if r["broken"] else "ok"
        lines.append(f"{r['site']:<14}{r['requests']:>9}{r['article_requests']:>10}"
                     f"{r['articles_new']:>6}{r['duplicates']:>6}{r['near_duplicates']:>6}"
                     f"{r['empty']:>6}{r['errors']:>7}  {status}{'  (' + errs + ')' if errs else ''}")
    return "\n".join(lines)


class Visited:
    """The run's visited rows, column by column (a crawl of many pages keeps
    one URL string and a few machine numbers per page, not a dict each)."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.url: list[str] = []
        self.site: list[str] = []
        self.status = array("h")
        self.fetched_us = array("q")   # microseconds since the epoch, UTC

    def add(self, url: str, site: str, status: int) -> None:
        self.url.append(url)
        self.site.append(site)
        self.status.append(status)
        self.fetched_us.append(time.time_ns() // 1000)

    def __len__(self) -> int:
        return len(self.url)

    def table(self, run_id: str) -> pa.Table:
        n = len(self)
        return pa.table({
            "url": pa.array(self.url, pa.string()), "site": pa.array(self.site, pa.string()),
            "status": pa.array(self.status, pa.int16()),
            "fetched_at": pa.array(self.fetched_us, pa.int64()).cast(
                schema.VISITED.field("fetched_at").type),
            "run_id": pa.array([run_id] * n, pa.string()),
            "schema_version": pa.array([schema.SCHEMA_VERSION] * n, pa.int16()),
        }, schema=schema.VISITED)


class RunLog:
    def __init__(self, archive_dir: str | Path, worker: str, stats):
        self.archive_dir = Path(archive_dir)
        self.worker = worker
        self.stats = stats
        self.started_at = None
        self.rows: list[dict] = []
        self.visited = Visited()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        worker = worker_id(s)
        ext = cls(s.get("ARCHIVE_DIR", "archive"), worker, crawler.stats)
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_done, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_done, signal=signals.item_dropped)
        return ext

    def spider_opened(self, spider):
        self.started_at = dt.datetime.now(dt.timezone.utc)

    def request_reached(self, request, spider):
        site = request.meta.get("site")
        if site:
            self.stats.inc_value(f"site/{site}/requests")
            if request.meta.get("kind") == "article":
                self.stats.inc_value(f"site/{site}/article_requests")

    def response_downloaded(self, response, request, spider):
        """Every response, a 500 before its retry and a 301 before its target included."""
        site = request.meta.get("site")
        if site:
            self.stats.inc_value(f"site/{site}/responses/{response.status}")

    def response_received(self, response, request, spider):
        """The final response of a request (after retries and redirects): an
        article link that is gone (404, 410) is recorded; other error answers
        (403, 412, 429, 5xx) are not, so the next run asks again."""
        site = request.meta.get("site")
        if site and request.meta.get("kind") == "article" and response.status in GONE:
            self._visit(spider, site, response.url, response.status)   # not asked again

    def item_done(self, item, spider, response=None, exception=None):
        """An article page that went through the pipelines (archived, or dropped
        as empty/unparsable). Pages whose processing raised, or that were
        dropped with :class:`RefetchLater`, are not recorded, so the next run
        fetches them again."""
        if isinstance(item, Page) and not isinstance(exception, RefetchLater):
            self.visited.add(item.url, item.site, item.status)   # a Page's URL is canonical

    def _visit(self, spider, site: str, url: str, status: int) -> None:
        drop = spider.sites[site].urls.drop_params if site in getattr(spider, "sites", {}) else ()
        self.visited.add(canonical_url(url, drop), site, status)

    def spider_closed(self, spider, reason):
        finished = dt.datetime.now(dt.timezone.utc)
        stats = self.stats.get_stats()
        run_id = self.crawler.settings.get("RUN_ID", "norun")
        sites = self.crawler.settings.getlist("NEWS_SITES")
        extracting = bool(self.crawler.settings.getdict("ITEM_PIPELINES"))
        whole_site = not self.crawler.settings.get("REDIS_URL")
        self.rows = [site_row(stats, s, run_id, self.started_at, finished, extracting,
                              whole_site) for s in sites]
        broken = [r["site"] for r in self.rows if r["broken"]]
        self.stats.set_value("runlog/broken_sites", len(broken))
        logger.info("run %s finished (%s):\n%s", run_id, reason, format_summary(self.rows))
        if broken:
            logger.error("broken sites (no article links or every article empty): %s",
                         ", ".join(broken))
            for r in self.rows:
                if r["broken"]:
                    logger.error("broken site %s: %s", r["site"], r["broken_why"])
        for site, url, status in getattr(spider, "list_visits", ()):   # failed list pages
            self._visit(spider, site, url, status)
        if self.stats.get_value("archive/write_errors"):
            logger.error("run log: archive writes failed, visited pages not recorded: the "
                         "next run fetches them again")
            self.visited.clear()
        name = f"part-{run_id}-{self.worker}.parquet"
        for table, count, build in (
                ("runs", len(self.rows), lambda: to_table(self.rows, schema.RUNS)),
                ("visited", len(self.visited), lambda: self.visited.table(run_id))):
            if not count:
                continue
            try:
                write_part(self.archive_dir / table, name, build())
            except OSError as e:
                logger.error("run log: %s not written: %s", table, e)
