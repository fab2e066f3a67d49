"""Checking a site file's values: types, regexes, XPaths. Every error is a
:class:`SiteConfigError` whose message names the file and the key.

Used by :mod:`crawler.sites`; nothing here knows what a site is.

>>> check_type("3", 1.0, "a.toml: [politeness].delay")
Traceback (most recent call last):
...
crawler.sitefields.SiteConfigError: a.toml: [politeness].delay: expected a number, got '3'
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from crawler.urls import canonical_url


class SiteConfigError(ValueError):
    """A site file is wrong; the message names the file and the key."""


def regexes(values: tuple[str, ...], where: str) -> tuple[re.Pattern, ...]:
    out = []
    for v in values:
        try:
            out.append(re.compile(v))
        except re.error as e:
            raise SiteConfigError(f"{where}: bad regex {v!r}: {e}") from None
    return tuple(out)


def xpath(value: str, where: str) -> etree.XPath | None:
    """Compiled, and run once on a small page: an XPath that parses but cannot
    run (an undefined namespace prefix such as ``//h:div``, an unknown
    function) fails here, with its file and key, not on every page."""
    if not value:
        return None
    try:
        compiled = etree.XPath(value)
        compiled(etree.fromstring("<html><body><div><p>x</p></div></body></html>"))
    except etree.XPathError as e:
        raise SiteConfigError(f"{where}: bad XPath {value!r}: {e}") from None
    return compiled


def public_fields(cls) -> dict[str, Any]:
    return {f.name: f for f in fields(cls) if not f.name.startswith("_") and f.name != "path"}


# numbers a site cannot do without: no request ever goes out with concurrency 0,
# and an e-paper's start URLs are expanded for no day with start_days 0
AT_LEAST_ONE = {"concurrency", "start_days"}


def at_least_one(value: Any, key: str, where: str) -> Any:
    """``value`` of ``key``, checked against :data:`AT_LEAST_ONE`."""
    if key in AT_LEAST_ONE and value < 1:
        raise SiteConfigError(f"{where}: must be 1 or more, got {value!r}")
    return value


def check_type(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SiteConfigError(f"{where}: expected true/false, got {value!r}")
        return value
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SiteConfigError(f"{where}: expected a number, got {value!r}")
        if value < 0:
            raise SiteConfigError(f"{where}: must not be negative, got {value!r}")
        if isinstance(default, int) and not float(value).is_integer():
            raise SiteConfigError(f"{where}: expected a whole number, got {value!r}")
        return type(default)(value) if isinstance(default, int) else value
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SiteConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise SiteConfigError(f"{where}: expected a table of strings, got {value!r}")
        return dict(value)
    if not isinstance(value, str):
        raise SiteConfigError(f"{where}: expected a string, got {value!r}")
    return value


def defaults(cls) -> dict[str, Any]:
    inst = cls()
    return {name: getattr(inst, name) for name in public_fields(cls)}


def section(cls, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise SiteConfigError(f"{where}: expected a table [{where.rsplit(' ', 1)[-1]}]")
    known = defaults(cls)
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise SiteConfigError(
                f"{where}.{key}: unknown key (known: {', '.join(sorted(known))})")
        values[key] = at_least_one(check_type(value, known[key], f"{where}.{key}"), key, f"{where}.{key}")
    return cls(**values)


_HOST = re.compile(r"[\w.-]+")   # a host name as a site file writes it: no scheme, port or path


def is_host(written: str) -> bool:
    """A host name as a site file writes it (no scheme, port, path or wildcard).

    >>> is_host("www.hebei.gov.cn"), is_host("http://x.cn"), is_host("*.x.cn")
    (True, False, False)
    """
    return bool(_HOST.fullmatch(written))


def host_hint(written: str) -> str:
    """``; write 'x.gov.cn'`` for a host written with a scheme, port, path or
    wildcard, when a bare host name can be read from it."""
    try:
        name = urlsplit(written.strip() if "//" in written else f"//{written.strip()}").hostname
    except ValueError:   # [www.x.cn
        return ""
    name = (name or "").removeprefix("*.")
    return f"; write {name!r}" if name and _HOST.fullmatch(name) else ""


_PAGE = re.compile(r"\{page(?::([^{}]*))?\}")


_PROBE = 7_130_279_461   # a page number no template holds, to find {page} in a canonical URL


def fill_page(template: str, n: int) -> str:
    """``{page}`` or ``{page:02d}`` (a Python format spec) replaced by ``n``.

    >>> fill_page("http://e.test/node_{page:02d}.htm", 3), fill_page("/i_{page}.html", 3)
    ('http://e.test/node_03.htm', '/i_3.html')
    """
    return _PAGE.sub(lambda m: format(n, m.group(1) or ""), template)


def check_pagination(site, path: str) -> None:
    """``[pagination]``'s count_regex and template, checked together and, for
    count_regex pages (followed as a list page's links), as the crawl follows
    links (sets ``pag._count_re``)."""
    pag, links = site.pagination, site.links
    if pag.count_regex:
        where_count = f"{path}: [pagination].count_regex"
        (count_re,) = regexes([pag.count_regex], where_count)
        if count_re.groups < 1:
            raise SiteConfigError(f"{where_count}: needs a group around the page count, "
                                  f"e.g. 'createPageHTML\\((\\d+)'")
        if not pag.template:
            raise SiteConfigError(f"{where_count}: needs [pagination].template with {{page}}")
        if "{date" in pag.template:   # the count is one day's; which day is not known here
            raise SiteConfigError(f"{where_count}: does not work with a {{date:…}} template; "
                                  f"an issue's pages are followed from its own links "
                                  f"(leave count_regex out)")
        object.__setattr__(pag, "_count_re", count_re)
    if pag.template:
        where_t = f"{path}: [pagination].template"
        check_date_template(pag.template, where_t)
        if not _PAGE.search(pag.template):
            raise SiteConfigError(f"{where_t}: {pag.template!r} has no {{page}} "
                                  f"(or {{page:02d}}) for the page number")
        if not pag.count_regex and pag.last < pag.first:
            raise SiteConfigError(f"{where_t}: makes no page: set last (pages first..last) "
                                  f"or count_regex (the count a list page gives)")
        for m in _PAGE.finditer(pag.template):
            if not re.fullmatch(r"0?\d*d?", m.group(1) or ""):   # a width, zero-padded or not
                raise SiteConfigError(f"{where_t}: {m.group(0)!r} is not a page number format "
                                      f"(write {{page}} or e.g. {{page:02d}})")
        for sample in (fill_page(pag.template, pag.first), fill_page(pag.template, pag.first + 1)):
            if pag.count_regex:   # counted pages are followed as links: as the crawl follows them
                why = ("is not an absolute URL on the site's hosts" if not site.owns_url(sample)
                       else "matches [links].article (taken as an article)" if links.is_article(sample)
                       else "matches no [links].list regex: add one" if not links.is_list(sample)
                       else "")
                if why:
                    raise SiteConfigError(f"{where_t}: its page {sample} {why}, so count_regex's "
                                          f"pages would never be requested as list pages")
        if pag.count_regex:   # which counted page a URL is: one match, not one URL per page
            probe = canonical_url(fill_page(pag.template, _PROBE), site.urls.drop_params)
            object.__setattr__(pag, "_page_re", re.compile(
                re.escape(probe).replace(str(_PROBE), "([0-9]+)")) if str(_PROBE) in probe else None)


def check_date_template(url: str, where: str) -> None:
    """Each ``{date`` of a URL opens a whole ``{date:…}`` with its format: a
    missing brace was requested as written, each day a 404 (no issue).

    >>> check_date_template("http://e.test/{date:%Y%m/%d}/node_01.htm", "w")
    >>> check_date_template("http://e.test/{date:%Y%m/%d/node_01.htm", "w")
    Traceback (most recent call last):
    ...
    crawler.sitefields.SiteConfigError: w: 'http://e.test/{date:%Y%m/%d/node_01.htm' has a {date without its ':format}' (e.g. {date:%Y%m/%d})
    """
    if url.count("{date") != len(re.findall(r"\{date:[^{}]+\}", url)):
        raise SiteConfigError(f"{where}: {url!r} has a {{date without its ':format}}' (e.g. {{date:%Y%m/%d}})")
