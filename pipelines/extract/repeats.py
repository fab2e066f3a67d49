"""What a page prints twice: paragraphs trafilatura left out as repeats put
back (:func:`restore_collapsed`), a block printed twice kept once and blocks
equal to a caption or the headline removed (:func:`drop_repeats`), a table of
contents above the stories removed (:func:`drop_toc`). Pure functions over a
list of blocks (paragraphs).
"""

from __future__ import annotations

from .attachments import attachment_flags, is_attachment
from .cleanup import squash, tidy
from .patterns import FIELD_ROW, unannotated
from .stories import headline_shaped

MIN_QUOTED = 20   # characters: a shorter paragraph found inside a block is no quotation
TOC_SPAN = 200    # blocks: where a table of contents may stand


def restore_collapsed(blocks: list[str], paragraphs: list[str], files: set[str] = frozenset()) -> list[str]:
    """Paragraphs trafilatura left out because the same text came earlier (its
    recovery of loose paragraphs keeps one copy of each text: the second
    ``点评：`` heading of two poems went), put back between the two blocks
    that surround them on the page, when those two are next to each other in
    the text. ``paragraphs``: the page's ``<p>`` texts in order; ``files``:
    the texts of its links to documents.

    >>> restore_collapsed(["点评：", "诗一。", "诗二。"], ["点评：", "诗一。", "点评：", "诗二。"])
    ['点评：', '诗一。', '点评：', '诗二。']
    >>> restore_collapsed(["正文。", "诗二。"], ["首页", "正文。", "首页", "诗二。"])   # never kept: stays out
    ['正文。', '诗二。']

    A paragraph that a longer block before it quotes whole (an editor's note):

    >>> p = "PR基本上属于大众传播范畴，无论你使用大众媒体还是使用社会化媒体。"
    >>> restore_collapsed(["[编者按：神州犯了众怒。" + p + "]", "第一段。", "第三段。"],
    ...                   ["[编者按：神州犯了众怒。" + p + "]", "第一段。", p, "第三段。"])[2] == p
    True

    An attachment's line between two others (``files``: the texts of the
    page's links to documents):

    >>> restore_collapsed(["附件：1.要求", "3.征集表"], ["附件：1.要求", "2.名单", "3.征集表"], {"要求", "名单", "征集表"})
    ['附件：1.要求', '2.名单', '3.征集表']
    """
    keys = [squash(b) for b in blocks]
    kept: dict[str, int] = {}
    for k in keys:
        kept[k] = kept.get(k, 0) + 1
    pkeys = [squash(t) for t in paragraphs]
    on_page: dict[str, int] = {}
    for k in pkeys:
        on_page[k] = on_page.get(k, 0) + 1
    # left out as the repeat of a longer block that quotes it whole (an 编者按 at
    # the top quoting a paragraph of the text)
    after = {(keys[i], keys[i + 1]): i for i in range(len(keys) - 1)}
    # (only a paragraph whose neighbours on the page are neighbours in the text
    # can go back, so only those are looked for in the longer blocks)
    quoted = {pkeys[j] for j in range(1, len(pkeys) - 1)
              if len(pkeys[j]) >= MIN_QUOTED and pkeys[j] not in kept
              and (pkeys[j - 1], pkeys[j + 1]) in after
              and any(pkeys[j] in b for b in keys if len(b) > len(pkeys[j]))}
    if files:
        blocks = _restore_attachments(blocks, keys, paragraphs, pkeys, files)
        keys = [squash(b) for b in blocks]
        after = {(keys[i], keys[i + 1]): i for i in range(len(keys) - 1)}
    if not quoted and not any(0 < kept.get(k, 0) < n for k, n in on_page.items() if k and n > 1):
        return blocks
    inserts: dict[int, str] = {}
    for j in range(1, len(pkeys) - 1):
        k = pkeys[j]
        if k and (0 < kept.get(k, 0) < on_page[k] or k in quoted):
            at = after.get((pkeys[j - 1], pkeys[j + 1]))
            if at is not None and at not in inserts:
                inserts[at] = tidy(paragraphs[j])
    if not inserts:
        return blocks
    out: list[str] = []
    for i, block in enumerate(blocks):
        out.append(block)
        if i in inserts:
            out.append(inserts[i])
    return out


def _restore_attachments(blocks, keys, paragraphs, pkeys, files) -> list[str]:
    """Attachment lines left out (2.<a href="….docx">名单</a>, all link text:
    trafilatura's link density test) put back after the kept paragraph before
    them, when the paragraph after them follows it in the text, or it is the
    text's last and an attachment line itself.

    >>> _restore_attachments(["正文。", "附件：1.要求"], ["正文。", "附件：1.要求"], ["正文。", "附件：1.要求", "2.名单"],
    ...                      ["正文。", "附件：1.要求", "2.名单"], {"要求", "名单"})[-1]
    '2.名单'
    >>> _restore_attachments(["正文。"], ["正文。"], ["正文。", "申报指南"], ["正文。", "申报指南"], {"申报指南"})
    ['正文。']
    """
    at = {k: i for i, k in enumerate(keys)}
    inserts: dict[int, list[str]] = {}
    j = 1
    while j < len(pkeys):
        k = j
        while k < len(pkeys) and pkeys[k] not in at and is_attachment(paragraphs[k], files):
            k += 1
        i = at.get(pkeys[j - 1])
        if k > j and i is not None and (
                k < len(pkeys) and at.get(pkeys[k]) == i + 1
                # closing the text: only after an attachment line (not a side box of downloads)
                or k == len(pkeys) and i == len(keys) - 1 and attachment_flags([blocks[i]], files)[0]):
            inserts[i] = [tidy(t) for t in paragraphs[j:k]]
        j = k + 1
    if not inserts:
        return blocks
    out: list[str] = []
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend(inserts.get(i, ()))
    return out


REPEAT_NEAR = 2      # blocks: a repeat this close is a doubled caption or paragraph
REPEAT_LONG = 24     # characters: a repeat this long is one wherever it comes back


def drop_repeats(blocks: list[str], unwanted: list[str]) -> list[str]:
    """Blocks equal to a caption/headline line removed, and repeats of a block
    (over 8 characters): right after it (a caption printed twice, a doubled
    paragraph), or anywhere when it is long. Short lines that come back
    further down are kept: the rows of a table or list (``成人票原价：60元``
    under several sights) repeat on purpose.

    >>> drop_repeats(["这是会议现场。记者赵威摄", "正文。", "这是会议现场。记者赵威摄", "标题"], ["标题"])
    ['这是会议现场。记者赵威摄', '正文。']
    >>> drop_repeats(["1、东方明珠", "成人票原价：60元", "2、野生动物园", "电话：58036000",
    ...               "3、自然博物馆", "成人票原价：60元"], [])[-1]
    '成人票原价：60元'
    """
    banned = {squash(unannotated(u)) for u in unwanted if u}
    last_at: dict[str, int] = {}
    out = []
    for i, block in enumerate(blocks):
        key = squash(unannotated(block))
        if key in banned:
            continue
        before = last_at.get(key)
        last_at[key] = i
        if before is not None and len(key) > 8 and (
                i - before <= REPEAT_NEAR
                # far off: a long repeat is one, unless a question asked again (an interview)
                or (len(key) >= REPEAT_LONG and not key.endswith(("？", "?")))):
            continue
        out.append(block)
    return out


def drop_toc(blocks: list[str]) -> list[str]:
    """A table of contents above the stories removed: headline-shaped blocks
    that come back later on the page inside a headline, when they stand
    next to another such block (a list of headlines), or when the headline
    that brings them back is directly followed by its story's text. A short
    line that comes back among other short lines (the rows of a list, such as
    ``成人票原价：60元`` under several sights) stays.

    >>> drop_toc(["强化统筹兼顾 坚持实干兴石", "正文。", "市委常委会 强化统筹兼顾 坚持实干兴石", "正文二。"])
    ['正文。', '市委常委会 强化统筹兼顾 坚持实干兴石', '正文二。']
    >>> drop_toc(["东方明珠", "成人票原价：60元", "儿童票原价：30元", "野生动物园", "成人票原价：60元",
    ...           "儿童票原价：30元", "电话：58036000"])[1:3]
    ['成人票原价：60元', '儿童票原价：30元']
    """
    keys = [squash(unannotated(b)) if headline_shaped(b) else "" for b in blocks]
    # headlines directly followed by text (a story starts)
    story = [k if k and i + 1 < len(keys) and not keys[i + 1] else "" for i, k in enumerate(keys)]
    # candidates: long enough, and not a field row ("成人票原价：30元"), which is no headline
    # (among the first TOC_SPAN blocks: a table of contents stands above the
    # stories, and each candidate is looked for in every later block)
    toc = [i < TOC_SPAN and len(k) >= 8 and not FIELD_ROW.match(b)
           for i, (k, b) in enumerate(zip(keys, blocks))]
    later = [toc[i] and any(k in other for other in keys[i + 1:]) for i, k in enumerate(keys)]
    out = []
    for i, block in enumerate(blocks):
        in_list = later[i] and ((i > 0 and later[i - 1]) or (i + 1 < len(keys) and later[i + 1]))
        if in_list or (toc[i] and any(keys[i] in k for k in story[i + 1:])):
            continue
        out.append(block)
    return out
