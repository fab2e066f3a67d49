"""Government notices. A 公示 or 通知 whose text is a sentence or two,
or only its attachments, is still a publication of the site: it is archived
when a headline and a date of its own (info line, meta, URL, site XPath) say
it is one; the same lines without them are no article. A disclosure table's
labels and rows are no text; a notice's own 主办单位 lines are, the site
footer's are not."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_articles

URL = "http://kjt.hebei.gov.test/tzgg/202405/t20240517_1182.html"
HEAD = "<html><head><meta charset='utf-8'><title>{title}_河北省科学技术厅</title></head><body>"
NAV = ("<div class='nav'><a href='/'>首页</a> &gt; <a href='/tzgg/'>通知公告</a></div>"
       "<ul class='menu'><li><a href='/xwzx/'>新闻中心</a></li><li><a href='/zwgk/'>政务公开</a></li></ul>")
FOOT = ("<div class='bottom'><p>版权所有：河北省科学技术厅</p><p>冀ICP备05007543号</p>"
        "<p><a href='/wzdt/'>网站地图</a> <a href='/lxwm/'>联系我们</a></p></div></body></html>")
INFO = "<div class='info'>发布时间：2024-05-17 09:30　来源：计划处　【字体：大 中 小】　【打印】</div>"


def _page(title: str, body: str, info: str = INFO) -> bytes:
    return (HEAD.format(title=title) + NAV + f"<h1>{title}</h1>" + info
            + f"<div id='zoom'>{body}</div>" + FOOT).encode("utf-8")


def test_a_notice_that_is_only_its_attachment_is_archived():
    title = "关于2024年度省级科技计划项目拟立项名单的公示"
    body = "<p>附件：<a href='/files/P020240517.xlsx'>2024年度省级科技计划项目拟立项名单.xlsx</a></p>"
    [record] = extract_articles(_page(title, body), "utf-8", URL)
    assert record.title == title
    assert record.text == "附件：2024年度省级科技计划项目拟立项名单.xlsx"
    assert record.published.isoformat() == "2024-05-17T09:30:00+08:00"
    assert record.source == "计划处"


def test_an_attachment_link_without_an_extension_and_a_sentence_make_a_notice():
    title = "关于公布第二批历史建筑名录的通知"
    body = ("<p>各县（市、区）人民政府：现将第二批历史建筑名录予以公布，请遵照执行。</p>"
            "<p>附件1：<a href='/files/P020230913.pdf'>第二批历史建筑名录</a></p>"
            "<p>附件2：<a href='/files/P020230914.docx'>历史建筑保护要求</a></p>")
    [record] = extract_articles(_page(title, body), "utf-8", URL)
    assert record.text.splitlines() == [
        "各县（市、区）人民政府：现将第二批历史建筑名录予以公布，请遵照执行。",
        "附件1：第二批历史建筑名录", "附件2：历史建筑保护要求"]


def test_a_one_sentence_notice_is_archived():
    title = "关于调整办公时间的通知"
    body = "<p>自2024年5月20日起，我厅夏季办公时间调整为上午8:30至12:00。</p>"
    [record] = extract_articles(_page(title, body), "utf-8", URL)
    assert record.text == "自2024年5月20日起，我厅夏季办公时间调整为上午8:30至12:00。"


def test_without_a_date_of_its_own_or_with_only_links_it_is_no_article():
    title = "关于2024年度省级科技计划项目拟立项名单的公示"
    body = "<p>附件：<a href='/files/P020240517.xlsx'>2024年度省级科技计划项目拟立项名单.xlsx</a></p>"
    undated = URL.replace("202405/t20240517_1182", "tz1182")
    assert extract_articles(_page(title, body, info="<div class='info'>来源：计划处</div>"),
                            "utf-8", undated) == []
    # a dated page whose body is links to other pages, or a bare download button
    links = "<p><a href='/tzgg/1.html'>更多通知</a></p><p><a href='/files/a.pdf'>下载</a></p>"
    assert extract_articles(_page(title, links), "utf-8", URL) == []
    # a dated page with a sentence too short to be a notice
    assert extract_articles(_page(title, "<p>详见附件。</p>"), "utf-8", URL) == []


def _lines(body: bytes) -> list[str]:
    [record] = extract_articles(body, "utf-8", URL)
    return record.text.splitlines()


NOTICE = ("<p>各省、自治区、直辖市教育厅（教委），部属各高等学校党委：</p>"
          "<p>为深入贯彻落实党的二十大精神，教育部决定举办2024年高校宣传教育活动。现将有关事宜通知如下。</p>"
          "<p><strong>一、组织单位</strong></p><p>主办单位：教育部思想政治工作司</p>"
          "<p>承办单位：教育部宣传教育中心、上海交通大学</p><p><strong>二、活动内容</strong></p>"
          "<p>各地各高校要结合实际，组织开展主题鲜明、形式多样的宣传教育活动，确保取得实效。</p>")


def test_a_disclosure_tables_other_labels_and_its_header_row_are_no_text():
    # moe.gov.cn's TRS table above the headline, inside the extracted part
    moe = ("<table><tr><td>信息名称：</td><td>教育部办公厅关于举办宣传教育活动的通知</td></tr>"
           "<tr><td>信息索引：</td><td>360A12-07-2024-0008-1</td><td>生成日期：</td><td>2024-06-04</td>"
           "<td>发文机构：</td><td>教育部办公厅</td></tr><tr><td>发文字号：</td><td>教思政厅函〔2024〕10号</td>"
           "<td>信息类别：</td><td>高等教育</td></tr><tr><td>内容概述：</td>"
           "<td>教育部办公厅关于举办宣传教育活动的通知</td></tr></table>")
    lines = _lines(_page("教育部办公厅关于举办宣传教育活动的通知", moe + NOTICE))
    assert lines[0] == "各省、自治区、直辖市教育厅（教委），部属各高等学校党委：", lines[:3]
    # wsjkw.sh.gov.cn: a header row of labels over a row of values
    sh = ("<table><tr><th>索取号</th><th>发布时间</th><th>发布机构</th><th>文件编号</th><th>备注</th></tr>"
          "<tr><td>076478684Q/2024-00112</td><td></td><td>上海市卫生健康委员会</td>"
          "<td>沪卫基层〔2024〕5号</td><td></td></tr></table>")
    lines = _lines(_page("关于开展主题宣传活动的通知", sh + NOTICE))
    assert lines[0] == "各省、自治区、直辖市教育厅（教委），部属各高等学校党委：", lines[:3]


def test_a_notices_own_organisers_stay_and_the_sites_footer_goes():
    lines = _lines(_page("教育部办公厅关于举办宣传教育活动的通知", NOTICE + "<p>主办单位：教育部办公厅</p>"
                         "<p>技术支持：教育部教育管理信息中心</p>"))
    assert "主办单位：教育部思想政治工作司" in lines
    assert "承办单位：教育部宣传教育中心、上海交通大学" in lines
    assert lines[-1].startswith("各地各高校要结合实际")


def test_every_attachment_of_a_list_stays():
    # moe.gov.cn: trafilatura's link-density test dropped the second of three
    files = "".join(
        f"<p>　　{'附件：' if n == 1 else '　　　'}{n}.<a href='./W02024061355666{n}.docx'>{name}</a></p>"
        for n, name in [(1, "知识竞答工作要求"), (2, "数字微展览、工作案例、视频微课等作品报送要求"),
                        (3, "2024年高校宣传教育活动成果征集表")])
    body = (NOTICE + "<p>　　<strong>七、联系方式</strong></p><p>　　上海交通大学：021-34206231</p>"
            "<p>　　教育部思想政治工作司：010-66096689</p>" + files
            + "<p align='right'>教育部办公厅</p><p align='right'>2024年5月30日</p>")
    lines = _lines(_page("教育部办公厅关于举办宣传教育活动的通知", body))
    assert lines[-5:] == ["附件：1.知识竞答工作要求", "2.数字微展览、工作案例、视频微课等作品报送要求",
                          "3.2024年高校宣传教育活动成果征集表", "教育部办公厅", "2024年5月30日"]


# --- what is no notice (a review of the rules above) --------------------------

ITEMS = "".join(f"<li><a href='/files/P02024051{i}.pdf'>关于第{i}批项目的公示</a></li>" for i in range(3))
FORMS = "".join(f"<li><a href='/files/bg{i}.doc'>失业保险金申领登记表{i}</a></li>" for i in range(12))


@pytest.mark.parametrize("title, body", [
    # a column's list page under the column's name (the breadcrumb's link), items linking to PDFs
    ("通知公告", f"<ul class='list'>{ITEMS}</ul>"),
    # a download list with an introduction
    ("表格下载", "<p>温馨提示：以下表格供办事群众下载使用，如有疑问请拨打咨询电话12333。</p>"
                 f"<ul>{FORMS}</ul>"),
    # what a page says in place of its content
    ("市长调研重点项目", "<p>您的浏览器不支持video标签。</p>"),
    ("关于调整办公时间的通知", "<p>该信息已过期，请访问其他页面。</p>"),
    # a sentence or two under a headline that names no notice
    ("市长调研重点项目", "<p>市长一行调研了重点项目建设。</p>"),
])
def test_list_pages_placeholders_and_stubs_are_no_notice(title, body):
    assert extract_articles(_page(title, body), "utf-8", URL) == []


def test_download_buttons_and_a_side_box_of_downloads_are_no_text():
    buttons = "".join(f"<p><a href='/files/x{i}.pdf'>{t}</a></p>"
                      for i, t in enumerate(["下载本版PDF", "查看原件", "打印版", "English"]))
    side = ("<div class='side'><h3>热点下载</h3><p><a href='/files/a.docx'>2024年度申报指南</a></p>"
            "<p><a href='/files/b.xlsx'>项目汇总表</a></p></div>")
    for extra in (buttons, side):
        lines = _lines(_page("关于开展主题宣传活动的通知", NOTICE + extra))
        assert lines[-1].startswith("各地各高校要结合实际"), lines[-3:]


def test_a_footers_organiser_line_goes_before_its_address_and_a_closing_sentence_stays():
    footer = ("<p>主办单位：某某市人民政府办公室</p><p>地址：某某市建设大街1号，邮编：050000，电话：0311-87654321</p>"
              "<p>温馨提示：为获得更好的浏览效果，建议使用1366×768分辨率，IE10以上版本浏览器。</p>")
    lines = _lines(_page("关于开展主题宣传活动的通知", NOTICE + footer))
    assert "主办单位：某某市人民政府办公室" not in lines and not any("浏览器" in line for line in lines)
    closing = NOTICE + "<p>市科技局将持续为企业提供技术支持。</p>"
    assert _lines(_page("关于开展主题宣传活动的通知", closing))[-1] == "市科技局将持续为企业提供技术支持。"


# News briefs: two sentences or more under a dated headline, though under 80 characters.
BRIEF = "<p>第一财经记者从保监会相关人士处确认，今天下午保监会召开会议，具体内容尚未透露。</p><p>不过，会议或与险资配置有关。</p>"


def test_a_news_brief_under_a_dated_headline_is_archived():
    records = extract_articles(_page("保监会也就股市开会了", BRIEF), "utf-8", URL)
    assert [r.text.splitlines() for r in records] == [[
        "第一财经记者从保监会相关人士处确认，今天下午保监会召开会议，具体内容尚未透露。", "不过，会议或与险资配置有关。"]]


def test_no_brief_from_a_sidebar_a_column_page_or_a_block_page():
    """Found in review: a photo-only article with a sidebar's two sentences, a
    column's name over its items (the first item's time under it, no info
    label) and a blurb, and a firewall's block page at a dated URL."""
    photos = (HEAD.format(title="县长带队督导防汛工作") + NAV + "<div class='main'><div class='article'><h1>县长带队"
              "督导防汛工作</h1>" + INFO + "<div class='content'><p><img src='/i/1.jpg'></p><p><img src='/i/2.jpg'>"
              "</p></div></div></div><div class='side'><div class='xx'><p>您好！欢迎给县长写信。我们将认真对待您"
              "反映的每一个问题，并在十五个工作日内予以答复。</p><p><a href='/hdjl/'>我要写信</a></p></div></div>"
              + FOOT + "</body></html>")
    assert extract_articles(photos.encode(), "utf-8", URL) == []
    items = "".join(f"<li><a href='/xzdt/202405/t2024051{7 - i}_{i}.html'>{t}</a><span>2024-05-1{7 - i} 09:30</span>"
                    f"</li>" for i, t in enumerate(["城关镇开展防汛应急演练", "河西乡召开人居环境整治推进会"]))
    column = (HEAD.format(title="乡镇动态") + "<div class='location'>当前位置：<a href='/'>首页</a> &gt; 乡镇动态</div>"
              f"<h2>乡镇动态</h2><ul class='list'>{items}</ul><div class='lmjj'><p>本栏目发布全县各乡镇的重要工作"
              "动态。欢迎各乡镇积极报送信息，共同展示基层工作成效。</p></div></body></html>")
    assert extract_articles(column.encode(), "utf-8", "http://x.gov.test/xwzx/xzdt/index.html") == []
    block = ("<html><head><title>网站防火墙</title></head><body><div class='box'><h1>您的请求带有不合法参数，已被"
             "网站管理员设置拦截！</h1><p>可能原因：您提交的内容包含危险的攻击请求。如何解决：检查提交内容。</p>"
             "</div></body></html>")
    assert extract_articles(block.encode(), "utf-8", URL) == []


def test_a_table_or_glossary_under_a_ranking_or_keyword_heading_stays():
    """Found in review: 人气排行榜 over a table of figures, 关键词阅读 over
    definitions, are the article's (over a list of links they end it)."""
    body = "".join(f"<p>会议第{i}次指出，要加强组织领导，切实做好第{i}项工作。会议强调，要压实责任。</p>" for i in range(3))
    rows = "".join(f"<tr><td>{i}</td><td>景区{i}</td><td>{i}.3万人次</td></tr>" for i in range(1, 7))
    record = extract_articles(_page("假期文旅市场平稳有序", body + f"<p><strong>人气排行榜</strong></p><table>{rows}"
                                    "</table><p>数据来源：市文化和旅游大数据监测平台</p>"), "utf-8", URL)[0]
    assert "人气排行榜" in record.text and "景区6" in record.text and "数据来源" in record.text
    record = extract_articles(_page("解读设备更新实施方案", body + "<p><strong>关键词阅读</strong></p><p>设备更新：以"
                                    "先进设备替换老旧设备。</p><p>以旧换新：旧商品折价换购新商品。</p>"), "utf-8", URL)[0]
    assert record.text.splitlines()[-1] == "以旧换新：旧商品折价换购新商品。"
