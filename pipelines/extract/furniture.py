"""Page furniture around the article, found in the parsed tree before
trafilatura runs: story-teaser lists, small related-story boxes, the stories
an endless scroll prints after the article's and the lines of hidden dialogs
(all out of the text), and two reshapings of what stays (a line break where an
image block divides loose text, a ``<div>`` of prose among paragraphs made a
paragraph). Every function but :func:`dialog_lines` changes the tree.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import _X_LINKS, _X_PARAGRAPHS, _drop_keep_tail, flat_text, text_of
from .patterns import CJK, LEAD, RELATED_HEADING, SENTENCE_MARK

# A list of teasers for other stories: items holding a heading that is a link
# (the other story's title) and a paragraph (its summary).
_X_LISTS = etree.XPath("(//ul|//ol)[li//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]]")
_X_LINKED_HEADING = etree.XPath(".//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
                                "[a[@href]][normalize-space(.) = normalize-space(a)]")
TEASER_ITEMS = 3


def drop_teaser_lists(tree, keep=None) -> int:
    """Remove the lists (``<ul>``/``<ol>``) of story teasers: at least
    TEASER_ITEMS items, and most of them, hold a heading whose whole text is
    a link and a ``<p>`` with text beside it (相关推荐, 你可能还想看 feeds). The
    list holding ``keep`` (the headline) stays. Returns the count.

    >>> import lxml.html
    >>> item = "<li><h4><a href='/a'>另一篇文章</a></h4><p>另一篇文章的摘要。</p></li>"
    >>> t = lxml.html.fromstring(f"<div><p>正文。</p><ul>{item * 3}</ul></div>")
    >>> drop_teaser_lists(t), lxml.html.tostring(t, encoding="unicode")
    (1, '<div><p>正文。</p></div>')
    >>> t = lxml.html.fromstring(f"<div><ul>{item * 2}<li>一</li><li>二</li></ul></div>")
    >>> drop_teaser_lists(t)
    0
    """
    dropped = 0
    for lst in _X_LISTS(tree):
        if lst.getparent() is None or (keep is not None and (keep is lst or lst in keep.iterancestors())):
            continue
        items = [li for li in lst if li.tag == "li"]
        teasers = 0
        for li in items:
            heads = _X_LINKED_HEADING(li)
            if heads and any(text_of(p).strip() for p in _X_PARAGRAPHS(li)
                             if not any(p in h.iterdescendants() for h in heads)):
                teasers += 1
        if teasers >= TEASER_ITEMS and teasers * 2 > len(items):
            _drop_keep_tail(lst)
            dropped += 1
    return dropped


# another story's headline: an element after the article's own, of its tag and class
_X_LIKE_HEADLINE = etree.XPath("following::*[name() = $tag][string(@class) = $cls]")
_X_FOLLOWING_P = etree.XPath("following::p")
# a numbered section heading of the article itself (一、 （二） 第三章 4.)
_NUMBERED = re.compile(r"^(第?[一二三四五六七八九十]+[、.．章节部分]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


def drop_next_stories(tree, headline) -> int:
    """Remove the stories a page prints after its article's (an endless
    scroll's next story, 360kuai, toutiao): a later element of the headline's
    tag and class holding another headline, with the part of the page around
    it that does not hold the article's headline, once a paragraph of the
    article's own text (a sentence) stands between the two, and when that part
    dates its story or links its headline elsewhere. A story opening with a
    news lead (本报讯, …电) stays: a page of several stories is split later
    (:func:`.stories.split_articles`). Returns the count.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><div><h1 class='t'>本篇标题</h1><p>本篇正文。</p></div>"
    ...     "<div><div><h1 class='t'>下一篇标题</h1><time>2024-05-20 13:09</time><p>下一篇正文。</p></div></div></div>")
    >>> drop_next_stories(t, t.find(".//h1")), lxml.html.tostring(t, encoding="unicode")
    (1, '<div><div><h1 class="t">本篇标题</h1><p>本篇正文。</p></div></div>')

    A heading of the same kind inside the article's text, with no sentence
    before it, stays, as does one with neither date nor link (a section
    heading), a numbered one, and a story that opens with a news lead:

    >>> t = lxml.html.fromstring("<div><h1>标题</h1><div><h1>小标题</h1><p>正文。</p></div></div>")
    >>> drop_next_stories(t, t.find(".//h1"))
    0
    >>> t = lxml.html.fromstring("<div><h1>标题</h1><p>导语。</p><div><h1>小标题</h1><p>正文。</p></div></div>")
    >>> drop_next_stories(t, t.find(".//h1"))
    0
    >>> t = lxml.html.fromstring("<div><h1>标题</h1><p>导语。</p><div><h1>一、小标题</h1><p>2024年5月1日</p></div></div>")
    >>> drop_next_stories(t, t.find(".//h1"))
    0
    >>> t = lxml.html.fromstring("<div><div><h3 class='bt'>甲会议召开</h3><p>本报讯 甲。</p></div><div>"
    ...     "<h3 class='bt'>乙会议召开</h3><p>本报讯 5月16日，乙会议召开。</p></div></div>")
    >>> drop_next_stories(t, t.find(".//h3"))
    0
    """
    if headline is None or headline.getroottree().getroot() is not tree.getroottree().getroot():
        return 0
    own = flat_text(headline).replace(" ", "")
    around = set(headline.iterancestors())
    dropped = 0
    candidates = _X_LIKE_HEADLINE(headline, tag=headline.tag, cls=headline.get("class") or "")
    for other in candidates[:MAX_NEXT_STORIES]:
        text = flat_text(other).replace(" ", "")
        if other.getparent() is None or any(a.getparent() is None and a.tag != "html"
                                            for a in other.iterancestors()):
            continue   # inside a box already dropped
        if len(CJK.findall(text)) < 4 or text in own or own in text or _NUMBERED.match(text):
            continue
        box = other   # the largest part of the page around it without the headline
        while box.getparent() is not None and box.getparent() not in around:
            box = box.getparent()
        if box.getparent() is None:
            continue
        after = _text_after(other, box)
        if LEAD.search(after) or not (_DATE.search(after) or _X_LINKS(other)):
            continue
        if not _sentence_between(headline, box):
            continue
        _drop_keep_tail(box)
        dropped += 1
    return dropped


MAX_NEXT_STORIES = 20   # candidates looked at (a page may repeat a class thousands of times)
_DATE = re.compile(r"\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}")


_X_TEXT_AFTER = etree.XPath("following::text()[normalize-space()][position() <= 30]")


def _text_after(el, box, limit: int = 200) -> str:
    """Up to ``limit`` characters of ``box``'s text after ``el`` (its story's
    info line and opening).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><div><h3>乙</h3><p>本报讯 乙会议召开。</p></div><p>外面</p></div>")
    >>> _text_after(t.find(".//h3"), t[0])
    '本报讯 乙会议召开。'
    """
    parts: list[str] = []
    size = 0
    for node in _X_TEXT_AFTER(el):
        parent = node.getparent()
        if parent is None or not (parent is box or box in parent.iterancestors()):
            break
        parts.append(str(node))
        size += len(node)
        if size > limit:
            break
    return "".join(parts)


def _sentence_between(first, last) -> bool:
    """Whether a paragraph with a sentence stands after ``first`` and before ``last``
    in document order (both elements of one tree)."""
    for n, el in enumerate(_X_FOLLOWING_P(first)):
        if el is last or last in el.iterancestors() or n > MAX_BETWEEN:
            return False
        if SENTENCE_MARK.search(flat_text(el)):
            return True
    return False


MAX_BETWEEN = 200   # paragraphs looked at between the headline and another story


_X_IMAGE_BLOCKS = etree.XPath("//*[self::div or self::p or self::center][.//img][not(normalize-space())]")


def break_at_image_blocks(tree) -> int:
    """Turn a block holding only an image, with loose text after it, into a line
    break: the text before and after it are two lines (thepaper's older pages:
    ``…提升50%。<div><img></div>问题来了<br>…``), where trafilatura, which drops
    the image, would glue them. Returns the count.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div>第一句。<div><img src='a.jpg'></div>第二句<br>第三句</div>")
    >>> break_at_image_blocks(t), lxml.html.tostring(t, encoding="unicode")
    (1, '<div>第一句。<br>第二句<br>第三句</div>')
    """
    blocks = [b for b in _X_IMAGE_BLOCKS(tree) if (b.tail or "").strip()]   # loose text after it
    for block in blocks:
        br = etree.Element("br")
        br.tail = block.tail
        block.getparent().replace(block, br)
    return len(blocks)


# a block of text among paragraphs: a <div> before a <p> of its parent, holding
# only text and inline markup (no link, no block)
_X_TEXT_DIVS = etree.XPath(
    "//div[following-sibling::p][normalize-space()][not(*[not(self::span or self::strong or self::b "
    "or self::em or self::i or self::font or self::br or self::u or self::sup or self::sub)])]")
_SENTENCE_IN = re.compile(r"[。！？!?；;]")


def paragraph_divs(tree) -> int:
    """Turn a ``<div>`` of prose among paragraphs into a paragraph: a lead or
    summary above the first ``<p>`` (qq: ``<div class="introduction">…。</div>
    <p>…</p>``), which trafilatura, reading only the ``<p>`` of a container that
    has some, would leave out. Returns the count.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><div>导语：原作者的女儿表示，改成这样并不值得提倡。</div><p>正文。</p></div>")
    >>> paragraph_divs(t), lxml.html.tostring(t, encoding="unicode")
    (1, '<div><p>导语：原作者的女儿表示，改成这样并不值得提倡。</p><p>正文。</p></div>')

    A footer after the last paragraph, a link, a short label stay as they are:

    >>> t = lxml.html.fromstring("<div><div>栏目</div><div><a href='/'>另一篇。</a></div><p>正文。</p>"
    ...                          "<div>本网站所有内容，未经许可不得转载。</div></div>")
    >>> paragraph_divs(t)
    0
    """
    found = 0
    for div in _X_TEXT_DIVS(tree):
        text = flat_text(div)
        if len(text) >= 20 and _SENTENCE_IN.search(text):
            div.tag = "p"
            found += 1
    return found


# a dialog a script shows (已收藏! … 知道了): a class word alert, dialog, modal, popup, toast
# (the regex runs in Python over the class values: lxml's EXSLT re:test calls
# back into Python for every element, twice as slow)
_X_CLASSED = etree.XPath("//*[@class]")
_DIALOG_CLASS = re.compile(r"(^|[\s_-])(alert|dialog|modal|popup|toast)([\s_-]|$)", re.I)
DIALOG = 200   # characters at most
_SHOWN_ALERT = re.compile(r"alert-(info|warning|success|danger|primary|secondary|light|dark)\b")


def dialog_lines(tree, keep=None) -> set[str]:
    """The whitespace-free texts of the blocks inside the short dialogs a page's
    scripts show on a click (sina: <div class="sc_success_alert"><p>已收藏!</p>
    <p>您可通过新浪首页…查看所有收藏过的文章。</p>…<p>知道了</p></div>), hidden until
    then by a stylesheet: lines to drop from the text. The tree is left as it
    is (taking them out changes what trafilatura keeps elsewhere). Nothing of a
    dialog holding ``keep`` (the headline).

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><p>正文。</p><div class='sc_success_alert'><p>已收藏!</p>"
    ...                          "<p>知 道了</p></div></div>")
    >>> sorted(dialog_lines(t))
    ['已收藏!', '知道了']
    >>> dialog_lines(lxml.html.fromstring("<div><div class='alertness'><p>正文。</p></div></div>"))
    set()
    >>> dialog_lines(lxml.html.fromstring("<div><div class='alert alert-warning'>申报截止时间为6月30日。</div></div>"))
    set()
    """
    lines: set[str] = set()
    for el in _X_CLASSED(tree):
        cls = el.get("class")
        if not _DIALOG_CLASS.search(cls) or _SHOWN_ALERT.search(cls):
            continue   # (a Bootstrap alert box is shown with the page: 申报截止时间为…)
        if len(flat_text(el)) > DIALOG or (keep is not None and (el is keep or el in keep.iterancestors())):
            continue
        for e in el.iter():
            if isinstance(e.tag, str) and (e.text or "").strip():
                lines.add(flat_text(e).replace(" ", ""))
    return lines


RELATED_BOX = 500   # characters: a box of links to other stories is no longer
_SEPARATORS = re.compile(r"[\s·•・|｜/_\-—:：【】\[\]]+")
# (only leaves whose text holds a first word of RELATED_HEADING: a page has thousands
# of leaves; walked in Python, four times as fast as XPath's contains() per word)
_HEADING_TAGS = ("div", "h2", "h3", "h4", "h5", "span", "p", "strong", "b", "dt")
_HEADING_WORD = re.compile("延伸|相关|相關|推荐|推薦|热门|熱門|更多|猜你")


def _heading_like(tree) -> list:
    return [e for e in tree.iter(*_HEADING_TAGS)
            if e.text and _HEADING_WORD.search(e.text) and not any(isinstance(c.tag, str) for c in e)]


def drop_related_boxes(tree) -> int:
    """Remove the small boxes of links to other stories that open with their own
    heading (163.com: <div class="special_tag"><div>延伸 · 推荐</div><div><p><a>…</a></p>
    <p>其摘要…</p></div></div>), wherever they stand, the text container included:
    trafilatura drops the heading and the linked title but keeps the summary.
    Returns the count.

    >>> import lxml.html
    >>> t = lxml.html.fromstring("<div><p>正文。</p><div><div>延伸 · 推荐</div><div><p><a href='/x'>另一篇</a></p>"
    ...                          "<p>另一篇的摘要。</p></div></div></div>")
    >>> drop_related_boxes(t), lxml.html.tostring(t, encoding="unicode")
    (1, '<div><p>正文。</p></div>')
    """
    dropped = 0
    for heading in _heading_like(tree):
        text = heading.text or ""
        if not (2 <= len(text.strip()) <= 12) or not RELATED_HEADING.match(_SEPARATORS.sub("", text)):
            continue
        box = heading.getparent()
        if box is None or box.getparent() is None or box.tag not in ("div", "section", "aside", "dl", "td"):
            continue
        box_text = flat_text(box).strip()
        if not box_text.startswith(text.strip()) or len(box_text) > RELATED_BOX or not _X_LINKS(box):
            continue
        _drop_keep_tail(box)
        dropped += 1
    return dropped


# the three nearest blocks around each image whose text is short (measured in C)
_X_BADGES = etree.XPath("//img/ancestor::*[self::li or self::div or self::p or self::dd or self::td]"
                        "[position() <= 3][string-length(normalize-space()) <= 40]")
_APP_NAME = re.compile(r"^(?!.*(扫|掃|关注|關注))[\u3400-\u9fff\w]{2,12}?"   # (a prompt is left to the cleanup)
                       r"(微信公众号|微信公眾號|公众号|公眾號|服务号|服務號|客户端|客戶端|官方微博|微博|"
                       r"抖音号?|抖音號|视频号|視頻號|头条号|頭條號|APP|App|app)$")
BADGE = 24   # characters at most


def drop_app_badges(tree) -> int:
    """A site's QR codes for its accounts: an image with an account's name
    under it (河北日报<br>微信公众号, 河北日报<br>客户端), in a list hidden on
    desktops that trafilatura keeps. Returns the count.

    >>> import lxml.html
    >>> d = lxml.html.fromstring("<div><p>正文。</p><ul><li><img src='q.jpg'><p>河北日报<br>微信公众号</p></li>"
    ...                          "<li><a href='/apk'><img src='a.jpg'><p>河北日报<br>客户端</p></a></li></ul>"
    ...                          "<p><img src='b.jpg'>新华社记者 李梦馨 摄</p></div>")
    >>> drop_app_badges(d), [e.tag for e in d.iter()]
    (0, ['div', 'p', 'ul', 'li', 'img', 'p', 'br', 'li', 'a', 'img', 'p', 'br', 'p', 'img'])
    >>> d = lxml.html.fromstring("<div><p>正文。</p><ul class='am-weixin'><li><img src='q.jpg'><p>河北日报<br>"
    ...                          "微信公众号</p></li><li><img src='/qr/a.jpg'><p>河北日报<br>客户端</p></li></ul></div>")
    >>> drop_app_badges(d), [e.tag for e in d.iter()]
    (2, ['div', 'p', 'ul'])

    An article's list of accounts, with their logos, stays (the first
    example: no QR code named).
    """
    dropped = 0
    seen = set()
    for el in _X_BADGES(tree):
        if el in seen or el.getparent() is None:
            continue
        seen.add(el)
        text = "".join(el.text_content().split())
        if len(text) <= BADGE and _APP_NAME.match(text) and _qr_code(el):
            _drop_keep_tail(el)
            dropped += 1
    return dropped


_QR = re.compile(r"qr|ewm|erweima|weixin|wechat|wx|code|二维码|二維碼|扫码|掃碼|display\s*:\s*none", re.I)


def _qr_code(el) -> bool:
    """The badge's image is a QR code by its name, or the badge sits in a box
    named for QR codes or hidden (not an article's list of accounts with
    their logos)."""
    if any(_QR.search(" ".join(filter(None, (img.get("src"), img.get("class"), img.get("alt")))))
           for img in el.iter("img")):
        return True
    box = el
    for _ in range(3):
        if _QR.search(" ".join(filter(None, (box.get("class"), box.get("id"), box.get("style"))))):
            return True
        box = box.getparent()
        if box is None:
            return False
    return False

