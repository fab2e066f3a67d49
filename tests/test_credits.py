"""Credits and times as CMSs print them (found by usability tests of new
site files: PowerEasy, Discuz! X, enorth): labels after a name, default
authors, closing reporter credits, seconds, 来自, string-valued hints."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.sites import parse_site
from pipelines.extract import extract_articles
from tests.test_extraction_rules import BODY, one, page

INFO = "<div class='info'>发布时间：2026-11-20 09:30:12&nbsp;&nbsp;来源：廊坊日报&nbsp;&nbsp;{}</div>"


@pytest.mark.parametrize("credit, authors", [
    ("作者：张喆&nbsp;&nbsp;点击数：<span id='hits'>1523</span>", ["张喆"]),   # PowerEasy
    ("作者：佚名&nbsp;&nbsp;点击数：12", []),                                   # its default
    ("作者：张喆 王堃 浏览次数：3", ["张喆", "王堃"]),
])
def test_an_author_label_ends_at_the_next_label(credit, authors):
    record = one(page(BODY, before="<h1>测试标题</h1>" + INFO.format(credit)))
    assert record.authors == authors
    assert record.published == dt.datetime(2026, 11, 20, 9, 30, 12,
                                           tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize("closing, authors", [
    ("（长城网记者 周八）", ["周八"]), ("（记者 周八）", ["周八"]), ("(长城网记者 周八)", ["周八"]),
    ("（记者 周八、吴九）", ["周八", "吴九"]),
    ("（周八 吴九）", []),   # bare words in brackets on a line of their own: names or notes
    ("（图文无关）", []), ("（本报综合）", []), ("（实习生 李四）", []),
    ("（记者 周建华 吴晓宇）", ["周建华", "吴晓宇"]),
    ("（长城网记者 周八 吴九 郑十）", ["周八", "吴九", "郑十"]),
    ("（完）", []), ("（待续）", []), ("（新华社）", []),
])
def test_a_closing_reporter_credit_on_its_own_line(closing, authors):
    assert one(page(BODY + f"<p>{closing}</p>")).authors == authors


def test_bare_names_in_brackets_close_the_last_sentence():
    assert one(page(BODY.replace("压实责任。</p>", "压实责任。（周八 吴九）</p>"))).authors == [
        "周八", "吴九"]


def test_seconds_need_a_colon_or_miao():
    from pipelines.extract.metadata import parse_date
    assert parse_date("2023年5月1日 10时30分 45人参加").second == 0
    assert parse_date("2023年5月1日 10时30分45秒").second == 45


def test_a_latin_meta_author_is_no_name():
    head = ("<title>测试标题_测试网</title>"
            "<meta name='author' content='Discuz! Team and Comsenz UI Team'>")
    assert one(page(BODY, head=head)).authors == []


def test_laizi_is_a_source_label():
    info = ("<p class='xg1'>2026-11-24 15:20 | 发布者: xtadmin | 查看: 1526 | 评论: 0 | "
            "原作者: 刘晓 | 来自: 邢台日报</p>")
    record = one(page(BODY, before="<h1>测试标题</h1>" + info))
    assert record.source == "邢台日报" and record.authors == ["刘晓"]


def test_laiyuanyu_is_a_source_label_but_not_inside_a_sentence():
    """中山网 (GNE tests/zsnews): 来源于：东区办事处 under the headline; a
    sentence's 来源于：… under a headline with no source is no source."""
    record = one(page(BODY, before="<h1>测试标题</h1><font>　来源于：东区办事处</font>"))
    assert record.source == "东区办事处"
    record = one(page("<p>该项目资金主要来源于：财政拨款和社会资本。</p>" + BODY, before="<h1>测试标题</h1>"))
    assert record.source is None


@pytest.mark.parametrize("xpath", [
    "substring-after(//p[@class='xg1']/text()[contains(., '来自')], '来自: ')",
    "//p[@class='xg1']/text()[contains(., '来自')]",
    "//p[@class='xg1']",
])
def test_a_source_hint_may_select_text_or_a_string(xpath):
    site = parse_site({"id": "x", "name": "x", "region": "x", "level": "city",
                       "hosts": ["x.test"], "start_urls": ["http://x.test/"],
                       "links": {"article": ["/a/"]}, "extract": {"source_xpath": xpath,
                       "date_xpath": "string(//p[@class='xg1'])"}}, "x.toml")
    body = page(BODY, before="<p class='xg1'>2026-11-24 15:20 | 来自: 邢台日报</p>")
    (record,) = extract_articles(body, "utf-8", "http://x.test/a/1.html", site)
    assert record.source == "邢台日报"
    assert (record.published, record.published_rule) == (
        dt.datetime(2026, 11, 24, 15, 20, tzinfo=dt.timezone(dt.timedelta(hours=8))), "site")


def test_credits_written_with_slashes_and_by_correspondents():
    """A hospital's party news (GNE tests/zyyfy): 通讯员 in the opening credit,
    本站 is no source, ``摄影/张艳 编辑/苏芳`` in the closing credit line."""
    record = one(page("<p>本站讯（职工通讯员 李琴雯 刘会）近日，医技药剂党支部举办技能大赛。" + "会议强调，要压实责任。" * 8
                      + "</p>" + BODY + "<p>医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳</p>"))
    assert record.authors == ["李琴雯", "刘会"] and record.source is None
    assert record.photographers == ["张艳"] and record.editor == "苏芳"


def test_a_closing_credit_of_writer_and_photographer():
    """当代商报 (GNE tests/cjddsb): ``…需要。(文/图 刘玺东 易赛楠)``."""
    record = one(page(BODY + "<p>推动金融知识普及，满足人民群众美好生活需要。(文/图 刘玺东 易赛楠)</p>"))
    assert record.authors == ["刘玺东", "易赛楠"]


def test_xinhua_date_and_source_printed_above_the_headline():
    """Xinhua's channel pages: the year apart from month/day, the time, and
    来源 above the headline; the dateline's 新华社 is not the source then, and a
    sidebar box's heading (新华网河北频道) is no closing line of the text."""
    before = ("<div class='header-time'><span class='year'><em>2026</em></span><span class='day'>11/27"
              "</span><span class='time'>16:45:12</span></div><div class='source'>来源：新华网</div>"
              "<h1><span class='title'>雄安新区首批疏解高校新校区主体工程完工</span></h1>")
    content = ("<p>新华社雄安11月27日电（记者 赵倩）记者27日从雄安新区管委会获悉，首批高校新校区主体工程完工。</p>"
               + BODY + "<div class='columBox'><div>新华网河北频道</div></div>")
    record = one(page(content, before=before),
                 url="http://www.news.cn/he/20261127/54105bddbfe3f639d49cbe8f5182c958/c.html")
    assert record.published.isoformat() == "2026-11-27T16:45:12+08:00"
    assert record.source == "新华网" and record.authors == ["赵倩"]
    assert record.text.splitlines()[-1].endswith("要压实责任。")


def test_a_slash_editor_in_prose_and_a_correspondents_unit_are_no_credits():
    record = one(page("<p>本报讯（县委宣传部通讯员 李四）作为一名编辑/记者，她坚守一线，" + "会议强调，要压实责任。" * 8
                      + "</p>" + BODY))
    assert record.editor is None and record.source is None and record.authors == ["李四"]
    assert one(page(BODY + "<p>要压实责任。（文/张三）</p>")).authors == ["张三"]


def test_a_closing_source_line_names_the_source_though_it_leaves_the_text():
    """163.com (GNE tests/163/9): ``<p><strong>来源：无锡交警</strong></p>`` ends the article."""
    record = one(page(BODY + "<p><strong>来源：无锡交警</strong></p>"))
    assert record.source == "无锡交警" and "无锡交警" not in record.text


def test_a_writer_photographer_credit_on_its_own_line():
    """VSB pages: ``<p style='text-align:right'>（文/图 赵明）</p>`` closes the text."""
    assert one(page(BODY + "<p style='text-align:right'>（文/图 赵明）</p>")).authors == ["赵明"]


def test_notes_opening_with_wen_and_picture_sources_are_no_credits():
    """Found in review: （文明办供稿） is no 文/ credit; 图片来源 and 数据来源 name no source."""
    assert one(page(BODY + "<p>要压实责任。（文明办供稿）</p>")).authors == []
    record = one(page(BODY + "<p>图片来源：视觉中国</p>"))
    assert record.source is None


def test_pipe_credits_and_numbered_account_prompts():
    """澎湃政务号 (GNE tests/thepaper): 责编|陈梦莹, 校对|…, 来源|…, then a
    WeChat account's numbered 回复【…】 prompts."""
    record = one(page(BODY + "<p>责编|陈梦莹</p><p>校对|黄慧敏</p><p>来源|广州参考、羊城晚报</p>"
                      "<p>1、回复【公租房】查看最新消息</p><p>2、回复【社保】查询社保缴纳记录</p>"))
    assert record.editor == "陈梦莹"
    assert record.text.splitlines()[-1].endswith("要压实责任。")


def test_a_placeholder_source_and_a_hidden_app_prompt():
    """toutiao (GNE tests/toutiao/5): a closing 来源：网络 names no source;
    thepaper (tests/thepaper/3): a hidden app prompt glued to the last line."""
    record = one(page(BODY + "<p>来源：网络</p>"))
    assert record.source is None
    record = one(page(BODY[:-4] + "（原题为《新年伊始》）<div class='hide_word'>(本文来自澎湃新闻，更多原创资讯请"
                      "下载“澎湃新闻”APP)</div></p>"))
    assert record.text.splitlines()[-1].endswith("（原题为《新年伊始》）")


def test_an_empty_editor_credit_takes_no_name_from_the_next_line():
    """A sohu repost (GNE tests/njxfhn/1): ``责任编辑：<span></span>`` then a quoted
    related story whose title opens ``香港警方：…``: the next line is no editor,
    and a label's name is on its line (not followed by a colon)."""
    record = one(page(BODY + "<p>责任编辑：<span></span></p><blockquote><p>香港警方：8.31示威行动未发生"
                      "致命事件，谴责造谣者</p><p>港铁公司车务营运总监表示，8月31日晚启动疏散程序。</p>"
                      "</blockquote>"))
    assert record.editor is None
    assert one(page(BODY + "<p>责任编辑：张三</p>")).editor == "张三"


@pytest.mark.parametrize("closing, authors", [
    ("<p>采写：南都记者 余毅菁 向雪妮</p><p>作者：余毅菁 向雪妮</p><p>责任编辑：张三</p>", ["余毅菁", "向雪妮"]),
    ("<p>作者：周八</p>", ["周八"]),
    ("<p>作者：会议强调，要深入基层，做好第一项工作。</p>", []),   # prose, no credit
])
def test_a_labelled_author_credit_closing_the_text(closing, authors):
    """A sohu repost (GNE tests/njxfhn/1) closes with 采写：南都记者 余毅菁 向雪妮 and
    作者：余毅菁 向雪妮: credit lines, out of the text, and the authors."""
    record = one(page(BODY + closing))
    assert record.authors == authors
    assert "采写" not in record.text and "余毅菁" not in record.text


@pytest.mark.parametrize("info, source, authors", [
    # thepaper's news_about (GNE tests/thepaper/5 and /1)
    ("<p>澎湃新闻记者 贺梨萍</p><p>2020-06-06 10:08<span> 来源：澎湃新闻</span></p>", "澎湃新闻", ["贺梨萍"]),
    ("<p>石佳/中国青年报</p><p>2019-09-24 09:10<span> </span></p><div><span>字号</span></div>",
     "中国青年报", ["石佳"]),
])
def test_a_credit_opening_the_info_line_names_reporters_and_their_paper(info, source, authors):
    record = one(page(BODY, before=f"<h1>测试标题</h1><div class='news_about'>{info}</div>"))
    assert (record.source, record.authors) == (source, authors)


def test_a_kuaixun_lead_names_the_paper_as_source():
    """新京报快讯（记者 裴剑飞）… (GNE tests/sina/2): the source is 新京报, not 新京报快."""
    record = one(page("<p>新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料，有60万个账号在暗网出售。</p>" + BODY))
    assert (record.source, record.authors) == ("新京报", ["裴剑飞"])


def test_credits_of_government_cms_templates():
    """Credits as government and party-media templates print them (pages of
    miit.gov.cn, jyt.ah.gov.cn, liaoyang.gov.cn, wenming.cn)."""
    lead = "<p>　　记者梁爽报道　6月10日，省运会青少年组现代五项比赛开幕。会议指出，要做好赛事保障。</p>"
    assert one(page(lead + BODY, before="<h1>测试标题</h1>")).authors == ["梁爽"]
    closing = BODY + "<p>经过激烈角逐，评委进行了综合评分，三位老师获一等奖。（特约通讯员：林兴勇）</p>"
    assert one(page(closing, before="<h1>测试标题</h1>")).authors == ["林兴勇"]
    # a CMS account in <meta name="author"> is no author
    record = one(page(BODY, head="<title>测试标题</title><meta name='Author' content='系统管理员'>",
                      before="<h1>测试标题</h1>"))
    assert record.authors == []
    # the label in its own element, the name after it; a name spaced out
    for editor, name in [("<span class='font_blue'>责任编辑：</span>杨兴龙", "杨兴龙"),
                         ("<span class='font_blue'>责任编辑：</span>熊 武", "熊武")]:
        body = page(BODY, before="<h1>测试标题</h1>").replace(
            b"</body>", f"<div class='editor_tex'>{editor}</div></body>".encode())
        assert one(body).editor == name


@pytest.mark.parametrize("html, authors", [
    ("<p>　　记者蹲点报道　5月16日清晨，菜市场里人来人往。会议指出，要保障供应。</p>", []),
    ("<p>　　记者调查报道　近日，有市民反映小区停车难。会议指出，要加强管理。</p>", []),
    (BODY + "<p>经过激烈角逐，三位老师获一等奖。（通讯员：区教育局）</p>", []),
    (BODY + "<p>经过激烈角逐，三位老师获一等奖。（通讯员：宣传科）</p>", []),
])
def test_a_way_of_reporting_or_a_unit_is_no_author(html, authors):
    assert one(page(html + BODY, before="<h1>测试标题</h1>")).authors == authors


def test_an_empty_editor_credit_takes_no_field_label_or_site_name():
    for after in ("<span>发布日期：2024-05-17</span>", "<span>信息来源：市政府办公室</span>"):
        body = page(BODY, before="<h1>测试标题</h1>").replace(
            b"</body>", f"<div><span>责任编辑：</span>{after}</div></body>".encode())
        assert one(body).editor is None


def test_hanwebs_editor_credit_names_the_meta_author_as_editor():
    """jnwl.jinan.gov.cn (Hanweb): 编辑：（<!--…-->胡冠山<!--…-->） under the text,
    the same name in <meta name="author">."""
    body = page(BODY, head="<title>测试标题</title><meta name='author' content='胡冠山'>",
                before="<h1>测试标题</h1>").replace(
        b"</body>", "<div class='corner-compile'>编辑：（<!--<$[信息作者]>begin-->胡冠山"
                    "<!--<$[信息作者]>end-->）</div></body>".encode())
    record = one(body)
    assert (record.authors, record.editor) == ([], "胡冠山")


def test_a_credit_line_above_the_text_names_the_reporter():
    """163 (广州日报): <p>文/广州日报记者赖伟行</p> opens the text; it goes with the
    headline-shaped lines above the first paragraph, its reporter is read."""
    record = one(page("<h1>股市大跌打乱买房计划</h1><p>2015-07-04 09:00:52</p>"
                      "<p>文/广州日报记者赖伟行</p>" + BODY))
    assert record.authors == ["赖伟行"] and not record.text.startswith("文/")


def test_a_login_as_editor_anywhere_in_the_page():
    """163 prints <span class="ep-editor">责任编辑：NF055</span> under the text, outside
    what trafilatura keeps: the login stands for the editor there too."""
    record = one(page(BODY + "</div><div class='ep-source'><span class='ep-editor'>责任编辑：NF055</span>"))
    assert record.editor == "NF055"


def test_no_login_from_a_script_and_a_closing_editor_before_a_page_login():
    """Found in review: a script's "责任编辑：null" is no editor, and the closing
    credit line (编辑/苏芳) comes before a login found anywhere in the page."""
    record = one(page(BODY + "<p>供稿：护理部 摄影/张艳 编辑/苏芳</p></div><script>var z = \"责任编辑：null\";"
                      "</script><div>"))
    assert record.editor == "苏芳"


def test_a_kicker_of_a_reporters_column_is_no_credit():
    """Found in review: 记者手记 opening the text named 手记 as the author."""
    assert one(page("<h1>雪域高原上的乡村医生</h1><p>2024-05-17 09:30</p><p>记者手记</p>" + BODY)).authors == []


BAR_INFO = "<div class='info'>发布时间：2026-11-20 09:30:12&nbsp;&nbsp;{}</div>"


@pytest.mark.parametrize("credit, authors", [
    ("作者︱春春", ["春春"]), ("作者｜春春", ["春春"]), ("作者|春春", ["春春"]),   # U+FE31, U+FF5C, |
    ("作者 | 春春", ["春春"]), ("作者 ︱ 春春", ["春春"]), ("作者丨春春", ["春春"]),   # 丨: a radical as a bar
    ("记者｜张三", ["张三"]), ("记者 ｜ 张三", ["张三"]), ("文 | 张三", ["张三"]),
    ("作者丨春春丨编辑丨李四", ["春春"]),
])
def test_an_author_label_with_a_bar_reads_like_one_with_a_colon(credit, authors):
    """WeChat-style credits (作者︱春春, 记者｜张三) under the headline and closing the text."""
    record = one(page(BODY, before="<h1>测试标题</h1>" + BAR_INFO.format(credit)))
    assert record.authors == authors
    # as 作者：春春 does, the closing line is a credit, out of the text (not `` | ``
    # with spaces there: trafilatura's mark between table cells, which cleanup drops)
    if credit.startswith("作者") and " | " not in credit:
        record = one(page(BODY + f"<p>{credit}</p>"))
        assert record.authors == authors and "春春" not in record.text


@pytest.mark.parametrize("info, source, authors", [
    ("来源：光明网 | 作者：春春 | 2024-01-02", "光明网", ["春春"]),
    ("来源：光明网 | 作者｜春春 | 2024-01-02", "光明网", ["春春"]),
    ("作者︱春春 | 来源：光明网", "光明网", ["春春"]),
    ("来源：光明网 | 阅读 | 专题报道", "光明网", []),   # bars between fields: no label, no author
    ("栏目：图文 | 专题报道", None, []),   # a word ending in 文 is no 文 label
])
def test_bars_between_the_fields_of_an_info_line_make_no_author(info, source, authors):
    record = one(page(BODY, before="<h1>测试标题</h1>" + BAR_INFO.format(info)))
    assert (record.source, record.authors) == (source, authors)


LEAD = "<p>本报讯{}近日，全市召开安全生产工作会议。" + "会议强调，要压实责任。" * 8 + "</p>"


@pytest.mark.parametrize("credit, authors", [
    ("（记者 杜高富摄影报道）", ["杜高富"]), ("（记者 杜高富 摄影报道）", ["杜高富"]),
    ("（记者 张三 李四 报道）", ["张三", "李四"]), ("（记者 张三 李四 报导）", ["张三", "李四"]),
    ("（记者 张三报道）", ["张三"]), ("（记者 张三、李四报导）", ["张三", "李四"]), ("（記者 張三 報導）", ["張三"]),
    ("（记者 蹲点报道）", []),   # how, not who
])
def test_a_reporters_credit_in_brackets_may_end_in_how_they_reported(credit, authors):
    """（记者 杜高富摄影报道）: 报道/报导 (摄影报道: photographed and reported) is
    no name, opening the text or closing it; closing it, the reporter of a
    摄影报道 is the photographer too, as of a closing ``记者 X 摄``."""
    assert one(page(LEAD.format(credit) + BODY)).authors == authors
    record = one(page(BODY + f"<p>经过激烈角逐，三位老师获一等奖。{credit}</p>"))
    assert record.authors == authors
    assert record.photographers == (authors if "摄影" in credit else [])


@pytest.mark.parametrize("credit, authors", [
    ("（记者 李铮 通讯员 王飞 李永）", ["李铮", "王飞", "李永"]),
    ("（记者李铮通讯员王飞李永）", ["李铮"]),   # 王飞李永: one name of four characters, or two?
    ("（记者李铮通讯员王飞）", ["李铮", "王飞"]), ("（记者李铮 通讯员 王飞 李永）", ["李铮", "王飞", "李永"]),
    ("（记者李铮通讯员王飞摄影报道）", ["李铮", "王飞"]),
])
def test_the_labels_of_an_opening_credit_part_its_names(credit, authors):
    """本报讯（记者李铮通讯员王飞李永）: the labels delimit the names written
    without spaces; a run of four characters glued to them is not guessed at."""
    assert one(page(LEAD.format(credit) + BODY)).authors == authors
