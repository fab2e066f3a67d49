"""Replay archived responses: article pages from WARC files as page items.

:class:`ReplaySpider` sends no request. Its ``start()`` reads the WARC files
written by :mod:`crawler.warc` (``<warc_dir>/<site>/*.warc.gz``) and yields
a :class:`crawler.items.Page` for every response record the crawl would have handed to the pipelines: a
2xx answer whose canonical URL is an article URL of its site, by the site
rules of today. The body is decoded with the same encoding resolution the
spider uses. The pages then go through the project's ``ITEM_PIPELINES``
(extraction, normalization, dedup, archive) exactly as in a crawl.

Each replayed page keeps what the crawl knew: ``fetched_at`` is the record's
``WARC-Date``, ``run_id`` the run that fetched it (the file's ``warcinfo``),
and ``warc_file``/``warc_record_id`` point to the record it came from.

Files are read one run at a time (file name order); within a run the
records of all sites are merged by ``WARC-Date``, the order they were
fetched in, so dedup meets the copies of an article in the crawl's order.
(Extraction runs in a process pool, so copies close together may finish in
another order, in a crawl as in a replay: the set of content hashes is the
same, which copy holds the article row may differ.) A response record cut
short (the last one of a killed run) or failing its digest is skipped.

An article split over several pages (a site's ``[article_pages]``) is
handed over with its later pages, as the crawl hands it over: the later
pages the first page links or counts are looked for in the same run
(:func:`assemble`); one the crawl could not fetch is left out as it was.

``scrapy reprocess`` runs it (crawler/commands/reprocess.py); it is not in
``SPIDER_MODULES``, so ``scrapy list`` does not show it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import logging
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.http import Headers
from warcio.archiveiterator import ArchiveIterator

from crawler.articlepages import later_pages
from crawler.items import Page, Part
from crawler.sites import Site, select_sites, site_for_url
from crawler.urls import canonical_url
from crawler.warc import KIND_FIELD
from pipelines.extract.encoding import content_type_of, resolve

logger = logging.getLogger(__name__)

BATCH = 50  # pages read per trip to the reader thread


def warc_runs(warc_dir: Path, sites: set[str] | None = None) -> list[list[Path]]:
    """The WARC files of these sites (all when ``None``), grouped by file name
    (one group per run and worker: ``<run_id>-<worker>.warc.gz`` in each site
    directory), groups in name order."""
    if not warc_dir.is_dir():
        return []
    groups: dict[str, list[Path]] = {}
    for site_dir in sorted(p for p in warc_dir.iterdir() if p.is_dir()):
        if sites is None or site_dir.name in sites:
            for path in site_dir.glob("*.warc*"):
                if path.name.endswith((".warc", ".warc.gz")):
                    groups.setdefault(path.name, []).append(path)
    return [groups[name] for name in sorted(groups)]


class DamagedRecord(Exception):
    """A response record whose payload is cut short or fails its digest."""


def parse_warc_date(value: str) -> dt.datetime:
    """
    >>> parse_warc_date("2026-01-02T03:04:05.000006Z")
    datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc)
    """
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.timezone.utc)


def _warcinfo(record) -> dict[str, str]:
    fields = {}
    for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def _first_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Header dict as the spider builds it: Scrapy's name casing, first value of each."""
    headers = Headers()
    for name, value in pairs:
        headers.appendlist(name, value)
    return {k.decode("latin-1"): v[0].decode("latin-1") for k, v in headers.items() if v}


def pages_from_warc(path: Path, archive_dir: Path, sites: dict[str, Site],
                    stats: dict | None = None) -> Iterator[Page]:
    """Article pages of one WARC file, as the spider would have yielded them."""
    stats = stats if stats is not None else {}
    try:
        warc_file = path.relative_to(archive_dir).as_posix()
    except ValueError:
        warc_file = str(path)
    run_id = path.name.split(".warc")[0]
    dir_site = sites.get(path.parent.name)
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh, check_digests=True):
                if record.rec_type == "warcinfo":
                    run_id = _warcinfo(record).get("run-id", run_id)
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                stats["responses"] = stats.get("responses", 0) + 1
                try:
                    page = _page(record, dir_site, sites, run_id, warc_file)
                except DamagedRecord as e:
                    stats["damaged"] = stats.get("damaged", 0) + 1
                    logger.warning("replay: %s: skipping incomplete or damaged record %s", path, e)
                    continue
                if page is not None:
                    if not page.part:
                        stats["pages"] = stats.get("pages", 0) + 1
                    yield page
        except Exception as e:  # noqa: BLE001 - warcio raises several types on a cut file
            stats["unreadable"] = stats.get("unreadable", 0) + 1
            logger.error("replay: %s unreadable after %d responses: %s", path,
                         stats.get("responses", 0), e)


def _page(record, dir_site: Site | None, sites: dict[str, Site], run_id: str,
          warc_file: str) -> Page | None:
    raw_url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = int(record.http_headers.get_statuscode() or 0)
    site = dir_site if dir_site and dir_site.owns_url(raw_url) else site_for_url(sites, raw_url)
    if site is None or not 200 <= status < 300:
        return None
    url = canonical_url(raw_url, site.urls.drop_params)
    kind = record.rec_headers.get_header(KIND_FIELD)
    linked = kind == "article"   # an article link
    part = kind == "part" and site.article_pages.enabled   # a later page of one
    if not (linked or part or site.links.is_article(url, raw_url)):
        return None
    body = record.content_stream().read()  # de-chunked and decompressed, as Scrapy gives it
    if record.digest_checker.passed is False or getattr(record.raw_stream, "limit", 0) > 0:
        # the last record of a killed run's file, cut short; or a damaged one
        raise DamagedRecord(f"{record.rec_headers.get_header('WARC-Record-ID')} ({raw_url})")
    pairs = [(k, v) for k, v in record.http_headers.headers
             if k.lower() not in ("content-encoding", "transfer-encoding")]
    headers = _first_values(pairs)
    encoding, source = resolve(body, content_type_of(headers), site.extract.encoding)
    return Page(
        url=url, site=site.id, status=status, headers=headers, body=body,
        encoding=encoding, encoding_source=source,
        fetched_at=parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        run_id=run_id, warc_file=warc_file,
        warc_record_id=record.rec_headers.get_header("WARC-Record-ID"), part=part)


def _later_pages(site: Site, url: str, page: Page) -> dict[str, int]:
    return {u: n for n, u in later_pages(site, url, page.body, content_type_of(page.headers))}


def assemble(pages: Iterator[Page], sites: dict[str, Site]) -> Iterator[Page]:
    """The pages of one run with each article's later pages attached (the
    same rules as the crawl's, on the same bytes); a first page waits for its
    later pages, at most until the end of the run."""
    held: dict[str, tuple[Page, dict[str, int], list[tuple[int, Part]], set[str]]] = {}
    owner_of: dict[str, str] = {}   # a later page's URL -> its first page's

    def done(first: str) -> Page:
        page, _, got, _ = held.pop(first)
        page.parts = [p for _, p in sorted(got, key=lambda np: np[0])]
        return page

    for page in pages:
        site = sites.get(page.site)
        if page.part:
            first = owner_of.pop(page.url, None)
            if first is None or site is None:
                continue   # no first page in this run (or one page listed twice)
            _, expected, got, seen = held[first]
            got.append((expected.pop(page.url), Part(page.url, page.headers, page.body)))
            # as the crawl: every page linked is asked for (a failed one does not
            # count), until max_pages pages are in
            full = len(got) + 1 >= site.article_pages.max_pages
            for url, n in ({} if full else _later_pages(site, first, page)).items():
                if url not in seen:
                    seen.add(url)
                    expected[url] = n
                    owner_of[url] = first
            if full or not expected:
                for url in expected:   # asked for in vain, or never (the crawl stopped)
                    if owner_of.get(url) == first:
                        del owner_of[url]
                yield done(first)
            continue
        expected = _later_pages(site, page.url, page) if site and site.article_pages.enabled \
            else {}
        if expected and page.url not in held:
            held[page.url] = (page, expected, [], set(expected))
            owner_of.update(dict.fromkeys(expected, page.url))
            continue
        yield page
    for first in list(held):   # later pages the crawl could not fetch: left out, as it did
        yield done(first)


_NUDGE_S = 0.1   # seconds between checks of a close held up by start() items (see _nudge)


class ReplaySpider(scrapy.Spider):
    """Yields archived article pages as items; never downloads.

    Scrapy does not hold back items from ``start()``, so the spider does:
    at most ``REPLAY_MAX_PENDING`` pages (default 64) are in the pipelines
    at once, which keeps memory flat however large the WARC files are.
    """

    name = "replay"

    def __init__(self, warc_dir: str, archive_dir: str | None = None, site: str | None = None,
                 sites_dir: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sites: dict[str, Site] = select_sites(sites_dir, site)
        self.warc_dir = Path(warc_dir)
        # warc_file of replayed rows stays relative to the archive that holds the WARC files
        self.archive_dir = Path(archive_dir) if archive_dir else self.warc_dir.parent
        self.read_stats: dict[str, int] = {}
        self.max_pending = 64
        self._sent = self._done = 0
        self._nudging = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_pending = max(crawler.settings.getint("REPLAY_MAX_PENDING", 64), 1)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    def _item_done(self, *args, **kwargs) -> None:
        self._done += 1
        if not self._nudging and self._scraper_closing() is not None:
            self._nudging = True
            asyncio.get_running_loop().call_later(_NUDGE_S, self._nudge)

    def _scraper_closing(self):
        """The scraper's pending close, when the spider is being closed."""
        slot = getattr(getattr(self.crawler.engine, "scraper", None), "slot", None)
        closing = getattr(slot, "closing", None)
        return closing if closing is not None and not closing.called else None

    def _nudge(self) -> None:
        """Work around Scrapy (2.19): a closing scraper checks whether it is idle
        when a response's items finish, never when items from ``start()`` do,
        so closing (Ctrl-C, SIGTERM, ``CLOSESPIDER_*``) with replayed pages in
        the pipelines would wait forever. Until the close goes through, check
        for it again every ``_NUDGE_S`` seconds."""
        if self._scraper_closing() is None:
            self._nudging = False
            return
        check = getattr(self.crawler.engine.scraper, "_check_if_closing", None)
        if check is None:   # a Scrapy without the bug's code path
            return
        check()
        asyncio.get_running_loop().call_later(_NUDGE_S, self._nudge)

    async def _room(self) -> None:
        while self._sent - self._done >= self.max_pending:
            await asyncio.sleep(0.01)

    async def start(self):
        runs = warc_runs(self.warc_dir, set(self.sites))
        logger.info("replay: %d WARC files of %d runs under %s",
                    sum(map(len, runs)), len(runs), self.warc_dir)
        for paths in runs:
            # the sites of one run interleaved as they were fetched
            pages = assemble(heapq.merge(
                *(pages_from_warc(p, self.archive_dir, self.sites, self.read_stats)
                  for p in paths), key=lambda page: page.fetched_at), self.sites)
            while batch := await asyncio.to_thread(lambda: list(islice(pages, BATCH))):
                for page in batch:
                    await self._room()
                    self._sent += 1
                    yield page
            self.crawler.stats.inc_value("replay/files", len(paths))
        for key, value in self.read_stats.items():
            self.crawler.stats.set_value(f"replay/{key}", value)
        logger.info("replay: %d responses read, %d article pages replayed, %d damaged records "
                    "skipped, %d unreadable files", self.read_stats.get("responses", 0),
                    self.read_stats.get("pages", 0), self.read_stats.get("damaged", 0),
                    self.read_stats.get("unreadable", 0))
