"""Site files: every shipped file is valid; mistakes are named by file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from crawler.commands.extract import callback_output as collect
from crawler.sites import SITES_DIR, SiteConfigError, load_site, load_sites

GOOD = """
id = "demo"
name = "示例"
region = "河北省"
level = "city"
hosts = ["demo.test"]
start_urls = ["http://demo.test/"]
[links]
article = ['/t\\d{8}_\\d+\\.html$']
"""


def write(tmp_path: Path, text: str, name: str = "demo") -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_site_files_are_valid_and_keep_real_hosts():
    sites = load_sites()
    assert set(sites) == {"hebei-gov", "zjk-news", "lf-news", "jl-repost", "hd-news", "sjz-epaper"}
    for path in SITES_DIR.glob("*.toml"):
        assert "127.0.0.1" not in path.read_text(encoding="utf-8"), path


def test_corpus_sites_match_manifest(manifest):
    sites = load_sites()
    for entry in manifest["sites"]:
        site = next(s for s in sites.values() if entry["host"] in s.hosts)
        assert site.name == entry["name"]
        assert site.region == entry["region"]
        assert site.level == entry["level"]
        assert set(entry["start_urls"]) <= set(site.start_urls) | {"http://sjz-epaper.test/index.htm"}


def test_good_file_loads(tmp_path):
    site = load_site(write(tmp_path, GOOD))
    assert site.id == "demo" and site.politeness.delay == 1.0
    assert site.links.is_article("http://demo.test/a/t20220101_5.html")
    assert not site.links.is_article("http://demo.test/a/t20220101_5.pdf")


@pytest.mark.parametrize("mutation, message", [
    (lambda t: "colour = 'red'\n" + t, "key 'colour': unknown key"),
    (lambda t: t.replace('name = "示例"\n', ""), "key 'name': missing"),
    (lambda t: t.replace('id = "demo"', 'id = "Demo_1"'), "key 'id': 'Demo_1' must match [a-z0-9-]+"),
    (lambda t: t.replace('level = "city"', 'level = "town"'), "key 'level'"),
    (lambda t: t + "[politeness]\ndelai = 2\n", "[politeness].delai: unknown key"),
    (lambda t: t + "[politeness]\ndelay = 'slow'\n", "[politeness].delay: expected a number"),
    # a crawl with no request slot waits forever; half a request is none
    (lambda t: t + "[politeness]\nconcurrency = 0\n", "[politeness].concurrency: must be 1 or more, got 0"),
    (lambda t: t + "[politeness]\nconcurrency = 2.5\n", "[politeness].concurrency: expected a whole number"),
    (lambda t: "start_days = 0\n" + t, "key 'start_days': must be 1 or more"),
    # a missing brace was requested as written: a 404 a day, taken for days without an issue
    (lambda t: t.replace('start_urls = ["http://demo.test/"]',
                         'start_urls = ["http://demo.test/{date:%Y%m/%d/node_01.html"]'),
     "has a {date without its ':format}'"),
    # TRS's counted pages are list links: unmatched, they were dropped without a word
    (lambda t: t + "[pagination]\ntemplate = 'http://demo.test/a/index_{page}.html'\n"
                   "count_regex = 'createPageHTML\\((\\d+)'\n",
     "[pagination].template: its page http://demo.test/a/index_1.html matches no [links].list regex"),
    (lambda t: t + "[pagination]\ntemplate = '/a/index_{page}.html'\ncount_regex = 'createPageHTML\\((\\d+)'\n",
     "its page /a/index_1.html is not an absolute URL on the site's hosts"),
    (lambda t: t.replace("[links]\n", "[links]\nlist = ['/a/index_1[.]html$']\n") +
     "[pagination]\ntemplate = 'http://demo.test/a/index_{page}.html'\ncount_regex = 'createPageHTML\\((\\d+)'\n",
     "its page http://demo.test/a/index_2.html matches no [links].list regex"),
    (lambda t: t + "[politeness]\nconcurrency = 1" + "0" * 400 + "\n",
     "demo.toml"),
    (lambda t: t.replace("article = ['/t", "article = ['(/t"), "[links].article: bad regex"),
    (lambda t: t + "[extract]\ncontent_xpath = '//div[@'\n", "[extract].content_xpath: bad XPath"),
    # parses, but cannot run: caught when the file is read, not on every page
    (lambda t: t + "[extract]\ntitle_xpath = \"//h:div[@id='dbt']\"\n",
     "[extract].title_xpath: bad XPath"),
    (lambda t: t + "[extract]\ndate_xpath = '//div[nosuch(@id)]'\n", "[extract].date_xpath: bad XPath"),
    (lambda t: t.replace('start_urls = ["http://demo.test/"]', 'start_urls = ["http://other.test/"]'),
     "not on the site's hosts"),
    (lambda t: t + "[extract]\nencoding = 'gbkk'\n", "unknown codec"),
    (lambda t: t.replace('hosts = ["demo.test"]', 'hosts = ["demo.test:8080"]'),
     "hosts': 'demo.test:8080' is not a host name; write 'demo.test' (a host matches any port"),
    (lambda t: t.replace('hosts = ["demo.test"]', 'hosts = ["*.demo.test"]'),
     "hosts': '*.demo.test' is not a host name; write 'demo.test' (a host matches any port"),
    (lambda t: t.replace('hosts = ["demo.test"]', 'hosts = ["[demo.test"]'),
     "hosts': '[demo.test' is not a host name (a host matches any port"),
])
def test_mistakes_name_file_and_key(tmp_path, mutation, message):
    path = write(tmp_path, mutation(GOOD))
    with pytest.raises(SiteConfigError) as e:
        load_site(path)
    assert str(path) in str(e.value)
    assert message in str(e.value)


def test_id_must_equal_file_name(tmp_path):
    with pytest.raises(SiteConfigError, match="must equal the file name"):
        load_site(write(tmp_path, GOOD, name="other"))


def test_invalid_toml_is_named(tmp_path):
    with pytest.raises(SiteConfigError, match="not valid TOML"):
        load_site(write(tmp_path, GOOD + "[[["))


def test_a_regex_in_double_quotes_gets_a_hint(tmp_path):
    with pytest.raises(SiteConfigError, match="write regexes and XPaths in single quotes"):
        load_site(write(tmp_path, GOOD.replace("article = ['/t\\d{8}_\\d+\\.html$']",
                                               'article = ["/t\\d{8}_\\d+\\.html$"]')))


def test_templates_express_dated_epapers_and_ajax_pagination(tmp_path):
    text = GOOD.replace('start_urls = ["http://demo.test/"]',
                        'start_urls = ["http://demo.test/pc/layout/{date:%Y%m/%d}/node_01.html"]\n'
                        'start_days = 2')
    text += ("[pagination]\ntemplate = 'http://demo.test/blocks/7?page={page}&fix=0'\n"
             "first = 1\nlast = 2\nheaders = {X-Requested-With = 'XMLHttpRequest'}\n")
    site = load_site(write(tmp_path, text))
    assert site.expand_start_urls(dt.date(2022, 3, 1)) == [
        ("http://demo.test/pc/layout/202203/01/node_01.html", True),   # dated: an issue page
        ("http://demo.test/pc/layout/202202/28/node_01.html", True),
    ]
    assert site.template_pages(dt.date(2022, 3, 1)) == [
        "http://demo.test/blocks/7?page=1&fix=0",
        "http://demo.test/blocks/7?page=2&fix=0",
    ]
    assert site.pagination.headers == {"X-Requested-With": "XMLHttpRequest"}


def test_several_hosts_and_subdomains(tmp_path):
    site = load_site(write(tmp_path, GOOD.replace('hosts = ["demo.test"]',
                                                  'hosts = ["demo.test", "hebccw.test"]')))
    assert site.owns_url("http://lf.hebccw.test/system/2025/01/02/123456789.shtml")
    assert not site.owns_url("http://nothebccw.test/")


def test_template_pages_are_list_requests_with_pagination_headers(tmp_path):
    import asyncio

    from scrapy.settings import Settings

    from crawler.spider import NewsSpider

    text = GOOD + ("[pagination]\ntemplate = 'http://demo.test/blocks/7?page={page}'\n"
                   "first = 1\nlast = 3\nmax_pages = 2\n"
                   "headers = {X-Requested-With = 'XMLHttpRequest'}\n")
    write(tmp_path, text)
    spider = NewsSpider(full="1", sites_dir=str(tmp_path))
    counted = []
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=counted.append,
                                                           get_value=lambda key, default: default),
                                     settings=Settings({"ARCHIVE_DIR": str(tmp_path / "a")}))

    async def collect():
        return [r async for r in spider.start()]

    requests = asyncio.run(collect())
    lists = [r for r in requests if r.meta["kind"] == "list"]
    assert [r.url for r in lists] == ["http://demo.test/blocks/7?page=1",
                                      "http://demo.test/blocks/7?page=2"]   # max_pages
    assert counted == ["site/demo/skipped/max_pages"]                      # the third, counted
    assert all(r.headers.get("X-Requested-With") == b"XMLHttpRequest" for r in lists)
    assert [r.meta["kind"] for r in requests if r.url == "http://demo.test/"] == ["start"]


def test_list_pages_wait_behind_articles(tmp_path):
    """Scrapy serves higher priorities first: articles (0) before more list
    pages (LIST_PRIORITY), so the queue holds about one list page's links."""
    from crawler.spider import LIST_PRIORITY, NewsSpider

    write(tmp_path, GOOD)
    spider = NewsSpider(full="1", sites_dir=str(tmp_path))
    site = next(iter(spider.sites.values()))
    listing = spider._request(site, "http://demo.test/list_2.htm", "list")
    article = spider._request(site, "http://demo.test/a.htm", "article")
    assert LIST_PRIORITY < 0
    assert listing.priority == LIST_PRIORITY and article.priority == 0


def test_page_count_written_by_a_script_gives_list_links(tmp_path):
    """TRS WCM: index_1.html... are linked only by createPageHTML(count, ...);
    count_regex reads the count, the template makes the URLs, and each page
    leads to the next one, as a link (max_pages and incremental stop apply)."""
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from crawler.spider import NewsSpider

    text = GOOD.replace("[links]\n", "[links]\nlist = ['/yw/index(_[0-9]+)?[.]html$']\n") + (
        "[pagination]\ntemplate = 'http://demo.test/yw/index_{page}.html'\n"
        "count_regex = 'createPageHTML\\((\\d+)'\nmax_pages = 3\n")
    write(tmp_path, text)
    spider = NewsSpider(full="1", sites_dir=str(tmp_path))
    spider.crawler = get_crawler(NewsSpider)      # its stats, for the spider's counters
    body = ("<html><body><a href='/yw/t20240517_1.html'>一</a>"
            "<script>createPageHTML(5, 0, \"index\", \"html\");</script></body></html>").encode()
    req = Request("http://demo.test/yw/index.html", meta={"site": "demo", "kind": "start"})
    out = collect(spider.parse_page(HtmlResponse(req.url, body=body, request=req)))
    lists = [r for r in out if r.meta["kind"] == "list"]
    assert [r.url for r in lists] == ["http://demo.test/yw/index_1.html"]
    assert [r.url for r in out if r.meta["kind"] == "article"] == ["http://demo.test/yw/t20240517_1.html"]
    for n in (2, 3, 4):   # each page its next one, up to max_pages = 3
        out = collect(spider.parse_page(HtmlResponse(lists[0].url, body=body, request=lists[0])))
        lists = [r for r in out if r.meta["kind"] == "list"]
        assert [r.url for r in lists] == ([f"http://demo.test/yw/index_{n}.html"] if n < 4 else [])


@pytest.mark.parametrize("template, links, here, after", [
    # a zero-padded number, a query the canonical form sorts, a page past the
    # count or not a counted page at all (the first counted page comes next)
    ("http://demo.test/yw/index_{page:02d}.html", "/yw/index(_[0-9]+)?[.]html$",
     "http://demo.test/yw/index_03.html", "http://demo.test/yw/index_04.html"),
    ("http://demo.test/list?page={page}&col=yw", "/list[?]", "http://demo.test/list?col=yw&page=7",
     "http://demo.test/list?page=8&col=yw"),
    ("http://demo.test/list?page={page}&col=yw", "/list[?]", "http://demo.test/list?col=yw&page=8",
     None),
    ("http://demo.test/yw/index_{page}.html", "/yw/index(_[0-9]+)?[.]html$",
     "http://demo.test/yw/index_12.html", "http://demo.test/yw/index_1.html"),
    ("http://demo.test/yw/index_{page:02d}.html", "/yw/index(_[0-9]+)?[.]html$",
     "http://demo.test/yw/index_3.html", "http://demo.test/yw/index_01.html"),
])
def test_the_counted_page_after_a_url(tmp_path, template, links, here, after):
    """The page after a counted page is found by one match of the template's
    canonical form (its number checked by writing the page again)."""
    text = GOOD.replace("[links]\n", f"[links]\nlist = ['{links}']\n") + (
        f"[pagination]\ntemplate = '{template}'\ncount_regex = 'pages=(\\d+)'\n")
    site = load_site(write(tmp_path, text))
    assert site.next_counted_page("pages=9", here) == (after, 9)


def test_a_template_that_makes_no_page_is_refused(tmp_path):
    path = write(tmp_path, GOOD + "[pagination]\ntemplate = 'http://demo.test/b?page={page}'\n")
    with pytest.raises(SiteConfigError) as e:
        load_site(path)
    assert f"{path}: [pagination].template: makes no page: set last" in str(e.value)


@pytest.mark.parametrize("pagination, message", [
    ("count_regex = 'createPageHTML'\ntemplate = 'http://demo.test/i_{page}.html'\n", "needs a group"),
    ("count_regex = 'createPageHTML\\((\\d+)'\n", "needs [pagination].template with {page}"),
    ("count_regex = 'createPageHTML(('\ntemplate = 'http://demo.test/i_{page}.html'\n", "bad regex"),
    ("count_regex = 'createPageHTML\\((\\d+)'\ntemplate = 'http://demo.test/{date:%Y%m/%d}/"
     "node_{page}.htm'\n", "does not work with a {date:…} template"),
])
def test_count_regex_mistakes_are_named(tmp_path, pagination, message):
    path = write(tmp_path, GOOD + "[pagination]\n" + pagination)
    with pytest.raises(SiteConfigError) as e:
        load_site(path)
    assert f"{path}: [pagination].count_regex" in str(e.value) and message in str(e.value)


def test_page_numbers_take_a_format(tmp_path):
    site = load_site(write(tmp_path, GOOD + (
        "[pagination]\ntemplate = 'http://demo.test/pc/layout/{date:%Y%m/%d}/node_{page:02d}.html'\n"
        "first = 1\nlast = 2\n")))
    assert site.template_pages(dt.date(2022, 3, 29)) == [
        "http://demo.test/pc/layout/202203/29/node_01.html",
        "http://demo.test/pc/layout/202203/29/node_02.html"]


@pytest.mark.parametrize("template, message", [
    ("http://demo.test/node_{n}.html", "has no {page}"),
    ("http://demo.test/node_{page:d2}.html", "'{page:d2}' is not a page number format"),
])
def test_template_mistakes_are_named(tmp_path, template, message):
    path = write(tmp_path, GOOD + f"[pagination]\ntemplate = '{template}'\nlast = 2\n")
    with pytest.raises(SiteConfigError) as e:
        load_site(path)
    assert f"{path}: [pagination].template" in str(e.value) and message in str(e.value)


def test_link_regexes_match_the_url_as_written_or_canonical(tmp_path):
    """Discuz! X: a regex written from the href (?mod=view&aid=) matches,
    though the canonical URL sorts the query (?aid=&mod=view); so does one
    written for the canonical form. Requests and archived URLs are canonical."""
    from scrapy.utils.test import get_crawler

    from crawler.spider import NewsSpider

    for article, listing in [(r"/portal\.php\?mod=view&aid=\d+$", r"\?mod=list&catid=2(&page=\d+)?$"),
                             (r"/portal\.php\?aid=\d+&mod=view$", r"\?catid=2&mod=list&page=\d+$")]:
        write(tmp_path, GOOD.split("[links]")[0] + f"[links]\narticle = ['{article}']\n"
                                                    f"list = ['{listing}']\n")
        spider = NewsSpider(full="1", sites_dir=str(tmp_path))
        spider.crawler = get_crawler(NewsSpider)
        out = list(spider._follow(spider.sites["demo"], [
            "http://demo.test/portal.php?mod=view&aid=121",
            "http://demo.test/portal.php?mod=list&catid=2&page=2"]))
        assert [(r.url, r.meta["kind"]) for r in out] == [
            ("http://demo.test/portal.php?aid=121&mod=view", "article"),
            ("http://demo.test/portal.php?catid=2&mod=list&page=2", "list")], article


def test_the_readme_example_site_file_is_valid():
    """The annotated example in the README parses, every section and key of it."""
    import tomllib

    from crawler.sites import parse_site
    readme = (SITES_DIR.parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index('```toml\nid = "hebei-gov"') + len("```toml\n")
    raw = tomllib.loads(readme[start:readme.index("```", start)])
    site = parse_site(raw, "README.md")
    assert site.article_pages.enabled and site.extract.boilerplate == ()
    assert set(raw) >= {"links", "pagination", "politeness", "urls", "extract", "article_pages"}


def test_a_site_file_not_in_utf8_is_named_and_skipped_among_others(tmp_path):
    """A file saved as GBK raised a bare UnicodeDecodeError naming no file, and
    stopped every site; every invalid file is named when none is left."""
    from crawler.sites import select_sites

    write(tmp_path, GOOD)
    (tmp_path / "other.toml").write_bytes(GOOD.replace('"demo"', '"other"').encode("gbk"))
    with pytest.raises(SiteConfigError, match="other.toml: not readable as UTF-8"):
        load_site(tmp_path / "other.toml")
    skipped: list = []
    assert list(select_sites(tmp_path, None, skipped)) == ["demo"]
    assert "other.toml: not readable as UTF-8" in str(skipped[0])
    (tmp_path / "demo.toml").write_text(GOOD + "[politeness]\ndelai = 1\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        select_sites(tmp_path, None, [])
    assert "demo.toml: [politeness].delai" in str(e.value) and "other.toml" in str(e.value)
