"""Extraction rules on small pages, bad input, non-article pages, generic rules
on an unknown site, the purity of the package and the `scrapy extract` command."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.sites import load_sites, site_for_url
from pipelines.extract import ExtractionError, extract_articles, resolve
from pipelines.extract.core import MAX_BODY

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
BODY = "".join(f"<p>会议第{i}次指出，要加强组织领导，切实做好第{i}项工作。会议强调，要压实责任。</p>"
               for i in range(12))


def page(content: str, head: str = "<title>测试标题_测试网</title>", before: str = "") -> bytes:
    return (f"<html><head><meta charset='utf-8'>{head}</head><body>{before}"
            f"<div class='content'>{content}</div></body></html>").encode("utf-8")


def one(body: bytes, url: str = "http://unknown.example/a/b.html", site=None):
    records = extract_articles(body, "utf-8", url, site)
    assert len(records) == 1
    return records[0]


def manifest() -> dict:
    return json.loads((CORPUS / "manifest.json").read_text("utf-8"))


# --- purity ------------------------------------------------------------------

def test_importing_pipelines_extract_does_not_import_scrapy():
    code = ("import sys, pipelines.extract, pipelines.extract.core; "
            "bad = [m for m in sys.modules if m == 'scrapy' or m.startswith('scrapy.')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- cleanup rules -----------------------------------------------------------

@pytest.mark.parametrize("junk", [
    "1.本网（张家口新闻网）稿件下“稿件来源”项标注为“张家口新闻网”的，其网络版权均属张家口新闻网所有，未经本网协议授权，不得转载。",
    "版权声明：本文由长白资讯网转载发布，如需删除请联系。",
    "责任编辑：赵石乐", "扫描二维码推送至手机访问。", "分享到：微信 微博", "【字体：大 中 小】",
    "【打印】【关闭】", "上一篇：没有了", "相关链接", "文章分类：邯郸要闻", "友情链接 服务便民版块",
    "浏览次数：1208", "冀ICP备05001234号 冀公网安备 13010402000123号", "网站标识码：1300000001",
    "版权所有：河北省人民政府办公厅",
    "文脉颂中华·书院@家国 人民网文化频道与媒体团一同实地走访六大书院，深入挖掘书院文化。 【详细】",
    # Discuz! X's footer, a tip line, a weather widget
    "Powered by Discuz! X3.4", "GMT+8, 2026-12-1 22:41, Processed in 0.052143 second(s), 19 queries .",
    "报料热线：0319-2201234", "邢台天气：晴 -3℃~8℃",
    # a repost's placeholder credit and a WeChat follow prompt (GNE tests/wechat)
    "信息来源于网络", "内容来源于网络，如有侵权请联系删除", "关注该公众号",
    # thepaper's tag row (GNE tests/thepaper/5), also when longer than a short line
    "关键词 >> 新型冠状病毒,新冠病毒,味觉嗅觉丧失,预测指标,澎湃",
    "关键词 >> " + ",".join(f"关键词{i}" for i in range(12)),
    # a reposted article's closing credits, labels and names set apart by spaces (GNE tests/163/7)
    "编辑 刘晓阳 校对 李铭", "责编 王小明",
    # a topic-page link and a QR box's heading after the text (GNE tests/sina/5)
    "点击进入专题：", "新浪新闻公众号",
    # a comment widget's button (湖北日报客户端), a disclosure table's rows (moe.gov.cn, wsjkw.sh.gov.cn)
    "回复", "信息索引： 360A12-07-2024-0008-1 生成日期： 2024-06-04 发文机构： 教育部办公厅",
    "索取号 发布时间 发布机构 文件编号 备注", "076478684Q/2024-00112 上海市卫生健康委员会 沪卫基层〔2024〕5号",
])
def test_boilerplate_line_inside_content_is_dropped(junk):
    record = one(page(BODY.replace("</p>", "</p>" + f"<p>{junk}</p>", 6)))
    assert junk not in record.text
    assert "会议第11次指出" in record.text and "会议第0次指出" in record.text


def test_prose_opening_with_a_credit_label_is_kept():
    prose = "编辑 部门负责人表示，将继续加强审核"
    record = one(page(BODY.replace("</p>", "</p>" + f"<p>{prose}</p>", 6)))
    assert prose in record.text


@pytest.mark.parametrize("prose", ["市民可通过“平安北京”公众号查询办理进度", "点击进入专题页面可查看全部报道。"])
def test_prose_naming_an_account_or_a_topic_page_is_kept(prose):
    record = one(page(BODY.replace("</p>", "</p>" + f"<p>{prose}</p>", 6)))
    assert prose in record.text


def test_a_topic_link_closing_the_text_goes_with_the_topic():
    record = one(page(BODY + "<p>点击进入专题：</p><p><a href='/zt/1.html'>聚焦香港局势</a></p>"))
    assert "点击进入专题" not in record.text and "聚焦香港局势" not in record.text


def test_caption_kept_once_in_captions_not_in_text():
    caption = "3月23日晚，会议在石家庄召开。这是会议现场。 河北日报记者赵威摄"
    figure = (f"<p align='center'><img src='a.jpg'></p><p align='center'>{caption}</p>")
    record = one(page(figure + BODY[:300] + figure + BODY[300:]))
    assert record.captions == [caption]
    assert "赵威摄" not in record.text
    assert record.photographers == ["赵威"]


def test_paragraph_broken_mid_word_is_rejoined():
    broken = ("<p>会议强调，要持续巩固拓展疫情防控成果，分类施策。做好封控区生活必需品供应工</p>"
              "<p>作，切实保障群众就医用药等需求。</p>")
    record = one(page(broken + BODY))
    assert "生活必需品供应工作，切实保障" in record.text.replace("\n", "|")


def test_rows_that_repeat_in_a_listing_article_are_kept():
    """An article listing sights with their prices: rows such as
    成人票原价：60元 come back under several sights and must all stay (they
    were taken for a table of contents or a doubled caption)."""
    sights = [("上海辰山植物园", "60", "37792288"), ("上海朱家角古镇景点联票", "60", "59240077"),
              ("上海海湾国家森林公园", "60", "57169696"), ("上海自然博物馆", "30", "62620116"),
              ("上海东林寺景区", "30", "57314019")]
    rows = "".join(f"<p>{i}、{name}</p><p>成人票原价：{price}元</p><p>儿童票原价：15元</p>"
                   f"<p>游客咨询电话：{phone}</p>" for i, (name, price, phone) in enumerate(sights, 1))
    intro = ("<p>东方网记者5月13日报道：本市62家有关景区（点）开展“中国旅游日”门票半价优惠活动，"
             "包括东方明珠、上海野生动物园等。详见：</p><p>门票半价优惠景点</p>")
    record = one(page(intro + rows + BODY))
    lines = record.text.split("\n")
    assert lines.count("成人票原价：60元") == 3 and lines.count("成人票原价：30元") == 2
    assert lines.count("儿童票原价：15元") == 5
    assert "门票半价优惠景点" in lines


def test_source_in_a_bracketed_closing_credit_has_no_bracket():
    record = one(page(BODY + "<p>2005年8月25日（来源：上海证券报）</p>"))
    assert record.source == "上海证券报"


def test_editor_credit_outside_the_text_and_not_taken_as_author():
    """The editor's credit below the content container (people.com.cn, gmw.cn),
    and <meta name="author"> holding one of its editors, as many CMSs do: every
    editor is read (as printed, 、 between names), and none is an author."""
    head = "<title>测试标题_测试网</title><meta name='author' content='郝帅'>"
    html = page(BODY, head=head).replace(
        b"</body>", "<div class='editor'>(责编：杨煜、郝帅)</div></body>".encode())
    record = one(html)
    assert record.editor == "杨煜、郝帅"
    assert record.authors == []


def test_news_agency_dateline_opens_the_text_and_gives_source_and_reporters():
    """新华社北京5月9日电 题：… and a credit line of its own under it (a
    Xinhua story as reposted): both stay in the text, as the agency prints
    them, and give the source and the reporters."""
    lead = ("<p>新华社北京5月9日电 题：积极因素不断增多 外贸向好态势进一步巩固</p>"
            "<p>新华社记者邹多为、唐诗凝、丁乐</p>")
    record = one(page(lead + BODY))
    assert record.text.startswith("新华社北京5月9日电 题：积极因素不断增多")
    assert record.source == "新华社"
    assert record.authors == ["邹多为", "唐诗凝", "丁乐"]
    inline = one(page("<p>新华社深圳5月12日电（记者戴小河、印朋）我国自主设计建造的“海葵一号”"
                      "12日从青岛启运。</p>" + BODY))
    assert (inline.source, inline.authors) == ("新华社", ["戴小河", "印朋"])


def test_list_page_yields_nothing():
    links = "".join(f"<li><a href='/a/t2022032{i}_{i}.html'>第{i}条新闻标题在这里显示出来</a></li>"
                    for i in range(30))
    assert extract_articles(page(f"<ul>{links}</ul>"), "utf-8", "http://x.example/list.html",
                            None) == []


def test_channel_name_in_h1_is_not_the_title():
    """The h1 holds the channel's name, the headline an h2 (with its subtitle
    in an h3): the element matching <title> is the headline."""
    before = ("<h1>网易商业</h1><div class='nav'><a href='/'>首页</a></div>"
              "<h2>山西品牌丝路行正式启动</h2><h3>成功举办双向经贸投资推介会</h3>")
    record = one(page(BODY, head="<title>山西品牌丝路行正式启动_网易财经</title>", before=before))
    assert record.title == "山西品牌丝路行正式启动"
    assert record.subtitle == "成功举办双向经贸投资推介会"


def test_sidebar_h2_does_not_beat_the_h1_under_a_generic_title():
    """<title> is only the site's name: the h1 stays the headline, not an h2
    that shares a word with the site's name."""
    before = "<h1>压实责任狠抓关键环节</h1><div class='side'><h2>河北要闻</h2></div>"
    record = one(page(BODY, head="<title>河北省人民政府网</title>", before=before))
    assert record.title == "压实责任狠抓关键环节"


def test_title_is_headline_with_kicker_not_title_tag():
    before = ("<div class='head'><p class='yt'>王东峰在会议上强调</p><h1>压实责任狠抓关键环节</h1>"
              "<p class='ft'>王正谱主持</p><div class='info'>发布时间：2022-03-23 23:05 来源：河北日报"
              " 作者：四建磊 吴韬</div></div>")
    record = one(page(BODY, head="<title>王东峰在会议上强调 压实责任狠抓关键环节_河北要闻_河北省人民政府网</title>",
                      before=before))
    assert record.title == "王东峰在会议上强调 压实责任狠抓关键环节"
    assert record.subtitle == "王正谱主持"
    assert (record.source, record.authors) == ("河北日报", ["四建磊", "吴韬"])
    assert record.published.isoformat() == "2022-03-23T23:05:00+08:00"
    assert record.published_rule == "info_line"


@pytest.mark.parametrize("url,meta,info,want,rule", [
    ("http://x.example/a/202203/t20220324_1.html", "", "", "2022-03-24T00:00:00+08:00", "url"),
    ("http://x.example/n/2022-03/24/content_1.htm", "", "", "2022-03-24T00:00:00+08:00", "url"),
    ("http://x.example/a/1.html", "<meta name='PubDate' content='2022-03-25 08:30'>", "",
     "2022-03-25T08:30:00+08:00", "meta"),
    ("http://x.example/a/202203/t20220324_1.html", "<meta name='PubDate' content='2022-03-25 08:30'>",
     "发表时间：2022年3月26日 09:12", "2022-03-26T09:12:00+08:00", "info_line"),
    # a date without a time (meta, URL) takes the time the info line gives that day,
    # unlabelled (people.com.cn, gmw.cn: "2024年05月17日08:59 来源：…")
    ("http://x.example/a/1.html", "<meta name='publishdate' content='2024-05-17'>",
     "2024年05月17日08:59 来源：北京青年报", "2024-05-17T08:59:00+08:00", "meta"),
    ("http://x.example/a/202405/t20240517_1.html", "", "来源：人民日报 2024-05-17 08:49",
     "2024-05-17T08:49:00+08:00", "url"),
    # ... never one of another day
    ("http://x.example/a/1.html", "<meta name='publishdate' content='2024-05-17'>",
     "2024-05-16 08:59", "2024-05-17T00:00:00+08:00", "meta"),
    # a meta time the page does not show (sina: an update's) gives way to the time the
    # info line shows that day; one that agrees to the minute keeps its seconds
    ("http://x.example/a/1.html", "<meta property='article:published_time' content='2024-05-10T05:54:20+08:00'>",
     "2024年05月10日 00:26", "2024-05-10T00:26:00+08:00", "meta"),
    ("http://x.example/a/1.html", "<meta property='article:published_time' content='2024-05-10T00:26:45+08:00'>",
     "2024年05月10日 00:26", "2024-05-10T00:26:45+08:00", "meta"),
    ("http://x.example/a/1.html", "<meta property='article:published_time' content='2024-05-10T05:54:20+08:00'>",
     "2024年05月09日 23:26", "2024-05-10T05:54:20+08:00", "meta"),
    # ... not a time the text opens with, under a headline with no info line
    ("http://x.example/a/1.html", "<meta property='article:published_time' content='2024-05-17T18:20:00+08:00'>",
     "2024年5月17日9时30分，市政府召开常务会议。", "2024-05-17T18:20:00+08:00", "meta"),
])
def test_published_order_of_trust(url, meta, info, want, rule):
    before = f"<h1>测试标题</h1><div class='info'>{info}</div>"
    record = one(page(BODY, head=f"<title>测试标题_网</title>{meta}", before=before), url=url)
    assert (record.published.isoformat(), record.published_rule) == (want, rule)


# --- corpus pages --------------------------------------------------------------

NON_ARTICLES = [r for r in manifest()["responses"]
                if r["kind"] in ("home", "list", "about", "leaders", "search", "error", "junk")]


@pytest.mark.parametrize("r", NON_ARTICLES, ids=[r["url"] for r in NON_ARTICLES])
def test_non_article_corpus_page_yields_nothing(r):
    body = (CORPUS / "pages" / r["file"]).read_bytes()
    encoding = resolve(body, r["headers"].get("Content-Type")).encoding
    site = site_for_url(load_sites(), r["url"])
    start = time.perf_counter()
    assert extract_articles(body, encoding, r["url"], site) == []
    assert time.perf_counter() - start < 5


def test_two_article_page_gives_two_records_with_their_own_headlines():
    url = "http://sjz-epaper.test/html/2022-03/29/node_1.htm"
    body = (CORPUS / "pages" / "sjz-epaper.test/html/2022-03/29/node_1.htm").read_bytes()
    records = extract_articles(body, "utf-8", url, site_for_url(load_sites(), url))
    assert [r.subtitle for r in records] == ["王正谱主持 廉毅敏出席", "张超超主持并讲话"]
    assert records[1].title.startswith("市委常委会召开会议 强化统筹兼顾")
    assert [r.source for r in records] == ["河北日报", "石家庄日报"]


def test_generic_rules_on_unknown_host_match_site_rules():
    path = CORPUS / "pages" / "hebei-gov.test/hbyw/202203/t20220323_2713568.html"
    body = path.read_bytes()
    known = one(body, "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html",
                load_sites()["hebei-gov"])
    unknown = one(body, "http://www.unknown-gov.example/news/t20220323_1.html")
    assert unknown.text == known.text and unknown.title == known.title


# --- bad input -----------------------------------------------------------------

@pytest.mark.parametrize("body", [b"", b"   \n ", b"<html></html>", b"<html><body>hi</body>"])
def test_empty_pages_give_nothing(body):
    assert extract_articles(body, "utf-8", "http://x.example/", None) == []


@pytest.mark.parametrize("body", [b"%PDF-1.4\x00\x01\x02\x03\x04" * 200, bytes(range(256)) * 40])
def test_binary_served_as_html_is_an_error(body):
    with pytest.raises(ExtractionError, match="binary"):
        extract_articles(body, "utf-8", "http://x.example/a.html", None)


def test_over_the_size_limit_is_an_error():
    with pytest.raises(ExtractionError, match="limit"):
        extract_articles(b"<p>" + b"x" * MAX_BODY + b"</p>", "utf-8", "http://x.example/", None)


def test_truncated_page_does_not_crash_and_keeps_what_arrived():
    path = CORPUS / "pages" / "hebei-gov.test/hbyw/202203/t20220323_2713568.html"
    body = path.read_bytes()
    record = one(body[: len(body) * 6 // 10], "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html")
    assert record.text.startswith("河北日报讯")


@pytest.mark.parametrize("depth", [300, 2000, 20000])
def test_deeply_nested_tags_do_not_crash(depth):
    body = ("<html><body>" + "<div>" * depth + BODY + "</div>" * depth + "</body></html>").encode()
    records = extract_articles(body, "utf-8", "http://x.example/a.html", None)
    if depth <= 2000:
        assert len(records) == 1 and "会议第11次指出" in records[0].text
    else:
        assert records == []


# --- scrapy extract --------------------------------------------------------------

def _scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy.cmdline", "extract", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_scrapy_extract_prints_one_json_object_per_article():
    done = _scrapy("--url", "http://sjz-epaper.test/html/2022-03/29/node_1.htm",
                   str(CORPUS / "pages" / "sjz-epaper.test/html/2022-03/29/node_1.htm"))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 2
    assert {"url", "title", "subtitle", "published", "published_rule", "source", "authors",
            "editor", "photographers", "captions", "text"} <= set(records[0])
    assert records[0]["published"] == "2022-03-29T00:00:00+08:00"
    assert (records[0]["encoding"], records[0]["encoding_source"]) == ("utf-8", "meta")


def test_scrapy_extract_reports_errors_with_status_1(tmp_path):
    junk = tmp_path / "binary.html"
    junk.write_bytes(b"\x00\x01\x02\x03" * 1000)
    done = _scrapy("--site", "hebei-gov", str(junk))
    assert done.returncode == 1
    assert "extract/error" in done.stderr and "binary" in done.stderr


def test_scrapy_extract_names_hints_that_match_nothing(tmp_path):
    """A site file's XPath that matches nothing on the page is skipped by
    extraction; `scrapy extract` says so, and is silent about the ones that match."""
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text("utf-8")
    text = text.replace("[extract]", "[extract]\ntitle_xpath = \"//div[@id='DBT']\"", 1)
    (sites / "hebei-gov.toml").write_text(text, "utf-8")
    page_path = CORPUS / "pages" / "hebei-gov.test/hbyw/202203/t20220323_2713568.html"
    done = _scrapy("--site", "hebei-gov", "--sites-dir", str(sites), str(page_path))
    assert done.returncode == 0, done.stderr
    assert "[extract].title_xpath \"//div[@id='DBT']\" of hebei-gov matches nothing" in done.stderr
    assert "content_xpath" not in done.stderr


def test_scrapy_extract_names_hints_that_select_text_or_no_date(tmp_path):
    """A title_xpath giving text (not an element) and a date_xpath whose text
    holds no readable date are not used either: `scrapy extract` says so."""
    sites = tmp_path / "sites"
    sites.mkdir()
    text = (ROOT / "settings" / "sites" / "hebei-gov.toml").read_text("utf-8")
    text = text.replace("date_xpath = \"//div[@class='article-info']\"",
                        "title_xpath = \"normalize-space(//h1)\"\ndate_xpath = \"//title\"", 1)
    assert "//title" in text
    (sites / "hebei-gov.toml").write_text(text, "utf-8")
    page_path = CORPUS / "pages" / "hebei-gov.test/hbyw/202203/t20220323_2713568.html"
    done = _scrapy("--site", "hebei-gov", "--sites-dir", str(sites), str(page_path))
    assert done.returncode == 0, done.stderr
    assert "[extract].title_xpath 'normalize-space(//h1)' of hebei-gov selects text, not an " \
           "element" in done.stderr
    assert "[extract].date_xpath '//title' of hebei-gov matches '" in done.stderr
    assert "in which no date can be read" in done.stderr


ARTICLES = [r for r in manifest()["responses"] if r["kind"] in ("article", "epaper_page")]


@pytest.mark.parametrize("r", ARTICLES, ids=[r["url"] for r in ARTICLES])
def test_generic_rules_alone_reproduce_the_gold_text(r):
    """No site hints at all: the corpus text, title and source still match the gold."""
    from pipelines.normalize import ArticleNormalizer
    normalize = ArticleNormalizer().normalize_article
    body = (CORPUS / "pages" / r["file"]).read_bytes()
    encoding = resolve(body, r["headers"].get("Content-Type")).encoding
    records = [normalize(a.as_dict()) for a in extract_articles(body, encoding, r["url"], None)]
    gold = [json.loads((CORPUS / "gold" / f"{g}.json").read_text("utf-8")) for g in r["gold"]]
    assert [(a["title"], a["source"], a["text"]) for a in records] == \
        [(g["title"], g["source"], g["text"]) for g in gold]


def _modules_with_examples() -> list[str]:
    """Every module of the project whose docstrings hold examples (pytest's
    --doctest-modules collects only tests/)."""
    out = []
    for package in ("crawler", "pipelines", "bench"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if ">>> " in path.read_text("utf-8"):
                out.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return out


@pytest.mark.parametrize("module", _modules_with_examples())
def test_doctests(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_article_xpath_hint_gives_one_record_per_container():
    from crawler.sites import parse_site
    site = parse_site({"id": "x", "name": "X", "region": "R", "level": "city", "hosts": ["x.test"],
                       "start_urls": ["http://x.test/"], "links": {"article": ["/a/"]},
                       "extract": {"article_xpath": "//div[@class='story']", "title_xpath": "//h2"}},
                      "x.toml")

    def story(n: int) -> str:
        return (f"<div class='story'><h2>第{n}篇标题在这里</h2>"
                + BODY.replace("压实责任", f"压实第{n}篇的责任") + "</div>")
    html = f"<html><body><div><a href='/'>首页</a></div>{story(1)}{story(2)}</body></html>"
    records = extract_articles(html.encode(), "utf-8", "http://x.test/a/1.html", site)
    assert [r.title for r in records] == ["第1篇标题在这里", "第2篇标题在这里"]
    assert "压实第2篇的责任" in records[1].text and "压实第2篇的责任" not in records[0].text


def test_site_source_when_the_page_names_none(tmp_path):
    """An e-paper never prints 来源: the site file's [extract].source fills it;
    a source the page names still wins."""
    from crawler.sites import parse_site

    site = parse_site({"id": "jlrb", "name": "吉林日报", "region": "吉林省", "level": "province",
                       "hosts": ["unknown.example"], "start_urls": ["http://unknown.example/"],
                       "links": {"article": ["/content_"]}, "extract": {"source": "吉林日报"}},
                      "jlrb.toml")
    assert one(page(BODY), site=site).source == "吉林日报"
    assert one(page(BODY, before="<h1>测试标题</h1><div>来源：新华社</div>"), site=site).source == "新华社"


def test_scrapy_extract_links_prints_what_a_crawl_follows_from_a_list_page(tmp_path):
    done = _scrapy("--links", "--site", "hebei-gov", "--url", "http://hebei-gov.test/hbyw/index.html",
                   str(CORPUS / "pages" / "hebei-gov.test/hbyw/index.html"))
    assert done.returncode == 0, done.stderr
    links = [json.loads(line) for line in done.stdout.splitlines()]
    assert {"kind": "article", "url": "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"} \
        in links
    assert {"kind": "list", "url": "http://hebei-gov.test/hbyw/index_1.html"} in links
    assert "2 article links, 3 list links" in done.stderr
    listing = tmp_path / "blocks.json"        # a list answered with JSON, by its Content-Type
    listing.write_text('{"data": "<li><a href=\\"/hbyw/202203/t20220328_2714102.html\\">x</a></li>"}')
    done = _scrapy("--links", "--site", "hebei-gov", "--content-type", "application/json",
                   str(listing))
    assert [json.loads(line)["url"] for line in done.stdout.splitlines()] == [
        "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"]
    done = _scrapy("--links", str(listing))
    assert done.returncode == 2 and "--links needs a site" in done.stderr
    done = _scrapy("--links", "--site", "hebei-gov", "--url", "http://hebei-gov.test/sitemap.xml",
                   str(CORPUS / "pages" / "hebei-gov.test/sitemap.xml"))   # read as a sitemap
    assert {"kind": "article", "url": "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"} \
        in [json.loads(line) for line in done.stdout.splitlines()]
    assert "2 article links" in done.stderr


def test_the_editor_credit_closes_the_text():
    """A sohu repost (GNE tests/njxfhn/1): after 责任编辑： the page quotes a related
    story (its title and the start of its text) and tags the medium: no part of the
    article. A story that opens after the credit (本报讯…) stays."""
    record = one(page(BODY + "<p>责任编辑：张三</p><blockquote><p>香港警方：8.31示威行动未发生致命事件，"
                      "谴责造谣者</p><p>港铁公司车务营运总监表示，8月31日晚，港铁公司启动疏散程序。医院管理局"
                      "表示，有46人因参…</p></blockquote>,南方都市报"))
    assert record.text.splitlines()[-1].endswith("要压实责任。") and "港铁" not in record.text
    assert record.editor == "张三"
    second = "<p>乙标题</p><p>本报讯（记者 李四）" + "二" * 60 + "。</p>"
    assert "本报讯" in one(page(BODY + "<p>责任编辑：张三</p>" + second)).text


def test_an_undated_notice_with_a_list_of_names_is_an_article():
    """Most lines a few characters long and no date found (TRS writes it with a
    script), but paragraphs of prose above the names: not a form or a portal."""
    names = "".join(f"<p>{n}</p>" for n in ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九",
                                             "吴十", "郑一", "冯二", "陈三", "褚四"])
    html = ("<html><head><title>拟表彰对象名单公示</title></head><body><h1>拟表彰对象名单公示</h1>"
            "<p>经个人申报、单位推荐、资格审查等程序，拟表彰下列同志为年度优秀共产党员，现予以公示。"
            "公示期间如有异议，请向市委组织部反映。</p><p>拟表彰对象名单如下：</p>" + names + "</body></html>")
    [record] = extract_articles(html.encode(), "utf-8", "http://x.gov.cn/gs/1.html")
    assert "张三" in record.text and "褚四" in record.text
