"""Reading the parsed tree: text, layout tables, meta tags, the info line
around the headline (the headline itself: :mod:`.headline`; photo captions:
:mod:`.captions`; teaser lists, related boxes and other furniture:
:mod:`.furniture`). XPaths are compiled once at import; functions are pure
except those that change the tree: :func:`unwrap_layout_tables` and
:func:`drop_noise`.
"""

from __future__ import annotations

import re

from lxml import etree

from .patterns import CJK, DOC_EXTENSIONS

_X_META = etree.XPath("//meta[@name or @property or @itemprop][@content]")
_X_LINKS = etree.XPath(".//a[@href]")
_X_STRING = etree.XPath("normalize-space(string(.))", smart_strings=False)
_X_ALL_LINKS = etree.XPath("//a")
_X_PARAGRAPHS = etree.XPath(".//p")
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
# Layout tables: a cell holding paragraphs, blocks, another table or a form (VSB
# CMS: <td><form name="_newscontent_fromname"><div id="vsb_content"><p>…).
_X_LAYOUT = etree.XPath("//table[tr/td[p or div or table or center or form] or "
                        "tbody/tr/td[p or div or table or center or form]]")
_X_TABLE_PARTS = etree.XPath("./tbody|./thead|./tfoot|./tr|./*/tr|./tr/td|./tr/th|./*/tr/td|./*/tr/th")
_LAYOUT_TAGS = {"table": "div", "tbody": "div", "thead": "div", "tfoot": "div", "tr": "div",
                "td": "div", "th": "div"}
_DATE_IN = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}")


def text_of(el) -> str:
    """Text of an element, pieces joined with spaces, whitespace collapsed.

    >>> import lxml.html
    >>> text_of(lxml.html.fromstring("<div><span>来源：A</span><span>作者：B</span></div>"))
    '来源：A 作者：B'
    """
    # split(): the whitespace of \s; joined again with one space, stripped
    return " ".join(" ".join(t for t in el.itertext() if isinstance(t, str)).split())


_JOINS_TIGHT = re.compile(r"[\u3400-\u9fff\d\u3001-\u303f\uff01-\uff60\u2018-\u201d]")   # (and CJK punctuation)


def tight_text(el, spaced: bool = False) -> str:
    """Text of an element, its pieces (text nodes, inline elements, lines
    broken by ``<br>``) joined with a space, except between two Chinese
    characters (or Chinese punctuation) or a digit and a Chinese character,
    where the break is markup, not a space: ``4<span>月</span><span>1</span>
    <span>日，…</span>`` is 4月1日，…. Spaces inside a piece stay; with
    ``spaced``, so does white space between two pieces (``记者 <span>张三</span>
    <span>李四</span> 摄``: names set apart).

    >>> import lxml.html
    >>> tight_text(lxml.html.fromstring("<p>4<span>月</span><span>1</span><span>日，大会举行。</span></p>"))
    '4月1日，大会举行。'
    >>> tight_text(lxml.html.fromstring("<p><span>会长许云飞</span><span>致辞</span> <b>Li</b>meets</p>"))
    '会长许云飞致辞 Li meets'
    >>> tight_text(lxml.html.fromstring("<p>本报记者 <span>张三</span> <span>李四</span> 摄</p>"), spaced=True)
    '本报记者 张三 李四 摄'
    """
    out = ""
    gap = False   # white space between the last piece and this one (spaced)
    for raw in el.itertext():
        piece = " ".join(raw.split())
        if not piece:
            gap = gap or bool(raw)
            continue
        gap = spaced and (gap or raw[:1].isspace())
        if out and (gap or not (_JOINS_TIGHT.match(out[-1]) and _JOINS_TIGHT.match(piece[0])
                                and not (out[-1].isdigit() and piece[0].isdigit()))):
            out += " "
        out += piece
        gap = raw[-1:].isspace()
    return out


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


def paragraph_texts(root) -> list[str]:
    """The texts of the ``<p>`` elements, in order, empty ones left out."""
    return [t for t in (flat_text(p) for p in _X_PARAGRAPHS(root)) if t.strip()]


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
    """Whitespace-free texts of the links of a page (no-break and ideographic
    spaces out too, as in the blocks they are compared with).

    >>> import lxml.html
    >>> anchor_texts(lxml.html.fromstring("<p><a href='/a'>反腐\xa0 热情\u3000</a></p>"))
    {'反腐热情'}
    """
    return {"".join(flat_text(a).split()) for a in _X_ALL_LINKS(tree)}


_FILE_HREF = re.compile(rf"\.(?:{DOC_EXTENSIONS}|txt|csv)(?:[?#]|$)", re.I)
# a button, not a document's name: 下载本版PDF, 查看原件, 打印版, 阅读原文, English
_GENERIC_FILE_LINK = re.compile(r"下载|下載|原件|打印|查看|阅读原文|閱讀原文|点击|點擊|点此|PDF|pdf|Word|"
                                r"^(附件|原文|全文|文件|图片版|圖片版|\S{0,4}版)$|^[\x00-\x7f]*$")


def file_link_texts(tree) -> set[str]:
    """Whitespace-free texts of the links to documents (``.pdf``, ``.docx``,
    ``.xls`` …): a notice's attachments, its text rather than navigation;
    not a bare 下载 or PDF版 button.

    >>> import lxml.html
    >>> sorted(file_link_texts(lxml.html.fromstring(
    ...     "<div><a href='/P0201.pdf'>拟立项 名单</a><a href='/a.pdf'>下载</a><a href='/c.pdf'>下载本版PDF</a>"
    ...     "<a href='/d.pdf'>打印版</a><a href='/e.pdf'>English</a><a href='/b.html'>要闻</a></div>")))
    ['拟立项名单']
    """
    out = set()
    for a in _X_ALL_LINKS(tree):
        if _FILE_HREF.search(a.get("href") or ""):
            text = "".join(flat_text(a).split())
            if text and not _GENERIC_FILE_LINK.match(text):
                out.add(text)
    return out


def meta_values(tree) -> dict[str, str]:
    """``<meta>`` name/property -> content, keys lower-cased (first wins)."""
    out: dict[str, str] = {}
    for m in _X_META(tree):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").strip().lower()
        if key and key not in out:
            out[key] = (m.get("content") or "").strip()
    return out


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


_X_AUTHOR_NEAR = etree.XPath(
    f"following::*[position() <= 30][not(*[normalize-space()])]"
    f"[contains({_WORDS.format('@class')}, ' author ') or contains({_WORDS.format('@id')}, ' author ')]")
_AUTHOR_LABEL = re.compile(r"^\s*(作者|作\s+者|文)\s*[:：/]\s*")


def author_near(h) -> str | None:
    """The text (its 作者： label off) of an element marked as the author in the
    info line under the headline: its parent also holds a date (163's 亦观察
    column: <div class="details"><span class="con1_author">康斯坦丁</span>
    <span class="con1_date">2015-06-25 10:45:52</span>).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><h2>苹果缘何败走智能电视</h2><div><span class='con1_author'>康斯坦丁</span>"
    ...     "<span>2015-06-25 10:45:52</span></div></div>")
    >>> author_near(t.find("h2"))
    '康斯坦丁'
    >>> t = lxml.html.fromstring("<div><h2>标题</h2><div class='author-box'><span class='author'>张三</span></div></div>")
    >>> author_near(t.find("h2")) is None
    True
    >>> t = lxml.html.fromstring("<div><h2>标题</h2><div><span class='author'>编辑：张三</span>"
    ...     "<span>2015-06-25</span></div></div>")
    >>> author_near(t.find("h2")) is None
    True
    """
    if h is None:
        return None
    for el in _X_AUTHOR_NEAR(h):
        text = _AUTHOR_LABEL.sub("", text_of(el))
        parent = el.getparent()
        if (text and CJK.search(text) and len(text) <= 30 and parent is not None
                and not re.search(r"[:：]", text)   # another label: 编辑：张三
                and _DATE_IN.search(_text_upto(parent, 121))):
            return text
    return None


# an element of the page marked as its source line (163: <div class="ep-source">);
# over the whole page, the words are split in Python (_WORDS in XPath: twice as slow)
_X_CLASS_OR_ID = etree.XPath("//*[@class or @id]")
_WORD_TABLE = str.maketrans("_-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "  abcdefghijklmnopqrstuvwxyz")


def _has_word(el, word: str) -> bool:
    """``word`` is a word of the element's class or id, as ``_WORDS`` reads them."""
    return any(f" {word} " in f" {(el.get(a) or '').translate(_WORD_TABLE)} " for a in ("class", "id"))


def source_lines(tree) -> list[str]:
    """The texts (up to 200 characters) of the elements marked as a source line,
    wherever they stand: 163 prints ``本文来源：网易汽车  作者：柳絮`` in a <div
    class="ep-source"> under the text, outside what trafilatura keeps.

    >>> import lxml.html
    >>> source_lines(lxml.html.fromstring("<div><p>正文。</p><div class='ep-source'><span>本文来源：网易汽车"
    ...                                   " 作者：柳絮</span></div></div>"))
    ['本文来源：网易汽车 作者：柳絮']
    """
    return [t for t in (_text_upto(el, 201) for el in _X_CLASS_OR_ID(tree) if _has_word(el, "source"))
            if t and len(t) <= 200]


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
