"""Anti-bot challenges answered instead of pages are named, in the log and in
the broken-site reason (crawler.antibot)."""

from __future__ import annotations

import json
import logging

import pandas as pd
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.commands.extract import callback_output as collect
from crawler.antibot import challenge
from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, SHARED, crawl

WZWS = ("<html><head><script type=\"text/javascript\" src=\"/WZWSREL2F6/x.js\"></script></head>"
        "<body><noscript>请开启JavaScript并刷新该页.</noscript></body></html>").encode("gbk")
RUISHU = b"<html><head><meta content='x' r='m'><script>$_ts=window['$_ts'];</script></head></html>"


def _spider():
    from crawler.spider import NewsSpider

    spider = NewsSpider(site="hebei-gov", full="1")
    spider.crawler = get_crawler(NewsSpider)
    return spider


def test_challenges_are_recognised_and_real_pages_are_not():
    assert challenge(200, WZWS) == "wzws" and challenge(412, RUISHU) == "ruishu"
    assert challenge(200, b"<html><body><a href='/a/1.html'>" + b"x" * 100 + b"</a></body></html>") \
        is None
    for path in sorted((CORPUS / "pages").rglob("*.htm*")):   # no corpus page is one
        assert challenge(200, path.read_bytes()) is None, path


SAFEDOG = ("<html><head><title>网站防火墙</title></head><body><div>您的请求带有不合法参数，"
           "已被网站管理员设置拦截！</div><a href='http://www.safedog.cn'>安全狗</a></body></html>"
           ).encode("gbk")
CLOUDFLARE = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>"
              b"window._cf_chl_opt={cvId:'3'};</script><script src='/cdn-cgi/challenge-platform/h/b/"
              b"orchestrate/chl_page/v1'></script></body></html>")


def test_safedog_and_cloudflare_pages_are_named():
    assert challenge(200, SAFEDOG) == "safedog" and challenge(403, CLOUDFLARE) == "cloudflare"
    # an article page of a site that has Cloudflare's bot detection script or a
    # SafeDog badge on every page is no challenge
    article = (b"<html><body><h1>\xe6\xa0\x87\xe9\xa2\x98</h1><p>" + b"x" * 2000 + b"</p><script src="
               b"'/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script><a href='http://www."
               b"safedog.cn/'><img src='/safedog.png'></a></body></html>")
    assert challenge(200, article, page=True) is None
    assert challenge(200, b"<script>document.cookie='safedog-flow-item=1'</script>", page=True) \
        == "safedog"
    assert challenge(200, SAFEDOG, page=True) == "safedog"   # its block page, by its words
    real = SHARED / "realpages"
    for path in sorted(real.rglob("*.htm*")):   # nor is any real page one
        assert challenge(200, path.read_bytes(), page=True) is None, path


def test_a_list_page_that_is_a_challenge_is_counted_and_logged_once(caplog):
    spider = _spider()
    req = Request("http://hebei-gov.test/hbyw/index.html", meta={"site": "hebei-gov", "kind": "start"})
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            assert collect(spider.parse_page(HtmlResponse(req.url, body=WZWS, request=req))) == []
    stats = spider.crawler.stats
    assert stats.get_value("site/hebei-gov/blocked/wzws") == 2
    warned = [r.getMessage() for r in caplog.records if "anti-bot" in r.getMessage()]
    assert warned == ["hebei-gov: http://hebei-gov.test/hbyw/index.html answered a WZWS "
                      "JavaScript challenge instead of the page (anti-bot): the pages behind it "
                      "need a browser, and this crawler runs no JavaScript"]


def test_an_error_status_with_a_challenge_is_counted():
    spider = _spider()
    req = Request("http://hebei-gov.test/hbyw/index_24.html", meta={"site": "hebei-gov", "kind": "list"})
    resp = HtmlResponse(req.url, status=412, body=RUISHU, request=req)
    failure = Failure(HttpError(resp), HttpError)
    failure.request = req          # as Scrapy sets it for an errback
    spider.on_error(failure)
    assert spider.crawler.stats.get_value("site/hebei-gov/blocked/ruishu") == 1
    assert spider.crawler.stats.get_value("site/hebei-gov/errors/http_412") == 1


def test_a_crawl_of_a_site_behind_a_challenge_names_it(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    (corpus / "pages" / "wzws.html").write_bytes(WZWS)
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    responses = [{"url": u, "file": "wzws.html", "status": 200,
                  "headers": {"Content-Type": "text/html; charset=gbk"}}
                 for u in ("http://hebei-gov.test/", "http://hebei-gov.test/hbyw/index.html")]
    (corpus / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    with CorpusServer(corpus) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", "site=hebei-gov")
    assert proc.returncode == 3, proc.stderr[-3000:]      # a broken site
    assert "broken site hebei-gov: it answered a WZWS JavaScript challenge (2 pages)" in proc.stderr
    runs = pd.read_parquet(tmp_path / "a" / "runs")
    assert runs["broken"].tolist() == [True]


def test_an_article_answered_with_a_challenge_is_not_archived():
    """Not a Page (so not recorded as visited: asked again next run); a
    protected site's real article carrying Ruishu's script still is one."""
    spider = _spider()
    url = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
    req = Request(url, meta={"site": "hebei-gov", "kind": "article"})
    jsl = b"<script>document.cookie=('__jsl_clearance=1');location.reload()</script>"
    assert collect(spider.parse_page(HtmlResponse(url, body=jsl, request=req))) == []
    assert spider.crawler.stats.get_value("site/hebei-gov/blocked/jiasule") == 1
    real = b"<html><script>$_ts=window['$_ts'];</script><p>" + "正文".encode() * 100 + b"</p></html>"
    out = collect(spider.parse_page(HtmlResponse(url, body=real, request=req)))
    assert [type(p).__name__ for p in out] == ["Page"]
