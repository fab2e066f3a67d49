"""robots.txt's Crawl-delay holds: a site's requests come at least that far
apart (capped at ROBOTSTXT_CRAWL_DELAY_MAX); with AutoThrottle on, neither it
nor the site's own delay is gone below."""

from __future__ import annotations

import json
import shutil

from scrapy import Request
from scrapy.core.downloader import Slot

from crawler.corpus_server import CorpusServer
from crawler.crawldelay import CrawlDelay
from crawler.sites import SITES_DIR
from tests.conftest import corpus_copy, crawl

A1 = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
A2 = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
INDEX = "http://hebei-gov.test/hbyw/index.html"
ROBOTS = "http://hebei-gov.test/robots.txt"


def _corpus(root, robots: str):
    manifest, articles = corpus_copy(root, (A1, A2))
    (root / "pages" / "index.html").write_text(
        f"<html><body><ul><li><a href='{A1}'>一</a></li><li><a href='{A2}'>二</a></li>"
        "</ul></body></html>", encoding="utf-8")
    (root / "pages" / "robots.txt").write_text(robots)
    html = {"Content-Type": "text/html; charset=utf-8"}
    responses = articles + [
        {"url": INDEX, "file": "index.html", "status": 200, "headers": html},
        {"url": ROBOTS, "file": "robots.txt", "status": 200,
         "headers": {"Content-Type": "text/plain"}}]
    (root / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    return root


def _gaps(tmp_path, robots: str, *args: str) -> tuple[list[float], str]:
    """Seconds between the site's page requests (after robots.txt), and the log."""
    shutil.rmtree(tmp_path / "archive", ignore_errors=True)
    with CorpusServer(_corpus(tmp_path / "corpus", robots)) as server:
        proc = crawl(server.url, tmp_path / "archive", "-a", "site=hebei-gov", *args)
        times = dict(server.corpus.times)
    assert proc.returncode == 0, proc.stderr[-3000:]
    pages = sorted(t for url, ts in times.items() if url != ROBOTS for t in ts)
    assert len(pages) >= 3
    return [b - a for a, b in zip(pages, pages[1:])], proc.stderr


def test_the_site_waits_its_crawl_delay_between_requests(tmp_path):
    gaps, log = _gaps(tmp_path, "User-agent: *\nCrawl-delay: 1.5\nDisallow: /admin/\n")
    assert min(gaps) >= 1.4, gaps                     # the site's own delay is 0.1
    assert "robots.txt of hebei-gov.test asks for Crawl-delay 1.5 s" in log
    gaps, _ = _gaps(tmp_path, "User-agent: *\nDisallow: /admin/\n")
    assert max(gaps) < 1.4, gaps


def test_a_crawl_delay_for_another_agent_or_above_the_maximum():
    class Parser:
        def __init__(self, delay):
            self.delay = delay

        def crawl_delay(self, agent):
            return self.delay if agent == "us" else None

    slot = Slot(2, 0.1, 0.5)
    ext = CrawlDelay("us", 30, slots=lambda: {"site": slot})
    req = Request("http://a.test/x", meta={"download_slot": "site"})
    CrawlDelay("them", 30, slots=lambda: {"site": slot}).robots_parsed(Parser(5), req)
    assert slot.delay == 0.1                          # not ours
    ext.robots_parsed(Parser(600), req)
    assert (slot.delay, slot.jitter) == (30, 0.0)     # capped, no variation below it
    ext.robots_parsed(Parser(2), Request("http://b.a.test/", meta={"download_slot": "site"}))
    assert slot.delay == 30                           # another host of the site: the longest holds
    again = Slot(2, 0.1, 0.5)                         # the slot dropped and made anew
    ext.slots = lambda: {"site": again}
    ext.request_reached_downloader(req)
    assert again.delay == 30


AUTOTHROTTLE = ("-s", "AUTOTHROTTLE_ENABLED=1", "-s", "AUTOTHROTTLE_START_DELAY=0",
                "-s", "AUTOTHROTTLE_TARGET_CONCURRENCY=2")


def test_autothrottle_goes_below_neither_the_site_delay_nor_the_crawl_delay(tmp_path):
    # AutoThrottle sets the delay from the server's latency (here about a
    # millisecond), never below the global DOWNLOAD_DELAY (1 s), but below a
    # site's own longer delay.
    sites = tmp_path / "sites"
    sites.mkdir()
    site = (SITES_DIR / "hebei-gov.toml").read_text(encoding="utf-8")
    (sites / "hebei-gov.toml").write_text(
        site.replace("delay = 0.1", "delay = 1.6\nrandomize_delay = false"), encoding="utf-8")
    gaps, _ = _gaps(tmp_path, "User-agent: *\nDisallow: /admin/\n",
                    "-a", f"sites_dir={sites}", *AUTOTHROTTLE)
    assert min(gaps) >= 1.5, gaps
    gaps, _ = _gaps(tmp_path, "User-agent: *\nCrawl-delay: 1.5\n", *AUTOTHROTTLE)
    assert min(gaps) >= 1.4, gaps                     # the site's own delay is 0.1


def test_the_floor_is_put_back_after_autothrottle_lowers_it():
    slot = Slot(2, 3.0, 0.5)
    ext = CrawlDelay("us", 0, slots=lambda: {"site": slot}, site_delays={"site": 3.0})
    req = Request("http://a.test/x", meta={"download_slot": "site"})
    slot.delay = 0.2                                  # what AutoThrottle set
    ext.response_downloaded(None, req)
    assert (slot.delay, slot.jitter) == (3.0, 0.5)    # the site's random variation stays
    slot.delay = 7.0                                  # a slow server: above the floor
    ext.request_reached_downloader(req)
    assert slot.delay == 7.0

    class Parser:
        def crawl_delay(self, agent):
            return 2

    ext.max_delay = 30
    slot.delay = 3.0
    ext.robots_parsed(Parser(), req)
    assert slot.delay == 3.0                          # the longer site delay stays, varied
    assert slot.delay * (1 - slot.jitter) >= 2        # never below the Crawl-delay
    other = Slot(2, 0.5, 0.5)                         # a slot with no floor is left alone
    ext.slots = lambda: {"other": other}
    ext.response_downloaded(None, Request("http://b.test/", meta={"download_slot": "other"}))
    assert other.delay == 0.5
