"""Dates and the source label of a page (authors, editor and photographers:
:mod:`.credits`).

Order of trust for ``published`` (the first rule that finds a date wins; the
rule's name is stored in ``published_rule``; :func:`.fields.published`):

1. ``site``: the site file's ``[extract].date_xpath``;
2. ``info_line``: a labelled date (发布时间/发表时间/时间/日期...) in the info
   line after the headline, with the time when the page gives one;
3. ``meta``: ``<meta>`` PubDate / publishdate / article:published_time ...;
4. ``url``: ``t20220324_``, ``/2022-03/24/``, ``/20220324/``, ``/2022/0324/``;
5. ``info_line`` again: a labelled date just above the headline;
6. ``header_text``: the first unlabelled date after the headline;
7. ``script``: a publication time the page's script sets (WeChat's ``var ct``);
8. ``page_text``: the first labelled, then any, date anywhere in the page;
9. ``meta_modified``: when the page was last changed.

All functions are pure; times are Asia/Shanghai.

>>> parse_date("發布時間：2022-03-24 09:12")
datetime.datetime(2022, 3, 24, 9, 12, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'Asia/Shanghai'))
>>> url_date("http://x.test/hbyw/202203/t20220323_2713568.html").date()
datetime.date(2022, 3, 23)
"""

from __future__ import annotations

import datetime as dt
import re

TZ = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")   # the project's one UTC+8

_DATE = re.compile(
    # the year apart from MM/DD (Xinhua: <em>2026</em><span>11/28</span>) or joined to it
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年|\s(?=\s*\d{1,2}/\d{1,2}))\s*(\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(\d{1,2})(?!\d)\s*[日号]?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})\s*[:：时時]\s*(\d{2})"
    r"(?:\s*(?:[:：]|分(?=\s*\d{2}\s*秒))\s*(\d{2}))?)?")   # seconds: 10:30:45, 10时30分45秒
# Publication labels, in the order they stand: 发布/发表/更新时间, or a bare
# 时间/日期 unless it names another date (成文日期 or 发文日期 of a document,
# 活动时间 of an event: a disclosure table prints them before its 发布日期).
# A bare 时间/日期 right after other words is a label only with its colon: without
# one it ends a phrase (a related story's title, 只有30分钟午餐时间, over its date).
_LABEL = (r"(?:(?:发布时间|發布時間|发表时间|發表時間|发布日期|發布日期|发表日期|發表日期|更新时间|更新時間)"
          r"\s*[:：]?|"
          r"(?<!成文|印发|印發|发文|發文|签发|簽發|生成|生效|实施|實施|施行|截止|活动|活動|会议|會議|"
          r"报名|報名|开始|開始|结束|結束|举办|舉辦|考试|考試|开放|開放|申报|申報)(?:时间|時間|日期)\s*[:：]|"
          r"(?<![\u3400-\u9fff])(?:时间|時間|日期))"
          r"\s*")
_LABELLED = re.compile(_LABEL + _DATE.pattern)
_URL_DATES = (
    re.compile(r"[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
)
META_DATE_NAMES = ("pubdate", "publishdate", "publish_date", "published_time",
                   "article:published_time", "og:article:published_time", "og:release_date",
                   "datepublished", "date", "dc.date", "dc.date.issued", "firstpublishedtime",
                   "releasedate", "publication_date")
META_MODIFIED_NAMES = ("dateupdate", "datemodified", "article:modified_time", "og:updated_time",
                       "lastmodified", "last-modified")

_SOURCE_LABEL = re.compile(
    # 来源于：… (中山网's topic sites) only as a label of its own: not inside a
    # sentence (资金来源于：财政拨款…)
    r"(?:(?<![\u3400-\u9fff])(?:稿件|文章|信息)?(?:来源|來源)[于於]|"
    r"稿件来源|稿件來源|文章来源|文章來源|信息来源|信息來源|(?<![图圖片据據])来源|(?<![图圖片据據])來源|"
    r"(?<![图圖片])来自|"
    r"发布机构|發布機構|"
    r"(?<![图圖片])來自|出处|出處)\s*[:：]\s*"
    r"([^\s|｜:：<>【】]{2,30}?)(?=\s|$|作者|时间|時間|发布|發布|编辑|編輯|浏览|瀏覽|[|｜【])")


def _dt(y, mo, d, h=None, mi=None, sec=None) -> dt.datetime | None:
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0),
                           tzinfo=TZ)
    except (TypeError, ValueError):
        return None


def parse_date(text: str, labelled: bool = False) -> dt.datetime | None:
    """First (labelled) date in ``text``, with the time of day when given.

    >>> parse_date("2022年03月29日 星期二").isoformat(), parse_date("2026-11-20 07:45:12").isoformat()
    ('2022-03-29T00:00:00+08:00', '2026-11-20T07:45:12+08:00')
    >>> parse_date("见第3版", labelled=True) is None
    True
    >>> parse_date("发文日期：2026年11月20日 文号：12号 发布日期：2026年11月25日", labelled=True).day
    25
    >>> parse_date("日期：2024-05-20 来源：县人社局 二、成绩发布时间：2024年7月5日", labelled=True).month
    5
    >>> parse_date("员工：只有30分钟午餐时间 2019年09月06日 09:38", labelled=True) is None
    True
    """
    for m in (_LABELLED if labelled else _DATE).finditer(text or ""):
        y, mo, d, h, mi, sec = m.groups()[:6]
        if h is not None and (int(h) > 23 or int(mi) > 59):
            h = mi = sec = None
        sec = sec if sec is None or int(sec) <= 59 else None
        found = _dt(y, mo, d, h, mi, sec)
        if found is not None and h is not None and "T" in m.group(0):
            found = _offset(found, text, m.end())
        if found is not None and 1990 <= found.year <= 2100:
            return found
    return None


# an ISO time's offset: 2024-05-16T16:26:00Z, …T16:26:00.000+00:00
_OFFSET = re.compile(r"(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})(?![\d:])")


def _offset(found: dt.datetime, text: str, at: int) -> dt.datetime:
    """``found`` (read as Beijing time) in Beijing time when an ISO offset
    follows it at ``at`` in ``text``.

    >>> parse_date("2024-05-16T16:26:00Z").isoformat(), parse_date("2024-05-16T16:26:00+08:00").isoformat()
    ('2024-05-17T00:26:00+08:00', '2024-05-16T16:26:00+08:00')
    >>> parse_date("2024-05-16 10:30-11:30").isoformat()   # a time range, no offset
    '2024-05-16T10:30:00+08:00'
    """
    m = _OFFSET.match(text, at)
    if m is None:
        return found
    sign = m.group(1)
    if sign == "Z":
        tz = dt.timezone.utc
    else:
        hours, minutes = int(sign[1:3]), int(sign[-2:])
        delta = dt.timedelta(hours=hours, minutes=minutes)
        tz = dt.timezone(delta if sign[0] == "+" else -delta)
    return found.replace(tzinfo=tz).astimezone(TZ)


def time_on(day: dt.datetime, text: str, labelled: bool = False) -> dt.datetime | None:
    """The first date with a time of day in ``text`` that falls on ``day``'s date.

    >>> time_on(parse_date("2024-05-17"), "2024-05-16 10:00 2024年05月17日08:59 来源").isoformat()
    '2024-05-17T08:59:00+08:00'
    >>> time_on(parse_date("2024-05-17"), "2024-05-17 发布") is None
    True
    """
    for m in (_LABELLED if labelled else _DATE).finditer(text or ""):
        y, mo, d, h, mi, sec = m.groups()[:6]
        if h is None or int(h) > 23 or int(mi) > 59:
            continue
        found = _dt(y, mo, d, h, mi, sec if sec is None or int(sec) <= 59 else None)
        if found is not None and found.date() == day.date():
            return found
    return None


def url_date(url: str) -> dt.datetime | None:
    """Date written in a news URL.

    >>> url_date("http://z.test/news/hbxw/2022-03/24/content_486512.htm").date()
    datetime.date(2022, 3, 24)
    >>> url_date("http://www.mm.gov.cn/art/2023/5/1/art_1_1.html").date()
    datetime.date(2023, 5, 1)
    >>> url_date("http://z.test/about.html") is None
    True
    """
    for rx in _URL_DATES:
        m = rx.search(url or "")
        if m:
            found = _dt(*m.groups())
            if found is not None:
                return found
    return None


# a publication time a page's script sets, for the script to print it: WeChat's
# var ct = "1581517074" (its shown date is 昨天 or filled in later), var
# publish_time = "2020-02-12", createTime = '2023-05-11 10:22', "pubtime":"…"
_SCRIPT_TIME = re.compile(
    r"""\bvar\s+ct\s*=\s*["'](\d{10})["']|"""
    r"""\b(?:publish_?time|pub_?time|publishDate|createTime|create_time)["']?\s*[:=]\s*(?:JsDecode\()?"""
    r"""["'](\d{10}|\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)["']""", re.I)
SCRIPT_SCAN = 2_000_000   # characters of the page searched


def script_date(html: str) -> dt.datetime | None:
    """The publication time a page's script sets (an exact time, from a Unix
    timestamp, before a date).

    >>> script_date('var publish_time = "2020-02-12" || "";var ct = "1581517074";').isoformat()
    '2020-02-12T22:17:54+08:00'
    >>> script_date("var createTime = '2023-05-11 10:22';").isoformat()
    '2023-05-11T10:22:00+08:00'
    >>> script_date("var ct = 'abc'; var count = 3;") is None
    True
    """
    dated = None
    for n, m in enumerate(_SCRIPT_TIME.finditer(html[:SCRIPT_SCAN])):
        stamp = m.group(1) or (m.group(2) if m.group(2).isdigit() else None)
        if stamp:
            return dt.datetime.fromtimestamp(int(stamp), TZ)
        dated = dated or parse_date(m.group(2))
        if n >= 20:
            break
    return dated


def labelled_source(text: str) -> str | None:
    """Value of a 来源 label.

    >>> labelled_source("发布时间：2022-03-23 23:05 来源：河北日报 作者：四建磊")
    '河北日报'
    >>> labelled_source("2005年8月25日（来源：上海证券报）"), labelled_source("来源：新华社（北京）")
    ('上海证券报', '新华社（北京）')
    >>> labelled_source("来源：网络") is None   # no source: "from the internet"
    True
    >>> labelled_source("来源于：东区办事处"), labelled_source("资金主要来源于：财政拨款") is None
    ('东区办事处', True)
    """
    m = _SOURCE_LABEL.search(text or "")
    if not m:
        return None
    value = m.group(1).strip()
    if value.endswith(("）", ")")) and not any(c in value for c in "（("):
        value = value[:-1].rstrip()   # the bracket around the whole credit: （来源：…）
    return value if len(value) >= 2 and value not in _NO_SOURCE else None


# what a 来源 label says when it names no source
_NO_SOURCE = {"网络", "網絡", "互联网", "互聯網", "网友", "網友", "网络转载", "網絡轉載", "网络整理",
              "未知", "不详", "不詳", "佚名"}
