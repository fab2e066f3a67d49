"""Fallback content finder for pages where trafilatura keeps only navigation:
the element whose paragraphs hold the most non-link text (punctuation counts
double), read block by block.

>>> import lxml.html
>>> t = lxml.html.fromstring("<body><div><a href=x>首页</a></div><div id=c>"
...     "<p>会议指出，要加强领导。</p><p>会议强调，要压实责任。</p></div></body>")
>>> best = densest(t, min_score=10)
>>> best.get("id"), blocks_of(best)
('c', ['会议指出，要加强领导。', '会议强调，要压实责任。'])

A body written as the container's own text, beside an empty paragraph:

>>> t = lxml.html.fromstring("<body><div><a href=x>首页</a></div><div id=t>会议指出，"
...     "要加强领导。会议强调，要压实责任。<p></p></div></body>")
>>> densest(t, min_score=10).get("id")
't'

A body written in sections, one per paragraph, beside a card of short ``<p>`` rows:

>>> t = lxml.html.fromstring("<body><div class=card><p>微信号</p><p>功能介绍</p></div><div id=c>"
...     "<section><span>会议指出，要加强领导。</span></section><section><span>会议强调，"
...     "要压实责任。</span></section></div></body>")
>>> blocks_of(densest(t, min_score=10))
['会议指出，要加强领导。', '会议强调，要压实责任。']
"""

from __future__ import annotations

import re

from lxml import etree

# a <section> holding text and no block element is a paragraph (WeChat-style
# editors write every paragraph as <section><span>…</span></section>)
_X_PARAS = etree.XPath("//p|//br/..|//div[not(*)]|//td[not(*)]|"
                       "//section[normalize-space()][not(.//p|.//div|.//section|.//table|.//ul|"
                       ".//ol|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//blockquote|.//br)]")
# a container whose body is its own text nodes beside a few child elements
# (``<div class="txt_con">正文……<p></p></div>``): scored by that text
_X_OWN_TEXT = etree.XPath("//div[* and not(br) and text()[normalize-space()]]|"
                          "//td[* and not(br) and text()[normalize-space()]]")
_X_OWN = etree.XPath("text()", smart_strings=False)
_X_STRING = etree.XPath("string(.)", smart_strings=False)
_PUNCT = re.compile(r"[，。！？；：、]")
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "tr", "table",
               "section", "article", "blockquote", "center", "dd", "dt", "ul", "ol", "pre"}
MIN_SCORE = 200


def _score(el) -> int:
    text = re.sub(r"\s+", "", _X_STRING(el))
    links = sum(len(re.sub(r"\s+", "", _X_STRING(a))) for a in el.iter("a"))
    return max(len(text) - 2 * links, 0) + len(_PUNCT.findall(text))


def densest(tree, min_score: int = MIN_SCORE):
    """The parent of the highest-scoring paragraphs, or None when none scores."""
    found, score = best(tree)
    return found if score >= min_score else None


def best(tree) -> tuple:
    """(the parent of the highest-scoring paragraphs, its score), or (None, 0)."""
    scores: dict = {}
    for para in _X_PARAS(tree):
        parent = para.getparent() if para.tag in ("p", "div", "td", "section") else para
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + _score(para)
    for el in _X_OWN_TEXT(tree):
        own = re.sub(r"\s+", "", "".join(_X_OWN(el)))
        scores[el] = scores.get(el, 0) + len(own) + len(_PUNCT.findall(own))
    if not scores:
        return None, 0
    return max(scores.items(), key=lambda kv: kv[1])


def blocks_of(el) -> list[str]:
    """Text of ``el`` split at block elements and ``<br>``."""
    parts: list[str] = []
    buf: list[str] = []

    def flush():
        text = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(buf)).strip()
        if text:
            parts.append(text)
        buf.clear()

    def walk(node):
        if not isinstance(node.tag, str):
            if node.tail:
                buf.append(node.tail)
            return
        block = node.tag in _BLOCK_TAGS or node.tag == "br"
        if block:
            flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail and node is not el:
            buf.append(node.tail)

    walk(el)
    flush()
    return parts


# a class or id naming an article's text (endText, TRS_Editor, zoom, zw, content…)
_CONTENT_NAME = re.compile(r"content|article|text|zoom|detail|editor|main|body|zhengwen|neirong|"
                           r"(^|[\s_-])(zw|nr|con|cont|txt|wz)([\s_-]|$)", re.I)


def content_named(el) -> bool:
    """``el`` or one of its two nearest ancestors is named as the article's text
    by its class or id (a sidebar's sentence is not).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><div id='endText'><p>一句。</p></div><div class='right'><p>二句。</p></div></div>")
    >>> content_named(t.xpath("//p")[0]), content_named(t.xpath("//p")[1])
    (True, False)
    """
    for _ in range(3):
        if el is None:
            return False
        if _CONTENT_NAME.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            return True
        el = el.getparent()
    return False


# the blocks whose text opens with a line (its words may be split by links)
_X_OPENING_WITH = etree.XPath("//*[self::p or self::div or self::td or self::section or self::span or "
                              "self::font][starts-with(normalize-space(.), $s)]")


def in_named_element(root, line: str) -> bool:
    """The element holding ``line`` (by its first characters) is named as the
    article's text (:func:`content_named`): a short text is the article's, not a
    sidebar's (您好！欢迎给县长写信。…).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><div class='content'><p>一<a>句</a>话。</p></div><div class='side'><p>二句话。</p></div></div>")
    >>> in_named_element(t, "一句话。"), in_named_element(t, "二句话。")
    (True, False)
    """
    snippet = line.strip()[:8]
    return bool(snippet) and any(content_named(el) for el in _X_OPENING_WITH(root, s=snippet))
