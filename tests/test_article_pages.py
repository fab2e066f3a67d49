"""Articles split over several pages ([article_pages] of a site file): the
crawl fetches the later pages with the first and archives one article; a
later page that fails is left out with a warning; `scrapy reprocess` finds
the same pages in the WARC files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from crawler.articlepages import ArticlePages, check, part_urls
from crawler.corpus_server import CorpusServer
from crawler.sitefields import SiteConfigError
from tests.conftest import ROOT, corpus_copy, crawl
from tests.test_reprocess import reprocess

BASE = "http://hebei-gov.test/hbyw/202203/t20220323_2713568"
INDEX = "http://hebei-gov.test/hbyw/index.html"
PARAS = [[f"第{page}页第{i}段：会议强调，要坚持稳中求进工作总基调，扎实做好第{page}方面的各项工作，"
          f"确保各项部署落到实处，第{i}项任务按期完成。" for i in range(1, 4)] for page in range(1, 4)]
# page 1 links pages 2 and 3 (as 2, 3 and 下一页); page 2 links page 3 again
PAGERS = ['<a href="t20220323_2713568_1.html">2</a> <a href="t20220323_2713568_2.html">3</a> '
          '<a href="t20220323_2713568_1.html">下一页</a>',
          '<a href="t20220323_2713568.html">1</a> <a href="t20220323_2713568_2.html">下一页</a>',
          '<a href="t20220323_2713568_1.html">上一页</a>']


def _html(page: int) -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS[page - 1])
    return (f"<html><head><meta charset='utf-8'><title>关于全省重点工作的报告_河北省人民政府网</title>"
            f"</head><body><div class='nav'><a href='/'>首页</a> &gt; <a href='/hbyw/'>河北要闻</a>"
            f"</div><h1>关于全省重点工作的报告</h1><div class='info'>发布时间：2022-03-23 09:00 "
            f"来源：河北日报</div><div class='content'>{paras}</div><div class='page'>"
            f"{PAGERS[page - 1]}</div><div class='footer'>版权所有：河北省人民政府办公厅</div>"
            f"</body></html>")


def _corpus(root, last_status: int = 200):
    manifest, _ = corpus_copy(root)
    html = {"Content-Type": "text/html; charset=utf-8"}
    (root / "pages" / "index.html").write_text(
        f"<html><body><ul><li><a href='{BASE}.html'>报告</a></li></ul></body></html>")
    responses = [{"url": INDEX, "file": "index.html", "status": 200, "headers": html}]
    for page, suffix in ((1, ""), (2, "_1"), (3, "_2")):
        (root / "pages" / f"p{page}.html").write_text(_html(page), encoding="utf-8")
        responses.append({"url": f"{BASE}{suffix}.html", "file": f"p{page}.html",
                          "status": last_status if page == 3 else 200, "headers": html})
    (root / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    return root


def _sites(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text += "\n[article_pages]\nsuffix = '_(\\d+)(?=\\.html$)'\n"
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    return sites


def _crawl(tmp_path, last_status=200):
    archive = tmp_path / "archive"
    with CorpusServer(_corpus(tmp_path / "corpus", last_status)) as server:
        proc = crawl(server.url, archive, "-a", f"sites_dir={_sites(tmp_path)}")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return archive, hits, proc.stderr


def test_the_pages_of_an_article_are_archived_as_one(tmp_path):
    archive, hits, log = _crawl(tmp_path)
    rows = pd.read_parquet(archive / "articles")
    assert list(rows["url"]) == [f"{BASE}.html"]
    text = rows["text"].iloc[0]
    assert text.splitlines() == [p for page in PARAS for p in page]   # in page order, nothing else
    assert rows["title"].iloc[0] == "关于全省重点工作的报告"
    assert all(hits[f"{BASE}{s}.html"] == 1 for s in ("", "_1", "_2"))
    assert "'site/hebei-gov/article_pages/pages': 2" in log

    # rebuilt from the WARC files: the same article, the same hash
    out = tmp_path / "rebuilt"
    proc = reprocess(archive, "--sites-dir", str(tmp_path / "sites"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = pd.read_parquet(out / "articles")
    assert list(again["content_hash"]) == list(rows["content_hash"])

    # the next run asks for none of them again
    archive, hits, _ = _crawl(tmp_path)
    assert not any(url.startswith(BASE) for url in hits)


def test_a_later_page_that_fails_is_left_out_with_a_warning(tmp_path):
    archive, _, log = _crawl(tmp_path, last_status=404)
    text = pd.read_parquet(archive / "articles")["text"].iloc[0]
    assert text.splitlines() == PARAS[0] + PARAS[1]
    assert f"page {BASE}_2.html of {BASE}.html failed (http_404): archived without it" in log


def test_later_pages_found_by_suffix_or_count_and_site_file_errors():
    cfg = ArticlePages(suffix=r"-(\d+)(?=\.html$)")
    check(cfg, "a.toml")
    html = '<a href="c1013-31153719-3.html">3</a><a href="c1013-31153719-2.html">2</a>' \
           '<a href="c1013-31153720.html">another article</a><a href="/c1013-31153719-2.html">x</a>'
    url = "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html"
    assert part_urls(cfg, url, html) == [(2, url.replace(".html", "-2.html")),
                                         (3, url.replace(".html", "-3.html"))]
    cfg = ArticlePages(suffix=r"&page=(\d+)")
    check(cfg, "a.toml")
    assert part_urls(cfg, "http://x.test/show.asp?id=7", '<a href="show.asp?id=7&amp;page=2">2</a>'
                     '<a href="show.asp?id=8&amp;page=2">') == [(2, "http://x.test/show.asp?id=7&page=2")]
    for bad, message in (({"suffix": "(_)(\\d+)"}, "at most one group"),
                         ({"count_regex": "n(\\d+)"}, "needs a template"),
                         ({"count_regex": "n\\d+", "template": "{stem}_{n}"}, "needs a group"),
                         ({"count_regex": "n(\\d+)", "template": "{stem}_{page}"}, "needs {n}")):
        with pytest.raises(SiteConfigError, match=message):
            check(ArticlePages(**bad), "a.toml")


def test_a_short_last_page_is_kept():
    """A later page may hold only a closing line or two: no minimum length."""
    from crawler.sites import load_sites
    from pipelines.page import PageProcessor
    site = load_sites()["hebei-gov"]
    last = _html(3).replace("".join(f"<p>{p}</p>" for p in PARAS[2]), "<p>以上为报告全文。</p>")
    status, records, _, _ = PageProcessor()(
        _html(1).encode(), "text/html; charset=utf-8", f"{BASE}.html", site,
        parts=[(last.encode(), "text/html; charset=utf-8", f"{BASE}_2.html")])
    assert status == "ok"
    assert records[0]["text"].splitlines() == PARAS[0] + ["以上为报告全文。"]


def test_credits_closing_the_last_page_are_the_articles():
    """Found by a new user's walk-through: …交流发言。（记者 张喆） closing the last
    page gave no author (the credits were read from page 1 only)."""
    from crawler.sites import load_sites
    from pipelines.page import PageProcessor
    site = load_sites()["hebei-gov"]
    last = _html(3).replace("".join(f"<p>{p}</p>" for p in PARAS[2]), "<p>会上，各市作了交流发言。（记者 张喆）</p>")
    status, records, _, _ = PageProcessor()(
        _html(1).encode(), "text/html; charset=utf-8", f"{BASE}.html", site,
        parts=[(last.encode(), "text/html; charset=utf-8", f"{BASE}_2.html")])
    assert status == "ok" and records[0]["authors"] == ["张喆"]


def test_an_articles_own_page_count_makes_no_list_pages(tmp_path):
    """With follow_from_articles, [pagination] count_regex is not read on an
    article page: TRS writes the article's own pager with the same script."""
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.commands.extract import callback_output
    from crawler.spider import NewsSpider
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text(encoding="utf-8")
    text = text.replace("[links]", "[pagination]\ntemplate = 'http://hebei-gov.test/hbyw/index_{page}"
                        ".html'\ncount_regex = 'createPageHTML\\((\\d+)'\n\n[links]\n"
                        "follow_from_articles = true")
    (sites / "hebei-gov.toml").write_text(text, encoding="utf-8")
    spider = NewsSpider(full="1", sites_dir=str(sites))
    spider.crawler = get_crawler(NewsSpider)
    script = '<script>createPageHTML(3, 0, "t20220323_2713568", "html");</script>'
    for url, kind, made in ((f"{BASE}.html", "article", 0), (INDEX, "list", 1)):   # (a list page: its next)
        req = Request(url, meta={"site": "hebei-gov", "kind": kind})
        body = _html(1).replace("</body>", script + "</body>").encode()
        out = callback_output(spider.parse_page(HtmlResponse(url, body=body, request=req)))
        lists = [r.url for r in out if getattr(r, "meta", {}).get("kind") == "list"]
        assert len([u for u in lists if "/hbyw/index_" in u]) == made, lists


def test_scrapy_extract_links_shows_an_articles_later_pages(tmp_path):
    import subprocess
    import sys
    page = tmp_path / "p1.html"
    page.write_text(_html(1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "extract", "--links",
                           "--sites-dir", str(_sites(tmp_path)), "--url", f"{BASE}.html", str(page)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    parts = [json.loads(line) for line in proc.stdout.splitlines() if '"part"' in line]
    assert parts == [{"kind": "part", "page": 1, "url": f"{BASE}_1.html"},
                     {"kind": "part", "page": 2, "url": f"{BASE}_2.html"}]


def test_a_huge_page_count_is_capped_at_max_pages():
    """createPageHTML(99999999, …) on a broken page: no hundred million URLs built
    in the reactor thread, only the max_pages - 1 later pages the crawl may fetch."""
    import time
    cfg = ArticlePages(count_regex=r"createPageHTML\((\d+)", template="{stem}_{n}{ext}", max_pages=5)
    check(cfg, "a.toml")
    t0 = time.monotonic()
    found = part_urls(cfg, "http://x.test/a/t1.html", 'createPageHTML(99999999, 0, "t1", "html")')
    assert time.monotonic() - t0 < 1
    assert [n for n, _ in found] == [1, 2, 3, 4]


def test_a_page_parameter_is_found_whatever_the_order_of_the_query():
    """show.php?tid=7&page=2 is canonical as show.php?page=2&tid=7: the suffix
    &page=(\\d+) is looked for in the link as written too."""
    cfg = ArticlePages(suffix=r"&page=(\d+)")
    check(cfg, "a.toml")
    assert part_urls(cfg, "http://x.test/show.php?tid=7", '<a href="show.php?tid=7&amp;page=2">2</a>'
                     '<a href="show.php?tid=8&amp;page=3">') == [(2, "http://x.test/show.php?page=2&tid=7")]


def _chain_corpus(root, pagers: dict[int, str], statuses: dict[int, int], headers=None):
    """Pages 1..n of the article (page k is BASE_{k-1}.html), each with its pager."""
    manifest, _ = corpus_copy(root)
    html = {"Content-Type": "text/html; charset=utf-8"}
    (root / "pages" / "index.html").write_text(
        f"<html><body><ul><li><a href='{BASE}.html'>报告</a></li></ul></body></html>")
    responses = [{"url": INDEX, "file": "index.html", "status": 200, "headers": html}]
    for page, pager in pagers.items():
        paras = "".join(f"<p>第{page}页第{i}段：会议强调，要坚持稳中求进工作总基调，扎实做好各项工作，"
                        f"确保各项部署落到实处，第{i}项任务按期完成。</p>" for i in range(1, 4))
        (root / "pages" / f"p{page}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>关于全省重点工作的报告</title></head><body>"
            f"<h1>关于全省重点工作的报告</h1><div class='info'>发布时间：2022-03-23 09:00 来源：河北日报</div>"
            f"<div class='content'>{paras}</div><div class='page'>{pager}</div></body></html>",
            encoding="utf-8")
        responses.append({"url": f"{BASE}{'_%d' % (page - 1) if page > 1 else ''}.html",
                          "file": f"p{page}.html", "status": statuses.get(page, 200),
                          "headers": {**html, **(headers or {}).get(page, {})}})
    (root / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    return root


def _crawl_and_reprocess(tmp_path, corpus, extra_toml=""):
    sites = _sites(tmp_path)
    if extra_toml:
        (sites / "hebei-gov.toml").write_text(
            (sites / "hebei-gov.toml").read_text(encoding="utf-8") + extra_toml, encoding="utf-8")
    archive = tmp_path / "archive"
    with CorpusServer(corpus) as server:
        proc = crawl(server.url, archive, "-a", f"sites_dir={sites}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = pd.read_parquet(archive / "articles")
    out = tmp_path / "rebuilt"
    proc = reprocess(archive, "--sites-dir", str(sites), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return rows, pd.read_parquet(out / "articles")


def test_reprocess_finds_the_pages_the_crawl_found_past_a_failed_one_up_to_max_pages(tmp_path):
    """max_pages = 3: page 2 fails, pages 3 and 4 (a 下一页 link of page 3) are
    the two later pages the crawl archives; the replay counted the failed page
    against max_pages and stopped before page 4: another text, another hash."""
    link = '<a href="t20220323_2713568_{}.html">{}</a>'
    corpus = _chain_corpus(tmp_path / "corpus", {
        1: link.format(1, 2) + link.format(2, 3), 2: "", 3: link.format(3, "下一页"), 4: ""},
        {2: 404})
    rows, again = _crawl_and_reprocess(tmp_path, corpus, "max_pages = 3\n")
    assert [line[:3] for line in rows["text"].iloc[0].splitlines()][::3] == ["第1页", "第3页", "第4页"]
    assert list(again["url"]) == list(rows["url"])
    assert list(again["content_hash"]) == list(rows["content_hash"])


def test_a_later_page_that_redirects_is_left_out_and_reprocess_agrees(tmp_path):
    """Page 3 redirects to the article's first page (a CMS sending a page it no
    longer has back to the start): the crawl appended page 1's text again, and
    the replay, where the answer is page 1's URL, took it as an article of its
    own (a second row) and left page 3 out of the first (another hash)."""
    link = '<a href="t20220323_2713568_{}.html">{}</a>'
    corpus = _chain_corpus(tmp_path / "corpus", {
        1: link.format(1, 2) + link.format(2, 3), 2: "", 3: ""},
        {3: 302}, {3: {"Location": f"{BASE}.html"}})
    rows, again = _crawl_and_reprocess(tmp_path, corpus)
    assert [line[:3] for line in rows["text"].iloc[0].splitlines()][::3] == ["第1页", "第2页"]
    assert list(again["url"]) == list(rows["url"])
    assert list(again["content_hash"]) == list(rows["content_hash"])


def test_an_articles_later_pages_are_not_followed_as_articles_of_their_own(tmp_path):
    """follow_from_articles with an article regex that also matches the later
    pages: they are in the first page's row, not requested again as articles."""
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.spider import NewsSpider
    sites = _sites(tmp_path)
    path = sites / "hebei-gov.toml"
    text = path.read_text(encoding="utf-8").replace(
        r"article = ['/\d{6}/t\d{8}_\d+\.html$']",
        "article = ['/\\d{6}/t\\d{8}_[\\d_]+\\.html$']\nfollow_from_articles = true")
    assert "follow_from_articles" in text
    path.write_text(text, encoding="utf-8")
    spider = NewsSpider(full="1", sites_dir=str(sites))
    spider.crawler = get_crawler(NewsSpider)
    other = "http://hebei-gov.test/hbyw/202203/t20220324_2713999.html"
    body = _html(1).replace("</body>", f"<a href='{other}'>另一篇</a></body>").encode()
    req = Request(f"{BASE}.html", meta={"site": "hebei-gov", "kind": "article"})
    # the links of the page as the spider follows them (the later pages fetched
    # with the page are not these requests: no engine here, so none are)
    out = list(spider._parse(spider.sites["hebei-gov"], f"{BASE}.html",
                             HtmlResponse(req.url, body=body, request=req), []))
    asked = [r.url for r in out if getattr(r, "meta", {}).get("kind") == "article"]
    assert asked == [other]
