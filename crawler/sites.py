"""Site configuration: one TOML file per site in ``settings/sites/<id>.toml``.

A site's quirks are data: URL rules, pagination, politeness, extraction hints.
Files are validated into frozen :class:`Site` objects; any mistake (unknown
key, missing field, wrong type, bad regex or XPath) raises :class:`SiteConfigError`
naming the file and the key, so a typo stops the run before a request is sent
(the value checks live in :mod:`crawler.sitefields`).

This module imports nothing from Scrapy: extraction uses it too.

>>> site = parse_site({"id": "x", "name": "X", "region": "R", "level": "city",
...                    "hosts": ["x.test"], "start_urls": ["http://x.test/"],
...                    "links": {"article": [r"/t\\d+_\\d+\\.html$"]}}, "x.toml")
>>> site.links.is_article("http://x.test/a/t20220101_1.html")
True
>>> site.owns_url("http://www.x.test/")
True
>>> parse_site({"id": "X!"}, "x.toml")
Traceback (most recent call last):
...
crawler.sitefields.SiteConfigError: x.toml: key 'id': 'X!' must match [a-z0-9-]+
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.articlepages import ArticlePages
from crawler.articlepages import check as check_article_pages
from crawler.sitefields import (SiteConfigError, at_least_one, check_date_template, check_pagination,
                                check_type, fill_page, host_hint, is_host, public_fields, regexes,
                                section, xpath)
from crawler.urls import canonical_url

SITES_DIR = Path(__file__).resolve().parent.parent / "settings" / "sites"
SITE_ID_RE = re.compile(r"^[a-z0-9-]+$")
LEVELS = ("province", "city", "county", "national")
# Links that are never article pages, whatever the site rules say.
ATTACHMENT_RE = re.compile(
    r"\.(pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|bmp|mp[34]|avi|flv|swf|exe|apk)$",
    re.I,
)


@dataclass(frozen=True)
class Links:
    """Which URLs are articles, which are lists to follow, which never to request.

    Patterns are Python regexes searched in the absolute URL, as written
    and in its canonical form (query sorted, tracking parameters dropped):
    a match in either counts.

    >>> links = Links(article=("[?]mod=view&aid=",), _article_re=(re.compile("[?]mod=view&aid="),))
    >>> links.is_article("http://x.test/portal.php?aid=1&mod=view",
    ...                  "http://x.test/portal.php?mod=view&aid=1")
    True
    """

    article: tuple[str, ...] = ()
    list: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    restrict_xpaths: tuple[str, ...] = ()
    follow_from_articles: bool = False
    _article_re: tuple = field(default=(), repr=False, compare=False)
    _list_re: tuple = field(default=(), repr=False, compare=False)
    _deny_re: tuple = field(default=(), repr=False, compare=False)

    def is_article(self, url: str, written: str = "") -> bool:
        return not self.is_denied(url, written) and _search(self._article_re, url, written)

    def is_list(self, url: str, written: str = "") -> bool:
        return not self.is_denied(url, written) and _search(self._list_re, url, written)

    def is_denied(self, url: str, written: str = "") -> bool:
        path = urlsplit(url).path
        return bool(ATTACHMENT_RE.search(path)) or _search(self._deny_re, url, written)


def _search(patterns, url: str, written: str) -> bool:
    return any(r.search(url) or (written and r.search(written)) for r in patterns)


@dataclass(frozen=True)
class Pagination:
    r"""List pagination.

    ``max_pages``: list pages followed per run and site (a safety cap).
    ``extra_pages``: in incremental runs, list pages still followed after one
    that brought no unknown article link.
    ``template`` + ``first``/``last``: generated list URLs (for AJAX fragment
    endpoints or lists not linked as ``<a>``), ``{page}`` is the page number.
    ``count_regex``: a regex over a list page whose first group is the number
    of list pages, that page included (TRS: ``createPageHTML\((\d+)``); the
    ``template`` pages ``first`` .. ``first + count - 2`` are then links of
    that page (followed like its other list links).
    """

    max_pages: int = 200
    extra_pages: int = 0
    template: str = ""
    first: int = 1
    last: int = 0
    headers: dict = field(default_factory=dict)
    count_regex: str = ""


@dataclass(frozen=True)
class Politeness:
    delay: float = 1.0
    concurrency: int = 2
    randomize_delay: bool = True


@dataclass(frozen=True)
class Extract:
    """Optional hints for extraction; empty means generic rules only."""

    content_xpath: str = ""
    prune_xpaths: tuple[str, ...] = ()
    article_xpath: str = ""
    title_xpath: str = ""
    date_xpath: str = ""
    source_xpath: str = ""
    source: str = ""                    # the source when the page names none (an e-paper)
    encoding: str = ""
    boilerplate: tuple[str, ...] = ()


@dataclass(frozen=True)
class Urls:
    """URL canonicalization beyond the generic rules: query parameters to drop."""

    drop_params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    region: str
    level: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    sitemap_urls: tuple[str, ...] = ()
    start_days: int = 1
    headers: dict = field(default_factory=dict)
    links: Links = field(default_factory=Links)
    pagination: Pagination = field(default_factory=Pagination)
    politeness: Politeness = field(default_factory=Politeness)
    extract: Extract = field(default_factory=Extract)
    urls: Urls = field(default_factory=Urls)
    article_pages: ArticlePages = field(default_factory=ArticlePages)
    path: str = ""

    def owns_url(self, url: str) -> bool:
        """True when the URL's host is one of the site's hosts or a subdomain."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def days(self, today: dt.date, since: dt.date | None) -> int:
        """How many days ``{date:…}`` templates cover, back from ``today``:
        from ``since`` when given, else ``start_days``."""
        return (today - since).days + 1 if since else self.start_days

    def expand_start_urls(self, today: dt.date,
                          since: dt.date | None = None) -> list[tuple[str, bool]]:
        """(URL, dated) for every start URL, ``{date:%Y%m/%d}`` templates
        expanded for the last ``start_days`` days up to ``today``, or for
        every day from ``since``; dated: made from such a template (an
        e-paper issue's first page)."""
        out: dict[str, bool] = {}
        for url in self.start_urls:
            for u in expand_template(url, today, self.days(today, since)):
                out.setdefault(u, "{date" in url)
        return list(out.items())

    def next_counted_page(self, text: str, url: str, count: int | None = None) -> tuple[str | None, int | None]:
        """(the list page after ``url`` that the page count says exists, that
        count): the count from the page's own text (``[pagination].count_regex``)
        or, on a later page that does not repeat it (an AJAX fragment), the one
        its first page gave. One page at a time, so an incremental run stops
        after the pages whose articles are all known, as with linked pages.

        >>> site = parse_site({"id": "x", "name": "x", "region": "x", "level": "city",
        ...     "hosts": ["x.test"], "start_urls": ["http://x.test/yw/index.html"],
        ...     "links": {"article": ["/t[0-9]+_[0-9]+"], "list": ["/index(_[0-9]+)?[.]html$"]},
        ...     "pagination": {"template": "http://x.test/yw/index_{page}.html",
        ...                    "count_regex": "createPageHTML[(]([0-9]+)"}}, "x.toml")
        >>> page = '<script>createPageHTML(3, 0, "index", "html");</script>'
        >>> site.next_counted_page(page, "http://x.test/yw/index.html")
        ('http://x.test/yw/index_1.html', 3)
        >>> site.next_counted_page("", "http://x.test/yw/index_1.html", 3), site.next_counted_page(
        ...     page, "http://x.test/yw/index_2.html")
        (('http://x.test/yw/index_2.html', 3), (None, 3))
        """
        count_re = getattr(self.pagination, "_count_re", None)
        m = count_re.search(text) if count_re is not None else None
        if m is not None and m.group(1).isdigit():
            count = int(m.group(1))
        if not count:
            return None, count
        first = self.pagination.first
        last = min(first + count - 2, first + self.pagination.max_pages - 1)
        here = canonical_url(url, self.urls.drop_params)
        page_re = getattr(self.pagination, "_page_re", None)
        m = page_re.fullmatch(here) if page_re is not None else None
        n = int(m.group(1)) if m else None
        if n is None or not first <= n <= last or canonical_url(
                fill_page(self.pagination.template, n), self.urls.drop_params) != here:
            n = first - 1   # a page that is none of them (index.html): the first comes next
        return (fill_page(self.pagination.template, n + 1) if n + 1 <= last else None), count

    def template_pages(self, today: dt.date, since: dt.date | None = None) -> list[str]:
        """List pages generated by ``[pagination].template``, ``{page}`` from
        ``first`` to ``last`` (requested as list pages, with the pagination
        headers); its ``{date:…}`` days as for the start URLs."""
        out: list[str] = []
        if self.pagination.template:   # day by day, newest first, each day's pages in order
            for u in expand_template(self.pagination.template, today, self.days(today, since)):
                out.extend(fill_page(u, n)
                           for n in range(self.pagination.first, self.pagination.last + 1))
        return list(dict.fromkeys(out))


def expand_template(url: str, today: dt.date, days: int) -> list[str]:
    """
    >>> expand_template("http://e.test/{date:%Y%m/%d}/node_01.html", dt.date(2022, 3, 29), 2)
    ['http://e.test/202203/29/node_01.html', 'http://e.test/202203/28/node_01.html']
    >>> expand_template("http://e.test/", dt.date(2022, 3, 29), 2)
    ['http://e.test/']
    """
    if "{date" not in url:
        return [url]
    out = []
    for back in range(max(days, 1)):
        day = today - dt.timedelta(days=back)
        out.append(re.sub(r"\{date:([^}]*)\}", lambda m: day.strftime(m.group(1)), url))
    return out


# --- parsing and validation -------------------------------------------------

_SECTIONS = {"links": Links, "pagination": Pagination, "politeness": Politeness,
             "extract": Extract, "urls": Urls, "article_pages": ArticlePages}
_REQUIRED = ("id", "name", "region", "level", "hosts", "start_urls")


def parse_site(raw: dict, path: str) -> Site:
    """Validate a parsed TOML table into a :class:`Site`."""
    def where(key: str) -> str:
        return f"{path}: key '{key}'"

    if "id" in raw and (not isinstance(raw["id"], str) or not SITE_ID_RE.match(raw["id"])):
        raise SiteConfigError(f"{where('id')}: {raw['id']!r} must match [a-z0-9-]+")
    top_known = set(public_fields(Site))
    for key in raw:
        if key not in top_known:
            raise SiteConfigError(
                f"{where(key)}: unknown key (known: {', '.join(sorted(top_known))})")
    for key in _REQUIRED:
        if key not in raw:
            raise SiteConfigError(f"{where(key)}: missing (required: {', '.join(_REQUIRED)})")
    values: dict[str, Any] = {"path": path}
    for key in ("id", "name", "region", "level"):
        values[key] = check_type(raw[key], "", where(key))
    if values["level"] not in LEVELS:
        raise SiteConfigError(f"{where('level')}: {values['level']!r} is not one of {LEVELS}")
    for key in ("hosts", "start_urls", "sitemap_urls"):
        if key in raw:
            values[key] = check_type(raw[key], (), where(key))
            for v in values[key]:
                if key != "hosts" and not v.startswith(("http://", "https://")):
                    raise SiteConfigError(f"{where(key)}: {v!r} is not an http(s) URL")
                if key == "hosts" and not is_host(v):
                    raise SiteConfigError(f"{where(key)}: {v!r} is not a host name{host_hint(v)} "
                                          f"(a host matches any port and scheme, and its subdomains)")
    values["hosts"] = tuple(h.lower().lstrip(".") for h in values["hosts"])
    if not values["hosts"]:
        raise SiteConfigError(f"{where('hosts')}: needs at least one host")
    if not values["start_urls"]:
        raise SiteConfigError(f"{where('start_urls')}: needs at least one URL")
    if "start_days" in raw:
        values["start_days"] = at_least_one(check_type(raw["start_days"], 1, where("start_days")),
                                            "start_days", where("start_days"))
    if "headers" in raw:
        values["headers"] = check_type(raw["headers"], {}, where("headers"))
    for key, cls in _SECTIONS.items():
        if key in raw:
            values[key] = section(cls, raw[key], f"{path}: [{key}]")
    site = Site(**values)
    links = site.links
    object.__setattr__(links, "_article_re", regexes(links.article, f"{path}: [links].article"))
    object.__setattr__(links, "_list_re", regexes(links.list, f"{path}: [links].list"))
    object.__setattr__(links, "_deny_re", regexes(links.deny, f"{path}: [links].deny"))
    if not links.article:
        raise SiteConfigError(f"{path}: [links].article: needs at least one article URL regex")
    check_pagination(site, path)
    check_article_pages(site.article_pages, path)
    for x in links.restrict_xpaths:
        xpath(x, f"{path}: [links].restrict_xpaths")
    ex = site.extract
    for key in ("content_xpath", "article_xpath", "title_xpath", "date_xpath", "source_xpath"):
        xpath(getattr(ex, key), f"{path}: [extract].{key}")
    for x in ex.prune_xpaths:
        xpath(x, f"{path}: [extract].prune_xpaths")
    regexes(ex.boilerplate, f"{path}: [extract].boilerplate")
    if ex.encoding:
        try:
            "".encode(ex.encoding)
        except LookupError:
            raise SiteConfigError(f"{path}: [extract].encoding: unknown codec {ex.encoding!r}") from None
    for u in site.start_urls:
        check_date_template(u, where("start_urls"))
        if not site.owns_url(u.replace("{", "").replace("}", "")):
            raise SiteConfigError(f"{where('start_urls')}: {u!r} is not on the site's hosts {site.hosts}")
    return site


def load_site(path: Path) -> Site:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        hint = ("; write regexes and XPaths in single quotes, where a backslash is "
                "itself: '\\d+'" if "Unescaped '\\'" in str(e) else "")
        raise SiteConfigError(f"{path}: not valid TOML: {e}{hint}") from None
    except (UnicodeDecodeError, OSError) as e:
        raise SiteConfigError(f"{path}: not readable as UTF-8 text: {e}") from None
    try:
        site = parse_site(raw, str(path))
    except (OverflowError, ValueError) as e:   # (SiteConfigError is one: as raised)
        if isinstance(e, SiteConfigError):
            raise
        raise SiteConfigError(f"{path}: {e}") from None
    if site.id != path.stem:
        raise SiteConfigError(f"{path}: key 'id': {site.id!r} must equal the file name {path.stem!r}")
    return site


def load_sites(directory: Path | str = SITES_DIR, errors: list | None = None) -> dict[str, Site]:
    """All sites of a directory, by id. Raises on the first invalid file, or
    with ``errors`` appends each file's error there and skips the file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SiteConfigError(f"{directory}: no such site directory")
    sites = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            site = load_site(path)
        except SiteConfigError as e:
            if errors is None:
                raise
            errors.append((path.stem, e))
            continue
        sites[site.id] = site
    return sites


def select_sites(sites_dir: str | Path | None = None, wanted: str | None = None,
                 skipped: list | None = None) -> dict[str, Site]:
    """The sites of a crawl: every file of ``sites_dir`` (default SITES_DIR), or
    the comma-separated ids in ``wanted``. Raises ValueError naming the file and
    key of an invalid site file, or the unknown ids and the known ones. With
    ``skipped``, an invalid file of a site not asked for by name is not fatal:
    its error goes into ``skipped`` and the other sites are crawled (one typo
    does not stop a nightly run of every site)."""
    directory = Path(sites_dir) if sites_dir else SITES_DIR
    ids = [s.strip() for s in (wanted or "").split(",") if s.strip()]
    errors: list = []
    try:
        sites = load_sites(directory, errors)
    except SiteConfigError as e:
        raise ValueError(f"invalid site file: {e}") from None
    fatal = [e for stem, e in errors if skipped is None or stem in ids or (ids == [] and not sites)]
    if fatal:
        raise ValueError("invalid site file: " + "\ninvalid site file: ".join(map(str, fatal)))
    if skipped is not None and not ids:
        skipped.extend(e for _, e in errors)
    if not sites:
        raise ValueError(f"no site files in {directory}")
    if not ids:
        return sites
    unknown = [s for s in ids if s not in sites]
    if unknown:
        raise ValueError(f"unknown site {', '.join(unknown)}; known sites: "
                         f"{', '.join(sorted(sites))}")
    return {k: sites[k] for k in ids}


def site_for_url(sites: dict[str, Site], url: str) -> Site | None:
    for site in sites.values():
        if site.owns_url(url):
            return site
    return None
