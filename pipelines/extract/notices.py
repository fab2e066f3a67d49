"""Short notices: a 公示 or 通知 whose text is a sentence or two, or only its
attachments (附件：名单.xlsx), under a headline dated by its info line, meta,
URL or site file, is an article though under the minimum length. A
column's list page, a download list, a video page's fallback sentence or an
expired item's placeholder is none.
"""

from __future__ import annotations

import re

from . import attachments, cleanup
from .fields import INFO_LINE
from .headline import INFO_LABEL
from .patterns import SENTENCE_PUNCT

MIN_NOTICE = 10                   # whitespace-free characters of a short notice
MIN_BRIEF = 40                    # whitespace-free characters of a short news brief
_SENTENCE_END = re.compile(r"[。！？!?](?![。！？!?])")
NOTICE_DATES = ("site", "info_line", "meta", "url")   # rules that date a notice
BREADCRUMB = 20                   # characters: a longer link text opening the lines is no breadcrumb


def dated(rule: str | None, published, header: str = "") -> bool:
    """The headline is dated well enough for a short text: by the info line,
    meta, URL or site file, or by a date with its time of day right under it
    on a line with an info label (163: 2015-07-04 15:31:53　来源: 第一财经日报; not
    a column's heading over its first item's time).

    >>> import datetime as dt
    >>> dated("header_text", dt.datetime(2015, 7, 4, 15, 31), "2015-07-04 15:31:53 来源: 第一财经日报")
    True
    >>> dated("header_text", dt.datetime(2015, 7, 4), "2015-07-04 来源: 日报"), dated(
    ...     "header_text", dt.datetime(2024, 5, 17, 9, 30), "城关镇开展防汛应急演练 2024-05-17 09:30")
    (False, False)
    """
    return rule in NOTICE_DATES or (rule == "header_text" and published is not None
                                    and bool(published.hour or published.minute)
                                    and INFO_LABEL.search(header[:INFO_LINE]) is not None)


def short_notice(blocks: list[str], anchors: set[str], files: set[str], title: str,
                 under: int, briefs: bool = True) -> list[str] | None:
    """The lines of a short notice (under ``under`` characters) titled
    ``title``, or None. Its headline is no link's text (a column's name over
    its list of items), and it names a notice (通知, 公示, 名单…), the lines
    hold an attachment, or (``briefs``: the lines are the article's, not the
    whole page's) they are a news brief.

    >>> short_notice(["附件：", "拟立项名单.xlsx"], {"首页"}, set(), "关于拟立项名单的公示", 80)
    ['附件：拟立项名单.xlsx']
    >>> short_notice(["关于第一批项目的公示", "关于第二批项目的公示"], {"通知公告"}, {"关于第一批项目的公示",
    ...              "关于第二批项目的公示"}, "通知公告", 80) is None
    True
    >>> short_notice(["您的浏览器不支持video标签。"], set(), set(), "市长调研重点项目", 80) is None
    True
    """
    if cleanup.squash(title) in anchors or _BLOCKED.search(title):
        return None   # (a column's name over its list; a block page: 您的请求…已被拦截)
    lines = notice_lines(blocks, anchors, files)
    if lines is None or len(cleanup.squash("".join(lines))) >= under:
        return None   # (a longer one is an article like any other)
    if not (NOTICE_TITLE.search(title) or any(attachments.attachment_flags(lines, files))
            or (briefs and _brief(lines))):
        return None   # a sentence under a headline that names no notice
    return lines


def _brief(lines: list[str]) -> bool:
    """A news brief: two sentences or more, ``MIN_BRIEF`` characters at least
    (第一财经记者从保监会相关人士处确认，…尚未透露。不过，…有关。)."""
    text = cleanup.squash("".join(lines))
    return len(text) >= MIN_BRIEF and len(_SENTENCE_END.findall(text)) >= 2


def notice_lines(blocks: list[str], anchors: set[str], files: set[str]) -> list[str] | None:
    """A short notice under a dated headline: its lines, after a breadcrumb's
    links, are sentences or its attachments (a 公示 that is only
    附件：名单.xlsx), nothing else. Those lines, or None.

    >>> notice_lines(["首页", "通知公告", "附件：", "2024年度拟立项名单.xlsx"], {"首页", "通知公告"}, set())
    ['附件：2024年度拟立项名单.xlsx']
    >>> notice_lines(["现将名单予以公示。", "附件：名单"], set(), {"名单"})
    ['现将名单予以公示。', '附件：名单']
    >>> notice_lines(["现将名单予以公示。", "更多要闻"], {"更多要闻"}, set()) is None
    True
    """
    lines = [b for b in blocks if b.strip()]
    n = 0
    while n < len(lines) and len(lines[n]) <= BREADCRUMB and cleanup.squash(lines[n]) in anchors:
        n += 1
    lines = lines[n:]
    attached = attachments.attachment_flags(lines, files)
    if lines and not _PLACEHOLDER.search(" ".join(lines)) and all(
            a or (SENTENCE_PUNCT.search(b) and cleanup.squash(b) not in anchors)
            for a, b in zip(attached, lines)):
        return attachments.join_attachment_labels(lines, files)
    return None


# what a page says in place of its content: a video player's fallback, an
# expired or restricted item (您的浏览器不支持video标签。该信息已过期。)
_PLACEHOLDER = re.compile(r"浏览器|瀏覽器|不支持|已过期|已過期|已删除|已刪除|登录|登錄|内网|內網|"
                          r"JavaScript|javascript|无权|無權|不存在|拦截|攔截|访问受限|訪問受限|禁止访问|"
                          r"禁止訪問|无法访问|無法訪問|找不到")
# a block or error page's headline (您的请求带有不合法参数，已被网站管理员设置拦截！)
_BLOCKED = re.compile(r"拦截|攔截|访问受限|訪問受限|禁止访问|禁止訪問|无法访问|無法訪問|找不到|页面不存在|頁面不存在")
# a headline naming a notice: a text of a sentence or two under it is one
NOTICE_TITLE = re.compile(r"通知|公告|公示|通告|启事|啟事|声明|聲明|决定|決定|说明|說明|提示|告知|批复|"
                          r"公报|公報|名单|名單|结果|結果|通报|通報")
