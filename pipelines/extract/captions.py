"""Photo captions: found under (or beside) each image, taken out of the tree
once (:func:`take_captions`, which changes the tree) so they stay out of the
text and go to the record's ``captions``. A caption is a ``<figcaption>``, a
block right under the image that is caption-shaped (a caption class, a
摄/photo-agency credit, the photo's origin named first, small print, or a short
centred line that opens no run of centred lines such as a poem), or a short
phrase in the image's own block.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import _X_LINKS, _drop_keep_tail, flat_text, text_of, tight_text
from .patterns import (CAPTION_CLASS, CAPTION_SOURCE, CENTERED_STYLE, PHOTO_AGENCY, PHOTO_CREDIT,
                       SENTENCE_PUNCT)

_X_IMG = etree.XPath(".//img")
_X_FIGCAPTION = etree.XPath(".//figcaption")
_BLOCKS = {"p", "div", "td", "figure", "center", "span", "section", "li", "dd", "font", "strong", "b"}


def _is_image_block(el) -> bool:
    return not flat_text(el) and bool(_X_IMG(el))


def _centred(el) -> bool:
    """Centred by its style, align, tag or a class saying so (163.com: <p class="f_center">)."""
    style = (el.get("style") or "") + " " + (el.get("align") or "")
    return (bool(CENTERED_STYLE.search(style)) or "center" in style.lower() or el.tag == "center"
            or "center" in (el.get("class") or "").lower())


def _centred_line(el) -> bool:
    """A short centred block of text with no image: a caption, or a line of verse."""
    return (isinstance(el, etree._Element) and isinstance(el.tag, str) and _centred(el)
            and 0 < len(text_of(el)) <= CENTRED_CAPTION and not _X_IMG(el))


def _opens_centred_run(el) -> bool:
    """``el`` and the two blocks after it are short centred lines: a poem's
    title, its author and verses, or a centred heading over its lines, not a
    caption (people.com.cn: <p center><strong>《冬夜读书示子聿》</strong></p>
    <p center>——（宋）陆游</p><p center>古人学问无遗力，…</p> under a picture)."""
    nxt = el.getnext()
    return (_centred_line(el) and nxt is not None and _centred_line(nxt)
            and _centred_line(nxt.getnext()))


_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+(?:\.\d+)?)\s*(pt|px)", re.I)
SMALL_PRINT = 12.0   # px (9pt): a short block all in a font this small under a photo is its caption
SMALL_CAPTION = 120  # characters at most


def _font_px(el) -> float | None:
    """The font size (px) set on the element or on an inline element inside it
    that holds all its text (``<p>　　<font style="font-size: 9pt">…</font></p>``)."""
    text = text_of(el)
    for e in el.iter():
        if not isinstance(e.tag, str) or (e is not el and e.tag not in _INLINE):
            continue
        m = _FONT_SIZE.search(e.get("style") or "")
        if m and text_of(e) == text:
            return float(m.group(1)) * (4 / 3 if m.group(2).lower() == "pt" else 1)
    return None


def _small_print(el) -> bool:
    """All in a small font, smaller than the block after it is written in (TRS
    pages print captions in 9pt under the photo; a page all in 9pt has none).

    >>> import lxml.html
    >>> d = lxml.html.fromstring("<div><p>　<font style='font-size: 9pt'>报道截图。</font></p><p>正文。</p></div>")
    >>> _small_print(d[0])
    True
    >>> d = lxml.html.fromstring("<div><p style='font-size:12px'>正文。</p><p style='font-size:12px'>正文。</p></div>")
    >>> _small_print(d[0])
    False
    """
    size = _font_px(el)
    if size is None or size > SMALL_PRINT or len(text_of(el)) > SMALL_CAPTION:
        return False
    nxt = el.getnext()
    while nxt is not None and not (isinstance(nxt.tag, str) and flat_text(nxt).strip()):
        nxt = nxt.getnext()
    return nxt is None or _font_px(nxt) != size


def _caption_shaped(el) -> bool:
    text = text_of(el)
    if not (4 <= len(text) <= 200) or _X_LINKS(el):
        return False
    centered = _centred(el)
    classy = bool(CAPTION_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"))
    credit = bool(PHOTO_CREDIT.search(text))
    shot_by = credit and text.rstrip("）) ").endswith(("摄", "攝", "摄影", "攝影"))
    # ending in a photo agency's credit (thepaper: 共享充电宝。视觉中国 资料, in a grey span)
    agency = len(text) <= 120 and bool(PHOTO_AGENCY.search(text))
    # the photo's origin named first (▲图片来自视频截图。, 图片来源：摄图网),
    # even in a block not centred (163.com)
    origin = bool(CAPTION_SOURCE.match(text))
    if classy or shot_by or agency or origin or (centered and credit) or _small_print(el):
        return True
    return centered and not _opens_centred_run(el) and (
        (len(text) <= 120 and not SENTENCE_PUNCT.search(text[-1]))
        # a short centred sentence under a photo (VSB: 观摩团在产业园观摩。)
        or len(text) <= CENTRED_CAPTION)


def _tail_caption(block) -> bool:
    """The text after an image's block, up to a line break or block, is a
    caption by its words: an arrow pointing up at the photo (▲), a 摄 credit,
    the photo's origin named first, or a photo agency's credit.

    >>> import lxml.html
    >>> d = lxml.html.fromstring("<div><div><img src='a.jpg'></div>▲航站楼的建筑造型。<br>正文</div>")
    >>> _tail_caption(d[0])
    True
    >>> d = lxml.html.fromstring("<div><div><img src='a.jpg'></div>据介绍，航站楼将于11月开港。<br>正文</div>")
    >>> _tail_caption(d[0])
    False
    """
    text = " ".join((block.tail or "").split())
    nxt = block.getnext()
    if not (4 <= len(text) <= 120) or (nxt is not None and nxt.tag not in ("br", *_BLOCKS)):
        return False
    return (text.startswith(("▲", "△", "↑")) or text.rstrip("）) ").endswith(("摄", "攝", "摄影", "攝影"))
            or bool(CAPTION_SOURCE.match(text)) or bool(PHOTO_AGENCY.search(text)))


CENTRED_CAPTION = 50   # characters: a centred sentence this short under a photo is its caption
INLINE_CAPTION = 60    # characters: a phrase right after the image in its own block
_INLINE = {"i", "em", "small", "span", "font", "b", "strong"}


def take_captions(root, min_remaining: int = 120) -> list[str]:
    """Photo captions (``figcaption``, or a centred/captioned block right after
    an image-only block), removed from the tree and returned once each.

    Nothing is taken when the captions are the story (a photo page whose
    other text is under ``min_remaining`` characters).
    """
    found: list = []   # (caption, the element whose other text is the story)
    for fc in _X_FIGCAPTION(root):
        found.append((fc, fc.getparent()))
    for img in _X_IMG(root):
        block = img
        while block is not None and block.tag not in _BLOCKS:
            block = block.getparent()
        while (block is not None and block.getparent() is not None
               and block.getparent().tag in _BLOCKS and _is_image_block(block.getparent())):
            block = block.getparent()
        if block is None:
            continue
        if not _is_image_block(block):
            # the caption inside the image's own block: <p><img><i class="desc">…</i></p> (qq.com)
            cap = img.getnext()
            if (cap is not None and cap.tag in _INLINE and not (img.tail or "").strip()
                    and 2 <= len(text_of(cap)) <= INLINE_CAPTION and text_of(cap) == text_of(block)
                    and not SENTENCE_PUNCT.search(text_of(cap)[-1])):
                found.append((cap, block.getparent()))
            # or written right after the image in its own centred block, as bare
            # text: <p class="f_center"><img>运营商某次活动上展示的5G芯片</p> (163.com)
            tail = " ".join((img.tail or "").split())
            if (cap is None and 2 <= len(tail) <= INLINE_CAPTION and tail == text_of(block)
                    and _centred(block) and not SENTENCE_PUNCT.search(tail[-1])):
                span = etree.SubElement(img.getparent(), "span")
                img.addnext(span)
                span.text, img.tail = img.tail, None
                found.append((span, block.getparent()))
            continue
        nxt = block.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and _caption_shaped(nxt):
            found.append((nxt, nxt.getparent()))
        elif _tail_caption(block):
            # loose text right after the image's block, a line of its own
            # (thepaper: <div><img></div>▲气宇非凡的航站楼…<br>)
            span = etree.Element("span")
            span.text, block.tail = block.tail, None
            block.addnext(span)
            found.append((span, block.getparent()))
    captions: list[str] = []
    seen: set[str] = set()
    # per container: its text, its captions' text, what was taken out of it so
    # far (counted once per container: a page may hold thousands of photos)
    sizes: dict = {}
    for el, container in found:
        if container is not None:
            size = sizes.setdefault(container, [len(flat_text(container)), 0, 0])
            size[1] += len(flat_text(el))
    for el, container in found:
        if container is None:
            continue
        whole, in_captions, taken = sizes[container]
        if whole - taken - in_captions < min_remaining:
            continue
        text = tight_text(el, spaced=True)   # (4<span>月</span><span>1</span>日: one word)
        if text and text not in seen:
            seen.add(text)
            captions.append(text)
        if el.getparent() is not None:
            sizes[container][2] += len(flat_text(el))
            _drop_keep_tail(el)
    return captions
