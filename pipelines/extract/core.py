"""Page -> article records. First version: trafilatura plus line cleanup.

Deepened in the extraction issue (cleanup rules, captions, multi-article pages,
metadata order of trust).
"""

from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy

import lxml.html
from lxml import etree
from trafilatura import bare_extraction

from .record import Article

TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
MAX_BODY = 8 * 1024 * 1024        # bytes; larger pages are not parsed
MIN_TEXT = 80                     # characters of body text for an article
_DATA_URI = re.compile(r"""(src|href)\s*=\s*(["'])data:[^"']{256,}\2""", re.I)
_BOILER = re.compile(
    r"版权所有|本网稿件|版权声明|责任编辑|扫描二维码|二维码|分享到|【字体|打印本页|关闭窗口|"
    r"上一篇|下一篇|相关链接|相关新闻|文章分类|友情链接|ICP备|公网安备|网站标识码")
_DATE = re.compile(
    r"(20\d{2}|19\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?")
_URL_DATE = re.compile(r"t(20\d{2})(\d{2})(\d{2})_|/(20\d{2})-?(\d{2})/(\d{2})/")


class ExtractionError(Exception):
    """The page could not be parsed at all (reason in the message)."""


def _parse(text: str) -> etree._Element:
    text = _DATA_URI.sub(r'\1=""', text)
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise ExtractionError(f"unparsable HTML: {e}") from None


def _date_from(text: str) -> dt.datetime | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d, h, mi = m.groups()
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), tzinfo=TZ)
    except ValueError:
        return None


def _url_date(url: str) -> dt.datetime | None:
    m = _URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = [g for g in m.groups() if g][:3]
    try:
        return dt.datetime(int(y), int(mo), int(d), tzinfo=TZ)
    except ValueError:
        return None


def extract_articles(body: bytes, encoding: str, url: str, site=None) -> list[Article]:
    """Zero or more articles found on one page."""
    if not body or not body.strip():
        return []
    if len(body) > MAX_BODY:
        raise ExtractionError(f"page of {len(body)} bytes is over the {MAX_BODY} byte limit")
    tree = _parse(body.decode(encoding, errors="replace"))
    hints = site.extract if site is not None else None
    prune = list(hints.prune_xpaths) if hints else []
    doc = bare_extraction(deepcopy(tree), url=url, with_metadata=True,
                          prune_xpath=prune or None, deduplicate=False)
    if doc is None or not doc.text:
        return []
    paragraphs = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    paragraphs = [p for p in paragraphs if not _BOILER.search(p)]
    text = "\n".join(paragraphs)
    if len(text) < MIN_TEXT:
        return []
    h1 = tree.xpath("//h1")
    title = (h1[0].text_content().strip() if h1 else "") or (doc.title or "").strip()
    published, rule = _date_from(etree.tostring(tree, encoding="unicode", method="text")), "page_text"
    if published is None:
        published, rule = _url_date(url), "url"
    return [Article(url=url, title=title, text=text, published=published,
                    published_rule=rule if published else None,
                    authors=[a for a in (doc.author or "").split() if a])]
