"""Page -> article records.

``extract_articles`` decodes the body once with the resolved encoding, parses
it once, reads the headline block (:mod:`.headline`) and the date from the
full tree, takes the photo captions and the page furniture around the article
out (:mod:`.captions`, :mod:`.furniture`), runs trafilatura on the page (or on
the site's content container, with its prune XPaths), then cleans the text
with the rules in :mod:`.cleanup` and :mod:`.repeats`, finds where it starts
and splits pages that print several stories (:mod:`.stories`), and reads
source, authors, editor and photographers (:mod:`.fields`, :mod:`.credits`).
"""

from __future__ import annotations

import copy
import functools
import logging
import re

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from . import attachments, cleanup, credits as cr, density, dom, editors as ed
from . import fields, furniture, notices, repeats, stories
from . import headline as hl
from .patterns import SENTENCE_PUNCT, unannotated
from .captions import take_captions
from .fields import INFO_LINE, xpath as _xpath
from .fields import compiled as _compiled
from .record import Article

logger = logging.getLogger(__name__)

MAX_BODY = 8 * 1024 * 1024        # bytes; larger pages are refused
MIN_TEXT = 80                     # whitespace-free characters of body text for an article
MIN_PROSE = 0.5                   # share of the text in sentence-like blocks (short pages)
MAX_LINKED = 0.4                  # share of the text that is link texts (list pages)
SHORT_BLOCK = 8                   # characters: a block this short is a label or a button
MAX_SHORT_LINES = 0.6             # share of such blocks on an undated page that is no article
PROSE_LINE = 50                   # characters: a sentence this long is a paragraph of prose
SHORT_BODY_SCORE = 120            # density score of a short body taken when it follows the headline
TOOLBAR_LINE = 20                 # characters: a toolbar's line before the headline is no longer
FOLLOWING_TEXT = 100_000          # characters read around the headline to place a toolbar line
FULL_BELOW = 500                  # characters: a shorter fast trafilatura result is redone in full
MIN_PARAGRAPH = 10                # characters: a shorter <p> is not looked for in a flattened block
_DATA_URI = re.compile(r"""(src|href)\s*=\s*(["'])data:[^"']{256,}\2""", re.I)
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_COMMENT_BLOB = re.compile(r"<!--(?:(?!-->).){20000,}?-->", re.S)


class ExtractionError(Exception):
    """The page could not be parsed at all (reason in the message)."""


def _looks_binary(text: str) -> bool:
    """Many control or undecodable characters at the start: not a text page.

    >>> _looks_binary("%PDF-1.4\\x00\\x01\\x02\\x03" * 20)
    True
    >>> _looks_binary("<html><body>正文</body></html>")
    False
    """
    head = text[:4096]
    return bool(head) and len(_BINARY.findall(head)) > len(head) * 0.05


def parse(text: str):
    """Parse decoded HTML once; ExtractionError when there is no tree."""
    if "data:" in text.lower():   # the regex scans slowly; most pages have no data: URI
        text = _DATA_URI.sub(r'\1=""', text)
    if len(text) > 1_000_000:
        text = _COMMENT_BLOB.sub("", text)
    try:
        # huge_tree: libxml2 otherwise drops everything below depth 256, which
        # pages with thousands of unclosed <font>/<div> tags reach.
        tree = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as e:
        raise ExtractionError(f"unparsable HTML: {e}") from None
    if tree is None:
        raise ExtractionError("empty HTML tree")
    return tree


def _remove(elements) -> None:
    for el in elements:
        if isinstance(el, etree._Element) and el.getparent() is not None:
            el.getparent().remove(el)


@functools.cache
def _extractor(fast: bool) -> Extractor:
    """trafilatura's options, built once per process (reading its config costs
    more than a short page's cleanup); a copy per page carries the URL."""
    return Extractor(output_format="python", fast=fast, comments=False, tables=True,
                     dedup=False, with_metadata=False)


def _trafilatura(root, url: str, fast: bool):
    options = copy.copy(_extractor(fast))
    options.url = options.source = url
    return bare_extraction(root, options=options)


def _trafilatura_blocks(root, url: str) -> list[str]:
    """trafilatura's text of ``root``, in blocks. Its fast mode first (no
    comparison with readability and justext, a third of its time); a result
    under ``FULL_BELOW`` characters, the case where that comparison can
    change the outcome, is redone with it."""
    doc = _trafilatura(root, url, fast=True)
    if doc is None or len(doc.text or "") < FULL_BELOW:
        doc = _trafilatura(root, url, fast=False)
    if doc is None or not doc.text:
        return []
    return [b for b in (cleanup.tidy(x) for x in doc.text.split("\n")) if b]


def _density_blocks(found) -> list[str]:
    """The tidied blocks of the element the density fallback found, if any."""
    return [b for b in (cleanup.tidy(x) for x in density.blocks_of(found)) if b] if found is not None else []


def _unflatten_head(blocks: list[str], title_lines: list[str], paragraphs: list[str]) -> list[str]:
    """A block holding the headline and, after it, the page's paragraphs:
    trafilatura flattened the article's container (its fallback on a short
    text), info line, buttons and all. The block is cut at the first
    paragraph after the headline and split at the following ones.

    >>> _unflatten_head(["网站名 标题 阅读全文 2024年5月22日 第一段，会议指出要加强。 第二段，会议强调要落实。"], ["标题"],
    ...                 ["第一段，会议指出要加强。", "第二段，会议强调要落实。"])
    ['第一段，会议指出要加强。', '第二段，会议强调要落实。']
    >>> _unflatten_head(["标题党的说法，会议指出。"], ["标题"], ["标题党的说法，会议指出。"])
    ['标题党的说法，会议指出。']
    >>> _unflatten_head(["3月23日，标题召开。会议强调，要守住底线。"], ["标题"], ["会议强调，要守住底线。"])
    ['3月23日，标题召开。会议强调，要守住底线。']
    """
    title = " ".join(title_lines)
    squashed = {cleanup.tidy(x) for x in paragraphs}
    for i, block in enumerate(blocks[:3]):
        at = block.find(title) if title else -1
        if at < 0:
            continue
        start, cuts = at + len(title), []
        for p in (cleanup.tidy(x) for x in paragraphs):
            if len(p) < MIN_PARAGRAPH or p == title:
                continue
            found = block.find(p, start)
            if found >= 0:
                cuts.append(found)
                start = found + len(p)
        # a flattened container: a header (provider, headline, button, byline,
        # date) before its first paragraph, no sentence in it; not a paragraph of
        # the page whose sentence a summary or a later paragraph repeats
        if not cuts or SENTENCE_PUNCT.search(block[:cuts[0]]) or block in squashed:
            return blocks
        pieces = [block[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(block)])]
        return blocks[:i] + [p for p in pieces if p] + blocks[i + 1:]
    return blocks


def _wrap(element):
    """A document holding only ``element`` (for a narrowed trafilatura run),
    inside an ``<article>``: trafilatura's main pass takes that as the content
    (otherwise, on a container whose id or class it does not know, it finds
    none and falls back to its slower recovery of loose text)."""
    html = lxml.html.Element("html")
    body = etree.SubElement(html, "body")
    etree.SubElement(body, "article").append(element)
    return html


def _drop_before_headline(blocks: list[str], headline) -> list[str]:
    """Short lines opening the text that the page prints only before the
    headline (a login box: 登录超时，稍后再试 / 免注册 快速登录 / 消息), when the
    text's first long line comes after the headline (so the headline found is
    the article's, not a sidebar's further down)."""
    after = cleanup.squash(dom.header_text(headline, FOLLOWING_TEXT))
    first = next((cleanup.squash(b) for b in blocks if len(b) > 30), "")
    if not first or first[:30] not in after:
        return blocks
    before = cleanup.squash(dom.text_before(headline, FOLLOWING_TEXT))
    n = 0
    while n < len(blocks) - 1:
        key = cleanup.squash(blocks[n])
        if not (key and len(blocks[n]) <= TOOLBAR_LINE and not SENTENCE_PUNCT.search(blocks[n])
                and key in before and key not in after):
            break
        n += 1
    return blocks[n:]


def _short_lines(blocks: list[str]) -> float:
    """Share of the blocks that are a few characters long.

    >>> _short_lines(["版 本", "默 认", "逍遥 3.0", "为了您的信息安全，请不要在公用电脑上使用此功能！"])
    0.75
    """
    return sum(1 for b in blocks if len(b) <= SHORT_BLOCK) / len(blocks) if blocks else 0.0


def looks_like_article(blocks: list[str], anchors: set[str], files: set[str] = frozenset()) -> bool:
    """Home, list and navigation pages: their remaining text is mostly link
    texts, or short lines without sentences.

    >>> looks_like_article(["标题一", "标题二"], {"标题一", "标题二"})
    False
    >>> looks_like_article(["会议指出，要加强领导。" * 30], set())
    True
    """
    if files:
        blocks = [b for b, a in zip(blocks, attachments.attachment_flags(blocks, files)) if not a] or blocks
    total = sum(len(b) for b in blocks)   # (attachment lines neither prose nor links)
    if not total:
        return False
    linked = sum(len(b) for b in blocks if cleanup.squash(b) in anchors)
    if linked / total >= MAX_LINKED:
        return False
    return cleanup.prose_share(blocks) >= MIN_PROSE or total >= 300


def extract_articles(body: bytes, encoding: str, url: str, site=None,
                     text: str | None = None, missed: list | None = None,
                     part: bool = False) -> list[Article]:
    """Zero or more articles found on one page (``[]`` for non-article pages).
    ``text``: the body already decoded with ``encoding`` (by
    :func:`pipelines.extract.encoding.decode`), so it is not decoded twice.
    ``missed``: gets the keys of the site's ``article_xpath``/``content_xpath``
    that matched nothing on this page (skipped: the generic rules ran).
    ``part``: the page is a later page of an article (``[article_pages]``),
    which may hold only its closing lines: no minimum length, and a few
    sentences among its navigation are its text."""
    if not body or not body.strip():
        logger.info("extract/empty: %s: empty body", url)
        return []
    if len(body) > MAX_BODY:
        raise ExtractionError(f"page of {len(body)} bytes is over the {MAX_BODY} byte limit")
    if text is None:
        try:
            text = body.decode(encoding or "utf-8", errors="replace")
        except LookupError:
            raise ExtractionError(f"unknown encoding {encoding!r}") from None
    if _looks_binary(text):
        raise ExtractionError("binary body (control or undecodable characters)")
    tree = parse(text)
    hints = site.extract if site is not None else None
    dom.drop_noise(tree)
    extra = tuple(re.compile(p) for p in (hints.boilerplate if hints else ()))
    meta = dom.meta_values(tree)
    article_xpath = _compiled(hints, "article_xpath")
    if article_xpath is not None:
        roots = [r for r in article_xpath(tree) if isinstance(r, etree._Element)]
        if not roots and missed is not None:
            missed.append("article_xpath")
        out: list[Article] = []
        for root in roots:
            out.extend(_from_root(tree, _wrap(root), url, hints, meta, extra, text, missed,
                                  part))
        return out
    return _from_root(tree, tree, url, hints, meta, extra, text, missed, part)


def _from_root(tree, root, url: str, hints, meta: dict, extra: tuple,
               html: str = "", missed: list | None = None,
               part: bool = False) -> list[Article]:
    title_lines, subtitle, headline = hl.headline_block(root, _compiled(hints, "title_xpath"))
    header = unannotated(dom.header_text(headline))
    above = unannotated(dom.text_before(headline, 2 * INFO_LINE)) if headline is not None else ""
    published, rule = fields.published(root, header, meta, url, hints, headline, above, html)
    content_xpath = _compiled(hints, "content_xpath")
    page_root = root
    for xp in (hints.prune_xpaths if hints else ()):
        _remove(_xpath(xp)(root))
    if content_xpath is not None:
        found = [e for e in content_xpath(root) if isinstance(e, etree._Element)]
        if found:
            root = _wrap(found[0])
        elif missed is not None and "content_xpath" not in missed:
            missed.append("content_xpath")
    dom.unwrap_layout_tables(root)     # after the site XPaths, written for the served HTML
    furniture.drop_related_boxes(root)
    furniture.drop_app_badges(root)
    captions = take_captions(root)
    files = dom.file_link_texts(root)
    anchors = dom.anchor_texts(root) - files    # a notice's attachments are its text
    furniture.drop_teaser_lists(root, headline)
    furniture.drop_next_stories(root, headline)
    dialogs = furniture.dialog_lines(root, headline)
    furniture.break_at_image_blocks(root)
    furniture.paragraph_divs(root)
    raw = _trafilatura_blocks(root, url)
    if dialogs:
        raw = [b for b in raw if cleanup.squash(b) not in dialogs]
    if raw:
        paragraphs = dom.paragraph_texts(root)
        raw = _unflatten_head(repeats.restore_collapsed(raw, paragraphs, files), title_lines, paragraphs)
    blocks = repeats.drop_toc(cleanup.drop_boilerplate(raw, extra))
    # a later page of an article: a sentence outside the links is its text
    short_part = part and any(SENTENCE_PUNCT.search(b) and cleanup.squash(b) not in anchors
                              for b in blocks)
    dated = headline is not None and notices.dated(rule, published, header) and not part
    briefs = True   # a news brief may be these lines
    if not looks_like_article(blocks, anchors, files) and headline is not None and not short_part:
        first = blocks
        # trafilatura kept the navigation: fall back to the densest paragraphs.
        found, score = density.best(root)
        short = None
        if found is not None and score < density.MIN_SCORE:
            # a short body (a summary) is taken only right under the headline
            nxt = hl.next_block(headline) if score >= SHORT_BODY_SCORE else None
            if nxt is None or not (nxt is found or found in nxt.iterdescendants()):
                found, short = None, found
        raw = _density_blocks(found)
        blocks = repeats.drop_toc(cleanup.drop_boilerplate(raw, extra))
        logger.debug("density fallback on %s: %d blocks", url, len(blocks))
        if not blocks and dated:
            # a short notice, news brief or signed notice in the densest element
            # named as the text, else navigation and all: what it is is decided below
            brief = repeats.drop_toc(cleanup.drop_boilerplate(
                _density_blocks(short if density.content_named(short) else None), extra))
            blocks = brief if brief and (notices.notice_lines(brief, anchors, files)
                                         or looks_like_article(brief, anchors, files)) else first
            briefs = blocks is brief   # (not lines of the whole page: a sidebar's sentence)
    blocks = repeats.drop_repeats(blocks, captions + title_lines + [subtitle or ""]
                                  + [" ".join(title_lines), meta.get("keywords", "")])
    blocks = cleanup.drop_leading_links(blocks, anchors)
    # a link to a document closing the text is furniture (a side box of downloads,
    # 下载本版PDF) unless it is an attachment (附件：, 2.名单, 名单.docx, or after one)
    listed = {cleanup.squash(b) for b, a in zip(blocks, attachments.attachment_flags(blocks, files)) if a}
    blocks = cleanup.drop_trailing_links(blocks, anchors | (files - listed))
    if short_part:   # its breadcrumb and pager are links; its text is none
        blocks = [b for b in blocks if cleanup.squash(b) not in anchors]
    if headline is not None and blocks and len(blocks[0]) <= TOOLBAR_LINE \
            and not SENTENCE_PUNCT.search(blocks[0]):
        blocks = _drop_before_headline(blocks, headline)
    if dated and briefs and blocks and len(cleanup.squash("".join(blocks))) < MIN_TEXT:
        briefs = density.in_named_element(root, blocks[0])   # (a brief is the article's, not a sidebar's)
    notice = notices.short_notice(blocks, anchors, files, " ".join(title_lines), MIN_TEXT, briefs) \
        if dated else None
    blocks = notice if notice is not None else blocks
    if not (notice is not None or looks_like_article(blocks, anchors, files)
            or (short_part and cleanup.prose_share(blocks) >= MIN_PROSE)):
        logger.info("extract/empty: %s: no article text (%d characters in %d blocks, mostly links "
                    "or headlines)", url, sum(len(b) for b in blocks), len(blocks))
        return []
    if published is None and not part and _short_lines(blocks) > MAX_SHORT_LINES and not any(
            len(b) >= PROSE_LINE and SENTENCE_PUNCT.search(b) for b in blocks):
        # a form or a portal (a mail login page: 版本 默认 两周内自动登录 …): no date
        # anywhere, most lines a few characters and no paragraph of prose (an
        # undated list of names under a notice's paragraphs is an article)
        logger.info("extract/empty: %s: no date and mostly lines of a few characters (a form "
                    "or a portal)", url)
        return []
    closing = [unannotated(b) for b in raw[-3:]]   # the last blocks, before boilerplate went
    editor = (ed.editor_of(unannotated("\n".join(raw))) or ed.editor_of(header)
              or ed.editor_in_page(html) or ed.closing_editor(closing) or ed.login_in_page(html))
    editors: frozenset = frozenset()   # only <meta name=author> is checked against them
    if meta.get("author"):
        editors = frozenset(filter(None, [*cr.split_names(editor or ""),
                                          *cr.split_names(meta.get("editor", "")),
                                          *ed.editors_in_page(html)]))
        named = cr.split_names(meta["author"])   # the page credits <meta name=author> as 编辑：
        editor = editor or ("、".join(named) if named and set(named) <= editors else None)
    after = fields.after_text(raw, blocks)
    segments = stories.split_articles(blocks)
    articles = []
    for seg in segments:
        kept = stories.strip_leading_headlines(seg.blocks)
        body = cleanup.rejoin(kept)
        text = "\n".join(body)
        least = 1 if part else notices.MIN_NOTICE if notice is not None else MIN_TEXT
        if len(cleanup.squash(text)) < least:
            logger.info("extract/empty: %s: text under %d characters", url, least)
            continue
        lines = seg.title_lines if (len(segments) > 1 or not title_lines) else title_lines
        sub = seg.subtitle if (len(segments) > 1 or not title_lines) else subtitle
        title = " ".join(lines) or hl.title_alone(tree)
        # (a credit line of its own above the text goes with the headline lines: 文/广州日报记者赖伟行)
        credit = [b for b in seg.blocks[:len(seg.blocks) - len(kept)] if cr.credit_alone(b)][:1]
        opening, tail = [unannotated(b) for b in credit + body[:2]], unannotated(body[-1])
        t_source, t_authors, t_photogs = cr.tail_byline(tail)
        articles.append(Article(
            url=url, title=title, subtitle=sub, text=text,
            published=published, published_rule=rule,
            source=fields.source(page_root, header, meta, opening, tail, hints, headline,
                           closing if len(segments) == 1 else [], above),
            authors=fields.authors(header, meta if len(segments) == 1 else {}, opening, tail,
                             unannotated(text), editors, after if len(segments) == 1 else (),
                             headline if len(segments) == 1 else None,
                             page_root if len(segments) == 1 else None),
            editor=editor,
            photographers=fields.photographers(captions, body, t_photogs),
            captions=captions if len(segments) == 1 else []))
    return articles
