"""Who made an article: authors and photographers (the editor:
:mod:`.editors`), from labelled credits (作者：), opening credits
(河北日报讯（记者…）, a news agency's dateline), closing credit lines (…/文
…/摄), reporters in brackets at the end, and photo captions. All functions
are pure.

>>> byline_people("（河北日报记者 四建磊 吴韬）3月28日晚")
('河北日报', ['四建磊', '吴韬'])
"""

from __future__ import annotations

import re

from .metadata import labelled_source
from .patterns import BRACKETED_CREDIT, CREDIT_BAR

# a character of a name: Han, not the radical 丨 written as a bar (作者丨春春丨编辑丨李四)
_NAME_CHAR = r"[\u3400-\u4e27\u4e29-\u9fff·]"
_AUTHOR_WORD = r"作者|记者|記者|采写|採寫|撰稿"
# names, each not the next label (``作者：张喆 点击数：12``), after a colon or a bar
# (作者︱春春); a bar also parts an info line's fields, so 文 takes one only as a
# word of its own (文 | 张三, not 栏目：图文 | 专题报道)
_AUTHOR_LABEL = re.compile(
    rf"(?:(?:{_AUTHOR_WORD}|文)\s*[:：]|(?:{_AUTHOR_WORD}|(?<![\u3400-\u9fff])文)\s*{CREDIT_BAR})\s*"
    rf"((?:{_NAME_CHAR}{{2,4}}(?!\s*[:：])(?:[\s、，,]+|$))*{_NAME_CHAR}{{2,4}}(?!(?!丨)\w)(?!\s*[:：]))")
# one or more names after an editor label: 郝帅、杨迪
# 长江网10月4日讯（…, 新京报快讯（… (a 快讯 is the paper's, not 新京报快's)
_LEAD_SOURCE = re.compile(r"^\s*([\u3400-\u9fff]{2,10}?)(?:\d{1,2}月\d{1,2}日)?(?:快|電|电)?(?:讯|訊)\s*[（(]")
# the same credit with no reporters, a space after it: 新浪科技讯 北京时间9月11日…
_LEAD_SOURCE_BARE = re.compile(r"^\s*([\u3400-\u9fff]{2,10}?)(?:\d{1,2}月\d{1,2}日)?(?:快|電|电)?(?:讯|訊)"
                               r"[\s\u3000]+(?=\S)")
_NOT_SOURCE = ("喜", "简", "簡", "资", "資", "通", "短", "图", "圖")   # 特大喜讯, 简讯, 资讯
# a news agency's dateline: 新华社北京5月9日电, 中新网上海5月9日电
_DATELINE = re.compile(r"^\s*([\u3400-\u9fff]{1,6}(?:社|网|網|报|報|台))[\u3400-\u9fff]{1,8}"
                       r"\d{1,2}月\d{1,2}日(?:电|電)")
# a credit line of its own under the dateline: 新华社记者邹多为、唐诗凝、丁乐, 文/广州日报记者赖伟行
_CREDIT_ALONE = re.compile(r"^\s*(?:文\s*[/／]\s*)?([\u3400-\u9fff]{1,8}(?:社|网|網|报|報|台))?(?:首席|特约|特約)?"
                           r"(?:记者|記者)\s*((?:[\u3400-\u9fff·]{2,4}[\s、，,]*){1,6})$")
# a reporter's credit opening the text with 报道 and a space: 记者梁爽报道　6月10日，…
_LEAD_REPORTED = re.compile(r"^\s*(?:本报|本報|本台|本站|本网|本網)?(?:首席|特约|特約|实习|實習)?"
                            r"(?:记者|記者|通讯员|通訊員)\s*((?:[\u3400-\u9fff·]{2,4}?[\s、]*){1,3}?)\s*"
                            r"(?:报道|報道)[\s\u3000]")
# how a report was made, not who made it: 记者蹲点报道, 记者调查报道, 记者节特别报道
_REPORT_MODE = re.compile(r"蹲点|蹲點|调查|調查|走基层|走基層|追踪|追蹤|跟踪|跟蹤|连续|連續|深度|专题|專題|联合|聯合|"
                          r"观察|觀察|来信|來信|投稿|特别|特別|实地|實地|一线|一線|前方|节|節|"
                          r"手记|手記|探访|探訪|专访|專訪|直击|直擊|走进|走進|笔记|筆記|现场|現場|视角|視角")
# how the reporters worked, closing their names: （记者 杜高富摄影报道）, （记者 张三 李四 报道）
_REPORTED_HOW = r"(?:摄影|攝影)?(?:报道|報道|报导|報導)"
_REPORTED_END = re.compile(rf"([^\s、，,]+?)\s*{_REPORTED_HOW}$")
# the labels inside one credit (记者李铮通讯员王飞), and names written with no separator
_INNER_LABEL = re.compile(r"(?:首席|特约|特約|实习|實習|见习|見習)?(?:记者|記者|通讯员|通訊員)|实习生|實習生")
_GLUED_RUN = re.compile(r"[\u3400-\u9fff·]{4,}")
# the names: all up to the closing bracket (记者李铮通讯员王飞李永）), else up to five
_LEAD_PAREN = re.compile(
    r"^\s*(?:[\u3400-\u9fff]{0,10}(?:\d{1,2}月\d{1,2}日)?(?:讯|訊|电|電))?\s*[（(]\s*([\u3400-\u9fff]{0,12}?)\s*"
    r"(?:首席|特约|特約|实习|實習)?(记者|記者|通讯员|通訊員)\s*"
    r"([\u3400-\u9fff·\s、，,]{2,40}?(?=[）)])|(?:[\u3400-\u9fff·]{2,4}[\s、，,]*){1,5})")
_TAIL_BYLINE = re.compile(
    r"^\s*(?:([\u3400-\u9fff]{2,12}?)(?:首席)?(?:记者|記者)\s*)?((?:[\u3400-\u9fff·]{2,4}\s*){1,5})[/／]\s*文"
    r"(?:\s*((?:[\u3400-\u9fff·]{2,4}\s*){1,5})[/／]\s*[摄攝])?\s*$")
_CREDIT_LINE = 60   # characters: a closing line this short can be a credit
# the info line opening with a credit (thepaper's news_about): ``澎湃新闻记者 贺梨萍 2020-06-06 10:08``
# (names set apart by spaces; ``记者了解到`` is prose), ``石佳/中国青年报 2019-09-24 09:10``
_INFO_REPORTER = re.compile(
    r"^\s*[\u3400-\u9fff·]{0,12}?(?:首席|特约|特約|实习|實習)?(?:记者|記者)\s+"
    r"((?:[\u3400-\u9fff·]{2,4}[\s、]+){0,3}[\u3400-\u9fff·]{2,4})(?=[\s|｜]|$)(?![\s\u3400-\u9fff·、]*[摄攝])")
_INFO_NAME_MEDIUM = re.compile(
    r"^\s*((?:[\u3400-\u9fff·]{2,4}[\s、]+){0,2}[\u3400-\u9fff·]{2,4})\s*[/／]\s*"
    r"([\u3400-\u9fff·]{1,10}(?:报|報|网|網|社|台|杂志|雜誌|周刊|週刊|新闻|新聞|客户端|客戶端))(?=[\s|｜]|$)")
# ``记者 魏其蒙 来源：…``: names set apart by spaces (``记者了解到`` is prose)
_TAIL_REPORTERS = re.compile(
    r"(?:记者|記者)\s+([\u3400-\u9fff·]{2,4}(?:[\s、]+[\u3400-\u9fff·]{2,4}){0,3}(?:\s*" + _REPORTED_HOW + r")?)"
    r"(?=[\s）)]|$)"
    r"(?![\s\u3400-\u9fff·、]*[摄攝])")   # ``新华社记者 李梦馨 摄``: a photo credit
# after the last sentence: ``…参会。（长城网记者 周八）``, ``(文/图 张三)``, ``（黄鹭 于小博）``;
# on a line of its own only with a 文/图 label (bare words there may be a note)
_PAREN_LABEL = (r"(?:[\u3400-\u9fff]{0,12}?(?:记者|記者|通讯员|通訊員)\s*[:：]?\s*"
                r"|文(?:\s*[/／]\s*[图圖])?(?:\s*[/／]\s*|\s+))")
_PAREN_NAMES = (r"((?:[\u3400-\u9fff·]{2,4}[\s、]+){0,4}[\u3400-\u9fff·]{2,4}(?:\s*" + _REPORTED_HOW + r")?)"
                r"[）)]\s*$")
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
LABELS = {"责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯", "来源", "來源", "作者",
           "摄影", "攝影", "校对", "校對", "审核", "審核", "监制", "監製", "出品"}
# The page's tools after a credit (作者：新京报 缩小字体 放大字体 收藏 微博 ...): the credit ends.
_TOOLS = {"收藏", "微博", "微信", "分享", "打印", "关闭", "關閉", "评论", "評論", "举报", "舉報",
          "纠错", "糾錯", "点赞", "點讚", "转发", "轉發", "复制链接", "複製鏈接", "朗读", "朗讀"}
# Tokens that are no personal name: digits, a site or a paper.
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_A_NAME = re.compile(r"\d|网|網|(报|報|社|台|刊|站|频道|頻道|中心|新闻|新聞|记者|記者|管理员|管理員)$|"
                         # a unit (区教育局, 宣传科): a given name may end in 科 or 会, not a longer word
                         r"^..+(局|处|處|委|办|辦|院|所|队|隊)$|^...+(科|部|校|组|組|室|会|會|团|團)$|"
                         r"宣传|宣傳|办公|辦公|教育|政府|委员|委員|管理|服务|服務|卫生|衛生|公安|法院|检察|檢察|"
                         r"街道|社区|社區|学校|學校|医院|醫院|大学|大學|学院|學院|公司|集团|集團|协会|協會|"
                         r"团委|團委|[一二三四五六七八九十]中$|中学|中學|小学|小學|幼儿园|幼兒園")
_NOT_NAMES = {"本报", "本報", "记者", "記者", "通讯员", "通訊員", "新华社", "新華社",
              # what a credit says the reporter did (``记者陈智 整合``)
              "整合", "整理", "综合", "綜合", "编译", "編譯", "采写", "採寫", "报道", "報道", "报导", "報導",
              "现场", "現場", "近日", "日前", "独家", "獨家", "连线", "連線",
              # a CMS's default author, closing notes in brackets, a trainee's title
              "佚名", "匿名", "未知", "不详", "不詳", "管理员", "管理員", "待续", "待續",
              "未完待续", "未完待續", "全文完", "图文无关", "圖文無關", "资料图", "資料圖",
              "本报综合", "本報綜合", "综合整理", "綜合整理", "实习生", "實習生"}


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
    >>> split_names("系统管理员"), split_names("网站管理员")   # a CMS account (miit.gov.cn's meta author)
    ([], [])
    >>> split_names("区教育局 宣传科 团委 县一中 张建科 李会")   # units are no names
    ['张建科', '李会']
    """
    out: list[str] = []
    for name in re.split(r"[\s、，,]+", text or ""):
        name = name.strip()
        if name in LABELS or name in _TOOLS or "字体" in name or name.endswith((":", "：")):
            break
        if _NOT_A_NAME.search(name):
            continue
        if (2 <= len(name) <= 5 and _HAN.search(name) and name not in _NOT_NAMES
                and name not in out):   # (a Latin word is no name: Discuz! Team and ...)
            out.append(name)
    return out


def reported_names(names: str) -> list[str]:
    """The names of a reporters' credit with how they reported off its end
    (报道; 摄影报道, photographed and reported), written apart or not; a way
    of reporting before it (蹲点报道) is no name either.

    >>> reported_names("杜高富摄影报道"), reported_names("张三 李四 报导"), reported_names("蹲点报道")
    (['杜高富'], ['张三', '李四'], [])
    """
    return split_names(_without_how(names))


def _without_how(names: str) -> str:
    """The credit with its closing 报道 off (and a way of reporting before it)."""
    names = names.strip()
    m = _REPORTED_END.search(names)
    if m:
        last = m.group(1)
        names = names[:m.start(1)] + ("" if _REPORT_MODE.search(last) else last)
    return names


def credit_names(names: str) -> list[str]:
    """The names of a credit whose labels part them (记者 李铮 通讯员 王飞 李永),
    written with spaces or without (记者李铮通讯员王飞李永). Without, the
    labels delimit the names; but a run of four characters or more glued to a
    label may be one name or two (王飞李永) and is not guessed at.

    >>> credit_names("李铮 通讯员 王飞 李永"), credit_names("李铮通讯员王飞李永"), credit_names("李铮通讯员王飞")
    (['李铮', '王飞', '李永'], ['李铮'], ['李铮', '王飞'])
    """
    parts = _INNER_LABEL.split(_without_how(names))
    if len(parts) == 1:
        return reported_names(names)
    found = [split_names(part) for part in parts if not _GLUED_RUN.fullmatch(part)]
    return list(dict.fromkeys(name for part in found for name in part))


def labelled_authors(text: str) -> list[str]:
    """
    >>> labelled_authors("来源：河北日报 作者：四建磊 吴韬 【字体：大 中 小】")
    ['四建磊', '吴韬']
    >>> labelled_authors("作者：四建磊 吴韬 会议第0次指出")
    ['四建磊', '吴韬']
    >>> labelled_authors("采写：南都记者 余毅菁 向雪妮")   # 采写: interviewed and written by
    ['余毅菁', '向雪妮']
    >>> labelled_authors("作者︱春春"), labelled_authors("来源：光明网 | 记者｜张三 | 2024-01-02")
    (['春春'], ['张三'])
    """
    m = _AUTHOR_LABEL.search(text or "")
    return split_names(m.group(1)) if m else []


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
    >>> byline_people("新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料")
    ('新京报', ['裴剑飞'])
    >>> byline_people("新华社北京5月9日电（记者邹多为、唐诗凝）海关总署9日发布")
    ('新华社', ['邹多为', '唐诗凝'])
    >>> byline_people("新华社北京5月9日电 题：外贸向好"), byline_people("新华社记者邹多为、唐诗凝、丁乐")
    (('新华社', []), ('新华社', ['邹多为', '唐诗凝', '丁乐']))
    >>> byline_people("本站讯（职工通讯员 李琴雯 刘会）近日"), byline_people("本报讯（县委宣传部通讯员 李四）")
    ((None, ['李琴雯', '刘会']), (None, ['李四']))
    >>> byline_people("新浪科技讯 北京时间9月11日凌晨消息"), byline_people("腾讯音乐讯　一向具有奇思妙想的")
    (('新浪科技', []), ('腾讯音乐', []))
    >>> byline_people("本报讯 近日"), byline_people("特大喜讯 我市"), byline_people("政务快讯 近日")
    ((None, []), (None, []), (None, []))
    >>> byline_people("记者梁爽报道　6月10日，比赛开幕。"), byline_people("记者现场报道：比赛开幕。")
    ((None, ['梁爽']), (None, []))
    >>> byline_people("记者蹲点报道　5月16日清晨，"), byline_people("记者节特别报道　今天，我们走近一线记者。")
    ((None, []), (None, []))
    """
    source = None
    alone = _CREDIT_ALONE.match(lead or "")
    if alone and not _REPORT_MODE.search(alone.group(2)):
        return alone.group(1), split_names(alone.group(2))
    if alone:
        return None, []   # a kicker: 记者手记, 人民网记者实地探访
    m = _LEAD_SOURCE.match(lead or "") or _DATELINE.match(lead or "")
    if m and m.group(1) not in _HOUSE:
        source = m.group(1)
    elif m is None and (m := _LEAD_SOURCE_BARE.match(lead or "")) \
            and len(m.group(1)) >= 3 and not m.group(1).endswith(_NOT_SOURCE):
        return m.group(1), []   # (政务快讯, 我市讯: two characters name no outlet)
    p = _LEAD_PAREN.match(lead or "")
    if not p:
        reported = _LEAD_REPORTED.match(lead or "") if source is None else None
        if reported is None or _REPORT_MODE.search(reported.group(1)):
            return source, []
        return source, split_names(reported.group(1))
    # a reporter's paper is a source; a correspondent's unit (县委宣传部通讯员) is not
    if p.group(1) and p.group(1) not in _HOUSE and p.group(2) in ("记者", "記者"):
        source = source or p.group(1)
    return source, credit_names(re.split(r"[）)]", p.group(3))[0])


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


def info_byline(header: str) -> tuple[str | None, list[str]]:
    """Source and reporters of a credit opening the info line under the
    headline: a reporter credit (names set apart by spaces), or names and
    their paper joined by a slash.

    >>> info_byline("澎湃新闻记者 贺梨萍 2020-06-06 10:08 来源：澎湃新闻 字号")
    (None, ['贺梨萍'])
    >>> info_byline("石佳/中国青年报 2019-09-24 09:10 字号")
    ('中国青年报', ['石佳'])
    >>> info_byline("记者了解到，项目年底完工"), info_byline("新华社记者 李梦馨 摄"), info_byline("文/张三 来源：本站")
    ((None, []), (None, []), (None, []))
    """
    m = _INFO_NAME_MEDIUM.match(header or "")
    if m and split_names(m.group(1)):
        return m.group(2), split_names(m.group(1))
    m = _INFO_REPORTER.match(header or "")
    return (None, split_names(m.group(1))) if m else (None, [])


def tail_byline(line: str) -> tuple[str | None, list[str], list[str]]:
    """Closing credit line: ``邯报融媒体记者 苗志磊 成军刚/文 陈苏冬/摄``.

    >>> tail_byline("邯报融媒体记者 苗志磊 成军刚/文 陈苏冬/摄")
    ('邯报融媒体', ['苗志磊', '成军刚'], ['陈苏冬'])
    """
    m = _TAIL_BYLINE.match(line or "")
    if not m:
        return None, [], []
    return (m.group(1) or None), split_names(m.group(2)), split_names(m.group(3) or "")


def closing_labelled_authors(lines: list[str]) -> list[str]:
    """The names of the first labelled author credit (作者：, 采写：) among the
    closing credit lines the cleanup took off the end of the text.

    >>> closing_labelled_authors(["采写：南都记者 余毅菁 向雪妮", "作者：余毅菁 向雪妮", "责任编辑："])
    ['余毅菁', '向雪妮']
    >>> closing_labelled_authors(["作者：会议强调，要深入基层，做好第一项工作。"])
    []
    >>> closing_labelled_authors(["【记者】柳时强", "【通讯员】罗瑞娴", "【校对】梁飞飞"])
    ['柳时强', '罗瑞娴']
    """
    bracketed = [name for line in lines for m in [BRACKETED_CREDIT.match(line.strip())]
                 if m and m.group(1) in _BRACKET_AUTHORS for name in split_names(m.group(2))]
    return bracketed or next((found for line in lines if credit_line(line)
                              for found in [labelled_authors(line)] if found), [])


# the labels of a bracketed credit that name authors (not 【校对】, 【编辑】)
_BRACKET_AUTHORS = {"记者", "記者", "通讯员", "通訊員", "作者", "撰文", "撰稿"}


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
    m = _TAIL_REPORTERS.search(line) if credit_line(line) else None
    return reported_names(m.group(1)) if m else []


def tail_source(line: str) -> str | None:
    """The 来源 of a short closing credit line.

    >>> tail_source("中青报·中青网记者 魏其蒙 来源：中国青年报")
    '中国青年报'
    """
    return labelled_source(line) if credit_line(line) else None


def tail_photographers(line: str) -> list[str]:
    """Photographers of a short closing credit line.

    >>> tail_photographers("医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳"), tail_photographers("摄影：张艳、李四")
    (['张艳'], ['张艳', '李四'])
    """
    return photographers_of([line]) if credit_line(line) else []


def credit_alone(line: str) -> bool:
    """A reporters' credit on a line of its own (新京报记者 李春平).

    >>> credit_alone("新京报记者 李春平"), credit_alone("记者了解到，项目年底完工"), credit_alone("记者手记")
    (True, False, False)
    >>> byline_people("记者手记"), byline_people("人民网记者实地探访")
    ((None, []), (None, []))
    >>> byline_people("文/广州日报记者赖伟行")
    ('广州日报', ['赖伟行'])
    """
    line = (line or "").strip()
    m = _CREDIT_ALONE.match(line) if len(line) <= 30 and not re.search(r"[，,。：:]", line) else None
    return m is not None and not _REPORT_MODE.search(m.group(2))   # (记者手记: a column's kicker)


def credit_line(line: str) -> bool:
    """Short, and not a sentence: a closing line that can be a credit."""
    return 0 < len(line or "") <= _CREDIT_LINE and not line.rstrip().endswith(("。", "！", "？", "；"))


def tail_paren_authors(text: str) -> list[str]:
    """Reporters in parentheses closing the text: ``…参会。（黄鹭 于小博）``.

    >>> tail_paren_authors("在各会场参会。（黄鹭 于小博）"), tail_paren_authors("参会。\\n（文/图 赵明）")
    (['黄鹭', '于小博'], ['赵明'])
    >>> tail_paren_authors("喜获一等奖。（特约通讯员：林兴勇）")
    ['林兴勇']
    >>> tail_paren_authors("参会。\\n（周八 吴九）")   # bare words on a line of their own
    []
    """
    m = _TAIL_PAREN.search(text or "") or _OWN_LINE_PAREN.search(text or "")
    return reported_names(m.group(1)) if m else []


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
