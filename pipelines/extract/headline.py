"""The headline block: which element holds the page's headline (an h1 that
matches <title>, else a heading or title-classed element, over the info line
when there is no h1), its kicker and subtitle, the title of a page with no
headline element, and what a headline element holds that is no part of the
title (an info line, read-aloud and share buttons), moved or removed in place.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import (_DATE_IN, _X_LINKS, _drop_keep_tail, _text_upto, flat_text, header_text, text_of,
                  tight_text)
from .patterns import BOILER_SHORT, CJK, SENTENCE_PUNCT, unannotated

_X_H1 = etree.XPath("//h1")
_X_H2_H3 = etree.XPath("//h2 | //h3")
_X_H2_H6 = etree.XPath("//h2 | //h3 | //h4 | //h5 | //h6")
_X_HEADINGS = etree.XPath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TITLE_WORDS = ("title", "headline", "biaoti", "font01")
_X_TITLE_CLASS = etree.XPath(
    "//*[self::div or self::td or self::p or self::h2 or self::h3 or self::span or self::strong]"
    "[" + " or ".join(f"contains(translate(concat(@class, ' ', @id), 'TITLEHADNBO', 'titleheadnbo'), '{w}')"
                      for w in _TITLE_WORDS) + " or @class='bt' or @id='dbt'"
    # a class word ending in tit (tit, contt_tit, art-tit; not entity)
    " or contains(concat(translate(@class, 'TI', 'ti'), ' '), 'tit ')]")
_X_TITLE = etree.XPath("//title")
# page controls a headline element may hold (a read-aloud button: 播报文章)
CONTROL_TEXT = 12   # characters at most (语音播报文章，释放双眼)
_X_CONTROLS = etree.XPath(
    ".//button|.//audio|.//video|.//select|.//input|.//*[contains(@class, 'audio') or "
    "contains(@class, 'voice') or contains(@class, 'listen') or contains(@class, 'btn') or "
    "contains(@class, 'share')]")
_SUFFIX_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—|–|-\s|\s-)\s*")
# the labels of an info line, and its counters
_FIELDS = "来源|來源|作者|时间|時間|发布|發布|编辑|編輯"
_COUNTERS = "点击|點擊|浏览|瀏覽"
_INFO = re.compile(f"{_DATE_IN.pattern}|({_FIELDS})\\s*[:：]")
# an info line, surely: a labelled field or a date with its time
_INFO_LINE = re.compile(f"({_FIELDS}|{_COUNTERS})\\s*[:：]|{_DATE_IN.pattern}日?\\s*\\d{{1,2}}[:：]\\d{{2}}")
_BRACKETED_DATE = re.compile(r"^[（(]\s*\d{4}-\d{1,2}-\d{1,2}\s*[)）]$")
_DATEISH = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}|[:：]")


def page_title(tree) -> str:
    """``<title>`` without the site/column suffix.

    >>> import lxml.html
    >>> page_title(lxml.html.fromstring("<title>标题 甲_河北要闻_河北省人民政府网</title>"))
    '标题 甲'
    """
    found = _X_TITLE(tree)
    raw = text_of(found[0]) if found else ""
    parts = [p for p in _SUFFIX_SPLIT.split(raw) if p.strip()]
    return parts[0].strip() if parts else raw


_BARE_SUFFIX = re.compile(r"^(.{4,}?[\u3400-\u9fff])-[\u3400-\u9fff]{1,10}$")


def title_alone(tree) -> str:
    """The title of a page with no headline element: ``page_title``, also cut
    at a bare ``-`` before a column's name (``中华人民共和国监察法-纪检``) when the
    part before it is printed on the page as an element of its own.

    >>> import lxml.html
    >>> title_alone(lxml.html.fromstring("<html><title>中华人民共和国监察法-纪检</title><body>"
    ...     "<span class='STYLE8'>中华人民共和国监察法</span></body></html>"))
    '中华人民共和国监察法'
    >>> title_alone(lxml.html.fromstring("<html><title>上合组织-东盟论坛开幕</title><body></body></html>"))
    '上合组织-东盟论坛开幕'
    """
    title = page_title(tree)
    m = _BARE_SUFFIX.match(title)
    if m and tree.xpath("//body//*[normalize-space(.)=$t]", t=m.group(1)):
        return m.group(1)
    return title


def _bigram_overlap(a: str, b: str) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    ga = {a[i:i + 2] for i in range(len(a) - 1)}
    gb = {b[i:i + 2] for i in range(len(b) - 1)}
    return len(ga & gb) / len(ga)


_HOME = re.compile(r"^(?:https?://[^/]+)?/?(?:index\.\w+)?$")


def _logo(h1) -> bool:
    """An h1 that is the site's logo: all its text a link to the home page
    (``<h1><a class="navbar-brand" href="http://site/">站名…</a></h1>``)."""
    links = _X_LINKS(h1)
    return (len(links) == 1 and _HOME.match((links[0].get("href") or "").strip()) is not None
            and flat_text(links[0]) == flat_text(h1))


# a labelled line (发布时间：, 来源：), not a bare 时间： (a comment's)
INFO_LABEL = re.compile(r"(来源|來源|作者|发布|發布|编辑|編輯|" + _COUNTERS + r")[^:：]{0,3}[:：]")


def _over_info_line(e) -> bool:
    """Right above a labelled info line (发布时间：… 来源：…; not a comment's bare
    time), an element of its own (not a container of the article after it)."""
    nxt = _neighbour(e, forward=True, levels=0)
    if nxt is None or nxt.tag in _HEADINGS or _X_HEADINGS(nxt):
        return False
    text = _text_upto(nxt, 151)
    return len(text) <= 150 and INFO_LABEL.search(text) is not None


def find_headline(tree, title_xpath=None):
    """The element holding the page's main headline, or None."""
    if title_xpath is not None:
        found = [e for e in title_xpath(tree) if isinstance(e, etree._Element)]
        if found:
            return found[0]
    title = page_title(tree).replace(" ", "")
    h1s = [e for e in _X_H1(tree) if 4 <= len(flat_text(e)) <= 150 and not _logo(e)]
    scored = [(_bigram_overlap(text_of(e).replace(" ", ""), title) + 0.1, -i, e)
              for i, e in enumerate(h1s)]
    if not scored or max(scored, key=lambda s: (s[0], s[1]))[0] < 0.6:
        others = [e for e in _X_TITLE_CLASS(tree)
                  if 4 <= len(flat_text(e)) <= 150 and not _X_LINKS(e)
                  and not _INFO.search(flat_text(e))]
        # with no h1, a title-classed element right above an info line counts as
        # well as a heading there (<title> may name the site first: 明日股市预测--标题)
        scored += [(max(_bigram_overlap(text_of(e).replace(" ", ""), title),
                        0.65 if not h1s and _over_info_line(e) else 0.0), -len(h1s) - i, e)
                   for i, e in enumerate(others)]
        # an h2/h3 that matches <title> well (a channel name in the h1, the
        # headline in an h2); a weak match could be a sidebar heading
        seen = set(others)
        for i, e in enumerate(_X_H2_H3(tree)):
            if e not in seen and 4 <= len(flat_text(e)) <= 150 and not _X_LINKS(e):
                score = _bigram_overlap(text_of(e).replace(" ", ""), title)
                if score >= 0.6:
                    scored.append((score, -len(h1s) - len(others) - i, e))
                    seen.add(e)
        # with no h1: a heading right above an info line (发布时间：… 来源：…), whatever
        # <title> says (a column's name there: 新闻动态--中国地理学会官网; the headline in an h5)
        for i, e in enumerate(_X_H2_H6(tree) if not h1s else ()):
            if e not in seen and 4 <= len(flat_text(e)) <= 150 and not _X_LINKS(e) \
                    and not _INFO.search(flat_text(e)) and _over_info_line(e):
                scored.append((0.65, -len(h1s) - len(others) - i, e))
    if not scored:
        return None
    best = max(scored, key=lambda s: (s[0], s[1]))
    if best[0] < 0.3:
        return h1s[0] if h1s else None
    tied = [s for s in scored if s[0] == best[0]]
    if len(tied) > 1:
        # the headline twice (a sticky bar's copy above the article's own): the
        # one with the info line (date, 来源) under it
        informed = [s for s in tied if _INFO.search(header_text(s[2], 200))]
        if informed:
            best = max(informed, key=lambda s: s[1])
    return best[2]


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _neighbour(el, forward: bool, levels: int = 2):
    """Nearest element with text before/after ``el`` among siblings of it or
    of its ancestors (up to ``levels`` up)."""
    node = el
    for _ in range(levels + 1):
        sib = node.getnext() if forward else node.getprevious()
        while sib is not None:
            if isinstance(sib.tag, str) and flat_text(sib) and not _HIDDEN.search(sib.get("style") or ""):
                return sib   # (not a hidden block: a disclosure table's empty labels, display:none)
            sib = sib.getnext() if forward else sib.getprevious()
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            return None
    return None


# a breadcrumb: 首页 - 新闻动态, 首页 > 要闻
_BREADCRUMB = re.compile(r"^(首页|首頁|您的位置|当前位置|當前位置)|\s[-—>»]\s|[>»]")


def next_block(h):
    """The element with text after the headline element, past a date line
    (readhub: <header><h2>标题</h2><span>昨天</span></header><div><div class=summary>…)."""
    nxt = _neighbour(h, forward=True)
    if nxt is not None and len(_text_upto(nxt, 41)) <= 40:   # a date or tool line
        nxt = _neighbour(nxt, forward=True)
    return nxt


def _headline_like(el) -> bool:
    text = unannotated(text_of(el))
    return (4 <= len(text) <= 80 and len(CJK.findall(text)) >= 4 and not _X_LINKS(el)
            and not SENTENCE_PUNCT.search(text) and not _DATEISH.search(text)
            and not BOILER_SHORT.search(text) and not _BREADCRUMB.search(text))


def headline_block(tree, title_xpath=None) -> tuple[list[str], str | None, object]:
    """(title lines [kicker..., main], subtitle, headline element).

    The kicker is the headline-like element right before the main headline,
    the subtitle the one right after it (both within the same header block).
    """
    h = find_headline(tree, title_xpath)
    if h is None:
        return [], None, None
    move_info_out(h)
    lines = [strip_controls(h)]
    prev = _neighbour(h, forward=False)
    if prev is not None and _headline_like(prev) and len(unannotated(text_of(prev))) <= 60:
        lines.insert(0, text_of(prev))
    nxt = _neighbour(h, forward=True)
    subtitle = text_of(nxt) if nxt is not None and _headline_like(nxt) else None
    return lines, subtitle, h


def _trailing_info(h):
    """The outermost element ending the headline element that is an info line
    (not a bracketed time, which is the headline's), when a headline of 4 or
    more characters stays before it."""
    whole = text_of(h)
    for el in h.iterdescendants():   # the outermost one first
        if not isinstance(el.tag, str):
            continue
        text = text_of(el)
        if (el.tail or "").strip() or not whole.endswith(text):
            continue
        # <small>( 2024-05-11)</small>: a date in small print is the info line's
        # (a bulletin's 空气质量日报<span>（2024-05-16）</span> is its title's)
        small_date = el.tag == "small" and _BRACKETED_DATE.match(text)
        if not small_date and (not _INFO_LINE.search(text) or text.startswith(("（", "("))):
            continue
        return el if len(CJK.findall(whole[: len(whole) - len(text)])) >= 4 else None
    return None


def move_info_out(h) -> None:
    """An info line at the end of the headline element (PHPCMS v9:
    ``<h1>标题<span>2026-11-28 10:05 来源：… 点击：</span></h1>``) is moved to
    right after it: the title is the headline alone, and the date and source
    are read from the info line as on any page.

    >>> import lxml.html
    >>> d = lxml.html.fromstring("<div><h1>献县召开动员会<span>2026-11-28 10:05 来源：县融媒体中心"
    ...                          "</span></h1></div>")
    >>> move_info_out(d[0]); lxml.html.tostring(d, encoding="unicode")
    '<div><h1>献县召开动员会</h1><span>2026-11-28 10:05 来源：县融媒体中心</span></div>'
    >>> d = lxml.html.fromstring("<div><h1>献县召开动员会<span>2026-11-28 10:05</span><span>点击："
    ...                          "<span id=hits></span></span></h1></div>")
    >>> move_info_out(d[0]); lxml.html.tostring(d, encoding="unicode")
    '<div><h1>献县召开动员会</h1><span>2026-11-28 10:05</span><span>点击：<span id="hits"></span></span></div>'
    >>> d = lxml.html.fromstring("<div><h1>国务院新闻办公室举行新闻发布会<span>（2024年3月5日 10:00）</span></h1></div>")
    >>> move_info_out(d[0]); d[0].text_content()
    '国务院新闻办公室举行新闻发布会（2024年3月5日 10:00）'
    >>> d = lxml.html.fromstring("<div><h2>关于开展主题宣传活动的通知<small>( 2024-05-11)</small></h2></div>")
    >>> move_info_out(d[0]); lxml.html.tostring(d, encoding="unicode")
    '<div><h2>关于开展主题宣传活动的通知</h2><small>( 2024-05-11)</small></div>'
    """
    moved = []
    while (el := _trailing_info(h)) is not None:   # the last one, then the one before it
        _drop_keep_tail(el)
        moved.insert(0, el)
    for el in reversed(moved):
        el.tail = h.tail
        h.tail = None
        h.addnext(el)


def strip_controls(h) -> str:
    """Remove the controls inside a headline element (in place: trafilatura
    then sees the bare headline too) and return its text.

    >>> import lxml.html
    >>> strip_controls(lxml.html.fromstring(
    ...     "<h1><span>美官员否认事故存在谋杀行为</span><div class='article-audio'>"
    ...     "<div class='article-audio-btn'>播报文章</div></div></h1>"))
    '美官员否认事故存在谋杀行为'
    >>> strip_controls(lxml.html.fromstring("<h1><span class='js-share-title'>城市有轨电车之困</span>"
    ...     "<a class='btn-listen'>听新闻</a></h1>"))
    '城市有轨电车之困'
    """
    # a control says a few words (听新闻, 播报文章), fewer than the headline; an
    # element holding the headline itself (class="js-share-title") stays
    whole = len(text_of(h))
    controls = [c for c in _X_CONTROLS(h) if len(text_of(c)) <= min(CONTROL_TEXT, whole / 2)]
    if controls and text_of(h).replace(" ", "") != "".join(
            text_of(c) for c in controls).replace(" ", ""):
        for el in controls:
            if el.getparent() is not None:
                _drop_keep_tail(el)
    return headline_text(h)




def headline_text(h) -> str:
    """A headline's text: its pieces (text nodes, lines broken by ``<br>``)
    joined with a space, except between two Chinese characters (or Chinese
    punctuation) or a digit and a Chinese character, where the break is
    layout, not a space
    (``调整2007<br>　年末国债`` is 调整2007年末国债). Spaces inside a piece
    (``习近平 李克强``) stay.

    >>> import lxml.html
    >>> headline_text(lxml.html.fromstring("<h1>关于批准<br>\\n调整2007<br>　年末国债 余额</h1>"))
    '关于批准调整2007年末国债 余额'
    >>> headline_text(lxml.html.fromstring("<h1>关于举办<br>“礼敬中华优秀传统文化”<br>宣传教育活动的通知</h1>"))
    '关于举办“礼敬中华优秀传统文化”宣传教育活动的通知'
    >>> headline_text(lxml.html.fromstring("<h1><span>Li Qiang</span><br>meets</h1>"))
    'Li Qiang meets'
    """
    return tight_text(h)
