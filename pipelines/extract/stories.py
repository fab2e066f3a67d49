"""Where an article's text starts and where a page's stories divide:
headline-shaped lines above the first paragraph (the headline again, a
print headline, a column label, a repost's 原标题 note) go, a document's
dated note under its title stays, and a page that prints several stories (a
headline run followed by 本报讯/…讯（/…电) is split into one segment each.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .credits import credit_alone
from .patterns import CJK, LEAD, ORIGINAL_TITLE, SENTENCE_PUNCT, unannotated

# a document's adoption or issue note under its title, in brackets with a date:
# （2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）
_DATED_NOTE = re.compile(r"^[（(][^（）()]{0,40}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^（）()]{0,60}[）)]$")


class Segment(NamedTuple):
    """One article's share of a page: headline lines found in the text and its blocks."""

    title_lines: list[str]
    subtitle: str | None
    blocks: list[str]


def headline_shaped(block: str) -> bool:
    """Short, no sentence punctuation, not ending like a sentence.

    >>> headline_shaped("市委常委会召开会议")
    True
    >>> headline_shaped("会议还研究了其他事项。")
    False
    """
    block = unannotated(block)
    return (len(block) <= 80 and not SENTENCE_PUNCT.search(block)
            and not block.endswith(("…", "：", ":", "，")) and len(CJK.findall(block)) >= 2)


def strip_leading_headlines(blocks: list[str], limit: int = 4) -> list[str]:
    """Headline-shaped blocks right above the first prose paragraph removed
    (the headline again, a print headline, a column label).

    >>> strip_leading_headlines(["市委工作", "标题主行", "3月2日上午，市疫情防控工作领导小组先后召开会议，认真贯彻落实。"])
    ['3月2日上午，市疫情防控工作领导小组先后召开会议，认真贯彻落实。']
    >>> strip_leading_headlines(["目录", "第一章", "张三", "第二章"])
    ['目录', '第一章', '张三', '第二章']
    >>> strip_leading_headlines(["新华社北京5月9日电 题：外贸向好", "新华社记者邹多为",
    ...                          "9日，海关总署发布最新数据，外贸向好态势明显。" * 2])[0]
    '新华社北京5月9日电 题：外贸向好'

    A document's dated note under its title is its first line:

    >>> strip_leading_headlines(["关于批准国债余额限额的决议", "（2007年6月29日第十届全国人民代表大会常务委员会"
    ...     "第二十八次会议通过）", "会议听取了财政部部长的说明，并对议案进行了审议。会议决定：批准。"])[0][:11]
    '（2007年6月29日'

    A repost's note of its first headline opening the text goes too:

    >>> strip_leading_headlines(["（原标题：外贸向好态势进一步巩固）", "标题", "9日，海关总署发布数据。" * 3])
    ['9日，海关总署发布数据。9日，海关总署发布数据。9日，海关总署发布数据。']
    >>> strip_leading_headlines(["字号", "本文原标题：《定了！母港即将开通！》", "9日，海关总署发布数据。" * 3])
    ['9日，海关总署发布数据。9日，海关总署发布数据。9日，海关总署发布数据。']
    """
    # (under headline-shaped lines too, a toolbar's word: 字号 / 本文原标题：《…》; not
    # under a summary, 摘要：…)
    notes = []
    for i, b in enumerate(blocks[:limit + 1]):
        if ORIGINAL_TITLE.match(unannotated(b)):
            notes.append(i)
        elif not headline_shaped(b):
            break
    if notes and len(blocks) > len(notes):
        blocks = [b for i, b in enumerate(blocks) if i not in notes]
    n = 0   # a news lead (新华社北京5月9日电 题：…) opens the text, even when headline-shaped
    while (n < min(limit, len(blocks) - 1) and headline_shaped(blocks[n])
           and not LEAD.search(unannotated(blocks[n])) and not _DATED_NOTE.match(blocks[n])):
        n += 1
    start = n
    if n < len(blocks) - 1 and _DATED_NOTE.match(blocks[n]):
        n += 1
    if start and len(blocks[n]) >= 30 and SENTENCE_PUNCT.search(blocks[n]):
        return blocks[start:]
    return blocks


def _headline_run(blocks: list[str], i: int) -> int:
    """Length of the headline run starting at ``i`` that is followed by a lead.
    A reporters' credit opens none: it closes the story above (新京报记者 李春平)."""
    if credit_alone(blocks[i]):
        return 0
    n = 0
    while (i + n < len(blocks) and n < 4 and headline_shaped(blocks[i + n])
           and "，" not in blocks[i + n] and len(blocks[i + n]) <= 70):
        n += 1
    if n and i + n < len(blocks) and LEAD.match(unannotated(blocks[i + n])):
        return n
    return 0


def title_parts(lines: list[str]) -> tuple[list[str], str | None]:
    """Headline run -> (kicker + main lines, subtitle): the longest line is the
    main headline, lines after it are the subtitle.

    >>> title_parts(["市委常委会召开会议", "强化统筹兼顾 确保实现首季开门红", "张超超主持并讲话"])
    (['市委常委会召开会议', '强化统筹兼顾 确保实现首季开门红'], '张超超主持并讲话')
    """
    if not lines:
        return [], None
    main = max(range(len(lines)), key=lambda k: (len(lines[k]), -k))
    rest = lines[main + 1:]
    return lines[:main + 1], (" ".join(rest) if rest else None)


def split_articles(blocks: list[str], min_chars: int = 200) -> list[Segment]:
    """Split where a headline run followed by a news lead starts a new story.

    >>> segs = split_articles(["甲标题", "本报讯 " + "一" * 300 + "。", "乙标题", "副题",
    ...                        "本报讯（记者 张三）" + "二" * 300 + "。"])
    >>> [(s.title_lines, s.subtitle, len(s.blocks)) for s in segs]
    [(['甲标题'], None, 1), (['乙标题'], '副题', 1)]

    A credit line over the next headline closes the story above:

    >>> segs = split_articles(["甲标题", "本报讯 " + "一" * 300 + "。", "新京报记者 李春平", "焦点人物",
    ...                        "刘益谦自曝两日十亿入市", "本报讯（记者 张三）" + "二" * 300 + "。"])
    >>> [(s.title_lines, s.blocks[-1][:5]) for s in segs]
    [(['甲标题'], '新京报记者'), (['焦点人物', '刘益谦自曝两日十亿入市'], '本报讯（记')]
    """
    segments: list[Segment] = []
    start, head = 0, 0
    i = 0
    while i < len(blocks):
        n = _headline_run(blocks, i)
        if n and i > start and sum(len(b) for b in blocks[start + head:i]) >= min_chars:
            lines, sub = title_parts(blocks[start:start + head])
            segments.append(Segment(lines, sub, blocks[start + head:i]))
            start, head = i, n
            i += n
            continue
        if n and i == start:
            head = n
            i += n
            continue
        i += 1
    lines, sub = title_parts(blocks[start:start + head])
    segments.append(Segment(lines, sub, blocks[start + head:]))
    if len(segments) > 1 and sum(len(b) for b in segments[-1].blocks) < min_chars:
        return [Segment([], None, blocks)]
    return segments
