r"""Articles split over several pages: which URLs are an article's other pages.

A site file says how its later pages are named, in ``[article_pages]``:

- ``suffix``: a regex for what a later page's URL adds to the first page's
  URL (``_(\d+)(?=\.html$)``: ``t20220323_2713568.html`` ->
  ``t20220323_2713568_1.html``; ``-(\d+)(?=\.html$)`` for people.cn's
  ``c1013-31153719-2.html``; ``&page=(\d+)`` for ``show.asp?id=1&page=2``).
  A link on the page is another page of the article when removing the
  suffix's first match from its URL gives the article's URL; the suffix's
  group, if it has one, is the page number, which orders the pages.
- ``count_regex`` + ``template``: pages only a script links (TRS's
  ``createPageHTML(3, 0, "t20220323_2713568", "html")``): the regex's group
  is the number of pages, page 1 included, and ``template`` makes the URL of
  page n (``{stem}_{n}{ext}``: the article URL without its extension, the
  number, the extension; ``{url}`` is the whole URL) for n from ``first``
  (the second page's number) on.
- ``max_pages``: pages of one article at most (20).

The later pages' links are looked for on every page of the article (a
下一页 chain). The crawl fetches them right after the first page and hands
all the pages to extraction as one article; ``scrapy reprocess`` finds the
same pages in the WARC files by the same rules.

>>> cfg = ArticlePages(suffix=r"_(\d+)(?=\.html$)")
>>> check(cfg, "a.toml")
>>> html = '<a href="t1_2.html">2</a> <a href="t1_1.html">1</a> <a href="t19.html">x</a>'
>>> part_urls(cfg, "http://x.test/a/t1.html", html)
[(1, 'http://x.test/a/t1_1.html'), (2, 'http://x.test/a/t1_2.html')]
>>> cfg = ArticlePages(count_regex=r"createPageHTML\((\d+)", template="{stem}_{n}{ext}")
>>> check(cfg, "a.toml")
>>> part_urls(cfg, "http://x.test/a/t1.html", 'createPageHTML(3, 0, "t1", "html")')
[(1, 'http://x.test/a/t1_1.html'), (2, 'http://x.test/a/t1_2.html')]
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from crawler.sitefields import SiteConfigError, regexes
from crawler.urls import canonical_url
from pipelines.extract.encoding import content_type_of, decode

logger = logging.getLogger(__name__)

_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_FIELDS = re.compile(r"\{(\w+)\}")
_TEMPLATE_FIELDS = {"url", "stem", "ext", "n"}


@dataclass(frozen=True)
class ArticlePages:
    suffix: str = ""
    count_regex: str = ""
    template: str = ""
    first: int = 1
    max_pages: int = 20
    _suffix_re: re.Pattern | None = field(default=None, repr=False, compare=False)
    _count_re: re.Pattern | None = field(default=None, repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.suffix or self.count_regex)


def check(cfg: ArticlePages, path: str) -> None:
    """Validate and compile (helpful errors, like the rest of a site file)."""
    where = f"{path}: [article_pages]"
    if cfg.suffix:
        (suffix_re,) = regexes([cfg.suffix], f"{where}.suffix")
        if suffix_re.groups > 1:
            raise SiteConfigError(f"{where}.suffix: at most one group (the page number), "
                                  f"e.g. '_(\\d+)(?=\\.html$)'")
        object.__setattr__(cfg, "_suffix_re", suffix_re)
    if cfg.count_regex:
        (count_re,) = regexes([cfg.count_regex], f"{where}.count_regex")
        if count_re.groups < 1:
            raise SiteConfigError(f"{where}.count_regex: needs a group around the page count, "
                                  f"e.g. 'createPageHTML\\((\\d+)'")
        if not cfg.template:
            raise SiteConfigError(f"{where}.count_regex: needs a template for page n's URL, "
                                  f"e.g. '{{stem}}_{{n}}{{ext}}'")
        object.__setattr__(cfg, "_count_re", count_re)
    if cfg.template:
        names = set(_FIELDS.findall(cfg.template))
        if "n" not in names or names - _TEMPLATE_FIELDS:
            raise SiteConfigError(f"{where}.template: {cfg.template!r} needs {{n}} and may use "
                                  f"only {{url}}, {{stem}}, {{ext}} and {{n}}")
        if not cfg.count_regex:
            raise SiteConfigError(f"{where}.template: needs count_regex (how many pages)")
    if cfg.max_pages < 2:
        raise SiteConfigError(f"{where}.max_pages: {cfg.max_pages} is below 2")


def _stem_ext(url: str) -> tuple[str, str]:
    """``http://x/a/t1.html`` -> (``http://x/a/t1``, ``.html``); no extension: (url, "")."""
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    if "." not in last or parts.query:
        return url, ""
    ext = last[last.rindex("."):]
    return url[: len(url) - len(ext)], ext


def _same(rest: str, url: str, drop_params: tuple[str, ...]) -> bool:
    """``rest`` (a link without its suffix) is the article's canonical URL."""
    if rest == url:
        return True
    try:
        return canonical_url(rest, drop_params) == url
    except ValueError:
        return False


def part_urls(cfg: ArticlePages, url: str, text: str,
              drop_params: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(page number, canonical URL) of the other pages of the article at
    ``url`` that ``text`` (one of its pages) links or counts, in page order."""
    found: dict[str, int] = {}
    if cfg._suffix_re is not None:
        for m in _HREF.finditer(text):
            href = htmllib.unescape(next(g for g in m.groups() if g is not None)).strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            try:
                written = urljoin(url, href)
                other = canonical_url(written, drop_params)
            except ValueError:
                continue
            if other == url:
                continue
            # in the canonical URL, or in the link as written (canonical URLs sort
            # their query: show.php?tid=7&page=2 is show.php?page=2&tid=7)
            for form in (other, written):
                s = cfg._suffix_re.search(form)
                if s is not None and _same(form[:s.start()] + form[s.end():], url, drop_params):
                    digits = s.group(1) if cfg._suffix_re.groups else re.sub(r"\D", "", s.group(0))
                    found.setdefault(other, int(digits) if digits else 0)
                    break
    if cfg._count_re is not None:
        m = cfg._count_re.search(text)
        if m and m.group(1).isdigit():
            stem, ext = _stem_ext(url)
            # no more than the crawl may fetch (a broken page's count is no bound)
            later = min(int(m.group(1)), cfg.max_pages) - 1
            for n in range(cfg.first, cfg.first + later):
                made = cfg.template.format(url=url, stem=stem, ext=ext, n=n)
                try:
                    found.setdefault(canonical_url(made, drop_params), n)
                except ValueError:
                    continue
    return sorted(((n, u) for u, n in found.items()), key=lambda p: (p[0], p[1]))


def later_pages(site, url: str, body: bytes, content_type: str | None) -> list[tuple[int, str]]:
    """(number, URL) of the later pages one page of the article at ``url``
    links or counts, on the site's hosts; the page decoded as extraction
    decodes it (the crawl and ``scrapy reprocess`` both ask this)."""
    text = decode(body, content_type, site.extract.encoding).text
    return [(n, u) for n, u in part_urls(site.article_pages, url, text, site.urls.drop_params)
            if site.owns_url(u)]


async def fetch_later_pages(spider, site, url: str, response) -> list:
    """The article's later pages, fetched now by ``spider`` (its
    ``_request``, its crawler's engine), in page order, through the
    downloader (the site's slot and delay, the middlewares, WARC) but not the
    scheduler: the pages stay with this worker and this page. A page that
    fails or redirects is left out, with a warning. Returns
    :class:`crawler.items.Part` objects."""
    from crawler.items import Part, headers_of   # (Scrapy: not in extraction workers)
    cfg = site.article_pages
    parts: dict[str, tuple[int, Part]] = {}
    queue = later_pages(site, url, response.body, content_type_of(headers_of(response)))
    asked = {u for _, u in queue}
    stats = spider.crawler.stats
    while queue:
        n, part_url = queue.pop(0)
        if len(parts) + 1 >= cfg.max_pages:
            stats.inc_value(f"site/{site.id}/article_pages/over_max")
            logger.warning("%s: %s has more than %d pages ([article_pages] max_pages); "
                           "the rest left out", site.id, url, cfg.max_pages)
            break
        request = spider._request(site, part_url, "part", meta_extra={"part_of": url})
        try:
            answer = await spider.crawler.engine.download_async(request)
        except Exception as e:  # noqa: BLE001 - any failure leaves this page out
            answer, kind = None, type(e).__name__
            why = kind
        else:
            kind = why = f"http_{answer.status}"
            if answer.meta.get("redirect_urls"):   # elsewhere (page 1, a home page):
                # not this page; scrapy reprocess could not match it either
                kind, why, answer = "redirected", f"redirected to {answer.url}", None
        if answer is None or not 200 <= answer.status < 300:
            stats.inc_value(f"site/{site.id}/article_pages/failed")
            stats.inc_value(f"site/{site.id}/errors/{kind}")   # in the run log's errors
            logger.warning("%s: page %s of %s failed (%s): archived without it",
                           site.id, part_url, url, why)
            continue
        headers = headers_of(answer)
        parts[part_url] = (n, Part(part_url, headers, answer.body))
        for more in later_pages(site, url, answer.body, content_type_of(headers)):
            if more[1] not in asked:
                asked.add(more[1])
                queue.append(more)
                queue.sort()
    if parts:
        stats.inc_value(f"site/{site.id}/article_pages/articles")
        stats.inc_value(f"site/{site.id}/article_pages/pages", len(parts))
    return [p for _, p in sorted(parts.values(), key=lambda np: np[0])]
