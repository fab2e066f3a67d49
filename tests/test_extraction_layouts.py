"""Extraction on layouts met on real pages beyond the corpus (people.com.cn,
gmw.cn, china.com.cn, sina, toutiao, 360kuai): small pages reproducing each
layout, one rule per test."""

from __future__ import annotations

import pytest

from tests.test_extraction_rules import BODY, one, page


def test_headline_twice_takes_the_one_with_the_info_line():
    """A sticky bar repeats the headline above the article (china.com.cn): the
    info line (date, 来源) is under the article's own copy."""
    before = ("<div class='topNav'><h1>呼和浩特发放一次性育儿津贴</h1><div>分享到：微信 微博</div></div>"
              # a long menu between the two: nothing of the info line is within reach
              f"<div class='nav'>{' '.join(f'栏目{i}' for i in range(200))}</div>"
              "<h1>呼和浩特发放一次性育儿津贴</h1><div class='inform'><p>2024-05-13 13:48</p>"
              "<p>来源：中国网</p></div>")
    record = one(page(BODY, head="<title>呼和浩特发放一次性育儿津贴_中国网</title>"
                      "<meta name='publishdate' content='2024-05-13'>", before=before))
    assert record.source == "中国网"
    assert record.published.isoformat() == "2024-05-13T13:48:00+08:00"


def test_read_aloud_button_in_the_headline_is_no_part_of_the_title():
    """360kuai: a 播报文章 button inside the <h1>; an element holding the
    headline itself (a share widget's copy of it) stays."""
    before = ("<h1 class='article__title'><span>美官员否认伊朗直升机事故存在谋杀行为</span>"
              "<div class='article-audio'><div class='article-audio-btn'>播报文章</div><audio></audio></div>"
              "</h1><div class='author-info'><time>2024-05-20 13:09</time></div>")
    record = one(page(BODY, head="<title>美官员否认伊朗直升机事故存在谋杀行为_快资讯</title>", before=before))
    assert record.title == "美官员否认伊朗直升机事故存在谋杀行为"
    before = ("<h1><span class='js-share-title'>城市有轨电车之困</span><a class='btn-listen'>听新闻</a></h1>")
    record = one(page(BODY, head="<title>详细信息</title>", before=before))
    assert record.title == "城市有轨电车之困"


def test_a_headline_inside_the_text_keeps_the_text_after_it():
    """An <h1> used as a subheading in the text (Word's heading style pasted
    into the CMS editor) is part of the article."""
    paragraphs = BODY.split("</p>")
    content = ("</p>".join(paragraphs[:6]) + "</p><h1>二、扩展普惠性托育服务供给渠道和方式</h1>"
               + "</p>".join(paragraphs[6:]))
    record = one(page(content, before="<h1>测试标题</h1>"))
    assert record.text.count("会议第") == 12


def test_platform_disclaimer_is_boilerplate():
    record = one(page(BODY + "<p>以上内容（包括图片及视频）为创作者平台“快传号”用户上传并发布，"
                             "本平台仅提供信息存储服务</p><p>举报</p>"))
    assert "信息存储服务" not in record.text and not record.text.endswith("举报")


def test_photo_credit_left_in_the_text_names_a_photographer_not_an_author():
    """A caption the page prints as a paragraph (toutiao): its 记者 … 摄 credit
    is a photographer's, also when it is the last line."""
    record = one(page(BODY + "<p>5月19日，阿比纳德尔在竞选总部发表胜选演讲。 新华社记者 李梦馨 摄</p>"))
    assert record.authors == []
    assert record.photographers == ["李梦馨"]


def test_source_from_an_element_marked_as_source_under_the_headline():
    """sina: <a class="source">每日经济新闻</a> after the date, with no 来源 label."""
    before = ("<h1 class='main-title'>城市有轨电车之困</h1><div class='date-source'>"
              "<span class='date'>2024年05月10日 00:26</span><a class='source'>每日经济新闻</a></div>")
    record = one(page(BODY, head="<title>城市有轨电车之困_新浪新闻</title>", before=before))
    assert record.source == "每日经济新闻"


def test_author_credit_ends_at_the_page_tools():
    """sina: 作者：新京报 then the page's tool buttons; a paper is no author and
    the buttons are no names. Comment-section headings are furniture."""
    before = ("<h1>城市有轨电车之困</h1><div class='info'>2024年05月16日 17:02 来源：新京报 作者：新京报 "
              "<span>缩小字体</span><span>放大字体</span><span>收藏</span><span>微博</span>"
              "<span>微信</span><span>分享</span></div>")
    record = one(page(BODY + "<p>最热评论</p>", head="<title>城市有轨电车之困_新浪新闻</title>",
                      before=before))
    assert record.authors == []
    assert record.source == "新京报"
    assert "最热评论" not in record.text


def test_time_of_day_is_not_taken_from_elsewhere_on_the_page():
    """A date-only meta date takes a time from the text under the headline
    only, never from a sidebar item of the same day."""
    before = "<h1>测试标题</h1><div class='info'>来源：测试日报</div>"
    html = page(BODY, head="<title>测试标题_网</title><meta name='publishdate' content='2024-05-17'>",
                before=before).replace(
        b"</body>", "<ul class='side'><li><a href='/x'>其他新闻</a> 2024-05-17 10:30</li></ul></body>".encode())
    record = one(html)
    assert record.published.isoformat() == "2024-05-17T00:00:00+08:00"


def test_trs_headline_in_a_div_gives_its_info_line():
    """TRS WCM government pages (jl.gov.cn): the headline in <div id="dbt">
    (大标题), the info line under it."""
    before = ("<div id='dbt'>全省春耕生产工作会议召开</div>"
              "<div class='c_xx'>发布时间：2024-05-14 20:10 来源：吉林日报</div>")
    record = one(page(BODY, head="<title>全省春耕生产工作会议召开_吉林省人民政府</title>", before=before),
                 url="http://jl-gov.test/zw/yw/jlyw/202405/t20240515_3145321.html")
    assert record.title == "全省春耕生产工作会议召开"
    assert (record.published.isoformat(), record.published_rule) == ("2024-05-14T20:10:00+08:00", "info_line")
    assert record.source == "吉林日报"


def test_a_body_written_as_its_containers_own_text_is_found():
    """stcn.com: the body is bare text in ``<div class="txt_con">`` beside an
    empty ``<p>``, under a long menu; trafilatura keeps the menu, and the
    densest-paragraph fallback now scores a container's own text."""
    menu = "".join(f"<li><a href='/c{i}/'>栏目{i}</a></li>" for i in range(120))
    text = "".join(f"公司公告称，第{i}项目中标金额约{i}亿元，占上年营业收入的{i}%。" for i in range(1, 13))
    body = (f"<html><head><meta charset='utf-8'><title>午间公告_证券时报网</title></head><body>"
            f"<ul class='nav'>{menu}</ul><h1>午间公告</h1><div class='info'>2019-09-27 12:11 来源：证券时报网"
            f"</div><div class='txt_con' id='ctrlfscont'>{text}<p></p></div>"
            f"<ul class='nav'>{menu}</ul></body></html>").encode("utf-8")
    record = one(body)
    assert record.text.replace("\n", "") == text


def test_a_layout_table_holding_a_form_keeps_its_paragraphs():
    """VSB CMS (university and government sites): the body sits in
    ``<td><form name="_newscontent_fromname"><div id="vsb_content"><p>…``;
    that table is layout, so each paragraph stays a line (sxmu.edu.cn)."""
    content = (f"<table><tr><td><form name='_newscontent_fromname'><div id='vsb_content'>{BODY}"
               "</div></form></td></tr></table>")
    record = one(page(content))
    assert len(record.text.splitlines()) == 12


def test_an_info_line_inside_the_headline_element_is_no_part_of_the_title():
    """PHPCMS v9's default template prints date, source and counters in a
    <span> inside the <h1>: the title is the headline, and the date and source
    come from that info line."""
    before = ("<div id='Article'><h1>献县召开冬春农田水利建设动员会<br><span>2026-11-28 10:05:12&nbsp;"
              "来源：县融媒体中心&nbsp;评论：<a href='#comment'>0</a> 点击：</span></h1></div>")
    record = one(page(BODY, head="<title>献县召开冬春农田水利建设动员会 - 献县人民政府</title>",
                      before=before))
    assert record.title == "献县召开冬春农田水利建设动员会"
    assert record.published.isoformat() == "2026-11-28T10:05:12+08:00"
    assert record.source == "县融媒体中心"
    # a date that is part of the headline stays
    record = one(page(BODY, before="<h1><span>2026年11月28日</span>新闻联播文字版</h1>"))
    assert record.title.replace(" ", "") == "2026年11月28日新闻联播文字版"


XXGK_TABLE = (
    "<table class='xxgk-table'><tr><td>索 引 号：</td><td>000014349/2026-00123</td><td>主题分类：</td>"
    "<td>城乡建设、环境保护</td></tr><tr><td>发布机构：</td><td>唐山市人民政府办公室</td><td>成文日期："
    "</td><td>2026年11月20日</td></tr><tr><td>名　　称：</td><td colspan='3'>关于做好采暖季清洁取暖工作的通知"
    "</td></tr><tr><td>文　　号：</td><td>唐政办字〔2026〕12号</td><td>发布日期：</td><td>2026年11月25日"
    "</td></tr><tr><td>有 效 性：</td><td colspan='3'>有效</td></tr></table>")


@pytest.mark.parametrize("written", ["成文日期", "发文日期", "生成日期"])
def test_a_disclosure_tables_other_dates_are_not_the_publication_date(written):
    body = page(BODY, head="<title>唐山市人民政府</title>",
                before=XXGK_TABLE.replace("成文日期", written) + "<h1>关于做好采暖季清洁取暖工作的通知</h1>")
    assert one(body).published.isoformat() == "2026-11-25T00:00:00+08:00"


def test_a_disclosure_documents_metadata_table_gives_date_and_source_not_text():
    """政府信息公开 pages: a table of 索引号, 发布机构, 成文日期, 文号, 发布日期
    above the headline. Its rows are no part of the text; the date is the
    发布日期 (not the 成文日期), the source the 发布机构. The addressee line and
    the line introducing the items end in a colon and stay paragraphs."""
    content = ("<p>各县（市、区）人民政府，市政府各部门：</p><p>为切实做好采暖季清洁取暖工作，经市政府同意，"
               "现就有关事项通知如下：</p><p>一、加强气源电源保障。各县要督促燃气企业落实储气责任。</p>" + BODY)
    body = page(content, head="<title>唐山市人民政府</title>",
                before=XXGK_TABLE + "<h1>关于做好采暖季清洁取暖工作的通知</h1>")
    record = one(body, url="http://www.ts.gov.test/xxgk/zfwj/784123.html")
    lines = record.text.splitlines()
    assert lines[:3] == ["各县（市、区）人民政府，市政府各部门：",
                         "为切实做好采暖季清洁取暖工作，经市政府同意，现就有关事项通知如下：",
                         "一、加强气源电源保障。各县要督促燃气企业落实储气责任。"]
    assert record.published.isoformat() == "2026-11-25T00:00:00+08:00"
    assert record.source == "唐山市人民政府办公室"
    # the same table inside the extracted part: its rows are dropped
    record = one(page(XXGK_TABLE + content, before="<h1>关于做好采暖季清洁取暖工作的通知</h1>"))
    assert not any(w in record.text for w in ("索 引 号", "主题分类", "有 效 性", "唐政办字"))


def test_footers_and_app_prompts_are_boilerplate():
    record = one(page(BODY + "<p>相关热词搜索：献县</p><p>扫码下载人民网+客户端</p>"
                      "<p>扫码关注新华网河北频道微信公众号</p>"
                      "<p>主办单位：山西医科大学纪检监察室 版权所有 地址：太原市新建南路56号 邮编：030001 "
                      "电话：0351-3985088</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")
    record = one(page(BODY + "<p>市民可通过微信扫码预约挂号。</p>"))   # prose that names a QR code
    assert record.text.splitlines()[-1] == "市民可通过微信扫码预约挂号。"


def test_a_heading_right_above_the_info_line_is_the_headline():
    """中国地理学会 (GNE tests/gsc): <title> names the column, a breadcrumb in a
    div.title_la echoes it, and the headline is an <h5> over the info line."""
    before = ("<div class='title_la'><h3>首页 - 新闻动态</h3></div><div class='xq_fonts'>"
              "<h5>2019年中国人文地理学术年会在重庆成功举行！</h5><div class='ly'><b>发布时间：2019-05-18</b>"
              " <i>来源：中国地理学会</i></div></div>")
    record = one(page(BODY, head="<title>新闻动态--中国地理学会官网</title>", before=before))
    assert record.title == "2019年中国人文地理学术年会在重庆成功举行！"
    assert record.source == "中国地理学会"


def test_a_title_with_no_headline_element_loses_a_column_name_after_a_bare_hyphen():
    """VSB pages (GNE tests/sxmu): no headline element; <title> is
    ``中华人民共和国监察法-纪检`` and the law's name is printed in a span."""
    content = "<span class='STYLE8'>中华人民共和国监察法</span>" + BODY
    record = one(page(content, head="<title>中华人民共和国监察法-纪检</title>"))
    assert record.title == "中华人民共和国监察法"
    record = one(page(BODY, head="<title>上合组织-东盟论坛开幕</title>"))   # printed nowhere alone
    assert record.title == "上合组织-东盟论坛开幕"


def test_a_contact_box_after_the_article_is_cut():
    """中国地理学会 (GNE tests/gsc): a sidebar's 联系我们 box after the text."""
    record = one(page(BODY + "<h4>联系我们</h4><p>地 址：北京市朝阳区大屯路甲11号</p><p>邮政编码：100101</p>"
                      "<p>电子信箱：gsc@igsnrr.ac.cn</p><p>电 话：010-64870663</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")


def test_short_sentences_naming_furniture_words_stay():
    """qq.com (GNE tests/qq/2): 没有了 is furniture only as 下一篇：没有了; a body
    sentence holding it, or 发表评论, stays."""
    record = one(page(BODY + "<p>没有了数据做支撑，就无从谈起。</p><p>他发表评论称，这是好事。</p>"
                      "<p>下一篇：没有了</p>"))
    assert record.text.splitlines()[-2:] == ["没有了数据做支撑，就无从谈起。", "他发表评论称，这是好事。"]


def test_a_logo_h1_is_no_headline_and_a_site_first_title_still_finds_it():
    """明日大盘网 (GNE tests/mingridapan): the h1 is the logo (a link home), the
    <title> names the site first, the headline is a div.title-text over a
    labelled info line; the tag line (as in <meta name=keywords>) is furniture."""
    before = ("<header><h1><a class='navbar-brand' href='http://www.mingridapan.com'>明日大盘网，"
              "权威股市行情资讯网站</a></h1></header><div class='title-text'>联合国贸发报告：全球经济增长率降至2.3%"
              "</div><div class='title-meta'>发布时间： 2019-09-26 10:09:11</div>")
    head = ("<title>明日股市预测--联合国贸发报告：全球经济增长率降至2.3%</title>"
            "<meta name='keywords' content='20190926|国贸|增长率'>")
    record = one(page(BODY + "<div class='tag'>20190926|国贸|增长率</div>", head=head, before=before))
    assert record.title == "联合国贸发报告：全球经济增长率降至2.3%"
    assert record.published.isoformat() == "2019-09-26T10:09:11+08:00"
    assert record.text.splitlines()[-1].endswith("要压实责任。")


def test_a_short_centred_sentence_under_a_photo_is_its_caption():
    """VSB pages centre their captions under the photo, ending in 。."""
    content = (BODY[:200] + "<p style='text-align:center'><img src='a.jpg'></p>"
               "<p style='text-align:center'>观摩团在新能源装备制造产业园观摩。</p>" + BODY)
    record = one(page(content))
    assert record.captions == ["观摩团在新能源装备制造产业园观摩。"]
    assert "观摩团" not in record.text


def test_a_caption_written_in_many_spans_has_no_spaces_between_its_words():
    """Word-processor markup (许昌日报: 4<span>月</span><span>1</span>…) and a
    name and verb in two spans (新华网: <span>…许云飞</span><span>致辞</span>)."""
    content = (BODY[:200] + "<p style='text-align:center'><img src='a.jpg'></p>"
               "<p style='text-align:center'><span>4<span>月</span><span>1</span><span>日，表彰大会"
               "举行。许昌日报记者 朱宁 摄</span></span></p>" + BODY[:300]
               + "<p style='text-align:center'><img src='b.jpg'></p><p style='text-align:center'>"
               "<span>中国商业技师协会会长许云飞</span><span>致辞</span></p>" + BODY)
    record = one(page(content))
    assert record.captions == ["4月1日，表彰大会举行。许昌日报记者 朱宁 摄", "中国商业技师协会会长许云飞致辞"]
    assert record.photographers == ["朱宁"]
    # white space between two spans sets names apart
    content = (BODY[:200] + "<p style='text-align:center'><img src='a.jpg'></p><p style='text-align:center'>"
               "会议现场。本报记者 <span>张三</span> <span>李四</span> 摄</p>" + BODY)
    record = one(page(content))
    assert (record.captions, record.photographers) == (["会议现场。本报记者 张三 李四 摄"], ["张三", "李四"])


def test_a_centred_poem_under_a_picture_is_no_caption():
    """people.com.cn (GNE tests/people): a picture, then a poem centred line by
    line: its title, author and verses are text, not the picture's caption; a
    centred caption followed by prose still is one."""
    poem = "".join(f"<p style='text-align: center;'>{line}</p>" for line in (
        "<strong>《冬夜读书示子聿》</strong>", "<strong>——（宋）陆游</strong>",
        "古人学问无遗力，少壮工夫老始成。", "纸上得来终觉浅，绝知此事要躬行。"))
    picture = "<p style='text-align: center;'><a href='/n1/a-2.html'><img src='a.jpg'></a></p>"
    record = one(page(BODY[:200] + picture + poem + BODY))
    assert record.captions == []
    lines = record.text.splitlines()
    assert lines[lines.index("《冬夜读书示子聿》") + 1] == "——（宋）陆游"
    record = one(page(BODY[:200] + picture + "<p style='text-align: center;'>《冬夜读书示子聿》书影</p>" + BODY))
    assert record.captions == ["《冬夜读书示子聿》书影"]


def test_a_short_paragraph_printed_twice_is_kept_twice():
    """people.com.cn (GNE tests/people): two poems each followed by a 点评：
    paragraph in a container trafilatura does not know (div.box_con): its
    recovery of loose paragraphs kept one 点评： only."""
    para = "<p style='text-indent: 2em;'>{}</p>".format
    content = (para("<strong>点评：</strong>") + para("《冬夜读书示子聿》是陆游写给自己小儿子陆聿的一首诗。"
               "陆游十分注重家风教育，他的教子诗词是个人人生经验的总结。") + BODY[:BODY.index("<p>会议第6次")]
               + para("<strong>点评：</strong>") + para("这首四言诗，可以称之为东方朔的“顾命之作”。"))
    html = ("<html><head><meta charset='utf-8'><title>测试标题_测试网</title></head><body>"
            f"<div class='box_con' id='rwb_zw'>{content}</div></body></html>")
    lines = one(html.encode("utf-8")).text.splitlines()
    assert lines.count("点评：") == 2 and lines[-2:] == ["点评：", "这首四言诗，可以称之为东方朔的“顾命之作”。"]


def test_platform_and_wechat_prompts_and_prev_next_items_are_boilerplate():
    """thepaper.cn's 政务号 notes, a WeChat account's prompts, qq.com's
    返回腾讯网首页>> glued to the last paragraph, VSB's 上一条/下一条."""
    record = one(page(BODY + "<p>回复【公租房】查看更多信息</p><p>看都看完了，点【在看】再走吧</p>"
                      "<p>本文为政务等机构在澎湃新闻上传并发布，仅代表该机构观点，澎湃新闻仅提供信息发布平台。</p>"
                      "<p>发送邮件至zhengwu@thepaper.cn申请加入澎湃政务号或媒体团</p>"
                      "<p>上一条：临溪县召开森林防火工作部署会</p><p>下一条：没有了</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")
    record = one(page(BODY + "<p>今年工作的重点在看得见的民生实事上，会议强调要落实。<a href='/'>返回腾讯网首页&gt;&gt;"
                      "</a></p>"))
    assert record.text.splitlines()[-1] == "今年工作的重点在看得见的民生实事上，会议强调要落实。"


def test_an_interview_question_asked_again_far_down_stays():
    """sina (GNE tests/sina/3): the same question under each of several fund
    managers; a long line repeated far apart is otherwise dropped."""
    q = "<p><strong>美国10年期国债收益率可能变为负值吗？你的预测是什么？</strong></p>"
    record = one(page(q + BODY + q + BODY))
    assert record.text.count("你的预测是什么？") == 2


def test_what_follows_the_editor_credit_is_the_pages_and_unmarked_media_are_sources():
    """sina: a promo box after 责任编辑; toutiao: <span>中国网</span> beside the date."""
    before = ("<h1>寒潮来袭多地降温</h1><div class='article-sub'><span>中国网</span> "
              "<span>2019-11-25 10:37:31</span></div>")
    record = one(page(BODY + "<p>责任编辑：张三</p><p>关注公众号查看全文</p><p>公司资本论</p>"
                      "<p>连接每日热点，</p><p>点评股市众生相</p>", before=before))
    assert record.text.splitlines()[-1].endswith("要压实责任。")
    assert record.source == "中国网" and record.editor == "张三"
    record = one(page(BODY + "<p>【免责声明】本文仅代表作者本人观点，与和讯网无关。</p><p>图片均来自网络</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")


def test_a_short_summary_right_under_its_headline_is_an_article():
    """readhub.cn's topic page: a 190-character summary under an h2 and a
    date, under an app menu that trafilatura keeps instead."""
    menu = "".join(f"<a href='/c{i}'>栏目{i}</a>" for i in range(40))
    summary = ("根据运营商内部人士透露，三大运营商关于5G手机的促销手段原本有三大类：金融分期购买、预存话费购机直降以及"
               "购机赠礼品为主。但是，预存话费购机直降很可能将没有了，或会增加赠送权益的补贴形式。三大运营商的上级主管"
               "部门已下发通知，禁止终端补贴，尤其是取消对手机、宽带光猫等的补贴，这意味着运营商无法直接进行补贴。")
    body = (f"<html><head><meta charset='utf-8'><title>运营商5G手机促销方式曝光 - Readhub</title></head>"
            f"<body><nav>{menu}</nav>"
            f"<main><header><h2><span>运营商5G手机促销方式曝光</span></h2><span>昨天</span></header>"
            f"<div><div class='summary'>{summary}<span id='v'></span></div></div>"
            f"<div class='news'>{menu}</div></main></body></html>").encode("utf-8")
    record = one(body)
    assert record.title == "运营商5G手机促销方式曝光" and record.text == summary


def test_with_an_h1_a_sidebar_heading_over_a_labelled_line_is_no_headline():
    """Found in review: a generic <title>, the real h1 over its info line, and
    a sidebar box whose heading stands over 编辑部电话：… or 发布机构：…."""
    before = ("<div class='side'><h3>联系我们</h3><p>编辑部电话：0311-1234567</p>"
              "<div class='side-title'>政策解读</div><div>发布机构：县政府办 2024-05-01</div></div>"
              "<h1>我市召开优化营商环境推进会</h1><div>发布时间：2024-05-18 10:00 来源：市政府办公室</div>")
    record = one(page(BODY, head="<title>某县人民政府</title>", before=before))
    assert record.title == "我市召开优化营商环境推进会"
    assert record.source == "市政府办公室"
    assert record.published.isoformat() == "2024-05-18T10:00:00+08:00"


def test_prose_holding_furniture_words_stays():
    """Found in review: 下一条 as a measure word, comments named in prose, a
    long instruction opening with 点击下方; sentences opening like a repost's
    placeholder credit (信息来源于网络) or a follow prompt (欢迎关注公众号)."""
    lines = ["我市下一条地铁线路将于年底开工。", "该微博发布后，网友跟帖3000余条。",
             "网友评论称，这项政策让群众得实惠。",
             "点击下方链接，即可进入报名系统填写个人信息，报名截止时间为5月20日，逾期不予受理。",
             "信息来源于网络的说法并不可靠，请以官方发布为准。", "欢迎关注公众号“某某发布”，获取更多资讯。"]
    record = one(page(BODY + "".join(f"<p>{x}</p>" for x in lines)))
    assert record.text.splitlines()[-len(lines):] == lines


def test_a_login_box_printed_before_the_headline_does_not_open_the_text():
    """hexun.com (GNE tests/hexun, in tests/fixtures/realpages-extra): a
    toolbar's login box before the <h1>, which trafilatura returns as the
    text's first lines (登录超时，稍后再试 / 免注册 快速登录 / 消息 / 通知 / 公告0)."""
    from bench.evaluate import EXTRA_DIR

    body = (EXTRA_DIR / "gne" / "hexun_1.html").read_bytes()
    record = one(body, url="http://stock.hexun.com/2019-09-26/198676185.html")
    assert record.text.startswith("据财联社9月26日消息"), record.text[:60]


def test_a_caption_inside_the_images_own_paragraph_is_a_caption():
    """qq.com (GNE tests/qq): <p><img><i class="desc">家中曾堆满他的音像作品</i></p>."""
    content = (BODY[:400] + "<p class='one-p'><img src='a.jpg' class='content-picture'><i class='desc'>"
               "家中曾堆满他的音像作品</i></p>" + BODY)
    record = one(page(content))
    assert record.captions == ["家中曾堆满他的音像作品"] and "音像作品" not in record.text


def test_a_short_line_in_small_print_under_a_photo_is_its_caption():
    """TRS pages (GNE tests/cjn/1) print captions in 9pt under the photo, without a
    credit: <p>　　<font style="font-size: 9pt">…报道截图。</font></p>. On a page
    that sets every paragraph in that size, the line under a photo is text."""
    shot = "<center><img src='a.jpg'></center>"
    cap = "<p>　　<font style='font-size: 9pt'>英国《泰晤士报》网站题为《蓬勃发展的武汉》的报道截图。</font></p>"
    record = one(page(BODY[:400] + shot + cap + BODY))
    assert record.captions == ["英国《泰晤士报》网站题为《蓬勃发展的武汉》的报道截图。"]
    assert "截图" not in record.text
    small = "".join(f"<p><span style='font-size:12px'>{p}</span></p>"
                    for p in BODY.replace("<p>", "").split("</p>") if p)
    under = "<p><span style='font-size:12px'>照片下面的这一段是正文，不是说明。</span></p>"
    record = one(page(shot + under + small))
    assert record.captions == [] and "照片下面的这一段是正文" in record.text


def test_a_documents_dated_note_under_its_title_is_its_first_line():
    """国务院公报 on gov.cn (GNE tests/other/1): the title printed in the body, then
    （2007年6月29日…会议通过）, the decision's adoption note, which is part of it."""
    note = "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）"
    content = ("<p align='center'><font size='1' style='FONT-SIZE: 18pt'><strong>全国人民代表大会常务委员会"
               "<br>关于批准财政部发行特别国债的决议</strong></font><br>" + note + "</p>" + BODY)
    record = one(page(content, head="<title>全国人民代表大会常务委员会关于批准财政部发行特别国债的决议"
                                    "_中国政府网</title>"))
    assert record.text.splitlines()[0] == note
    assert "关于批准" not in record.text


WECHAT_SECTIONS = [
    "今天凌晨，三星在美国旧金山举行发布会，正式发布旗下新一代旗舰手机 Galaxy S20 系列机型，包括 S20/ S20+/ S20 Ultra 三款新机。",
    "此次发布的三款 S20 系列手机配置十分出色，处理器采用高通骁龙 865 与三星自研 Exynos 990 两种方案，其中中国、北美、"
    "日本所销售的版本将搭载骁龙 865，欧洲、韩国等地区则搭载 Exynos 990，5G 将作为 Galaxy S20 系列机型的重要卖点之一，"
    "但 S20/S20+ 在部分地区仍有 4G LTE 版本进行销售。",
    "除此之外，Galaxy S20 全系将配备 2K 分辨率（均为 3200×1440）、120Hz 刷新率三星 AMOLED 屏幕，支持 HDR10+。"
    "但美中不足的是 120Hz 刷新率只能在 1080P 分辨率下运行，2K 分辨率下最高只支持 60Hz 刷新率。",
    "Galaxy S20 的屏幕尺寸为 6.2 英寸，重量只有 163 克，整机尺寸为 69.1×151.7×7.9mm，非常适合单手握持。",
    "尺寸居中的 Galaxy S20+ 屏幕尺寸为 6.7 英寸，整机尺寸为 161.9×73.7×7.8mm，重量为 186 克，后置采用 1200 万主摄 "
    "+6400 万长焦 +1200 万广角 +ToF 镜头的四摄方案，支持 3 倍光学变焦与 30 倍数码变焦，支持 8K/30FPS、4K/60FPS 的"
    "视频录制，前置 1000 万像素摄像头，电池容量为 4500mAh，支持 25W 快充。",
    "配置规格最高的 Galaxy S20 Ultra 也是三款中屏幕最大的，为 6.9 英寸，整机尺寸为 166.9×76.0×8.8mm，重量不可避免的"
    "来到了 220 克，后置旗舰四摄，具体方案为 1.08 亿像素主摄 +4800 万潜望式长焦 +1200 万广角 +ToF 镜头，支持 10 倍"
    "光学变焦与 100 倍数码变焦，支持 8K/30FPS、4K/60FPS 的视频录制与 1080P/240FPS、720P/960FPS 的慢动作升格视频拍摄。",
    "此外，Galaxy S20 全系均将配备 LPDDR5 内存，最高支持 1TB 的拓展存储，支持 15W 无线快充、反向充电功能。",
    "价格方面，Galaxy S20 4G 版售价 899 美元，约合人民币 6300 元；",
    "除 Galaxy S20 系列手机外，「翻盖式」折叠屏手机 Galaxy Z Flip 也一并发布，折叠部分采用了先进而复杂的铰链工艺制程。",
]


def _nested(depth: int, inner: str) -> str:
    return "<div>\n" * depth + inner + "\n</div>" * depth


def test_a_body_written_in_sections_is_found_when_trafilatura_keeps_none_of_it():
    """WeChat (GNE tests/wechat, reduced to what makes it fail): every paragraph a
    <section><span>…</span></section>, the profile card's <p> rows before it,
    short <p> toasts and prompts after it. trafilatura keeps none of the body
    and the density fallback counted only <p>, <br> parents and childless
    <div>/<td>, so it took the card: no article. Sections holding only inline
    content now count as paragraphs."""
    card = _nested(2, "<p>\n<label>微信号</label>\n<span>FViewXFG</span>\n</p>\n"
                      "<p>\n<label>功能介绍</label>\n<span>聚焦「手机互联网」领域的行业思考和产品体验</span>\n</p>")
    body = "".join(f"<section><span>{p}</span></section>" for p in WECHAT_SECTIONS)
    html = ("<html><head><title>三星 Galaxy S20 系列手机正式发布</title></head><body>\n"
            "<div>\n" * 5 + "<h2>\n三星 Galaxy S20 系列手机正式发布\n</h2>\n"
            f"<div>\n<span>\n{card}\n</span>\n</div>\n<div>\n{body}"
            "<p><span>信息来源于网络</span></p><p><span>经过文刃重新编排</span></p>\n</div>\n</div>\n"
            + _nested(4, "<p>\n<span>前往“发现”-“看一看”浏览“朋友在看”</span>\n</p>") + "\n"
            + _nested(2, "<p>已发送</p>") + "\n" + _nested(2, "<p>发送中</p>") + "\n</div>\n</div>\n"
            + _nested(3, "<p>微信扫一扫<br>关注该公众号</p>") + "\n</div>\n</div>\n"
            + "<div>" + _nested(6, "<p>已留言</p>") + "\n</div></body></html>")
    record = one(html.encode("utf-8"), url="http://unknown.example/s")
    assert record.text.splitlines()[:len(WECHAT_SECTIONS)] == WECHAT_SECTIONS
    assert "微信号" not in record.text


def test_a_line_ending_in_a_photo_agencys_credit_under_an_image_is_a_caption():
    """thepaper's v3 template (GNE tests/thepaper/1): a grey <span> after the image,
    not centred, closing with the agency's credit (视觉中国 资料); it opened the
    text, and the info line's 石佳/中国青年报 and 字号 stayed above it."""
    content = ("<div style='text-align:center;'><img src='a.jpg' width='600'></div>"
               "<span style='color: rgb(128, 128, 128);'>共享充电宝。视觉中国 资料</span><br>"
               "<div class='contheight'></div>" + BODY)
    before = ("<h1 class='news_title'>共享充电宝涨价告别1元时代</h1><div class='news_about'><p>石佳/中国青年报</p>"
              "<p>2019-09-24 09:10<span> </span></p><div class='font_size'><span>字号</span></div></div>")
    record = one(page(content, head="<title>共享充电宝涨价告别1元时代_澎湃新闻</title>", before=before))
    assert record.captions == ["共享充电宝。视觉中国 资料"]
    assert record.text.startswith("会议第0次指出"), record.text[:40]


def test_a_list_of_story_teasers_after_a_short_article_is_no_part_of_it():
    """A 你可能還想看 feed (yahoo HK): list items each holding a linked headline
    and the other story's summary; the summaries are longer than a short news
    flash and would be read as its paragraphs."""
    summary = ("近日日元低位徘徊，自然吸引不少港人兑换日元储定弹药去日本旅行。我们今日就比较多间外币找换店"
               "及各大银行的兑换价，以及列出多间找换店、银行及信用卡发卡机构的汇价连结，等大家做足准备！")
    teasers = "".join(f"<li><div class='img'><img src='/t{i}.jpg'></div><div><span>财经新闻</span>"
                      f"<h4><a href='/news/{i}.html'>另一篇文章的标题第{i}篇</a></h4><p>{summary * 2}</p></div></li>"
                      for i in range(4))
    content = ("<p>路透月度调查显示，日本企业信心5月保持稳定，但制造业及服务业反映，日圆疲弱带来的通胀压力正损害利润。"
               "调查显示，5月制造业景气判断指数维持于正9，未来3个月预计略有改善。</p>")
    body = page(content, before="<h1>日本企业5月信心保持稳定</h1><div class='meta'>2024-05-22 08:21</div>")
    body = body.replace(b"</body>", f"<div class='stream'><h2>你可能还想看</h2><ul>{teasers}</ul></div></body>"
                        .encode("utf-8"))
    record = one(body)
    assert record.text.startswith("路透月度调查显示") and "港人" not in record.text


def test_a_one_paragraph_flash_does_not_open_with_its_info_line():
    """A news flash of one paragraph: trafilatura's fallback flattens the
    article container (provider, headline, 阅读整篇文章 button, byline, date);
    the text is the paragraph."""
    before = ("<article><header><span>香港电台-财经</span><h1>日本企业5月信心保持稳定</h1></header>"
              "<button>阅读整篇文章</button><div><span>香港电台-财经</span>"
              "<time datetime='2024-05-22T00:21:04Z'>2024年5月22日週三 上午8:21</time></div>"
              "<div class='caas-body'><p>路透月度调查显示，日本企业信心5月保持稳定，但制造业及服务业反映，"
              "日圆疲弱带来的通胀压力正损害利润，企业面对原材料价格、劳动力及电费等成本上升。调查显示，"
              "5月制造业景气判断指数维持于正9，未来3个月预计略有改善。</p></div></article>")
    record = one(page("", before=before))
    assert record.text.startswith("路透月度调查显示")


def test_a_reposts_original_headline_note_opening_the_text_is_no_part_of_it():
    """163.com (GNE tests/163/2-5) and sina (tests/sina/1): a repost opens with
    （原标题：…） or 原标题：…, the headline it first ran under. Only the
    text's opening line is read so: prose quoting an original headline, or a
    note further down (the money.163 pages' silver text keeps it), stays."""
    for note in ("（原标题：5G手机芯片江湖：玩家减少、五强争霸 成本、续航两大难题待解）",
                 "原标题：视界丨这个中国人习以为常的地方 为何老外却说“了不得”？"):
        record = one(page(f"<p>{note}</p>" + BODY))
        assert "原标题" not in record.text and record.text.startswith("会议第0次指出")
    prose = "<p>该报道的原标题：《一座城的坚守》，后经编辑部修改，在全网引发讨论，阅读量超过百万次。</p>"
    assert "原标题：《一座城的坚守》" in one(page(BODY + prose)).text
    later = "<p>原标题：[亦观察]No.550 埃洛普离职</p>"
    assert "原标题：[亦观察]No.550 埃洛普离职" in one(page(BODY[:300] + later + BODY[300:])).text


def test_a_photo_credit_centred_by_its_class_under_an_image_is_a_caption():
    """163.com (GNE tests/163/3): <p class="f_center"><img></p> and, under it,
    <p class="f_center"><span>图片来源：未来科学大奖官网</span></p>."""
    figure = ("<p class='f_center'><img src='a.png'></p><p class='f_center'>"
              "<span style='text-align: justify;'>图片来源：未来科学大奖官网</span></p>")
    record = one(page(BODY[:300] + figure + BODY[300:]))
    assert record.captions == ["图片来源：未来科学大奖官网"] and "图片来源" not in record.text


def test_a_line_ending_in_a_dash_introduces_the_next_and_is_not_joined_to_it():
    """163.com (GNE tests/163/3): 过去三年有12人获奖，分别是—— over a list
    (生命科学奖：卢煜明…); once the photo between them is taken out, the
    two lines must not be read as one paragraph broken mid-sentence."""
    lines = ["自2016年成立到现在，未来科学大奖已经走过了四个年头，过去三年有12人获奖，分别是——",
             "生命科学奖：卢煜明(2016年)、施一公(2017年)，李家洋、袁隆平、张启发(2018年);"]
    record = one(page(BODY + "".join(f"<p>{x}</p>" for x in lines)))
    assert record.text.splitlines()[-2:] == lines


def test_a_caption_written_after_the_image_in_its_own_centred_paragraph_is_a_caption():
    """163.com (GNE tests/163/4): <p class="f_center"><img>运营商某次活动上展示的5G芯片</p>,
    the caption as bare text after the image. Text beside an image in a
    paragraph that is not centred (an icon before a line) stays."""
    figure = "<p class='f_center'><img src='a.jpg'><!--StartFragment-->运营商某次活动上展示的5G芯片<!--EndFragment--></p>"
    record = one(page(BODY[:300] + figure + BODY[300:]))
    assert record.captions == ["运营商某次活动上展示的5G芯片"] and "运营商" not in record.text
    icon = "<p><img src='dot.gif'>一、基本情况</p>"
    assert "一、基本情况" in one(page(BODY[:300] + icon + BODY[300:])).text


def test_a_block_under_an_image_naming_its_origin_first_is_a_caption():
    """163.com (GNE tests/163/5): <p>▲图片来自视频截图。</p> under the image,
    not centred. A paragraph opening with ▲ as a bullet stays."""
    figure = "<p class='f_center'><img src='a.png'></p><p>▲图片来自视频截图。</p>"
    record = one(page(BODY[:300] + figure + BODY[300:]))
    assert record.captions == ["▲图片来自视频截图。"] and "截图" not in record.text
    record = one(page(BODY[:300] + "<p><img src='b.png'></p><p>图片来源：摄图网</p>" + BODY[300:]))
    assert record.captions == ["图片来源：摄图网"]
    bullet = "▲加强组织领导。各地要成立工作专班，明确责任分工，细化工作措施，确保各项任务落到实处，按时完成。"
    record = one(page(BODY[:300] + f"<p><img src='c.png'></p><p>{bullet}</p>" + BODY[300:]))
    assert bullet in record.text


def test_a_box_of_links_to_other_stories_inside_the_text_goes_with_its_summary():
    """163.com (GNE tests/163/5): a 延伸 · 推荐 box inside the text container,
    a linked title and that story's summary; trafilatura dropped the heading
    and the link but kept the summary. Prose after a heading-like line stays."""
    box = ("<div class='special_tag_wrap'><div class='special_tag special_tag_tj'><div class='special_tag_ttl'>"
           "延伸 · 推荐</div><div class='special_tag_cnt'><p><a href='https://news.example/19/0907/a.html'>"
           "女警一天打100电话被停机 电信:核实非诈骗后恢复</a></p><p>近日，四川江油一社区女民警在开展辖区"
           "“实有人口”核查工作时，平均日拨100余个电话，被停机。目前已恢复通话。</p></div></div></div>")
    record = one(page(BODY + box))
    assert "社区女民警" not in record.text and record.text.splitlines()[-1].endswith("要压实责任。")
    section = ("<div><h3>相关新闻</h3><p>本报记者从会上获悉，全市已建成各类便民服务站点120个，覆盖所有街道和"
               "社区，群众办事不出社区即可完成。</p></div>")
    assert "便民服务站点" in one(page(BODY + section)).text   # no link: not a box of links


def test_a_sidebars_recommended_news_heading_and_a_reporting_line_after_the_text_go():
    """sina (GNE tests/sina/1): trafilatura ends the text with the right
    column's 推荐新闻 heading and the footer's 违法和不良信息举报电话：… line."""
    record = one(page(BODY + "<h3>推荐新闻</h3><p>违法和不良信息举报电话：010-62675637</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")
    record = one(page(BODY + "<p>违法和不良信息举报电话：010-62675637</p>"))
    assert record.text.splitlines()[-1].endswith("要压实责任。")
    prose = "<p>中央网信办违法和不良信息举报中心表示，将持续开展专项整治，欢迎广大网民积极举报。</p>"
    assert "欢迎广大网民积极举报" in one(page(BODY + prose)).text


def test_a_related_storys_title_ending_in_a_time_word_gives_no_date():
    """sina finance (GNE tests/sina/2): a short article, so the 600 characters
    read after the headline reach a 热门推荐 card: 海尔4名员工午休被开除
    员工：只有30分钟午餐时间 2019年09月06日 09:38. The title's last word 时间
    is no 时间 label: the date is the page's own (its <meta>'s day, at the time
    the info line prints for it)."""
    before = "<h1>60万12306账号外泄? 中铁总辟谣称消息不实</h1><div class='date-source'><span>2018年12月28日 19:55</span></div>"
    head = ("<title>测试标题_测试网</title>"
            "<meta property='article:published_time' content='2018-12-28T19:56:29+08:00'>")
    card = "<div><h4>海尔4名员工午休被开除 员工：只有30分钟午餐时间</h4><ul><li>2019年09月06日</li><li>09:38</li></ul></div>"
    record = one(page(BODY[:240] + "</div>" + card + "<div>", head=head, before=before))
    assert record.published.isoformat() == "2018-12-28T19:55:00+08:00"


def test_nothing_is_joined_to_a_news_lead_and_its_reporter_is_read():
    """sina finance (GNE tests/sina/2): a promotion box above the text ends
    without punctuation (…Pick你心目中的商业领袖); it was joined to the lead
    新京报快讯（记者 裴剑飞）…, which then no longer opened a paragraph, and the
    reporter was lost."""
    promo = ("<div class='new_style_article'><p>“只有潮水退了才知道谁在裸泳”，一张榜单尽显中国经济的“大事”与“大势”！"
             "“2018十大经济年度人物评选”火热进行中！【<a href='http://x.example/vote'>点击投票</a>】"
             "Pick你心目中的商业领袖</p></div>")
    lead = "<p>新京报快讯（记者 裴剑飞）今日（12月28日）有网友爆料，有60万个“12306账号”在暗网低价出售。</p>"
    record = one(page(promo + lead + BODY))
    assert any(line.startswith("新京报快讯（记者 裴剑飞）") for line in record.text.splitlines())
    assert (record.source, record.authors) == ("新京报", ["裴剑飞"])


def test_a_lead_naming_the_headline_is_not_cut_at_a_summary_repeating_its_sentence():
    """The lead paragraph often repeats the headline (3月23日，全省安全生产工作会议召开。…);
    a summary box above the text repeating the lead's last sentence is a <p> of
    the page found in that paragraph after the headline: the paragraph is no
    flattened container and keeps its first sentence."""
    before = ("<h1>全省安全生产工作会议召开</h1><div class='info'>发布时间：2022-03-23 09:00 来源：河北日报</div>"
              "<div class='zy'><p>会议强调，要坚决守住安全生产底线。</p></div>")
    content = ("<p>3月23日，全省安全生产工作会议召开。会议强调，要坚决守住安全生产底线。</p>"
               "<p>会议指出，今年以来，全省安全生产形势总体平稳，各地各部门认真落实安全生产责任制，重点行业领域专项整治取得明显成效。</p>"
               "<p>会议要求，各级各部门要进一步压实责任，深入开展隐患排查治理，坚决防范遏制重特大事故发生，为经济社会发展营造良好环境。</p>")
    record = one(page(content, before=before))
    assert "3月23日，全省安全生产工作会议召开。会议强调" in record.text


def test_a_sites_qr_codes_for_its_accounts_are_no_part_of_the_text():
    """河北新闻网: a list hidden on desktops after the article, each item a QR
    code over an account's name (河北日报<br>微信公众号)."""
    badges = "".join(f"<li><img src='q{i}.jpg'><p>{name}<br>{kind}</p></li>" for i, (name, kind) in
                     enumerate([("河北日报", "微信公众号"), ("纵览新闻", "微信公众号"), ("河北日报", "客户端")]))
    record = one(page(BODY + f"<ul class='am-weixin'>{badges}</ul>", before="<h1>测试标题</h1>"))
    assert record.text.splitlines()[-1].startswith("会议第11次指出"), record.text[-80:]
    # an article's own list of accounts, each with its logo, stays
    accounts = "".join(f"<li><img src='/i{i}.png'>{name}</li>" for i, name in
                       enumerate(["上海发布微信公众号", "平安北京官方微博", "中国政府网客户端"]))
    record = one(page(BODY + f"<p>获评优秀政务新媒体的账号如下：</p><ul>{accounts}</ul>",
                      before="<h1>测试标题</h1>"))
    assert "中国政府网客户端" in record.text


def test_a_date_in_a_bulletins_headline_stays_in_its_title():
    record = one(page(BODY, before="<h1>全市空气质量日报<span>（2024-05-16）</span></h1>"
                                   "<div>发布时间：2024-05-17 08:00</div>"))
    assert record.title == "全市空气质量日报（2024-05-16）"


def test_a_wechat_articles_time_comes_from_its_script_not_its_text():
    """WeChat prints 昨天 or fills the date in by script from ``var ct``; the
    text's own dates (2019年12月…) are not its publication time."""
    from pipelines.extract import extract_articles
    html = ("<html><head><meta charset='utf-8'><title>三星发布新机</title></head><body>"
            "<h1 class='rich_media_title'>三星发布新机</h1><div id='meta_content'>"
            "<a id='js_name'>爱否科技</a><em id='publish_time'></em></div><div id='js_content'>"
            "<p>2019年12月，三星曾预告新机将于次年发布。</p>" + BODY + "</div>"
            "<script>var publish_time = \"2020-02-12\" || \"\";\nvar ct = \"1581517074\";</script>"
            "</body></html>").encode("utf-8")
    [record] = extract_articles(html, "utf-8", "https://mp.weixin.qq.com/s?__biz=MzA&mid=1")
    assert record.published.isoformat() == "2020-02-12T22:17:54+08:00"
    assert record.published_rule == "script"


def test_a_headline_in_a_tit_classed_div_gives_its_info_lines_time():
    """kjt.yn.gov.cn: the headline in <div class="contt_tit">, the info line's
    time (14:59:48) under it, a <meta> PubDate of a few seconds later."""
    record = one(page(BODY, head="<title>第六届人才交流会将于11月12日开幕_云南省科技厅</title>"
                      "<meta name='PubDate' content='2022-11-14 15:00:04'>",
                      before="<div class='contt_tit'>第六届人才交流会将于11月12日开幕</div>"
                             "<div class='wzfrom'>来源：宣教中心&nbsp;&nbsp; 2022-11-14 14:59:48 【字体：大 中 小】</div>"))
    assert record.title == "第六届人才交流会将于11月12日开幕"
    assert record.published.isoformat() == "2022-11-14T14:59:48+08:00"
