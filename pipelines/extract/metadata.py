"""Article metadata from the page: date (with the rule that gave it), source,
authors, editor and photographers.

Order of trust for ``published`` (the first rule that finds a date wins; the
rule's name is stored in ``published_rule``):

1. ``site``: the site file's ``[extract].date_xpath``;
2. ``info_line``: a labelled date (发布时间/发表时间/时间/日期...) in the info
   line after the headline, with the time when the page gives one;
3. ``meta``: ``<meta>`` PubDate / publishdate / article:published_time ...;
4. ``url``: ``t20220324_``, ``/2022-03/24/``, ``/20220324/``, ``/2022/0324/``;
5. ``header_text``: the first unlabelled date after the headline;
6. ``page_text``: the first labelled, then any, date anywhere in the page.

All functions are pure; times are Asia/Shanghai.

>>> parse_date("發布時間：2022-03-24 09:12")
datetime.datetime(2022, 3, 24, 9, 12, tzinfo=datetime.timezone(datetime.timedelta(seconds=28800), 'Asia/Shanghai'))
>>> url_date("http://x.test/hbyw/202203/t20220323_2713568.html").date()
datetime.date(2022, 3, 23)
>>> byline_people("（河北日报记者 四建磊 吴韬）3月28日晚")
('河北日报', ['四建磊', '吴韬'])
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
_LABEL = (r"(?:发布时间|發布時間|发表时间|發表時間|发布日期|發布日期|发表日期|發表日期|更新时间|更新時間|"
          r"(?<!成文|印发|印發|发文|發文|签发|簽發|生成|生效|实施|實施|施行|截止|活动|活動|会议|會議|"
          r"报名|報名|开始|開始|结束|結束|举办|舉辦|考试|考試|开放|開放|申报|申報)(?:时间|時間|日期))"
          r"\s*[:：]?\s*")
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

_NAME = r"[\u3400-\u9fff·]{2,5}"
_NAMES = re.compile(rf"{_NAME}(?:\s*[、，,\s]\s*{_NAME})*")
_SOURCE_LABEL = re.compile(
    r"(?:稿件来源|稿件來源|文章来源|文章來源|信息来源|信息來源|(?<![图圖片据據])来源|(?<![图圖片据據])來源|"
    r"(?<![图圖片])来自|"
    r"发布机构|發布機構|"
    r"(?<![图圖片])來自|出处|出處)\s*[:：]\s*"
    r"([^\s|｜:：<>【】]{2,30}?)(?=\s|$|作者|时间|時間|发布|發布|编辑|編輯|浏览|瀏覽|[|｜【])")
_AUTHOR_LABEL = re.compile(   # names, each not the next label (``作者：张喆 点击数：12``)
    r"(?:作者|记者|記者|撰稿|文)\s*[:：]\s*((?:[\u3400-\u9fff·]{2,4}(?!\s*[:：])(?:[\s、，,]+|$))*"
    r"[\u3400-\u9fff·]{2,4}(?![\u3400-\u9fff\w])(?!\s*[:：]))")
# one or more names after an editor label: 郝帅、杨迪
_EDITOR_NAMES = (r"([\u3400-\u9fff·]{2,4}(?:、[\u3400-\u9fff·]{2,4}(?![\u3400-\u9fff])(?!\s*[:：])){0,3})"
                 r"(?![\u3400-\u9fff])")   # a word after 、 with a colon is the next label (终审：)
# an editor credit in a page's HTML: opening tags may stand between label and
# name, a closing one ends the credit (an empty one)
_EDITOR_IN_PAGE = re.compile(r"(责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*(?:<[^/<>][^<>]{0,300}>\s*)*"
                             + _EDITOR_NAMES)
_EDITOR = re.compile(r"(?:(?:责任编辑|責任編輯|责编|責編)\s*[:：|｜]|(?:编辑|編輯)\s*[:：])\s*"   # 责编|陈梦莹
                     + _EDITOR_NAMES)
# a school's or hospital's closing credit: ``摄影/张艳 编辑/苏芳`` (after any 责任编辑：)
_EDITOR_SLASH = re.compile(r"(?:编辑|編輯)\s*[/／]\s*" + _EDITOR_NAMES)
_LEAD_SOURCE = re.compile(r"^\s*([\u3400-\u9fff]{2,10}?)(?:\d{1,2}月\d{1,2}日)?(?:讯|訊)\s*[（(]")
# a news agency's dateline: 新华社北京5月9日电, 中新网上海5月9日电
_DATELINE = re.compile(r"^\s*([\u3400-\u9fff]{1,6}(?:社|网|網|报|報|台))[\u3400-\u9fff]{1,8}"
                       r"\d{1,2}月\d{1,2}日(?:电|電)")
# a credit line of its own under the dateline: 新华社记者邹多为、唐诗凝、丁乐
_CREDIT_ALONE = re.compile(r"^\s*([\u3400-\u9fff]{1,8}(?:社|网|網|报|報|台))?(?:首席|特约|特約)?"
                           r"(?:记者|記者)\s*((?:[\u3400-\u9fff·]{2,4}[\s、，,]*){1,6})$")
_LEAD_PAREN = re.compile(
    r"^\s*(?:[\u3400-\u9fff]{0,10}(?:\d{1,2}月\d{1,2}日)?(?:讯|訊|电|電))?\s*[（(]\s*([\u3400-\u9fff]{0,12}?)\s*"
    r"(?:首席|特约|特約|实习|實習)?(记者|記者|通讯员|通訊員)\s*((?:[\u3400-\u9fff·]{2,4}[\s、，,]*){1,5})")
_TAIL_BYLINE = re.compile(
    r"^\s*(?:([\u3400-\u9fff]{2,12}?)(?:首席)?(?:记者|記者)\s*)?((?:[\u3400-\u9fff·]{2,4}\s*){1,5})[/／]\s*文"
    r"(?:\s*((?:[\u3400-\u9fff·]{2,4}\s*){1,5})[/／]\s*[摄攝])?\s*$")
_CREDIT_LINE = 60   # characters: a closing line this short can be a credit
# ``记者 魏其蒙 来源：…``: names set apart by spaces (``记者了解到`` is prose)
_TAIL_REPORTERS = re.compile(
    r"(?:记者|記者)\s+([\u3400-\u9fff·]{2,4}(?:[\s、]+[\u3400-\u9fff·]{2,4}){0,3})(?=[\s）)]|$)"
    r"(?![\s\u3400-\u9fff·、]*[摄攝])")   # ``新华社记者 李梦馨 摄``: a photo credit
# after the last sentence: ``…参会。（长城网记者 周八）``, ``(文/图 张三)``, ``（黄鹭 于小博）``;
# on a line of its own only with a 文/图 label (bare words there may be a note)
_PAREN_LABEL = r"(?:[\u3400-\u9fff]{0,12}?(?:记者|記者)\s*|文(?:\s*[/／]\s*[图圖])?(?:\s*[/／]\s*|\s+))"
_PAREN_NAMES = r"((?:[\u3400-\u9fff·]{2,4}[\s、]+){0,4}[\u3400-\u9fff·]{2,4})[）)]\s*$"
_TAIL_PAREN = re.compile(r"[。！？][（(]" + _PAREN_LABEL + "?" + _PAREN_NAMES)
_OWN_LINE_PAREN = re.compile(r"(?:^|\n)\s*[（(]文(?:\s*[/／]\s*[图圖])?(?:\s*[/／]\s*|\s+)" + _PAREN_NAMES)
_PHOTOG = re.compile(
    r"(?:记者|記者|通讯员|通訊員|[（(])\s*((?:[\u3400-\u9fff·]{2,4}[\s、]*){1,3}?)\s*[/／]?\s*[摄攝]|"
    r"((?:[\u3400-\u9fff·]{2,4}\s*){1,3})[/／]\s*[摄攝]|"
    # a name set apart by spaces before a closing 摄: ``城市摄影队 周斌 摄``
    r"(?:^|\s)((?:[\u3400-\u9fff·]{2,4}\s+){1,3})[摄攝](?:影)?\s*$|"
    # a label before the names: ``摄影/张艳 编辑/苏芳``
    r"(?:摄影|攝影)\s*[/／:：]\s*([\u3400-\u9fff·]{2,4}(?:[、，,\s]+[\u3400-\u9fff·]{2,4}(?!\s*[/／:：]))"
    r"{0,2})(?![\u3400-\u9fff])")
# Words that start another field of a credit line.
_LABELS = {"责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "来源", "來源", "作者",
           "摄影", "攝影", "校对", "校對", "审核", "審核", "监制", "監製", "出品"}
# The page's tools after a credit (作者：新京报 缩小字体 放大字体 收藏 微博 ...): the credit ends.
_TOOLS = {"收藏", "微博", "微信", "分享", "打印", "关闭", "關閉", "评论", "評論", "举报", "舉報",
          "纠错", "糾錯", "点赞", "點讚", "转发", "轉發", "复制链接", "複製鏈接", "朗读", "朗讀"}
# Tokens that are no personal name: digits, a site or a paper.
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_A_NAME = re.compile(r"\d|网|網|(报|報|社|台|刊|站|频道|頻道|中心|新闻|新聞|记者|記者)$")
_NOT_NAMES = {"本报", "本報", "记者", "記者", "通讯员", "通訊員", "新华社", "新華社",
              # what a credit says the reporter did (``记者陈智 整合``)
              "整合", "整理", "综合", "綜合", "编译", "編譯", "采写", "採寫", "报道", "報道",
              # a CMS's default author, closing notes in brackets, a trainee's title
              "佚名", "匿名", "未知", "不详", "不詳", "管理员", "管理員", "待续", "待續",
              "未完待续", "未完待續", "全文完", "图文无关", "圖文無關", "资料图", "資料圖",
              "本报综合", "本報綜合", "综合整理", "綜合整理", "实习生", "實習生"}


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
    """
    for m in (_LABELLED if labelled else _DATE).finditer(text or ""):
        y, mo, d, h, mi, sec = m.groups()[:6]
        if h is not None and (int(h) > 23 or int(mi) > 59):
            h = mi = sec = None
        sec = sec if sec is None or int(sec) <= 59 else None
        found = _dt(y, mo, d, h, mi, sec)
        if found is not None and 1990 <= found.year <= 2100:
            return found
    return None


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


def labelled_source(text: str) -> str | None:
    """Value of a 来源 label.

    >>> labelled_source("发布时间：2022-03-23 23:05 来源：河北日报 作者：四建磊")
    '河北日报'
    >>> labelled_source("2005年8月25日（来源：上海证券报）"), labelled_source("来源：新华社（北京）")
    ('上海证券报', '新华社（北京）')
    """
    m = _SOURCE_LABEL.search(text or "")
    if not m:
        return None
    value = m.group(1).strip()
    if value.endswith(("）", ")")) and not any(c in value for c in "（("):
        value = value[:-1].rstrip()   # the bracket around the whole credit: （来源：…）
    return value if len(value) >= 2 else None


def split_names(text: str) -> list[str]:
    """Personal names in a credit, in order, without duplicates. The credit
    ends at the next label (``责任编辑``, ``来源``...); organisations (a site,
    a paper: ``网易``, ``中国科普网``) and numbers are not names.

    >>> split_names("四建磊、吴韬 ")
    ['四建磊', '吴韬']
    >>> split_names("王晓璐 责任编辑 李四"), split_names("网易"), split_names("2909")
    (['王晓璐'], [], [])
    >>> split_names("新京报 缩小字体 放大字体 收藏 微博 微信 分享")   # the page's tools
    []
    """
    out: list[str] = []
    for name in re.split(r"[\s、，,]+", text or ""):
        name = name.strip()
        if name in _LABELS or name in _TOOLS or "字体" in name or name.endswith((":", "：")):
            break
        if _NOT_A_NAME.search(name):
            continue
        if (2 <= len(name) <= 5 and _HAN.search(name) and name not in _NOT_NAMES
                and name not in out):   # (a Latin word is no name: Discuz! Team and ...)
            out.append(name)
    return out


def labelled_authors(text: str) -> list[str]:
    """
    >>> labelled_authors("来源：河北日报 作者：四建磊 吴韬 【字体：大 中 小】")
    ['四建磊', '吴韬']
    >>> labelled_authors("作者：四建磊 吴韬 会议第0次指出")
    ['四建磊', '吴韬']
    """
    m = _AUTHOR_LABEL.search(text or "")
    return split_names(m.group(1)) if m else []


def editor_of(text: str, slash: bool = False) -> str | None:
    """The editor of a 责任编辑：/编辑： credit (``slash``: of an 编辑/ one).

    >>> editor_of("责任编辑：赵石乐"), editor_of("摄影/张艳 编辑/苏芳", slash=True)
    ('赵石乐', '苏芳')
    >>> editor_of("编辑：廊坊新闻网") is None
    True
    """
    m = (_EDITOR_SLASH if slash else _EDITOR).search(text or "")
    return _editor(m.group(1)) if m else None


def _names(credit: str) -> list[str]:
    """The names of an editor credit, without a label caught after a 、."""
    return [n for n in credit.split("、") if n not in _LABELS]


def _editor(credit: str) -> str | None:
    """An editor credit as archived: its names joined with 、 as printed."""
    return "、".join(_names(credit)) or None


def editor_in_page(html: str) -> str | None:
    """The editor of a 责任编辑/责编 credit anywhere in the page's HTML: many
    sites print it below the text, outside what trafilatura keeps.

    >>> editor_in_page('<div class="editor">(责编：郝帅、杨迪)</div>')
    '郝帅、杨迪'
    >>> editor_in_page('<p>责任编辑：张三、审核：李四</p>'), editor_in_page('<p>责任编辑：张三、终审：李四</p>')
    ('张三', '张三')
    >>> editor_in_page('<p>责任编辑：<span class="name">赵石乐</span></p>')
    '赵石乐'
    >>> editor_in_page('<p>编辑推荐：新闻</p>') is None
    True
    >>> editor_in_page('<p>责任编辑：<span></span></p></article><div>平台声明：该文观点</div>') is None
    True
    """
    # only the explicit labels: a bare 编辑： somewhere on a page can be anything
    return next((_editor(m.group(2)) for m in _EDITOR_IN_PAGE.finditer(html or "")
                 if m.group(1) not in ("编辑", "編輯")), None)


def editors_in_page(html: str) -> list[str]:
    """Every name an editor credit (编辑, 责任编辑, 责编) gives in the page's HTML.

    >>> editors_in_page("<div>编辑：倪仕轩 &nbsp;责任编辑：杨格、李明</div>")
    ['倪仕轩', '杨格', '李明']
    """
    return [n for m in _EDITOR_IN_PAGE.finditer(html or "") for n in _names(m.group(2))]


# "this paper / site / net": no name of a source
_HOUSE = ("本报", "本報", "本站", "本网", "本網", "本台")


def byline_people(lead: str) -> tuple[str | None, list[str]]:
    """Source and reporters from an opening credit: ``河北日报讯（记者四建磊、吴韬）``.

    >>> byline_people("河北日报讯（记者四建磊、吴韬）3月23日晚")
    ('河北日报', ['四建磊', '吴韬'])
    >>> byline_people("本报讯（石家庄日报首席记者 齐广君）3月28日")
    ('石家庄日报', ['齐广君'])
    >>> byline_people("11月17日晚，在收听收看")
    (None, [])
    >>> byline_people("长江网10月4日讯（记者陈智 整合） 国庆中秋长假过半")
    ('长江网', ['陈智'])
    >>> byline_people("新华社北京5月9日电（记者邹多为、唐诗凝）海关总署9日发布")
    ('新华社', ['邹多为', '唐诗凝'])
    >>> byline_people("新华社北京5月9日电 题：外贸向好"), byline_people("新华社记者邹多为、唐诗凝、丁乐")
    (('新华社', []), ('新华社', ['邹多为', '唐诗凝', '丁乐']))
    >>> byline_people("本站讯（职工通讯员 李琴雯 刘会）近日"), byline_people("本报讯（县委宣传部通讯员 李四）")
    ((None, ['李琴雯', '刘会']), (None, ['李四']))
    """
    source = None
    alone = _CREDIT_ALONE.match(lead or "")
    if alone:
        return alone.group(1), split_names(alone.group(2))
    m = _LEAD_SOURCE.match(lead or "") or _DATELINE.match(lead or "")
    if m and m.group(1) not in _HOUSE:
        source = m.group(1)
    p = _LEAD_PAREN.match(lead or "")
    if not p:
        return source, []
    # a reporter's paper is a source; a correspondent's unit (县委宣传部通讯员) is not
    if p.group(1) and p.group(1) not in _HOUSE and p.group(2) in ("记者", "記者"):
        source = source or p.group(1)
    names = re.split(r"[）)]", p.group(3))[0]
    return source, split_names(names)


def opening_byline(blocks: list[str]) -> tuple[str | None, list[str]]:
    """Source and reporters from the opening credit, in the first block or
    in a credit line of its own right after a dateline.

    >>> opening_byline(["新华社北京5月9日电 题：外贸向好", "新华社记者邹多为、唐诗凝", "9日，海关总署"])
    ('新华社', ['邹多为', '唐诗凝'])
    """
    source, people = byline_people(blocks[0] if blocks else "")
    if not people and len(blocks) > 1:
        second_source, people = byline_people(blocks[1])
        source = source or second_source
    return source, people


def tail_byline(line: str) -> tuple[str | None, list[str], list[str]]:
    """Closing credit line: ``邯报融媒体记者 苗志磊 成军刚/文 陈苏冬/摄``.

    >>> tail_byline("邯报融媒体记者 苗志磊 成军刚/文 陈苏冬/摄")
    ('邯报融媒体', ['苗志磊', '成军刚'], ['陈苏冬'])
    """
    m = _TAIL_BYLINE.match(line or "")
    if not m:
        return None, [], []
    return (m.group(1) or None), split_names(m.group(2)), split_names(m.group(3) or "")


def tail_reporters(line: str) -> list[str]:
    """Reporters named in a short closing credit line.

    >>> tail_reporters("中青报·中青网记者 魏其蒙 来源：中国青年报")
    ['魏其蒙']
    >>> tail_reporters("会议强调，记者要深入基层，" * 5), tail_reporters("记者了解到，项目年底完工")
    ([], [])
    >>> tail_reporters("本报记者 张三 李四 王五")
    ['张三', '李四', '王五']
    >>> tail_reporters("在竞选总部发表胜选演讲。 新华社记者 李梦馨 摄"), tail_reporters("本报记者 张三 李四 摄")
    ([], [])
    """
    m = _TAIL_REPORTERS.search(line) if _credit_line(line) else None
    return split_names(m.group(1)) if m else []


def tail_source(line: str) -> str | None:
    """The 来源 of a short closing credit line.

    >>> tail_source("中青报·中青网记者 魏其蒙 来源：中国青年报")
    '中国青年报'
    """
    return labelled_source(line) if _credit_line(line) else None


def closing_editor(lines: list[str]) -> str | None:
    """The editor of an 编辑/… credit in one of the closing credit lines
    (not in prose: 作为一名编辑/记者).

    >>> closing_editor(["正文。", "供稿 摄影/张艳 编辑/苏芳"]), closing_editor(["作为一名编辑/记者，她坚守一线"])
    ('苏芳', None)
    >>> closing_editor(["招聘岗位：编辑/记者"]) is None
    True
    """
    return next((found for line in reversed(lines) if _credit_line(line) and "，" not in line
                 for found in [editor_of(line, slash=True)]
                 if found and split_names(found.replace("、", " "))), None)


def tail_photographers(line: str) -> list[str]:
    """Photographers of a short closing credit line.

    >>> tail_photographers("医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳"), tail_photographers("摄影：张艳、李四")
    (['张艳'], ['张艳', '李四'])
    """
    return photographers_of([line]) if _credit_line(line) else []


def _credit_line(line: str) -> bool:
    """Short, and not a sentence: a closing line that can be a credit."""
    return 0 < len(line or "") <= _CREDIT_LINE and not line.rstrip().endswith(("。", "！", "？", "；"))


def tail_paren_authors(text: str) -> list[str]:
    """Reporters in parentheses closing the text: ``…参会。（黄鹭 于小博）``.

    >>> tail_paren_authors("在各会场参会。（黄鹭 于小博）"), tail_paren_authors("参会。\\n（文/图 赵明）")
    (['黄鹭', '于小博'], ['赵明'])
    >>> tail_paren_authors("参会。\\n（周八 吴九）")   # bare words on a line of their own
    []
    """
    m = _TAIL_PAREN.search(text or "") or _OWN_LINE_PAREN.search(text or "")
    return split_names(m.group(1)) if m else []


def photographers_of(captions: list[str]) -> list[str]:
    """
    >>> photographers_of(["这是会议现场。 河北日报记者赵威摄"])
    ['赵威']
    >>> photographers_of(["雨游黄鹤楼照样开心。城市摄影队 周斌 摄"]), photographers_of(["本报记者 张三 李四 摄"])
    (['周斌'], ['张三', '李四'])
    """
    out: list[str] = []
    for cap in captions:
        for m in _PHOTOG.finditer(cap):
            for name in split_names(next((g for g in m.groups() if g), "")):
                if name not in out:
                    out.append(name)
    return out
