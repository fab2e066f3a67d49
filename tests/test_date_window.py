"""`-a since` / `-a until`: a window of days for a crawl, back issues of a
dated e-paper included (real `scrapy crawl` runs against the corpus server)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from crawler.corpus_server import CorpusServer
from crawler.sites import load_site
from crawler.args import date_window
from tests.conftest import CORPUS, ROOT, crawl

EPAPER_DAY = "http://sjz-epaper.test/html/{date:%Y-%m/%d}/node_1.htm"


def urls_of(site, today, since=None):
    return [url for url, _ in site.expand_start_urls(today, since)]


def test_dated_templates_cover_the_window(tmp_path):
    text = (ROOT / "settings" / "sites" / "sjz-epaper.toml").read_text(encoding="utf-8")
    text = text.replace('start_urls = ["http://sjz-epaper.test/index.htm"]',
                        f'start_urls = ["{EPAPER_DAY}"]\nstart_days = 2')
    path = tmp_path / "sjz-epaper.toml"
    path.write_text(text, encoding="utf-8")
    site = load_site(path)
    day = dt.date(2022, 3, 29)
    assert urls_of(site, day) == [            # start_days back from the last day
        "http://sjz-epaper.test/html/2022-03/29/node_1.htm",
        "http://sjz-epaper.test/html/2022-03/28/node_1.htm"]
    assert urls_of(site, day, since=dt.date(2022, 3, 25))[-1] == (
        "http://sjz-epaper.test/html/2022-03/25/node_1.htm")
    assert len(urls_of(site, day, since=dt.date(2022, 3, 25))) == 5
    assert len(urls_of(site, day, since=day)) == 1


def test_date_arguments_are_checked():
    today = dt.date(2026, 12, 1)
    assert date_window("2022-03-01", None, today) == (dt.date(2022, 3, 1), None)
    for since, until, message in (("yesterday", None, "-a since=yesterday is not a date"),
                                  (None, "2026-12-02", "-a until=2026-12-02 is in the future"),
                                  ("2022-03-02", "2022-03-01", "comes after")):
        with pytest.raises(ValueError, match=message):
            date_window(since, until, today)


def test_back_issues_of_a_dated_epaper_from_the_command_line(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "sjz-epaper.toml").read_text(encoding="utf-8")
    (sites / "sjz-epaper.toml").write_text(
        text.replace('start_urls = ["http://sjz-epaper.test/index.htm"]',
                     f'start_urls = ["{EPAPER_DAY}"]'), encoding="utf-8")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", f"sites_dir={sites}",
                     "-a", "since=2022-03-28", "-a", "until=2022-03-29")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert hits["http://sjz-epaper.test/html/2022-03/29/node_1.htm"] == 1
    assert hits["http://sjz-epaper.test/html/2022-03/28/node_1.htm"] == 1   # no issue: a 404
    assert "no issue at http://sjz-epaper.test/html/2022-03/28/node_1.htm (404)" in proc.stderr
    assert "http://sjz-epaper.test/html/2022-03/30/node_1.htm" not in hits
    assert hits["http://sjz-epaper.test/html/2022-03/29/content_123457.htm"] == 2   # fails once
    urls = set(pd.read_parquet(tmp_path / "a" / "articles")["url"])
    assert "http://sjz-epaper.test/html/2022-03/29/content_123457.htm" in urls


def test_until_skips_newer_articles(tmp_path):
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", "site=hebei-gov", "-a", "until=2022-03-25")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html" not in hits
    assert hits["http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"] == 1
    assert "skipped/newer_than_until" in proc.stderr


def test_a_bad_date_is_one_clear_error(corpus_server, tmp_path):
    proc = crawl(corpus_server.url, tmp_path / "a", "-a", "since=2022-3-1")
    assert proc.returncode == 1
    assert "scrapy: error: -a since=2022-3-1 is not a date (YYYY-MM-DD)" in proc.stderr
    assert "Traceback" not in proc.stderr


class _Stats:
    def __init__(self):
        self.values: dict[str, int] = {}

    def inc_value(self, key):
        self.values[key] = self.values.get(key, 0) + 1

    def get_value(self, key, default=None):
        return self.values.get(key, default)


def _spider(**kw):
    from crawler.spider import NewsSpider

    spider = NewsSpider(**{"site": "hebei-gov", **kw})
    spider.crawler = SimpleNamespace(stats=_Stats())
    return spider


NEWER = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
NEXT_LIST = "http://hebei-gov.test/hbyw/index_1.html"


@pytest.mark.parametrize("known", [False, True])
def test_a_list_of_links_newer_than_until_leads_on_even_when_they_are_archived(known):
    spider = _spider(until="2022-03-25")
    spider.known_urls = {NEWER} if known else set()
    requests = list(spider._follow(spider.sites["hebei-gov"], [NEWER, NEXT_LIST], 0,
                                   {NEWER: dt.date(2022, 3, 28)}))
    assert [r.url for r in requests] == [NEXT_LIST]
    assert requests[0].meta["stale"] == 0
    assert spider.crawler.stats.values["site/hebei-gov/skipped/newer_than_until"] == 1


def test_known_links_inside_the_window_still_stop_paging():
    spider = _spider(until="2022-03-30")
    spider.known_urls = {NEWER}
    requests = list(spider._follow(spider.sites["hebei-gov"], [NEWER, NEXT_LIST], 0,
                                   {NEWER: dt.date(2022, 3, 28)}))
    assert requests == []   # extra_pages = 0: an all-known list page ends the paging
    assert spider.crawler.stats.values["site/hebei-gov/skipped/pagination_stopped"] == 1


def test_dated_templates_follow_until_and_since_only_with_until():
    assert _spider(since="2022-03-01").template_days()[1] is None   # a nightly since: as before
    assert _spider(until="2022-03-29").template_days() == (dt.date(2022, 3, 29), None)
    assert _spider(since="2022-03-01", until="2022-03-29").template_days() == (
        dt.date(2022, 3, 29), dt.date(2022, 3, 1))


ISSUE_DIR = "http://sjz-epaper.test/html/2022-03/29/"
KNOWN = ISSUE_DIR + "content_123456.htm"


def test_an_issue_page_leads_to_the_issue_s_other_pages_even_when_all_known():
    """A run stopped after an issue's first page: the next one must fetch the
    rest. The list links of an issue page in its own directory are the
    issue's other pages (followed as issue pages, however they link on);
    another day's issue is not."""
    spider = _spider(site="sjz-epaper")
    spider.known_urls = {KNOWN}
    site = spider.sites["sjz-epaper"]
    object.__setattr__(site.pagination, "extra_pages", 0)   # the rule, not the site file
    links = [KNOWN, ISSUE_DIR + "node_2.htm", "http://sjz-epaper.test/html/2022-03/28/node_1.htm"]
    requests = list(spider._follow(site, links, 0, {}, issue_dir=ISSUE_DIR))
    assert [(r.url, r.meta["issue"], r.meta["stale"]) for r in requests] == [
        (ISSUE_DIR + "node_2.htm", "page", 0)]
    assert spider.crawler.stats.values["site/sjz-epaper/skipped/pagination_stopped"] == 1
    assert list(spider._follow(site, links, 0, {})) == []   # not an issue page: the usual stop


def test_dated_start_urls_are_marked_as_issue_pages(tmp_path):
    import asyncio

    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "sjz-epaper.toml").read_text(encoding="utf-8")
    text = text.replace("extra_pages = 1", "extra_pages = 1\ntemplate = "
                        "'http://sjz-epaper.test/html/{date:%Y-%m/%d}/node_{page}.htm'\n"
                        "first = 2\nlast = 2")
    (sites / "sjz-epaper.toml").write_text(text.replace(
        'start_urls = ["http://sjz-epaper.test/index.htm"]',
        f'start_urls = ["{EPAPER_DAY}", "http://sjz-epaper.test/index.htm"]'), encoding="utf-8")
    from crawler.spider import NewsSpider

    from scrapy.settings import Settings

    spider = NewsSpider(full="1", sites_dir=str(sites), until="2022-03-29")
    spider.crawler = SimpleNamespace(stats=_Stats(),
                                     settings=Settings({"ARCHIVE_DIR": str(tmp_path / "a")}))

    async def collect():
        return [r async for r in spider.start()]

    marks = {r.url: r.meta.get("issue", False) for r in asyncio.run(collect())}
    assert marks == {"http://sjz-epaper.test/html/2022-03/29/node_1.htm": "day",
                     "http://sjz-epaper.test/html/2022-03/29/node_2.htm": "page",
                     "http://sjz-epaper.test/index.htm": False}
    assert spider.crawler.stats.values == {"site/sjz-epaper/issue_days": 1}


def test_a_misspelt_argument_is_one_clear_error(corpus_server, tmp_path):
    proc = crawl(corpus_server.url, tmp_path / "a", "-a", "snice=2022-03-01")
    assert proc.returncode == 1
    assert "scrapy: error: unknown spider argument -a snice= (known: site, full" in proc.stderr
    assert "Traceback" not in proc.stderr


def _dated_site(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    text = (ROOT / "settings" / "sites" / "sjz-epaper.toml").read_text(encoding="utf-8")
    (sites / "sjz-epaper.toml").write_text(text.replace(
        'start_urls = ["http://sjz-epaper.test/index.htm"]', f'start_urls = ["{EPAPER_DAY}"]'),
        encoding="utf-8")
    return str(sites)


def test_surprising_date_windows_are_logged(tmp_path, caplog):
    from crawler.args import log_dated
    from crawler.spider import NewsSpider

    sites_dir = _dated_site(tmp_path)
    caplog.set_level("INFO", logger="crawler.args")
    alone = NewsSpider(sites_dir=sites_dir, since="2022-03-01")
    log_dated(alone.sites["sjz-epaper"], alone.since, alone.until, *alone.template_days())
    assert "-a since alone does not expand them" in caplog.text
    caplog.clear()
    long = NewsSpider(sites_dir=sites_dir, since="2020-01-01", until="2022-03-29")
    log_dated(long.sites["sjz-epaper"], long.since, long.until, *long.template_days())
    assert "URLs for 819 days (2020-01-01 to 2022-03-29)" in caplog.text
    caplog.clear()
    short = NewsSpider(sites_dir=sites_dir, since="2022-03-01", until="2022-03-29")
    log_dated(short.sites["sjz-epaper"], short.since, short.until, *short.template_days())
    assert caplog.text == ""


def test_a_window_without_issues_is_not_a_broken_site(tmp_path):
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", f"sites_dir={_dated_site(tmp_path)}",
                     "-a", "since=2022-03-26", "-a", "until=2022-03-27")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr.count("no issue at") == 2
    assert "broken site" not in proc.stderr


def test_the_spider_itself_refuses_unknown_arguments():
    from crawler.spider import NewsSpider

    with pytest.raises(ValueError, match="unknown spider argument -a snice="):
        NewsSpider(snice="2022-03-01")
    assert NewsSpider(site="hd-news", _job="abc")._job == "abc"   # scrapyd's own


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://hebei-gov.test/hbyw/202203/t20220328_2714102.html</loc>
       <lastmod>2022-03-28</lastmod></url>
  <url><loc>http://hebei-gov.test/hbyw/202203/t20220323_2713568.html</loc>
       <lastmod>2022-03-29T08:00:00+08:00</lastmod></url>
  <url><loc>http://hebei-gov.test/hbyw/202203/t20220318_2713000.html</loc></url>
  <url><loc>http://hebei-gov.test/hbyw/index_1.html</loc><lastmod>2022-03-01</lastmod></url>
</urlset>"""
INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://hebei-gov.test/sitemap-2022-03.xml</loc><lastmod>2022-03-28</lastmod></sitemap>
  <sitemap><loc>http://hebei-gov.test/sitemap-2022-01.xml</loc><lastmod>2022-01-31</lastmod></sitemap>
  <sitemap><loc>http://hebei-gov.test/sitemap-old.xml</loc></sitemap>
</sitemapindex>"""


def _sitemap(spider, body):
    from scrapy.http import XmlResponse, Request

    req = Request("http://hebei-gov.test/sitemap.xml", meta={"site": "hebei-gov", "kind": "sitemap"})
    return [r.url for r in spider.parse_sitemap(XmlResponse(req.url, body=body.encode(),
                                                            request=req))]


def test_sitemap_entries_are_held_to_the_date_window():
    """Dated by their URL (the publication day) for since and until; by
    <lastmod> only to skip what last changed before since."""
    urls = _sitemap(_spider(since="2022-03-20", until="2022-03-25"), SITEMAP)
    assert urls == ["http://hebei-gov.test/hbyw/202203/t20220323_2713568.html",
                    "http://hebei-gov.test/hbyw/index_1.html"]   # lists are never dated
    urls = _sitemap(_spider(since="2022-03-20"), SITEMAP)
    assert "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html" in urls
    assert "http://hebei-gov.test/hbyw/202203/t20220318_2713000.html" not in urls
    assert len(_sitemap(_spider(), SITEMAP)) == 4


def test_an_undated_sitemap_entry_goes_by_lastmod_for_since_only(tmp_path):
    body = SITEMAP.replace("202203/t20220323_2713568", "2713568").replace(
        "202203/t20220328_2714102", "2714102")
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    (tmp_path / "hebei-gov.toml").write_text(text.replace(
        "article = ['/\\d{6}/t\\d{8}_\\d+\\.html$']", "article = ['/\\d+\\.html$']"),
        encoding="utf-8")
    spider = _spider(since="2022-03-29", until="2022-03-29", sites_dir=str(tmp_path))
    urls = _sitemap(spider, body)
    # changed on 03-29: kept (it may have been published before, the window says nothing);
    # last changed on 03-28: skipped, it was published by then
    assert "http://hebei-gov.test/hbyw/2713568.html" in urls
    assert "http://hebei-gov.test/hbyw/2714102.html" not in urls
    assert spider.crawler.stats.values["site/hebei-gov/skipped/older_than_since"] >= 1


def test_sitemaps_of_an_index_unchanged_since_are_skipped():
    assert _sitemap(_spider(since="2022-03-01"), INDEX) == [
        "http://hebei-gov.test/sitemap-2022-03.xml", "http://hebei-gov.test/sitemap-old.xml"]
    assert len(_sitemap(_spider(), INDEX)) == 3


def test_sitemap_dates_are_days_in_china_and_bad_entries_do_not_end_the_sitemap():
    body = SITEMAP.replace("<lastmod>2022-03-01</lastmod>", "").replace(
        "</urlset>", "<url><loc>http://elsewhere.test:99999/x.html</loc>"
        "<lastmod>2022-01-01</lastmod></url>"
        "<url><loc>http://hebei-gov.test/hbyw/index_2.html</loc></url></urlset>")
    urls = _sitemap(_spider(since="2022-03-20"), body)
    assert urls[-1] == "http://hebei-gov.test/hbyw/index_2.html"   # after the malformed entry
    from crawler.listpages import lastmod_day
    assert lastmod_day("2022-03-28T16:30:00Z") == dt.date(2022, 3, 29)     # 00:30 in China


def test_url_dates_are_anchored():
    from crawler.listpages import sitemap_date
    assert sitemap_date("http://x.test/hbyw/2020120312_1.html", None, None) is None   # an id
    assert sitemap_date("http://x.test/2022/0323/18264.html", None, None) == dt.date(2022, 3, 23)
