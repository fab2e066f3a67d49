"""`scrapy extract [--site ID] [--url URL] [--links] FILE`: run extraction on a saved page.

Prints one JSON object per article found, with the archive's field names
(``published`` as ISO 8601). The site's ``[extract]`` hints apply when
``--site`` is given or the host of ``--url`` belongs to a configured site;
otherwise the generic rules run. The encoding is resolved from the bytes, the
``--content-type`` header and the site's ``encoding`` hint, as in a crawl.

Exit status: 0 with articles or an empty result (logged as ``extract/empty``),
1 when the page cannot be parsed (``extract/error``, reason on stderr), 2 on a
usage error. ``--normalize`` also applies the normalization stage;
``--save-fixture DIR`` writes body/info/expected files for tests/test_extraction.py.

``--links`` reads the page as a list page instead: one JSON object per link
the spider would request from it (``{"kind": "article" | "list", "url": …}``,
with the crawl's own rules: JSON and XML lists, ``restrict_xpaths``,
``count_regex``, canonical URLs), and on stderr how many of each; it needs a
site (``--site`` or the host of ``--url``). For a site with ``[article_pages]``
it also prints the later pages an article page links or counts
(``{"kind": "part", "page": n, "url": …}``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.sites import SITES_DIR, SiteConfigError, load_sites, site_for_url

logger = logging.getLogger(__name__)


def _jsonable(record: dict) -> dict:
    out = dict(record)
    if out.get("published") is not None:
        out["published"] = out["published"].isoformat()
    return out


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return ("[--site ID] [--url URL] [--sites-dir DIR] [--content-type TYPE] [--normalize] "
                "[--links] FILE")

    def short_desc(self) -> str:
        return "Extract article records from a saved page and print them as JSON lines"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", metavar="ID", help="apply this site's [extract] hints")
        parser.add_argument("--url", metavar="URL", default="",
                            help="the page's URL (its host selects the site; URL dates)")
        parser.add_argument("--content-type", metavar="TYPE", default=None,
                            help="the Content-Type header the page was served with")
        parser.add_argument("--sites-dir", metavar="DIR", default=str(SITES_DIR),
                            help="directory of site files")
        parser.add_argument("--normalize", action="store_true",
                            help="also apply pipelines.normalize (as archived)")
        parser.add_argument("--save-fixture", metavar="DIR", default=None,
                            help="write body.html, info.json, expected.json to DIR")
        parser.add_argument("--links", action="store_true",
                            help="read the page as a list page: print the links a crawl follows")

    def run(self, args: list[str], opts) -> None:
        # imported here: Scrapy imports every command's module to list them, and
        # `scrapy crawl` should not load the extraction code (its workers do)
        from pipelines.extract import ExtractionError, extract_articles, resolve

        if len(args) != 1:
            raise UsageError("scrapy extract takes exactly one FILE ('-' for stdin)")
        body = sys.stdin.buffer.read() if args[0] == "-" else self._read(args[0])
        try:
            sites = load_sites(Path(opts.sites_dir))
        except SiteConfigError as e:
            raise UsageError(str(e)) from None
        if opts.site:
            if opts.site not in sites:
                raise UsageError(f"unknown site {opts.site!r} (known: {', '.join(sorted(sites))})")
            site = sites[opts.site]
        else:
            site = site_for_url(sites, opts.url) if opts.url else None
        if opts.links:
            self._links(site, opts, body)
            return
        override = site.extract.encoding if site is not None else ""
        encoding, source = resolve(body, opts.content_type, override)
        url = opts.url or Path(args[0]).resolve().as_uri()
        try:
            articles = extract_articles(body, encoding, url, site)
        except ExtractionError as e:
            logger.error("extract/error: %s: %s", url, e)
            self.exitcode = 1
            return
        if site is not None:
            self._dead_hints(site, body.decode(encoding, errors="replace"))
        if not articles:
            logger.warning("extract/empty: %s: no article text found", url)
        records = [a.as_dict() for a in articles]
        if opts.normalize or opts.save_fixture:
            from pipelines.normalize import ArticleNormalizer
            normalize = ArticleNormalizer().normalize_article
            records = [normalize(r) for r in records]
        for record in records:   # with the codec and what decided it, as a crawl records them
            print(json.dumps({**_jsonable(record), "encoding": encoding, "encoding_source": source},
                             ensure_ascii=False))
        if opts.save_fixture:
            self._save(Path(opts.save_fixture), body, url, opts.content_type, encoding, site, records)

    @staticmethod
    def _dead_hints(site, text: str) -> None:
        """Say which of the site's [extract] XPaths match nothing on this page:
        extraction skips them silently and runs its generic rules."""
        from lxml import etree

        from pipelines.extract.core import ExtractionError, parse
        from pipelines.extract.fields import hint_matches
        from pipelines.extract.dom import text_of
        from pipelines.extract.metadata import parse_date

        try:
            tree = parse(text)
        except ExtractionError:
            return
        hints = site.extract
        keys = [(k, getattr(hints, k)) for k in ("article_xpath", "content_xpath", "title_xpath",
                                                 "date_xpath", "source_xpath")]
        keys += [("prune_xpaths", x) for x in hints.prune_xpaths]
        for key, xpath in keys:
            if not xpath:
                continue
            compiled = etree.XPath(xpath)
            found = compiled(tree)
            if not found:
                logger.warning("[extract].%s %r of %s matches nothing on this page (skipped: "
                               "the generic rules run)", key, xpath, site.id)
            elif key not in ("date_xpath", "source_xpath") and not (
                    isinstance(found, list) and any(isinstance(e, etree._Element) for e in found)):
                logger.warning("[extract].%s %r of %s selects text, not an element (not used: "
                               "write an XPath to the element, e.g. //h1)", key, xpath, site.id)
            elif key == "date_xpath":
                texts = [t if isinstance(t, str) else text_of(t)
                         for t in hint_matches(compiled, tree)]
                if not any(parse_date(t) for t in texts):
                    logger.warning("[extract].date_xpath %r of %s matches %r, in which no date "
                                   "can be read (year, month and day together, as 2026-11-28 or "
                                   "2026年11月28日; a concat() expression can join parts): the "
                                   "generic rules run", xpath, site.id, " | ".join(texts)[:200])

    @staticmethod
    def _links(site, opts, body: bytes) -> None:
        """The links the spider would follow from this page as a list page
        (its own parse_page, every link new: ``full``), or as a sitemap (its
        parse_sitemap: a sitemap, sitemap index or robots.txt)."""
        from types import SimpleNamespace

        from collections import Counter

        from scrapy.http import Request
        from scrapy.responsetypes import responsetypes

        from crawler.spider import NewsSpider

        class Stats(Counter):   # what the spider counts: kept, not shown
            def inc_value(self, key, count=1, start=0):
                self[key] += count

        if site is None:
            raise UsageError("--links needs a site: --site ID, or a --url on a site's host")
        url = opts.url or site.start_urls[0]
        spider = NewsSpider(site=site.id, full="1", sites_dir=opts.sites_dir)
        spider.crawler = SimpleNamespace(stats=Stats())
        headers = {"Content-Type": opts.content_type} if opts.content_type else {}
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        head = body[:4096].lower()
        sitemap = b"<urlset" in head or b"<sitemapindex" in head or url.endswith("robots.txt")
        request = Request(url, meta={"site": site.id, "kind": "sitemap" if sitemap else "list"})
        response = cls(url, body=body, headers=headers, request=request)
        kinds: dict[str, int] = {"article": 0, "list": 0}
        for req in callback_output((spider.parse_sitemap if sitemap else spider.parse_page)(response)):
            kind = req.meta.get("kind", "?")
            kinds[kind] = kinds.get(kind, 0) + 1
            print(json.dumps({"kind": kind, "url": req.url}, ensure_ascii=False))
        if site.article_pages.enabled and not sitemap:   # an article's later pages
            from crawler.articlepages import later_pages
            from crawler.urls import canonical_url
            for n, part in later_pages(site, canonical_url(url, site.urls.drop_params), body,
                                       opts.content_type):
                print(json.dumps({"kind": "part", "page": n, "url": part}, ensure_ascii=False))
        logger.warning("%s: %d article links, %d list links%s", url, kinds["article"],
                       kinds["list"], "" if kinds["article"] else
                       " (compare [links].article with the page's hrefs, made absolute)")

    @staticmethod
    def _read(path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as e:
            raise UsageError(f"cannot read {path}: {e}") from None

    @staticmethod
    def _save(d: Path, body, url, content_type, encoding, site, records) -> None:
        fields = ("url", "title", "subtitle", "text", "published", "published_rule", "source",
                  "authors", "editor", "photographers", "captions")
        d.mkdir(parents=True, exist_ok=True)
        (d / "body.html").write_bytes(body)
        info = {"url": url, "content_type": content_type, "encoding": encoding,
                "site": site.id if site is not None else None}
        (d / "info.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", "utf-8")
        expected = [{k: _jsonable(r)[k] for k in fields} for r in records]
        (d / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                         "utf-8")


def callback_output(output) -> list:
    """A spider callback's output (``parse_page`` is an async generator; on a
    list page it awaits nothing, so a loop of its own runs it to the end)."""
    if hasattr(output, "__aiter__"):
        async def drain():
            return [x async for x in output]
        return asyncio.run(drain())
    return list(output)
