"""Reading the parsed tree: the headline block, the info line, meta tags and
photo captions. XPaths are compiled once at import; functions are pure except
:func:`take_captions`, which removes the captions it returns from the tree, and
:func:`strip_controls` (via :func:`headline_block`).
"""

from __future__ import annotations

import re

from lxml import etree

from .patterns import (BOILER_SHORT, CAPTION_CLASS, CENTERED_STYLE, CJK, PHOTO_CREDIT,
                       SENTENCE_PUNCT, unannotated)

_X_H1 = etree.XPath("//h1")
_X_H2_H3 = etree.XPath("//h2 | //h3")
_X_H2_H6 = etree.XPath("//h2 | //h3 | //h4 | //h5 | //h6")
_X_HEADINGS = etree.XPath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TITLE_WORDS = ("title", "headline", "biaoti", "font01")
_X_TITLE_CLASS = etree.XPath(
    "//*[self::div or self::td or self::p or self::h2 or self::h3 or self::span or self::strong]"
    "[" + " or ".join(f"contains(translate(concat(@class, ' ', @id), 'TITLEHADNBO', 'titleheadnbo'), '{w}')"
                      for w in _TITLE_WORDS) + " or @class='bt' or @class='tit' or @id='dbt']")
_X_TITLE = etree.XPath("//title")
_X_META = etree.XPath("//meta[@name or @property or @itemprop][@content]")
_X_IMG = etree.XPath(".//img")
_X_FIGCAPTION = etree.XPath(".//figcaption")
_X_LINKS = etree.XPath(".//a[@href]")
_X_STRING = etree.XPath("normalize-space(string(.))", smart_strings=False)
_X_ALL_LINKS = etree.XPath("//a")
_X_NOISE = etree.XPath("//script|//style|//noscript|//template|//comment()")
# an element of the info line under the headline whose class or id says it holds
# the source: a word of it (split at spaces, - and _) is "source" (date-source,
# index_source_x; not resource, sourceimg)
_WORDS = "concat(' ', translate({}, '_-ABCDEFGHIJKLMNOPQRSTUVWXYZ', '  abcdefghijklmnopqrstuvwxyz'), ' ')"
_X_SOURCE_NEAR = etree.XPath(
    f"following::*[position() <= 30][not(*[normalize-space()])]"
    f"[contains({_WORDS.format('@class')}, ' source ') or contains({_WORDS.format('@id')}, ' source ')]")
_NAME_ONLY = re.compile(r"^[^\d\s:：|]{2,20}$")
# a medium's name standing alone beside the date, unmarked (<span>中国网</span> <span>2019-…</span>)
_X_NEAR_LEAVES = etree.XPath("following::*[position() <= 15][not(*[normalize-space()])]")
_MEDIUM = re.compile(r"^[\u3400-\u9fff·]{1,10}(网|網|报|報|社|台|日报|晚报|时报|频道|頻道|杂志|周刊|在线|客户端)$")
# page controls a headline element may hold (a read-aloud button: 播报文章)
CONTROL_TEXT = 12   # characters at most (语音播报文章，释放双眼)
_X_CONTROLS = etree.XPath(
    ".//button|.//audio|.//video|.//select|.//input|.//*[contains(@class, 'audio') or "
    "contains(@class, 'voice') or contains(@class, 'listen') or contains(@class, 'btn') or "
    "contains(@class, 'share')]")
# Layout tables: a cell holding paragraphs, blocks, another table or a form (VSB
# CMS: <td><form name="_newscontent_fromname"><div id="vsb_content"><p>…).
_X_LAYOUT = etree.XPath("//table[tr/td[p or div or table or center or form] or "
                        "tbody/tr/td[p or div or table or center or form]]")
_X_TABLE_PARTS = etree.XPath("./tbody|./thead|./tfoot|./tr|./*/tr|./tr/td|./tr/th|./*/tr/td|./*/tr/th")
_LAYOUT_TAGS = {"table": "div", "tbody": "div", "thead": "div", "tfoot": "div", "tr": "div",
                "td": "div", "th": "div"}
_BLOCKS = {"p", "div", "td", "figure", "center", "span", "section", "li", "dd", "font", "strong", "b"}
_SUFFIX_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—|–|-\s|\s-)\s*")
_DATE_IN = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}")
_INFO = re.compile(_DATE_IN.pattern + r"|(来源|來源|作者|时间|時間|发布|發布|编辑|編輯)\s*[:：]")
# an info line, surely: a labelled field or a date with its time
_INFO_LINE = re.compile(r"(来源|來源|作者|时间|時間|发布|發布|编辑|編輯|点击|點擊|浏览|瀏覽)\s*[:：]|"
                        r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?\s*\d{1,2}[:：]\d{2}")
_DATEISH = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}|[:：]")


def text_of(el) -> str:
    """Text of an element, pieces joined with spaces, whitespace collapsed.

    >>> import lxml.html
    >>> text_of(lxml.html.fromstring("<div><span>来源：A</span><span>作者：B</span></div>"))
    '来源：A 作者：B'
    """
    # split(): the whitespace of \s; joined again with one space, stripped
    return " ".join(" ".join(t for t in el.itertext() if isinstance(t, str)).split())


def _text_upto(el, limit: int) -> str:
    """``text_of(el)``, or a prefix of it at least ``limit`` long, without
    reading the rest of a long element (the body after a headline, say)."""
    parts: list[str] = []
    size = 0
    for t in el.itertext():
        if isinstance(t, str) and (t := " ".join(t.split())):   # split(): \s, as text_of
            parts.append(t)
            size += len(t) + 1
            if size > limit:
                break
    return " ".join(parts)


def flat_text(el) -> str:
    """All text of an element, concatenated (fast; no separators added).

    >>> import lxml.html
    >>> flat_text(lxml.html.fromstring("<p> 甲 <b>乙</b>  丙 </p>"))
    '甲 乙 丙'
    """
    return _X_STRING(el)


def drop_noise(tree) -> None:
    """Remove script/style/comments in place (keeping tails)."""
    for el in _X_NOISE(tree):
        parent = el.getparent()
        if parent is not None:
            _drop_keep_tail(el)


def _drop_keep_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    if tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def unwrap_layout_tables(tree) -> int:
    """Turn layout tables (cells holding paragraphs) into divs, so the text in
    them is read as paragraphs and not as table rows. Returns the count.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><table><tr><td><p>正文</p></td></tr></table></div>")
    >>> unwrap_layout_tables(t), lxml.html.tostring(t, encoding="unicode")
    (1, '<div><div><div><div><p>正文</p></div></div></div></div>')
    """
    tables = _X_LAYOUT(tree)
    for table in tables:
        for part in _X_TABLE_PARTS(table):
            part.tag = _LAYOUT_TAGS[part.tag]
        table.tag = "div"
    return len(tables)


def anchor_texts(tree) -> set[str]:
    """Whitespace-free texts of the links of a page."""
    return {flat_text(a).replace(" ", "") for a in _X_ALL_LINKS(tree)}


def meta_values(tree) -> dict[str, str]:
    """``<meta>`` name/property -> content, keys lower-cased (first wins)."""
    out: dict[str, str] = {}
    for m in _X_META(tree):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        if key and key not in out:
            out[key] = (m.get("content") or "").strip()
    return out


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


_INFO_LABEL = re.compile(r"(来源|來源|作者|发布|發布|编辑|編輯|点击|點擊|浏览|瀏覽)[^:：]{0,3}[:：]")


def _over_info_line(e) -> bool:
    """Right above a labelled info line (发布时间：… 来源：…; not a comment's bare
    time), an element of its own (not a container of the article after it)."""
    nxt = _neighbour(e, forward=True, levels=0)
    if nxt is None or nxt.tag in _HEADINGS or _X_HEADINGS(nxt):
        return False
    text = _text_upto(nxt, 151)
    return len(text) <= 150 and _INFO_LABEL.search(text) is not None


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


def _neighbour(el, forward: bool, levels: int = 2):
    """Nearest element with text before/after ``el`` among siblings of it or
    of its ancestors (up to ``levels`` up)."""
    node = el
    for _ in range(levels + 1):
        sib = node.getnext() if forward else node.getprevious()
        while sib is not None:
            if isinstance(sib.tag, str) and flat_text(sib):
                return sib
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
        if (not _INFO_LINE.search(text) or (el.tail or "").strip() or not whole.endswith(text)
                or text.startswith(("（", "("))):
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
    return text_of(h)


def source_near(h) -> str | None:
    """The bare name (no date, label or space) of an element marked as the
    source in the info line under the headline: its parent also holds a date.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><h1>城市有轨电车之困</h1><div class='date-source'>"
    ...     "<span>2024年05月10日 00:26</span><a class='source'>每日经济新闻</a></div></div>")
    >>> source_near(t.find("h1"))
    '每日经济新闻'
    >>> t = lxml.html.fromstring("<div><h1>城市有轨电车之困</h1><div class='hot-source'>热点推荐</div>"
    ...     "<li class='resource'>政务资源</li></div>")
    >>> source_near(t.find("h1")) is None
    True
    >>> t = lxml.html.fromstring("<div><h1>城市有轨电车之困</h1><div class='article-sub'>"
    ...     "<span>中国网</span> <span>2019-11-25 10:37:31</span></div></div>")
    >>> source_near(t.find("h1"))
    '中国网'
    """
    if h is None:
        return None
    for el in _X_SOURCE_NEAR(h):
        text = text_of(el)
        parent = el.getparent()
        if (_NAME_ONLY.match(text) and CJK.search(text) and "来源" not in text
                and parent is not None and _DATE_IN.search(text_of(parent))):
            return text
    for el in _X_NEAR_LEAVES(h):   # unmarked: a medium's name in a short line with the date
        text = text_of(el)
        parent = el.getparent()
        if (_MEDIUM.match(text) and parent is not None and len(_text_upto(parent, 121)) <= 120
                and _DATE_IN.search(_text_upto(parent, 121))):
            return text
    return None


def text_before(h, limit: int = 200) -> str:
    """The last ``limit`` characters of text right before the headline element
    (an info line printed above the headline, or beside a short title).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><p>来源：新华社 2023-12-01 14:43</p><div><h1>标题</h1></div></div>")
    >>> text_before(t.find(".//h1"))
    '来源：新华社 2023-12-01 14:43'
    """
    return _beside(h, limit, forward=False)


def header_text(h, limit: int = 600) -> str:
    """Text right after the headline element (the info line lives there)."""
    return _beside(h, limit, forward=True)


def _beside(h, limit: int, forward: bool) -> str:
    """Up to ``limit`` characters of the text next to ``h`` (after it, or
    before it), from its siblings and those of up to three of its ancestors."""
    if h is None:
        return ""
    out: list[str] = []
    size = 0
    node = h
    for _ in range(4):
        sib = node.getnext() if forward else node.getprevious()
        while sib is not None and size < limit:
            if isinstance(sib.tag, str):
                if forward:
                    t = _text_upto(sib, limit - size)
                    out.append(t)
                else:
                    t = text_of(sib)[-(limit - size):]
                    out.insert(0, t)
                size += len(t)
            sib = sib.getnext() if forward else sib.getprevious()
        if size >= limit:
            break
        node = node.getparent()
        if node is None:
            break
    if forward:
        return " ".join(out)[:limit]
    return " ".join(t for t in out if t)[-limit:]


def _is_image_block(el) -> bool:
    return not flat_text(el) and bool(_X_IMG(el))


def _caption_shaped(el) -> bool:
    text = text_of(el)
    if not (4 <= len(text) <= 200) or _X_LINKS(el):
        return False
    style = (el.get("style") or "") + " " + (el.get("align") or "")
    centered = bool(CENTERED_STYLE.search(style)) or "center" in style.lower() or el.tag == "center"
    classy = bool(CAPTION_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"))
    credit = bool(PHOTO_CREDIT.search(text))
    shot_by = credit and text.rstrip("）) ").endswith(("摄", "攝", "摄影", "攝影"))
    return (classy or shot_by or (centered and credit)
            or (centered and len(text) <= 120 and not SENTENCE_PUNCT.search(text[-1]))
            # a short centred sentence under a photo (VSB: 观摩团在产业园观摩。)
            or (centered and len(text) <= CENTRED_CAPTION))


CENTRED_CAPTION = 50   # characters: a centred sentence this short under a photo is its caption


def take_captions(root, min_remaining: int = 120) -> list[str]:
    """Photo captions (``figcaption``, or a centred/captioned block right after
    an image-only block), removed from the tree and returned once each.

    Nothing is taken when the captions are the story (a photo page whose
    other text is under ``min_remaining`` characters).
    """
    found: list = []
    for fc in _X_FIGCAPTION(root):
        found.append(fc)
    for img in _X_IMG(root):
        block = img
        while block is not None and block.tag not in _BLOCKS:
            block = block.getparent()
        while (block is not None and block.getparent() is not None
               and block.getparent().tag in _BLOCKS and _is_image_block(block.getparent())):
            block = block.getparent()
        if block is None or not _is_image_block(block):
            continue
        nxt = block.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and _caption_shaped(nxt):
            found.append(nxt)
    captions: list[str] = []
    for el in found:
        container = el.getparent()
        if container is None:
            continue
        others = [c for c in found if c.getparent() is container]
        if len(flat_text(container)) - sum(len(flat_text(c)) for c in others) < min_remaining:
            continue
        text = text_of(el)
        if text and text not in captions:
            captions.append(text)
        if el.getparent() is not None:
            _drop_keep_tail(el)
    return captions
