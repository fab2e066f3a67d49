"""Line-level cleanup of extracted text: what trafilatura keeps from inside the
content container of Chinese news sites and should not.

Steps, each a small pure function over a list of blocks (paragraphs):

1. :func:`drop_boilerplate`: copyright/本网稿件 notices, ICP lines, 责任编辑,
   二维码, 分享到, 【字体】, 打印/关闭, 上一篇/下一篇, 相关链接, 文章分类,
   友情链接, view counters; from an end marker (相关新闻, 网友评论...) after
   the body, everything after it.
2. :func:`rejoin`: a block that breaks mid-sentence joined with the next.

What comes twice (a paragraph trafilatura left out as a repeat, a caption or
headline printed again, a table of contents) is :mod:`.repeats`.

Where the text starts and where a page's stories divide (headline-shaped
lines above the first paragraph, several stories in one container) is
:mod:`.stories`.

>>> rejoin(["唐山要抓好流调排查，" * 9 + "做好封控区生活必需品供应工", "作，切实保障需求。"])[0][-12:]
'供应工作，切实保障需求。'
"""

from __future__ import annotations

import re

from .attachments import ATTACHMENT_LABEL
from .patterns import squash  # noqa: F401 (cleanup.squash: where the other modules take it)
from .patterns import (BOILER_LONG, BOILER_SHORT, CJK, DISCLOSURE_ROW, DOC_EXTENSIONS, EDITOR_END, END_MARKER,
                       FOOTER_SHORT, LEAD, PHOTO_CREDIT, RANK_MARKER, SENTENCE_MARK, SENTENCE_PUNCT,
                       SHORT_LINE, TERMINAL, TRAILING_NAV, unannotated)
from .stories import headline_shaped

REJOIN_SHORT = 25   # characters: a line this short with a comma is a subheading, not a cut paragraph
_ONLY_PUNCT_OR_DIGITS = re.compile(r"^[\W\d_]*$")
# a previous/next label on a line of its own: the linked title follows it
_PREV_NEXT = re.compile(r"^[【\[]?\s*(上一篇|下一篇|上一条|下一条|上一條|下一條)\s*[】\]]?\s*[:：]?$")
# tag links: 国贸 增长率, 20190926|国贸|增长率, 搜索华尔兹-首页-订阅 (a dash between words only)
_TAG_SPLIT = re.compile(r"[\s|｜]+|(?<=\S)[-—](?=\S)")
_RANKED_ITEM = re.compile(r"^-\s+(\d*)")   # a list item (trafilatura's "- "), its rank and count
ITEM_LINK = 40   # characters: a linked list item at the end is no longer than twice this
# a list item's count after its link (163's 48小时评论排行: …恶意做空 评论6451条)
_ITEM_COUNT = re.compile(r"\s*(?:(?:评论|評論|跟帖|跟贴|阅读|閱讀|浏览|瀏覽|点击|點擊)\s*[:：]?\s*\d+\s*[条條次]?"
                         r"|\d+\s*[条條]?(?:评论|評論|跟帖|跟贴))$")
BARE_MARKER = 12   # characters: a box's heading alone closing the text is no longer
# a news site's channel names, as a recommendation widget's tabs list them
_TAB_LABEL = re.compile(r"^-\s+(推荐|推薦|热点|熱點|要闻|要聞|国内|國內|国际|國際|社会|社會|娱乐|娛樂|体育|體育|"
                        r"财经|財經|时尚|時尚|科技|军事|軍事|汽车|汽車|房产|房產|教育|健康|旅游|旅遊|游戏|遊戲|"
                        r"数码|數碼|历史|歷史|文化|视频|視頻|图片|圖片|女人|亲子|親子|星座|美食)$")
TAB_LABELS = 3   # of them in a row
_FILE_NAME = re.compile(rf"\.({DOC_EXTENSIONS}|txt|jpe?g|png)\s*$", re.I)
# a line that is only a date and time (under a breadcrumb)
_DATE_ONLY = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(\s*\d{1,2}:\d{2}(:\d{2})?)?$")
_CELL_BARS = re.compile(r"^\s*\|\s|\s\\?\|\s|\s\|\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_TAIL_KEEP = re.compile(r"[（(][\u3400-\u9fff\s、]{2,20}[）)]$")


def tidy(block: str) -> str:
    r"""Trim a block, drop table-cell bars, collapse inner runs of spaces.

    >>> tidy("\u3000\u3000会议指出，  当前")
    '会议指出， 当前'
    >>> tidy("| 第01版：要闻 \\| 往期回顾 |")
    '第01版：要闻 往期回顾'
    """
    if "|" in block:
        block = _CELL_BARS.sub(" ", block)
    return _SPACES.sub(" ", block).strip()


def is_boilerplate(block: str, extra: tuple = ()) -> bool:
    """
    >>> is_boilerplate("【字体：大 中 小】")
    True
    >>> is_boilerplate("会议以视频会议形式召开。各县（市、区）设分会场。")
    False
    >>> is_boilerplate("索 引 号 bm56000001/2022-00001937 分 类"), is_boilerplate("发布机构 发文日期")
    (True, True)
    """
    block = unannotated(block)
    if BOILER_LONG.search(block) or any(rx.search(block) for rx in extra):
        return True
    if len(block) <= SHORT_LINE and (BOILER_SHORT.search(block) or DISCLOSURE_ROW.match(squash(block))):
        return True
    return bool(_ONLY_PUNCT_OR_DIGITS.match(block))


AFTER_EDITOR = 0.25   # share of the text before it: what follows the editor's credit that is cut


def _closed(block: str, seen: int, rest: list[str]) -> bool:
    """The editor's credit after the text, followed by little (a quoted related
    story, a source tag): the article ends there, unless a story opens after it."""
    return (bool(EDITOR_END.match(block)) and sum(len(b) for b in rest) <= seen * AFTER_EDITOR
            and not any(LEAD.search(unannotated(b)) for b in rest))


def drop_boilerplate(blocks: list[str], extra: tuple = ()) -> list[str]:
    """Furniture lines out. An end marker (相关链接, 上一篇...) after the first
    third of the text cuts the rest when what follows is not prose, or is only
    short lines (story titles) after 70% of the text; the editor's credit
    (责任编辑：) cuts it when what follows is short beside the text (a quarter
    of it) and opens no story.

    >>> drop_boilerplate(["正文第一段。", "正文第二段。", "正文第三段。", "相关链接", "另一篇文章标题"])
    ['正文第一段。', '正文第二段。', '正文第三段。']
    >>> drop_boilerplate(["正文第一段。", "正文第二段。", "相关链接", "正文，第三段。"])
    ['正文第一段。', '正文第二段。', '正文，第三段。']
    >>> drop_boilerplate(["正文第一段。", "主办单位：市委宣传部", "正文，第二段。", "主办单位：市政府办公室",
    ...                   "技术支持：某某公司"])
    ['正文第一段。', '主办单位：市委宣传部', '正文，第二段。']
    >>> drop_boilerplate(["正文第一段。", "主办单位：市政府办公室", "地址：建设大街1号，邮编：050000"])
    ['正文第一段。', '地址：建设大街1号，邮编：050000']
    >>> drop_boilerplate(["正文第一段。", "市科技局将持续为企业提供技术支持。"])[-1]
    '市科技局将持续为企业提供技术支持。'

    >>> drop_boilerplate(["正文第一段。", "（本文来源：经济日报）返回搜狐，查看更多"])
    ['正文第一段。', '（本文来源：经济日报）']
    >>> drop_boilerplate(["正文第一段。", "【上一篇】", "财政部又发大消息！银行股逆市狂拉"])
    ['正文第一段。']

    A ranking box's heading ends the text over a list of links, not over a
    table of figures (人气排行榜 / 1 白洋淀景区 12.3万人次):

    >>> drop_boilerplate(["正文，很长。" * 9, "48小时评论排行", "- 收评：沪指暴跌 评论19064条", "- 证监会怒了！ 评论5463条"])[1:]
    []
    >>> drop_boilerplate(["正文，很长。" * 9, "人气排行榜", "1 白洋淀景区 12.3万人次", "2 野三坡 9.8万人次"])[1:]
    ['人气排行榜', '1 白洋淀景区 12.3万人次', '2 野三坡 9.8万人次']
    >>> drop_boilerplate(["正文，很长。" * 20, "责任编辑：", "香港警方：未发生致命事件", "港铁表示，启动疏散。"])[1:]
    []

    A marker whose text after it is boilerplate goes with it (特别声明 over a
    platform's disclaimer):

    >>> drop_boilerplate(["正文，很长。" * 20, "特别声明", "本文为政务等机构上传并发布，澎湃新闻仅提供信息发布平台。"])[1:]
    []
    """
    total = sum(len(b) for b in blocks) or 1
    seen = 0
    out: list[str] = []
    prose_after = None
    linked = False   # the block after a lone 上一篇 label: the other story's title
    for i, block in enumerate(blocks):
        if linked and len(block) <= 80 and "。" not in block:
            linked = False
            seen += len(block)
            continue
        linked = bool(_PREV_NEXT.match(block))
        marker = END_MARKER.search(unannotated(block)) or (
            RANK_MARKER.search(block.strip()) and _mostly_items(blocks[i + 1:]))
        if (seen > total / 3 and len(block) <= SHORT_LINE and marker
                and (prose_share([b for b in blocks[i + 1:] if not is_boilerplate(b, extra)]) < 0.5
                     or (seen > total * 0.7 and all(len(b) <= 40 for b in blocks[i + 1:]))
                     or _closed(block, seen, blocks[i + 1:]))):
            break
        seen += len(block)
        if "返回" in block or "本文来自" in block:   # in every TRAILING_NAV phrase; the regex scans slowly
            block = TRAILING_NAV.sub("", block)
        if block and len(block) <= SHORT_LINE and FOOTER_SHORT.search(block) \
                and not block.rstrip().endswith(("。", "！", "？")):
            if prose_after is None:   # (once: a page may print hundreds of such lines)
                prose_after = _prose_after(blocks, extra)
            if not prose_after[i]:
                continue
        if block and not is_boilerplate(block, extra):
            out.append(block)
    return out


_FOOTER_FIELD = re.compile(r"^(地址|地點|电话|電話|联系电话|聯繫電話|邮编|郵編|邮箱|郵箱|传真|傳真|温馨提示|溫馨提示)|"
                           r"浏览器|瀏覽器|分辨率")


def _prose_after(blocks: list[str], extra: tuple = ()) -> list[bool]:
    """For each block, whether a sentence of the text comes after it (not a
    footer's field line: 地址：…，邮编：…, a browser tip)."""
    out = [False] * len(blocks)
    seen = False
    for i in range(len(blocks) - 1, -1, -1):
        out[i] = seen
        b = blocks[i]
        seen = seen or (bool(SENTENCE_MARK.search(b)) and not FOOTER_SHORT.search(b)
                        and not _FOOTER_FIELD.search(b) and not is_boilerplate(b, extra))
    return out


def drop_leading_links(blocks: list[str], anchors: set[str], max_len: int = 30) -> list[str]:
    """A menu and breadcrumb before the article. Before the first line of
    prose (a long or punctuated line that is no link text), when at least
    three lines, and half of them, are link texts: everything up to the last
    link text goes, with the breadcrumb's unlinked last word when a date line
    follows it, and that date line.

    >>> drop_leading_links(["热线：400-6533-789", "首页", "基金超市", "首页", "基金资讯", "资讯正文",
    ...                     "2019年9月26日 15:10", "收盘播报", "正文第一段。"],
    ...                    {"首页", "基金超市", "基金资讯"})
    ['收盘播报', '正文第一段。']
    >>> drop_leading_links(["Toggle navigation", "站名_栏目，权威资讯网站", "行情", "名家", "主页",
    ...                     "20190926|国贸", "主页", "正文第一段，很长。"], {"站名_栏目，权威资讯网站", "行情",
    ...                     "名家", "主页"})
    ['正文第一段，很长。']
    >>> drop_leading_links(["首页", "要闻", "正文第一段。"], {"首页", "要闻"})
    ['首页', '要闻', '正文第一段。']
    """
    n = cut = links = 0
    while n < len(blocks) - 1:
        block = blocks[n]
        if block.replace(" ", "") in anchors or all(token in anchors for token in block.split()):
            links, cut = links + 1, n + 1
        elif len(block) > max_len or SENTENCE_PUNCT.search(block):
            break
        n += 1
    if links < 3 or links * 2 < cut:
        return blocks
    if (cut + 1 < len(blocks) and len(blocks[cut]) <= 6
            and _DATE_ONLY.match(blocks[cut + 1])):   # 首页 > 基金资讯 > 资讯正文
        cut += 1
    while cut < len(blocks) - 1 and _DATE_ONLY.match(blocks[cut]):
        cut += 1
    return blocks[cut:]


def drop_trailing_links(blocks: list[str], anchors: set[str], max_len: int = 30) -> list[str]:
    """Short lines at the end that are only link texts (a keyword's tag links,
    a "more" link) are page furniture, not the article's last paragraph.

    >>> drop_trailing_links(["正文第一段。", "LPR 利率"], {"LPR", "利率"})
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "20190926|国贸|全球经济"], {"20190926", "国贸", "全球经济"})
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "搜索华尔兹-首页-订阅到QQ邮箱"], {"搜索华尔兹", "首页", "订阅到QQ邮箱"})
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "会议强调，要压实责任。"], {"会议"})
    ['正文第一段。', '会议强调，要压实责任。']

    A related story's linked title with a space in it (人民网: <b><a>…</a></b><br>):

    >>> drop_trailing_links(["正文第一段。", "河南反贪引争议 能否计件反腐?"], {"河南反贪引争议能否计件反腐?"})
    ['正文第一段。']

    and a list of them, ranked with counts (163: <li><span>1</span><span>142205</span><a>…</a>):

    >>> drop_trailing_links(["正文第一段。", "- 1142205重庆公交坠江细节", "- 35604813岁男孩身亡"],
    ...                     {"重庆公交坠江细节", "13岁男孩身亡"})
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "- 证监会怒了！严打期指恶意做空！ 评论5463条"], {"证监会怒了！严打期指恶意做空！"})
    ['正文第一段。']

    and the tab labels of a recommendation widget, three or more list items in a row:

    >>> drop_trailing_links(["正文第一段。", "- 推荐", "- 娱乐", "- 体育"], set())
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "- 北京", "- 上海"], set())
    ['正文第一段。', '- 北京', '- 上海']
    >>> drop_trailing_links(["予以通报表扬：", "- 市发改委", "- 市财政局", "- 市教育局"], set())[-1]
    '- 市教育局'

    An attachment's links stay:

    >>> drop_trailing_links(["附件：", "- 1.申报表.docx", "- 2.汇总表.xlsx"], {"1.申报表.docx", "2.汇总表.xlsx"})
    ['附件：', '- 1.申报表.docx', '- 2.汇总表.xlsx']
    >>> drop_trailing_links(["现将名单予以公示。", "名单.xlsx"], {"名单.xlsx"})
    ['现将名单予以公示。', '名单.xlsx']
    >>> drop_trailing_links(["正文第一段。", "附件："], set())   # an empty attachments box
    ['正文第一段。']

    and a box's heading or label whose links went (重点推荐, 关键词阅读：):

    >>> drop_trailing_links(["正文第一段。", "关键词阅读：", "证券业"], {"证券业"})
    ['正文第一段。']
    >>> drop_trailing_links(["正文第一段。", "重点推荐"], set()), drop_trailing_links(["正文。", "责任编辑：张三"], set())
    (['正文第一段。'], ['正文。', '责任编辑：张三'])
    """
    out = list(blocks)
    while len(out) > 1 and ATTACHMENT_LABEL.fullmatch(out[-1].strip()):
        out.pop()   # an attachments box with none in it (附件：)
    while len(out) > 1 and not _FILE_NAME.search(out[-1]) and (
            _linked_item(out[-1], anchors) or _bare_marker(out[-1]) or len(out[-1]) <= max_len and (
            squash(out[-1]) in anchors
            or all(token in anchors for token in _TAG_SPLIT.split(out[-1].strip()) if token))):
        out.pop()
    # a widget's tab labels closing the text (163's 为您推荐: 推荐 娱乐 体育 …), list items
    n = 0
    while n < len(out) - 1 and _TAB_LABEL.match(out[-1 - n]):
        n += 1
    return out[:-n] if n >= TAB_LABELS else out


def _bare_marker(block: str) -> bool:
    """A box's heading or label alone (重点推荐, 关键词阅读：, 48小时评论排行), its
    links gone: not the article's last line (an editor's credit is left to
    the credit rules)."""
    block = block.strip()
    return len(block) <= BARE_MARKER and not EDITOR_END.match(block) and bool(
        END_MARKER.search(block) or RANK_MARKER.search(block))


def _mostly_items(blocks: list[str]) -> bool:
    """Half the lines or more are list items (trafilatura's ``- ``): a box of links."""
    return bool(blocks) and 2 * sum(b.startswith("- ") for b in blocks) >= len(blocks)


def _linked_item(block: str, anchors: set[str]) -> bool:
    """A list item (trafilatura's ``- ``) that is a link's text, after its rank
    and count if any (``- 35604813岁男孩…``: rank 3, count 56048, title 13岁男孩…)."""
    m = _RANKED_ITEM.match(block)
    if m is None or len(block) > 2 * ITEM_LINK or _FILE_NAME.search(block):
        return False   # an attachment's link (1.申报表.docx) is the notice's own
    digits, rest = m.group(1), squash(_ITEM_COUNT.sub("", block[m.end():]))
    return any(digits[k:] + rest in anchors for k in range(len(digits) + 1))


def prose_share(blocks: list[str]) -> float:
    """Share of the text in blocks that carry sentence punctuation (low on
    home, list and navigation pages).

    >>> round(prose_share(["河北要闻", "会议指出，要加强领导。"]), 2)
    0.73
    """
    total = sum(len(b) for b in blocks)
    prose = sum(len(b) for b in blocks if SENTENCE_PUNCT.search(b) or "，" in b)
    return prose / total if total else 0.0


def _unfinished(block: str) -> bool:
    block = unannotated(block)
    return not block.endswith(tuple(TERMINAL)) and not _TAIL_KEEP.search(block)


def rejoin(blocks: list[str]) -> list[str]:
    """Join a block that stops mid-sentence with the next one.

    >>> rejoin(["要增强城市管理意识，" * 8 + "坚持“标准不降、质量不减、应", "拆尽拆”。"])[0].endswith("应拆尽拆”。")
    True
    >>> len(rejoin(["要增强城市管理意识，" * 8 + "坚持", "市委常委会召开会议"]))
    2

    A short line with a comma inside (a subheading: 深陷人鱼魅力，变身水下美人鱼)
    and a photo credit (…小花母亲供图) are lines of their own:

    >>> len(rejoin(["深陷人鱼魅力，变身水下美人鱼", "她从小就喜欢游泳，一直梦想成为美人鱼。"]))
    2
    >>> len(rejoin(["小花和母亲在家中，" + "小花的家" * 5 + "小花母亲供图", "她从小就喜欢游泳，梦想成真。"]))
    2
    >>> len(rejoin(["◎ BMI简称体质指数，结果值在18.5-24之间则属于正常，＞24属于超重。/图：123rf",
    ...             "更重要的是，一个人的身材犹如一张社交名片。"]))
    2

    A bracketed summary is complete: [摘要：…，…]

    >>> len(rejoin(["[摘要：这两天美国投资机构发布分析，京东股价连日下跌与这份报告有关。]",
    ...             "京东每次促销活动都在考验媒体智商。"]))
    2

    A news lead (新京报快讯（记者 裴剑飞）…) opens a paragraph: nothing is joined to it.

    >>> len(rejoin(["“只有潮水退了才知道谁在裸泳”，年度人物评选进行中！【点击投票】Pick你心目中的商业领袖",
    ...             "新京报快讯（记者 裴剑飞）今日有网友爆料。"]))
    2
    """
    out: list[str] = []
    for block in blocks:
        if (out and _unfinished(out[-1]) and "，" in out[-1] and block
                and CJK.match(block[0]) is not None and not headline_shaped(block)
                and not LEAD.search(unannotated(block))
                and (len(out[-1]) > REJOIN_SHORT or out[-1].endswith(("，", "、")))
                and not PHOTO_CREDIT.search(out[-1])):
            out[-1] = out[-1] + block
        else:
            out.append(block)
    return out


