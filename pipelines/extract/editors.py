"""Editors: the 责任编辑/责编/编辑 credits of a page, in its text, its
closing credit lines or anywhere in its HTML (personal names and the other
credits: :mod:`.credits`)."""

from __future__ import annotations

import re

from .credits import LABELS, credit_line, split_names

# (a two-character name may be spaced out to the width of three: 熊 武)
_EDITOR_NAMES = (r"((?:[\u3400-\u9fff][ \u3000\u00a0][\u3400-\u9fff]|[\u3400-\u9fff·]{2,4})"
                 r"(?:、[\u3400-\u9fff·]{2,4}(?![\u3400-\u9fff])(?!\s*[:：])){0,3})"
                 r"(?![\u3400-\u9fff])")   # a word after 、 with a colon is the next label (终审：)
# an editor credit in a page's HTML: opening tags may stand between label and
# name, and the label's own closing tag (<span>责任编辑：</span>杨兴龙); a
# closing block tag ends the credit (an empty one)
_EDITOR_IN_PAGE = re.compile(r"(责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*[（(]?\s*(?:<!--.{0,80}?-->\s*)*"
                             r"(?:</(?:span|font|b|strong|em|i|label)>\s*)?(?:<[^/<>][^<>]{0,300}>\s*)*"
                             + _EDITOR_NAMES + r"(?!\s*[:：])")   # (not the next field's label)
# a bare 编辑 credit that is an element's whole text, bracketed or not
# (caijing: <span id="editor_baidu">(编辑：文静)</span> below the text)
_EDITOR_ELEMENT = re.compile(r">[^\S\n]*[（(]?[^\S\n]*(?:编辑|編輯)[^\S\n]*[:：][^\S\n]*" + _EDITOR_NAMES
                             + r"[^\S\n]*[)）]?[^\S\n]*</")
# the names on the label's line, and no label themselves: after an empty
# ``责任编辑：`` the next line (``香港警方：8.31示威…``, a related story) is not the editor
_EDITOR = re.compile(r"(?:(?:责任编辑|責任編輯|责编|責編)\s*[:：|｜]|(?:编辑|編輯)\s*[:：])[^\S\n]*"   # 责编|陈梦莹
                     + _EDITOR_NAMES + r"(?!\s*[:：])")
# an editor's login for a name ([责任编辑：celiawu]); a placeholder account is none
_EDITOR_LOGIN = re.compile(r"(?:责任编辑|責任編輯|责编|責編)[^\S\n]*[:：][^\S\n]*([A-Za-z][A-Za-z0-9_]{2,19})"
                           r"(?![A-Za-z0-9_])")
_PLACEHOLDER_LOGINS = {"news", "admin", "administrator", "sysadmin", "editor", "webmaster", "system",
                       "root", "test", "user", "guest", "xxgk", "copyright", "null", "undefined", "nan",
                       "none"}
# a school's or hospital's closing credit: ``摄影/张艳 编辑/苏芳`` (after any 责任编辑：)
_EDITOR_SLASH = re.compile(r"(?:编辑|編輯)\s*[/／]\s*" + _EDITOR_NAMES)


def editor_of(text: str, slash: bool = False) -> str | None:
    """The editor of a 责任编辑：/编辑： credit (``slash``: of an 编辑/ one).

    >>> editor_of("责任编辑：赵石乐"), editor_of("摄影/张艳 编辑/苏芳", slash=True)
    ('赵石乐', '苏芳')
    >>> editor_of("编辑：廊坊新闻网") is None
    True
    >>> editor_of("责任编辑：\\n香港警方：8.31示威行动未发生致命事件") is None
    True

    An editor's login stands for the name, a placeholder account does not:

    >>> editor_of("[责任编辑：celiawu]"), editor_of("责任编辑：news"), editor_of("责任编辑：\\nCopyright 2024")
    ('celiawu', None, None)
    """
    m = (_EDITOR_SLASH if slash else _EDITOR).search(text or "")
    if m is None and not slash:
        login = _EDITOR_LOGIN.search(text or "")
        return login.group(1) if login and not _placeholder(login.group(1)) else None
    return _editor(m.group(1)) if m else None


def _names(credit: str) -> list[str]:
    """The names of an editor credit, without a label caught after a 、."""
    return [n for n in ("".join(c.split()) for c in credit.split("、"))
            if n not in LABELS and not _NOT_AN_EDITOR.search(n)]


# what follows an empty credit: a site's name, the page's tools or its next field
_NOT_AN_EDITOR = re.compile(r"网$|網$|管理员|管理員|打印|分享|浏览|瀏覽|纠错|糾錯|日期|时间|時間|来源|來源|字号|字號|关闭|關閉|"
                            r"收藏|评论|評論|点击|點擊|阅读|閱讀")


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
    >>> editor_in_page('<div><span class="font_blue">责任编辑：</span>熊 武</div>')
    '熊武'
    >>> editor_in_page('<span>责任编辑：</span><span>发布日期：2024-05-17</span>'), editor_of("责任编辑：新华网")
    (None, None)
    >>> editor_in_page('<p>编辑推荐：新闻</p>') is None
    True
    >>> editor_in_page('<p>责任编辑：<span></span></p></article><div>平台声明：该文观点</div>') is None
    True

    A bare 编辑： only when its credit is an element's whole text:

    >>> editor_in_page('<div class="ar_writer"><span id="editor_baidu">(编辑：文静)</span></div>')
    '文静'
    >>> editor_in_page('<p>本报编辑：张三说，会议指出</p>'), editor_in_page('<p>编辑：廊坊新闻网</p>')
    (None, None)
    """
    # the explicit labels; a bare 编辑： in running text can be anything
    explicit = next((_editor(m.group(2)) for m in _EDITOR_IN_PAGE.finditer(html or "")
                     if m.group(1) not in ("编辑", "編輯")), None)
    if explicit or "编辑" not in (html or "") and "編輯" not in (html or ""):
        return explicit
    return next(filter(None, (_editor(m.group(1)) for m in _EDITOR_ELEMENT.finditer(html))), None)


_SCRIPTS_AND_COMMENTS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)


def login_in_page(html: str) -> str | None:
    """An editor's login right after a 责任编辑 label anywhere in the page's
    markup, outside scripts, styles and comments (163: <span
    class="ep-editor">责任编辑：NF055</span> under the text), not a placeholder.

    >>> login_in_page('<span class="ep-editor">责任编辑：NF055</span>'), login_in_page('<p>责任编辑：admin2</p>')
    ('NF055', None)
    >>> login_in_page('<script>var z = "责任编辑：null";</script><p>正文</p>'), login_in_page('<p>责任编辑：undefined</p>')
    (None, None)
    """
    if not _EDITOR_LOGIN.search(html or ""):   # (most pages: no pass over their scripts)
        return None
    login = _EDITOR_LOGIN.search(_SCRIPTS_AND_COMMENTS.sub(" ", html))
    return login.group(1) if login and not _placeholder(login.group(1)) else None


def _placeholder(login: str) -> bool:
    login = login.lower()
    return login in _PLACEHOLDER_LOGINS or bool(re.fullmatch(r"\w*admin\d*|(user|editor|test)\d*", login))


def editors_in_page(html: str) -> list[str]:
    """Every name an editor credit (编辑, 责任编辑, 责编) gives in the page's HTML.

    >>> editors_in_page("<div>编辑：倪仕轩 &nbsp;责任编辑：杨格、李明</div>")
    ['倪仕轩', '杨格', '李明']
    >>> editors_in_page("<div>编辑：（<!--<$[信息作者]>begin-->胡冠山<!--<$[信息作者]>end-->）</div>")   # Hanweb
    ['胡冠山']
    """
    return [n for m in _EDITOR_IN_PAGE.finditer(html or "") for n in _names(m.group(2))]


def closing_editor(lines: list[str]) -> str | None:
    """The editor of an 编辑/… credit in one of the closing credit lines
    (not in prose: 作为一名编辑/记者).

    >>> closing_editor(["正文。", "供稿 摄影/张艳 编辑/苏芳"]), closing_editor(["作为一名编辑/记者，她坚守一线"])
    ('苏芳', None)
    >>> closing_editor(["招聘岗位：编辑/记者"]) is None
    True
    """
    return next((found for line in reversed(lines) if credit_line(line) and "，" not in line
                 for found in [editor_of(line, slash=True)]
                 if found and split_names(found.replace("、", " "))), None)
