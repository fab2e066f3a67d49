"""What list pages and sitemaps say about their links: the dates shown beside
them, and lists answered with JSON or XML data read as HTML.

Dates: the spider's ``-a since``/``-a until`` skip article links by the date
a list shows beside them or their URL carries (``t20220323_``,
``/2022-03/24/``; :func:`pipelines.extract.metadata.url_date`, the one
definition of URL dates), and sitemap entries by their URL or ``<lastmod>``.

JSON lists: CMSs page their lists through endpoints that answer JSON (the
Hebei portal's ``/columns/<c>/templates/<t>/blocks/<b>?page=N``): an HTML
fragment inside a string (``{"data": "<li><a href=…>"}``), or records with a
URL (``{"list": [{"url": "/a/1.html", "title": "…", "date": "2023-05-01"}]}``),
sometimes inside a JSONP call (``cb({…})``), under any text Content-Type.
:func:`json_as_html` turns such a page into one HTML document, so link
extraction, ``restrict_xpaths`` and the dates beside links work on it as on
any list page: a string holding markup is kept as markup; an object holding
URL-like strings becomes an ``<li>`` with a link per URL and its other
values as text.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from scrapy.http import HtmlResponse

from crawler.sites import ATTACHMENT_RE
from crawler.urls import canonical_url
from pipelines.extract.metadata import TZ, url_date

_DATE_RE = re.compile(r"(20\d{2})[-/年.](\d{1,2})[-/月.](\d{1,2})")
# a JSONP call's head: /**/cb(, typeof cb === 'function' && cb(, try{cb(
_JSONP = re.compile(r"(?:/\*.*?\*/\s*)?(?:try\s*\{\s*)?(?:typeof\s+[\w$.]+\s*===?\s*"
                    r"['\"]function['\"]\s*&&\s*)?[\w$.]+\s*\(\s*", re.S)
_DECODER = json.JSONDecoder()
_URLISH = re.compile(r"(?:https?://|/|\.\.?/)[^\s<>\"']*|[\w./-]+\.(?:s?html?|jsp|aspx?|php)(?:\?\S*)?")
_MARKUP = re.compile(r"<[a-zA-Z][^<>]*>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
# a list page's first records in an XML island (Hanweb's column pages)
_XML_SCRIPT = re.compile(r"<script[^>]*\btype\s*=\s*[\"']text/xml[\"'][^>]*>(.*?)</script>",
                         re.S | re.I)


def link_dates(response, drop_params: tuple[str, ...] = ()) -> dict[str, dt.date]:
    """Dates a list page shows for its links, by canonical URL: in the link's
    URL (``t20220323_``, ``/2022-03/24/``), else the first date in the text of
    its list item outside the link (a title may name another day), when that
    item holds no other link (a layout table's row, a paragraph of lines with
    ``<br>`` or a banner beside them dates none of its links). Read for ``-a
    since/until`` and to date an article its page does not date.

    >>> from scrapy.http import HtmlResponse
    >>> page = HtmlResponse("http://x.test/l/", encoding="utf-8", body=(
    ...     "<li><a href='/Item/1.aspx'>关于2023年12月31日前完成的通知</a><span>2024-05-17</span></li>"
    ...     "<li><a href='/202405/t20240516_2.html'>2023年12月31日前</a></li>"
    ...     "<p><a href='/Item/3.aspx'>A</a> 2024-05-10<br><a href='/Item/4.aspx'>B</a> 2024-05-09</p>"
    ...     "<li><a href='/Item/5.aspx'>C</a>（2024-05-08，更新 2024-05-09）</li>").encode())
    >>> {u.rsplit("/", 1)[1]: str(d) for u, d in link_dates(page).items()}
    {'1.aspx': '2024-05-17', 't20240516_2.html': '2024-05-16', '5.aspx': '2024-05-08'}
    """
    out: dict[str, dt.date] = {}
    for a in response.xpath("//a[@href]"):
        url = canonical_url(response.urljoin(a.attrib["href"]), drop_params)
        when = url_day(url)
        if when is None:
            row = a.xpath("ancestor::*[self::li or self::tr or self::dd or self::p][1]")
            others = ([h for h in row[0].xpath(".//a/@href").getall()
                       if not ATTACHMENT_RE.search(urlsplit(h).path)] if row else [])
            if len(others) == 1:   # (a thumbnail's or attachment's link beside it is no other item)
                m = _DATE_RE.search(" ".join(row[0].xpath(".//text()[not(ancestor::a)]").getall()))
                try:
                    when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
                except ValueError:
                    when = None
        if when:
            out[url] = when
    return out


def lastmod_day(text: str) -> dt.date | None:
    """The day in China of a sitemap's ``<lastmod>`` (W3C datetime), or None.

    >>> lastmod_day("2022-03-28"), lastmod_day("2022-03-28T16:30:00Z")
    (datetime.date(2022, 3, 28), datetime.date(2022, 3, 29))
    >>> lastmod_day("2022-03-28T16:30+08:00"), lastmod_day("2022-02-30"), lastmod_day("soon")
    (datetime.date(2022, 3, 28), None, None)
    """
    try:
        when = dt.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return when.astimezone(TZ).date() if when.tzinfo else when.date()


def sitemap_date(url: str, lastmod: dt.date | None, since: dt.date | None) -> dt.date | None:
    """The date a sitemap entry is filtered by: the one in its URL
    (``t20220323_``), its publication day; else its ``<lastmod>`` when that
    is before ``since`` (a page last changed before then was published
    before then too; a later change says nothing about when it was published,
    so ``until`` never skips by ``lastmod``).

    >>> sitemap_date("http://x.test/202203/t20220323_1.html", dt.date(2022, 4, 1), None)
    datetime.date(2022, 3, 23)
    >>> sitemap_date("http://x.test/a/1.html", dt.date(2022, 3, 1), dt.date(2022, 3, 20))
    datetime.date(2022, 3, 1)
    >>> sitemap_date("http://x.test/a/1.html", dt.date(2022, 3, 28), dt.date(2022, 3, 20)) is None
    True
    """
    return url_day(url) or (lastmod if since and lastmod and lastmod < since else None)


def url_day(url: str) -> dt.date | None:
    """The publication day a news URL carries (``t20220323_``, ``/2022-03/24/``)."""
    published = url_date(url)
    return published.date() if published else None


# --- lists answered with JSON ------------------------------------------------

def parse_json(text: str):
    """The JSON value of a page that is JSON or JSONP, else None (HTML, junk).

    >>> parse_json('cb({"a": 1});'), parse_json(' [1] '), parse_json("<html>{}</html>")
    ({'a': 1}, [1], None)
    >>> parse_json('/**/ typeof cb === "function" && cb({"a": 2}, 200);')
    {'a': 2}
    """
    s = text.strip()
    if s[:1] in ("{", "["):
        try:
            return json.loads(s)
        except ValueError:
            return None
    m = _JSONP.match(s)
    if m is None or s[m.end():m.end() + 1] not in ("{", "["):
        return None
    try:
        return _DECODER.raw_decode(s, m.end())[0]   # the call's first argument
    except ValueError:
        return None


def json_to_html(data) -> str:
    """One HTML document of a JSON list's markup strings and linked records.

    >>> json_to_html({"data": {"html": "<li><a href='/a/1.html'>A</a> 2023-05-01</li>"}})
    '<html><body>\\n<li><a href="/a/1.html">A</a> 2023-05-01</li>\\n</body></html>'
    >>> json_to_html({"list": [{"id": 7, "title": "B<C", "url": "/a/2.html", "date": "2023-05-02"}]})
    '<html><body>\\n<li>7 B&lt;C 2023-05-02 <a href="/a/2.html"></a></li>\\n</body></html>'

    A record's values come before its links (the dates beside a link are read
    from the first date in its list item, not from a thumbnail's URL), and each
    markup string is parsed on its own, so a cut one cannot swallow the rest.
    """
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            if _MARKUP.search(node):
                parts.append(_fragment(node))
            return
        values = list(node.values()) if isinstance(node, dict) else node
        if isinstance(node, dict):
            urls = _urls(node)
            if urls:
                texts = _texts(node, urls)
                links = "".join(f'<a href="{html.escape(u)}"></a>' for u in urls)
                parts.append(f"<li>{html.escape(' '.join(texts))} {links}</li>")
        for value in values:
            if isinstance(value, (dict, list, str)):
                walk(value)

    if isinstance(data, (dict, list)):
        walk(data)
    return "<html><body>\n" + "\n".join(parts) + "\n</body></html>"


def _urls(record: dict) -> list[str]:
    return [v.strip() for v in record.values() if isinstance(v, str) and _URLISH.fullmatch(v.strip())]


def _texts(record: dict, urls: list[str]) -> list[str]:
    """A record's plain values, with those of the objects inside it that are
    no record of their own (``{"url": …, "meta": {"pubDate": "2023-05-01"}}``)."""
    own = [str(v) for v in record.values()
           if isinstance(v, (str, int, float)) and not isinstance(v, bool)
           and str(v).strip() not in urls and not (isinstance(v, str) and _MARKUP.search(v))]
    # the record's own values first: its date before a column's or author's
    nested = [t for v in record.values() if isinstance(v, dict) and not _urls(v)
              for t in _texts(v, [])]
    return own + nested


def _fragment(markup: str) -> str:
    """One markup string, parsed and written back whole (an unclosed tag or
    comment of a cut summary is closed here, not in the document)."""
    try:
        parts = lxml.html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return html.escape(markup)
    return "".join(html.escape(p) if isinstance(p, str) else
                   lxml.html.tostring(p, encoding="unicode") for p in parts)


def xml_to_html(text: str) -> str | None:
    """The markup an XML data answer carries in CDATA sections (Hanweb's
    jpage ``dataproxy.jsp``: ``<record><![CDATA[<li><a href=…>…]]></record>``),
    as one HTML document; None for any other page (an HTML or XHTML page,
    whose scripts may hold CDATA too).

    >>> xml_to_html('<?xml version="1.0"?><datastore><record><![CDATA[<li><a href="/a.html">A'
    ...             '</a></li>]]></record><total>1</total></datastore>')
    '<html><body>\\n<li><a href="/a.html">A</a></li>\\n</body></html>'
    >>> xml_to_html('<html><script>//<![CDATA[ x<y ]]></script></html>') is None
    True
    """
    head = text[:2048].lower()
    if "<![CDATA[" not in text or "<html" in head or not head.lstrip().startswith("<?xml"):
        return None
    parts = [_fragment(m) for m in _CDATA.findall(text) if _MARKUP.search(m)]
    return "<html><body>\n" + "\n".join(parts) + "\n</body></html>" if parts else None


def _with_xml_islands(text: str) -> str | None:
    """An HTML page whose list items sit in ``<script type="text/xml">``
    CDATA sections (Hanweb's column pages: the first records, the rest from
    jpage), with those items added as markup; None when it has none.

    >>> page = _with_xml_islands('<html><body><script type="text/xml"><datastore><record>'
    ...                          '<![CDATA[<li><a href="/art/1.html">A</a></li>]]></record>'
    ...                          '</datastore></script></body></html>')
    >>> '<li><a href="/art/1.html">A</a></li>' in page
    True
    """
    if "<![CDATA[" not in text:
        return None
    parts = [_fragment(m) for block in _XML_SCRIPT.findall(text)
             for m in _CDATA.findall(block) if _MARKUP.search(m)]
    if not parts:
        return None
    # inside the body: markup after </html> makes a second root in lxml, which
    # XPath over the document reaches and Scrapy's LinkExtractor does not
    items = "\n<div>\n" + "\n".join(parts) + "\n</div>\n"
    lower = text.lower()
    end = lower.rfind("</body>")
    end = end if end >= 0 else lower.rfind("</html>")
    return text[:end] + items + text[end:] if end >= 0 else text + items


def json_as_html(response):
    """A list page answered with JSON, JSONP or XML data, as an
    :class:`HtmlResponse` of its markup and links (same URL); None for any
    other page."""
    text = response.text
    if text.lstrip()[:1] == "<":   # HTML, the common case; or XML data
        page = xml_to_html(text) or _with_xml_islands(text)
    else:
        data = parse_json(text)
        page = json_to_html(data) if data is not None else None
    if page is None:
        return None
    return HtmlResponse(response.url, body=page.encode("utf-8"), encoding="utf-8",
                        request=response.request)
