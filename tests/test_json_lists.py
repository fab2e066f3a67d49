"""List pages answered with JSON (AJAX fragment endpoints, JSONP): their links
are followed like any list page's (crawler.listpages.json_as_html)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
from scrapy.http import HtmlResponse, JsonResponse, Request, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.test import get_crawler

from crawler.commands.extract import callback_output as collect
from crawler.corpus_server import CorpusServer
from crawler.listpages import json_to_html, parse_json
from tests.conftest import CORPUS, ROOT, crawl

A1 = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
A2 = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
BLOCKS = "http://hebei-gov.test/columns/c1/templates/t1/blocks/b1?page={page}&fix=0"
# the Hebei portal's shape: an HTML fragment in a JSON string
FRAGMENT = {"code": 0, "data": {"html": (
    '<li style="display:block"><a href="/hbyw/202203/t20220323_2713568.html" '
    'title="一">一</a><span class="date">2022-03-23</span></li>')}}
# an API's shape, inside a JSONP call, served as text/html
RECORDS = "jQuery1124({\"totalPage\": 2, \"list\": [{\"title\": \"二\", \"url\": " \
          "\"/hbyw/202203/t20220328_2714102.html\", \"time\": \"2022-03-28 09:00\"}]});"


def _site_file(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text = text.replace(
        'start_urls = ["http://hebei-gov.test/", "http://hebei-gov.test/hbyw/index.html"]',
        f'start_urls = ["{BLOCKS.format(page=1)}"]')
    text = text.replace("[politeness]", f"[pagination]\ntemplate = '{BLOCKS}'\nfirst = 2\nlast = 2\n"
                        "headers = {X-Requested-With = 'XMLHttpRequest'}\n\n[politeness]")
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    return sites


def _parse(spider, response):
    return [r.url for r in collect(spider.parse_page(response)) if hasattr(r, "url")]


def test_json_and_jsonp_lists_give_their_links(tmp_path):
    from crawler.spider import NewsSpider

    spider = NewsSpider(full="1", sites_dir=str(_site_file(tmp_path)))
    spider.crawler = get_crawler(NewsSpider)
    req = Request(BLOCKS.format(page=1), meta={"site": "hebei-gov", "kind": "start"})
    body = json.dumps(FRAGMENT, ensure_ascii=False).encode()
    assert _parse(spider, JsonResponse(req.url, body=body, request=req)) == [A1]
    req2 = Request(BLOCKS.format(page=2), meta={"site": "hebei-gov", "kind": "list"})
    page2 = TextResponse(req2.url, body=RECORDS.encode(), request=req2,
                         headers={"Content-Type": "text/html; charset=utf-8"})
    assert _parse(spider, page2) == [A2]


def test_the_dates_beside_json_links_hold_them_to_the_window(tmp_path):
    from crawler.spider import NewsSpider

    spider = NewsSpider(full="1", since="2022-03-25", sites_dir=str(_site_file(tmp_path)))
    spider.crawler = get_crawler(NewsSpider)
    body = json.dumps(FRAGMENT).encode()
    moved = body.replace(b"t20220323_2713568", b"2713568")   # dated by its list item only
    req = Request(BLOCKS.format(page=1), meta={"site": "hebei-gov", "kind": "start"})
    assert _parse(spider, JsonResponse(req.url, body=body, request=req)) == []
    assert _parse(spider, JsonResponse(req.url, body=moved, request=req)) == []
    assert spider.crawler.stats.get_value("site/hebei-gov/skipped/older_than_since") == 1


def test_relative_record_urls_of_dynamic_pages_are_links():
    page = json_to_html({"list": [{"url": "detail.jsp?id=1", "title": "一"},
                                  {"link": "content.aspx?id=2"}, {"note": "2023.05.01"}]})
    assert 'href="detail.jsp?id=1"' in page and 'href="content.aspx?id=2"' in page
    assert "2023.05.01" not in page          # a record without a URL adds nothing


def test_what_is_not_json_is_left_alone():
    assert parse_json("<html><body>{\"a\": 1}</body></html>") is None
    assert parse_json("callback(<b>)") is None and parse_json("{broken") is None
    assert json_to_html({"n": 3, "ok": True, "s": "plain"}) == "<html><body>\n\n</body></html>"


def test_a_crawl_through_json_list_pages(tmp_path):
    """A real crawl: the start URL and the template page answer JSON (one
    application/json, one JSONP as text/html); both articles are archived."""
    corpus = tmp_path / "corpus"
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    keep = [r for r in manifest["responses"] if r["url"] in (A1, A2)]
    for r in keep:
        (corpus / "pages" / r["file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "pages" / r["file"], corpus / "pages" / r["file"])
    (corpus / "pages" / "b1.json").write_text(json.dumps(FRAGMENT), encoding="utf-8")
    (corpus / "pages" / "b2.js").write_text(RECORDS, encoding="utf-8")
    keep += [{"url": BLOCKS.format(page=1), "file": "b1.json", "status": 200,
              "headers": {"Content-Type": "application/json"}},
             {"url": BLOCKS.format(page=2), "file": "b2.js", "status": 200,
              "headers": {"Content-Type": "text/html; charset=utf-8"}}]
    (corpus / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": keep}), encoding="utf-8")
    with CorpusServer(corpus) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", f"sites_dir={_site_file(tmp_path)}")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert hits[A1] == 1 and hits[A2] == 1
    assert sorted(pd.read_parquet(tmp_path / "a" / "articles")["url"]) == [A1, A2]


def test_a_record_is_dated_by_its_values_and_a_cut_summary_swallows_nothing():
    import datetime as dt

    from scrapy.http import HtmlResponse

    from crawler.listpages import link_dates

    data = {"list": [
        {"url": "/a/1.html", "thumb": "/uploads/2019/01/05/x.jpg", "date": "2023-05-01"},
        {"url": "/a/2.html", "summary": "<p>据悉，<a href='/x/9.html"},      # cut by the CMS
        {"url": "/a/3.html", "summary": "<p>x</p><!-- ad"},
        {"url": "/a/4.html", "date": "2023-05-04"}]}
    page = HtmlResponse("http://x.test/list", body=json_to_html(data).encode(), encoding="utf-8")
    dates = link_dates(page)
    assert dates["http://x.test/a/1.html"] == dt.date(2023, 5, 1)     # not the thumbnail's 2019
    assert dates["http://x.test/a/4.html"] == dt.date(2023, 5, 4)
    hrefs = page.xpath("//a/@href").getall()
    assert {"/a/1.html", "/a/2.html", "/a/3.html", "/a/4.html"} <= set(hrefs)


def test_a_date_inside_a_records_own_object_dates_it():
    import datetime as dt

    from crawler.listpages import link_dates

    data = {"rows": [{"link": "/a/5.html", "meta": {"pubDate": "2023-05-05", "hits": 9}},
                     {"column": {"name": "要闻", "createTime": "2019-03-01"}, "link": "/a/8.html",
                      "pubDate": "2024-05-05"},   # its own date, not its column's
                     {"link": "/a/6.html", "related": {"link": "/a/7.html", "date": "2019-01-01"}}]}
    page = HtmlResponse("http://x.test/list", body=json_to_html(data).encode(), encoding="utf-8")
    dates = link_dates(page)
    assert dates["http://x.test/a/5.html"] == dt.date(2023, 5, 5)
    assert "http://x.test/a/6.html" not in dates            # a nested record's date is its own
    assert dates["http://x.test/a/7.html"] == dt.date(2019, 1, 1)
    assert dates["http://x.test/a/8.html"] == dt.date(2024, 5, 5)


def test_json_served_as_a_download_is_read_too(tmp_path):
    """Some CMSs answer their list API as application/octet-stream: Scrapy
    makes that a text response when the body is text, and it is read."""
    from scrapy.responsetypes import responsetypes

    from crawler.spider import NewsSpider

    spider = NewsSpider(full="1", sites_dir=str(_site_file(tmp_path)))
    spider.crawler = get_crawler(NewsSpider)
    req = Request(BLOCKS.format(page=2), meta={"site": "hebei-gov", "kind": "list"})
    headers = {"Content-Type": "application/octet-stream"}
    cls = responsetypes.from_args(headers=headers, url=req.url, body=RECORDS.encode())
    assert _parse(spider, cls(req.url, body=RECORDS.encode(), request=req, headers=headers)) == [A2]


HANWEB = ('<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[<a href="/module/'
          'web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup><recordset><record><![CDATA[<li><a '
          'href="/art/2026/11/20/art_1229_456.html" title="一">一</a><span>2026-11-20</span></li>]]>'
          '</record><record><![CDATA[<li><a href="/art/2026/11/02/art_1229_455.html">二</a><span>'
          '2026-11-02</span></li>]]></record></recordset></datastore>')


def test_an_xml_data_list_gives_its_links_and_dates(tmp_path):
    """Hanweb's jpage (dataproxy.jsp) answers XML whose CDATA sections hold the list items."""
    from scrapy.http import XmlResponse

    from crawler.spider import NewsSpider

    (tmp_path / "hw.toml").write_text(
        'id = "hw"\nname = "x"\nregion = "x"\nlevel = "city"\nhosts = ["hw.test"]\n'
        'start_urls = ["http://hw.test/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45'
        '&perpage=15&columnid=1229"]\n[links]\narticle = [\'/art/\\d{4}/\\d+/\\d+/art_\\d+_\\d+\\.html$\']\n',
        encoding="utf-8")
    spider = NewsSpider(full="1", since="2026-11-10", sites_dir=str(tmp_path))
    spider.crawler = get_crawler(NewsSpider)
    req = Request("http://hw.test/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45"
                  "&perpage=15&columnid=1229", meta={"site": "hw", "kind": "start"})
    urls = _parse(spider, XmlResponse(req.url, body=HANWEB.encode(), request=req))
    assert urls == ["http://hw.test/art/2026/11/20/art_1229_456.html"]   # the other is older
    assert spider.crawler.stats.get_value("site/hw/skipped/older_than_since") == 1


def test_an_html_list_page_with_its_records_in_an_xml_island(tmp_path):
    """Hanweb's column page: the first records in <script type="text/xml">, whose
    content is no markup to an HTML parser."""
    from crawler.listpages import json_as_html

    island = HANWEB.replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    body = (f"<html><body><a href='/col/col1229/index.html'>首页</a>"
            f"<script type='text/xml'>{island}</script></body></html>").encode()
    page = json_as_html(HtmlResponse("http://hw.test/col/col1229/index.html", body=body))
    hrefs = page.xpath("//a/@href").getall()
    assert "/art/2026/11/20/art_1229_456.html" in hrefs and "/col/col1229/index.html" in hrefs
    # the spider's link extractor walks the document's one root: the records are in it
    # (appended after </html> they made a second root it never saw)
    urls = [link.url for link in LinkExtractor().extract_links(page)]
    assert "http://hw.test/art/2026/11/20/art_1229_456.html" in urls
    plain = b"<html><body><script>//<![CDATA[\nvar a = '<b>x</b>';\n//]]></script></body></html>"
    assert json_as_html(HtmlResponse("http://hw.test/", body=plain)) is None


def test_counted_pages_are_followed_one_at_a_time(tmp_path):
    """TRS's createPageHTML(3, …) and the Hebei portal's var totalPage: each
    list page leads to the next counted page only, carrying the count (its AJAX
    pages do not repeat it), so an incremental run stops after a page whose
    articles are all known. All the pages at once from page 1 (as before) made
    one new article re-fetch every counted page, hundreds on a portal."""
    from crawler.spider import NewsSpider

    sites = _site_file(tmp_path)
    path = sites / "hebei-gov.toml"
    text = path.read_text(encoding="utf-8").replace("first = 2\nlast = 2\n",
                                                     "first = 2\ncount_regex = 'var totalPage = (\\d+);'\n")
    path.write_text(text.replace("list = [", "list = ['/blocks/', "), encoding="utf-8")
    spider = NewsSpider(sites_dir=str(sites))
    spider.crawler = get_crawler(NewsSpider)
    spider.known_urls, spider.retry_lists = {A1}, {}
    item = '<li><a href="{}">x</a></li>'
    first = Request("http://hebei-gov.test/hbyw/index.html", meta={"site": "hebei-gov", "kind": "start"})
    page = ("<html><body><ul>" + item.format("/hbyw/202203/t20220328_2714102.html") +
            "</ul><script>var totalPage = 4;</script></body></html>").encode()
    out = list(collect(spider.parse_page(HtmlResponse(first.url, body=page, request=first))))
    lists = [r for r in out if r.meta.get("kind") == "list"]
    page2 = "http://hebei-gov.test/columns/c1/templates/t1/blocks/b1?fix=0&page={}"   # (a link: canonical)
    assert [r.url for r in lists] == [page2.format(2)] and lists[0].meta["page_count"] == 4
    # page 2, an AJAX fragment without the count: page 3 follows, still counted
    frag = json.dumps(FRAGMENT | {"data": {"html": item.format("/hbyw/202203/t20220329_2714200.html")}}).encode()
    out = list(collect(spider.parse_page(JsonResponse(lists[0].url, body=frag, request=lists[0]))))
    lists = [r for r in out if r.meta.get("kind") == "list"]
    assert [r.url for r in lists] == [page2.format(3)] and lists[0].meta["page_count"] == 4
    # page 3: its one article is known, so page 4 is not asked (extra_pages = 0)
    frag = json.dumps(FRAGMENT).encode()
    out = list(collect(spider.parse_page(JsonResponse(lists[0].url, body=frag, request=lists[0]))))
    assert [r.url for r in out if hasattr(r, "url")] == []
    assert spider.crawler.stats.get_value("site/hebei-gov/skipped/pagination_stopped") == 1


def test_the_day_a_list_shows_beside_a_link_goes_with_the_article(tmp_path):
    """PowerEasy's /Item/123.aspx pages print no date; their list does
    (<li><a>…</a><span>2024-05-17</span></li>). The day rides in the article's
    request into its Page, and an article its page does not date takes it
    (published_rule list)."""
    from crawler.spider import NewsSpider
    from pipelines.extraction import dated_by_list

    spider = NewsSpider(full="1", sites_dir=str(_site_file(tmp_path)))
    spider.crawler = get_crawler(NewsSpider)
    body = json.dumps(FRAGMENT).encode()
    req = Request(BLOCKS.format(page=1), meta={"site": "hebei-gov", "kind": "start"})
    (article,) = [r for r in collect(spider.parse_page(JsonResponse(req.url, body=body, request=req)))
                  if hasattr(r, "url")]
    assert article.meta["list_date"] == dt.date(2022, 3, 23)
    response = HtmlResponse(article.url, body=b"<html><body><p>x</p></body></html>", request=article)
    (page,) = [p for p in collect(spider.parse_page(response)) if not hasattr(p, "meta")]
    assert page.list_date == dt.date(2022, 3, 23)
    record = {"published": None, "published_rule": None}
    dated_by_list(record, page.list_date)
    assert str(record["published"]) == "2022-03-23 00:00:00+08:00" and record["published_rule"] == "list"
