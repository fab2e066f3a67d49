"""The extraction worker pool: workers recycled after a number of pages, and a
worker that dies mid-page costs that page only (logged, dropped with its
reason), never the crawl."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os

import pytest
from scrapy.exceptions import DropItem

from crawler.items import Page, RefetchLater
from crawler.sites import load_sites
from pipelines.extraction import ExtractionPipeline
from tests.conftest import CORPUS

URL = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
FILE = "hebei-gov.test/hbyw/202203/t20220323_2713568.html"


class _Stats:
    def __init__(self):
        self.values: dict[str, int] = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key, value):
        self.values[key] = value


class KillsTheWorker:
    """Unpickled in the worker process, it ends that process at once."""

    def __reduce__(self):
        return (os._exit, (1,))


def page() -> Page:
    return Page(url=URL, site="hebei-gov", status=200,
                headers={"Content-Type": "text/html; charset=utf-8"},
                body=(CORPUS / "pages" / FILE).read_bytes(),
                fetched_at=dt.datetime(2022, 3, 24, tzinfo=dt.timezone.utc), run_id="r")


def stage(**kw) -> ExtractionPipeline:
    return ExtractionPipeline(load_sites(), workers=1, stats=_Stats(), **kw)


def test_pool_is_recycled_and_pages_keep_flowing():
    s = stage(recycle_after=3)

    async def go():
        s.open_spider()
        pids, results = [], []
        for _ in range(7):
            item = await s.process_item(page())
            pids.append(tuple(w.process.pid for w in s._pool._workers))
            results.append(item.articles)
        s.close_spider()
        return pids, results

    pids, results = asyncio.run(go())
    assert s.stats.values["extract/workers_started"] == 3   # pages 1-3, 4-6, 7
    assert len(set(pids)) == 3
    assert all(r and r[0]["text"] == results[0][0]["text"] for r in results)
    assert s.stats.values["extract/articles"] == 7


def test_a_dying_worker_costs_one_page(caplog):
    s = stage()
    s.sites = {**s.sites, "killer": KillsTheWorker()}

    async def go():
        s.open_spider()
        first = await s.process_item(page())
        bad = page()
        bad.site = "killer"
        with pytest.raises(DropItem, match="worker died"):
            await s.process_item(bad)
        after = await s.process_item(page())
        s.close_spider()
        return first, after

    with caplog.at_level(logging.ERROR, logger="pipelines.extraction"):
        first, after = asyncio.run(go())
    assert after.articles and after.articles[0]["text"] == first.articles[0]["text"]
    assert "died" in caplog.text and URL in caplog.text
    assert s.stats.values["extract/error"] == 1
    assert s.stats.values["extract/workers_died"] == 2     # the page and its retry


def test_recycling_while_pages_are_in_flight(caplog):
    """Twelve pages at once through a pool recycled every four: every page is
    extracted (none cancelled, none run inline in the reactor)."""
    s = stage(recycle_after=4, max_pending=6)

    async def go():
        s.open_spider()
        items = await asyncio.gather(*(s.process_item(page()) for _ in range(12)))
        s.close_spider()
        return items

    items = asyncio.run(go())
    assert all(item.articles for item in items)
    # retired after pages 4, 8 and 12, each replaced at once
    assert s.stats.values["extract/workers_started"] == 4
    assert s.stats.values.get("extract/workers_died", 0) == 0
    assert s._inline is None
    assert s.stats.values["extract/articles"] == 12


def test_pages_queued_behind_a_killer_page_are_not_lost(caplog):
    """One worker, a page that kills it at the head of its queue and three
    good pages behind it: the good pages never ran when the worker died, so
    they are sent again (not counted as attempts) and all come out; only the
    killer page is dropped, after its one retry."""
    s = stage(max_pending=8)
    s.sites = {**s.sites, "killer": KillsTheWorker()}

    async def go():
        s.open_spider()
        bad = page()
        bad.site = "killer"
        results = await asyncio.gather(s.process_item(bad), *(s.process_item(page()) for _ in range(3)),
                                       return_exceptions=True)
        s.close_spider()
        return results

    with caplog.at_level(logging.ERROR):
        killer, *good = asyncio.run(go())
    assert isinstance(killer, DropItem) and "worker died" in str(killer)
    assert all(not isinstance(g, Exception) and g.articles for g in good), good
    assert s.stats.values["extract/articles"] == 3
    assert s.stats.values["extract/error"] == 1
    assert s.stats.values["extract/workers_died"] == 2


def test_a_pool_that_cannot_start_stops_the_crawl_and_drops_nothing_for_good(caplog):
    """Workers that die before they are ready (a broken install): the pool gives
    up, the page is dropped with RefetchLater (not recorded as visited) and the
    crawl is asked, once, to stop with the reason extraction_unavailable."""
    stops = []
    s = stage(nice="not a number", stop_crawl=stops.append)

    async def go():
        s.open_spider()
        results = await asyncio.gather(*(s.process_item(page()) for _ in range(3)),
                                       return_exceptions=True)
        s.close_spider()
        return results

    with caplog.at_level(logging.ERROR):
        results = asyncio.run(go())
    assert all(isinstance(r, RefetchLater) and "not recorded as visited" in str(r)
               for r in results), results
    assert stops == ["extraction_unavailable"]
    assert s.stats.values["extract/unavailable"] == 3
    assert s.stats.values["extract/stopped"] == 1
    assert "extract/error" not in s.stats.values
    assert "giving up" in caplog.text


def test_a_page_in_the_log_is_its_url_not_its_bytes():
    """Scrapy logs a dropped item with its repr: the page's HTML stays out."""
    text = repr(page())
    assert URL in text and len(text) < 400 and "<html" not in text.lower()


CRAWL_PROCESS_IMPORTS = """
import json, sys
from scrapy.cmdline import _get_commands_dict
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings
settings = get_project_settings()
_get_commands_dict(settings, inproject=True)          # Scrapy imports every command module
SpiderLoader.from_settings(settings).load("news")
for key in ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES"):
    for path in settings.getdict(key):
        load_object(path)
print(json.dumps(sorted(sys.modules)))
"""


def test_crawl_process_does_not_load_the_extraction_code():
    """With workers, trafilatura, OpenCC and pypinyin's tables (some 60 MB)
    live in the worker processes only; the crawl process names the worker's
    functions instead of importing them."""
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run([sys.executable, "-c", CRAWL_PROCESS_IMPORTS], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = set(json.loads(proc.stdout.splitlines()[-1]))
    assert "pipelines.extraction" in loaded and "crawler.spider" in loaded
    assert "pipelines.extract.encoding" in loaded          # list pages are decoded here
    heavy = {"trafilatura", "opencc", "pypinyin", "pipelines.page", "pipelines.normalize",
             "pipelines.extract.core"}
    assert not heavy & loaded


def test_a_content_hint_that_matches_nothing_is_counted_and_warned_once(caplog):
    """A site that changed its templates: its content_xpath matches nothing,
    the generic rules run, and the crawl says so (once per site and hint)."""
    import dataclasses

    sites = load_sites()
    hebei = sites["hebei-gov"]
    sites["hebei-gov"] = dataclasses.replace(hebei, extract=dataclasses.replace(
        hebei.extract, content_xpath="//div[@id='zoom-was-renamed']"))
    s = ExtractionPipeline(sites, workers=0, stats=_Stats())

    async def go():
        s.open_spider()
        items = [await s.process_item(page()) for _ in range(2)]
        s.close_spider()
        return items

    with caplog.at_level(logging.WARNING, logger="pipelines.extraction"):
        items = asyncio.run(go())
    assert all(it.articles and "_hints_missed" not in it.articles[0] for it in items)
    assert s.stats.values["site/hebei-gov/hint_missed/content_xpath"] == 2
    warned = [r.getMessage() for r in caplog.records if "matched nothing" in r.getMessage()]
    assert len(warned) == 1 and warned[0].startswith(
        "hebei-gov: [extract].content_xpath matched nothing on " + URL)
    # the site's own hint matches: nothing said
    s = ExtractionPipeline(load_sites(), workers=0, stats=_Stats())
    asyncio.run(s.process_item(page()))
    assert not any(k.endswith("hint_missed/content_xpath") for k in s.stats.values)
    # an article_xpath that matches nothing: no article, and said too
    sites["hebei-gov"] = dataclasses.replace(hebei, extract=dataclasses.replace(
        hebei.extract, article_xpath="//div[@class='story-was-renamed']"))
    s = ExtractionPipeline(sites, workers=0, stats=_Stats())
    with pytest.raises(DropItem, match="extract/empty"):
        asyncio.run(s.process_item(page()))
    assert s.stats.values["site/hebei-gov/hint_missed/article_xpath"] == 1
