"""A link regex written from the href (Discuz! X: ?mod=view&aid=) matches
though requests and archived URLs are canonical (?aid=&mod=view): the
article is archived, and rebuilt by scrapy reprocess."""

from __future__ import annotations

import json
import shutil

import pandas as pd

from crawler.commands.extract import callback_output as collect
from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, ROOT, crawl
from tests.test_reprocess import reprocess

SOURCE = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
WRITTEN = "http://hebei-gov.test/portal.php?mod=view&aid=121"
CANONICAL = "http://hebei-gov.test/portal.php?aid=121&mod=view"


def test_an_article_matched_as_written_is_archived_and_reprocessed(tmp_path):
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    (article,) = [r for r in manifest["responses"] if r["url"] == SOURCE]
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    shutil.copy(CORPUS / "pages" / article["file"], corpus / "pages" / "a.html")
    (corpus / "pages" / "list.html").write_text(
        f"<html><body><ul><li><a href='{WRITTEN}'>一</a></li></ul></body></html>", "utf-8")
    html = {"Content-Type": "text/html; charset=utf-8"}
    (corpus / "manifest.json").write_text(json.dumps({
        "sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
        "responses": [{"url": "http://hebei-gov.test/portal.php?mod=list&catid=2",
                       "file": "list.html", "status": 200, "headers": html},
                      {"url": CANONICAL, "file": "a.html", "status": 200, "headers": html}]}),
        encoding="utf-8")
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text = text.replace(
        'start_urls = ["http://hebei-gov.test/", "http://hebei-gov.test/hbyw/index.html"]',
        'start_urls = ["http://hebei-gov.test/portal.php?mod=list&catid=2"]')
    text = text.replace("article = ['/\\d{6}/t\\d{8}_\\d+\\.html$']",
                        "article = ['/portal\\.php\\?mod=view&aid=\\d+$']")
    assert "mod=view&aid" in text
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    archive = tmp_path / "archive"
    with CorpusServer(corpus) as server:
        proc = crawl(server.url, archive, "-a", f"sites_dir={sites}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert pd.read_parquet(archive / "articles")["url"].tolist() == [CANONICAL]
    out = tmp_path / "rebuilt"
    proc = reprocess(archive, "--out", str(out), "--sites-dir", str(sites))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert pd.read_parquet(out / "articles")["url"].tolist() == [CANONICAL]


def test_gbk_query_values_and_router_paths_are_requested_as_the_site_wrote_them(tmp_path):
    """An old site's links carry GBK-encoded query values and router paths
    (``?/news/12.html``, ``?123``): each is requested, and archived, with the
    bytes the site wrote, not re-read as UTF-8 (which made 日报 and 晚报 one
    U+FFFD URL) or rewritten as ``?123=``."""
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from crawler.spider import NewsSpider

    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text = text.replace("article = ['/\\d{6}/t\\d{8}_\\d+\\.html$']",
                        "article = ['/show\\.asp\\?', '/index\\.php\\?/news/']")
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    spider = NewsSpider(full="1", sites_dir=str(sites))
    spider.crawler = get_crawler(NewsSpider)
    body = ("<html><head><meta charset=gbk></head><body><ul>"
            "<li><a href='/show.asp?lx=日报&id=1'>一</a></li><li><a href='/show.asp?lx=晚报&id=1'>二</a>"
            "</li><li><a href='/index.php?/news/12.html'>三</a></li><li><a href='/show.asp?123'>四</a>"
            "</li></ul></body></html>").encode("gbk")
    req = Request("http://hebei-gov.test/hbyw/index.html", meta={"site": "hebei-gov", "kind": "start"})
    resp = HtmlResponse(req.url, body=body, request=req, headers={"Content-Type": "text/html"})
    assert [r.url for r in collect(spider.parse_page(resp)) if hasattr(r, "url")] == [
        "http://hebei-gov.test/show.asp?id=1&lx=%C8%D5%B1%A8",
        "http://hebei-gov.test/show.asp?id=1&lx=%CD%ED%B1%A8",
        "http://hebei-gov.test/index.php?/news/12.html",
        "http://hebei-gov.test/show.asp?123"]
