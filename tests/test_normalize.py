"""Normalization on the corpus, on damaged reposts, and of whole article records.

Extraction is tested elsewhere; here the text to normalize is built from the
corpus pages directly (decoded with ``decode``, one block per ``<p>``), so the
checks do not depend on how extraction evolves.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import unicodedata

import lxml.html
import pytest

from crawler.items import Page
from pipelines.extract.encoding import decode
from pipelines.extraction import ExtractionPipeline
from pipelines.normalize import ArticleNormalizer, Normalizer, hygiene
from pipelines.normalize_pinyin import ANNOTATION
from tests.conftest import CORPUS, ROOT

@pytest.fixture(scope="module")
def normalizer():
    return Normalizer()


def _page(r) -> tuple[str, list[str]]:
    """Decoded page text (scripts and styles dropped) and its <p> blocks
    (a <br> starts a new block)."""
    body = (CORPUS / "pages" / r["file"]).read_bytes()
    tree = lxml.html.document_fromstring(decode(body, r["headers"].get("Content-Type")).text)
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    for br in tree.xpath("//br"):
        br.tail = "\n" + (br.tail or "")
    blocks = [line for p in tree.xpath("//p") for line in p.text_content().split("\n")]
    return tree.text_content(), blocks


def _joined(blocks: list[str]) -> set[str]:
    """Two or three neighbouring blocks joined, as the gold joins the
    e-paper's paragraphs broken mid-word across <P> elements."""
    return {"".join(blocks[i:i + n]) for n in (2, 3) for i in range(len(blocks))}


def _article_responses(manifest):
    return [r for r in manifest["responses"] if r["gold"] and r["kind"] != "redirect"
            and r.get("encoding")]


def test_every_corpus_article_normalizes_to_its_gold_paragraphs(manifest, gold, normalizer):
    checked = 0
    for r in _article_responses(manifest):
        _, blocks = _page(r)
        normalized = [normalizer.normalize(b).text for b in blocks]
        candidates = set(normalized) | _joined(normalized)
        for gid in r["gold"]:
            for paragraph in gold[gid]["paragraphs"]:
                assert paragraph in candidates, (r["url"], paragraph[:40])
                checked += 1
    assert checked > 100


def test_traditional_pinyin_pages_become_clean_simplified(manifest, normalizer):
    pages = [r for r in _article_responses(manifest) if r["script"] == "traditional+pinyin"]
    assert len(pages) == 4
    for r in pages:
        text, _ = _page(r)
        assert "(yīng)" in text or "(huì)" in text
        result = normalizer.normalize(text)
        assert result.script_original == "traditional_pinyin", r["url"]
        assert {"pinyin_stripped", "t2s"} <= set(result.repairs), r["url"]
        assert "undecodable" not in result.repairs
        assert normalizer.script.to_simplified(result.text) == result.text, r["url"]
        leftover = [m.group(0) for m in ANNOTATION.finditer(result.text)
                    if normalizer.readings.matches(m.group(1), m.group(2))]
        assert leftover == [], r["url"]


def test_script_of_corpus_pages_matches_the_manifest(manifest, normalizer):
    expected = {"simplified": "simplified", "traditional+pinyin": "traditional_pinyin",
                "mixed": "mixed"}
    checked = set()
    for r in manifest["responses"]:
        if r.get("script") and r.get("encoding") and r["status"] == 200:
            text, _ = _page(r)
            got = normalizer.normalize(text).script_original
            assert got == expected[r["script"]], r["url"]
            checked.add(got)
    assert checked == set(expected.values())


def test_simplified_pages_pass_through_untouched(manifest, gold, normalizer):
    for r in _article_responses(manifest):
        if r["script"] != "simplified":
            continue
        _, blocks = _page(r)
        for block in blocks:
            clean = hygiene(block)
            result = normalizer.normalize(clean)
            assert result.text == clean
            assert result.repairs == ()


# Damaged spots as the careless archive holds them (../shared/seeds), with
# what they were. The seeds were NFKC-folded, hence ASCII punctuation there.
DAMAGED = [
    ("河北日?qǐng)?bào)訊(記者四建磊、吳韜)3月23日晚", "河北日报讯(记者四建磊、吴韬)3月23日晚", "000"),
    ("這是會(huì)議現(xiàn)場(chǎng)。 河北日?qǐng)?bào)記者趙威攝", "这是会议现场。 河北日报记者赵威摄", "000"),
    ("嚴(yán)管?chē)?yán)控", "严管严控", "004"),
    ("版權(quán)均屬?gòu)埣铱谛侣劸W(wǎng)所有", "版权均属张家口新闻网所有", None),
    ("“張(zhāng)家口日?qǐng)?bào)”、", "“张家口日报”、", None),
    # a trail byte 0x80 left at a character start (個 = 82 80, 線 = be 80) is
    # shown as € by cp936, which Python's gbk codec cannot encode
    ("這是一?(cuì)€人(rén)的事", "这是一个人的事", None),
    ("撥打熱?(xún)€電(diàn)話", "拨打热线电话", None),
]


@pytest.mark.parametrize("damaged, repaired, gid", DAMAGED)
def test_gbk_damage_is_realigned(normalizer, gold, damaged, repaired, gid):
    result = normalizer.normalize(damaged)
    assert result.text == repaired
    assert "gbk_realigned" in result.repairs
    assert "gbk_unrepaired" not in result.repairs
    if gid:
        fold = unicodedata.normalize("NFKC", "\n".join(gold[gid]["paragraphs"] + gold[gid]["captions"]))
        assert unicodedata.normalize("NFKC", repaired) in fold


@pytest.mark.parametrize("damaged", [
    "?(qǐng)",                    # nothing before the lost byte to realign from
    "日?qǐng)?mǎ)",                # trail byte readings do not fit any GBK pair
    "A?gòu)埣铱谛侣劸W(wǎng)",      # the character before is not a GBK character
])
def test_gbk_damage_that_cannot_be_realigned_is_left_and_flagged(normalizer, damaged):
    result = normalizer.normalize(damaged)
    assert "gbk_unrepaired" in result.repairs
    assert "gbk_realigned" not in result.repairs
    assert "?" in result.text


@pytest.mark.parametrize("text", [
    "河北日报讯（记者 四建磊）", "2022年(2022)", "世卫组织(WHO)", "各市（含定州、辛集市）",
    "拼音 pinyin(pīn yīn) 与 Beijing(běi)", "各市（州）", "马(shān)", "什么?(笑)",
])
def test_legitimate_parentheses_survive(normalizer, text):
    assert normalizer.normalize(text).text == text


def test_hygiene_keeps_fullwidth_punctuation_and_cleans_whitespace(normalizer):
    dirty = "\u3000\u3000会议指出，要（一）\u200b加强：\r\n\r\n\r\n第二段\u00a0\u00a0；结束\ufeff "
    result = normalizer.normalize(dirty)
    assert result.text == "会议指出，要（一）加强：\n\n第二段 ；结束"
    assert result.repairs == ()


def test_undecodable_text_is_flagged(normalizer):
    body = "会议指出".encode("gbk") + b"\xff" + "要加强".encode("gbk")
    decoded = decode(body, "text/html; charset=gbk")
    assert decoded.replaced
    assert normalizer.normalize(decoded.text).repairs == ("undecodable",)


class _Stats:
    def __init__(self):
        self.values: dict[str, int] = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count


def test_article_normalizer_normalizes_every_field_and_keeps_the_original():
    normalize = ArticleNormalizer().normalize_article
    trad = normalize({
        "text": "省應(yīng)對(duì)疫情\n河北日?qǐng)?bào)訊", "text_original": None,
        "title": "會(huì)議召開", "subtitle": "王正譜主持", "source": "河北日報", "editor": None,
        "authors": ["四建磊", "吳韜"], "photographers": ["趙威"],
        "captions": ["這是會(huì)議現(xiàn)場(chǎng)。"],
    })
    simp = normalize({
        "text": "会议指出，要（一）加强", "text_original": None, "title": "会议",
        "authors": [], "photographers": None, "captions": [],
    })
    assert trad["text"] == "省应对疫情\n河北日报讯"
    assert trad["text_original"] == "省應(yīng)對(duì)疫情\n河北日?qǐng)?bào)訊"
    assert trad["script_original"] == "traditional_pinyin"
    assert trad["repairs"] == ["gbk_realigned", "pinyin_stripped", "t2s"]
    assert (trad["title"], trad["subtitle"], trad["source"]) == ("会议召开", "王正谱主持", "河北日报")
    assert trad["editor"] is None
    assert trad["authors"] == ["四建磊", "吴韬"] and trad["photographers"] == ["赵威"]
    assert trad["captions"] == ["这是会议现场。"]
    assert simp["text"] == "会议指出，要（一）加强" and simp["text_original"] is None
    assert simp["script_original"] == "simplified" and simp["repairs"] == []
    assert simp["photographers"] == []


def test_text_original_stays_null_when_nothing_changed():
    article = ArticleNormalizer().normalize_article({"text": "会议召开", "title": "会议"})
    assert article["text_original"] is None and article["text"] == "会议召开"
    assert article["repairs"] == [] and article["script_original"] == "simplified"


def test_extraction_stage_logs_and_counts_undecodable_records(caplog):
    """A page whose declared codec cannot decode every byte: the record is kept,
    flagged, logged with its URL and counted (inline processing, no pool)."""
    import asyncio

    stats = _Stats()
    stage = ExtractionPipeline({}, workers=0, stats=stats)
    stage.open_spider()
    paras = ["会议指出，要加强领导，推进各项工作落实，确保取得实效。",
             "会议强调，各级党委要切实担负起主体责任，认真抓好贯彻落实。",
             "会议要求，要坚持问题导向，聚焦重点领域和关键环节持续发力。",
             "会议还研究了其他事项，对下一阶段的重点任务作出具体部署。"]
    body = ("<html><head><title>会议</title></head><body><h1>会议召开</h1>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</body></html>").encode("gbk")
    body = body.replace("推进".encode("gbk"), b"\xff\xfe", 1)
    item = Page(url="http://zjk-news.test/a.htm", site="zjk-news", status=200,
                headers={"Content-Type": "text/html; charset=gbk"}, body=body,
                fetched_at=dt.datetime(2022, 3, 24, tzinfo=dt.timezone.utc), run_id="r")
    with caplog.at_level(logging.WARNING, logger="pipelines.extraction"):
        asyncio.run(stage.process_item(item))
    [article] = item.articles
    assert "undecodable" in article["repairs"] and "\ufffd" in article["text"]
    assert article["content_hash"] and len(article["minhash"]) == 4 * 128
    assert "http://zjk-news.test/a.htm" in caplog.text
    assert stats.values["normalize/undecodable"] == 1


def test_normalize_encoding_and_page_modules_do_not_import_scrapy():
    """What the extraction workers run (pipelines.page) is Scrapy-free."""
    code = ("import sys, pipelines.normalize, pipelines.extract.encoding, pipelines.page; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'scrapy'], 'scrapy imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_each_normalizer_builds_its_own_tables():
    a, b = Normalizer(), Normalizer()
    assert a.script is not b.script and a.readings is not b.readings
    assert a.script.traditional.chars == b.script.traditional.chars
