"""Encoding resolution on every corpus body, on broken bytes, and on anything at all."""

from __future__ import annotations

import codecs
import re
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract.encoding import decode, normalize_codec, resolve
from tests.conftest import CORPUS, SHARED

GBK_TEXT = "省應對新冠肺炎疫情工作領導小組會議，河北日報記者四建磊"   # GBK-only characters
SIMPLIFIED = "会议指出，要加大流调溯源工作力度（记者 四建磊）"

# Where each corpus charset case must resolve from.
EXPECTED_SOURCE = {
    "correct": "header",
    "xml_declaration": "meta",
    "meta_only": "meta",
    "declared_gb2312_but_gbk": "header",
    "undeclared": "detected",
    "meta_utf8_but_gbk": "detected",
    "ascii": "detected",
}


def _text_responses(manifest):
    return [r for r in manifest["responses"] if r.get("encoding")]


def test_corpus_has_the_three_hard_cases(manifest):
    cases = {r["charset_case"] for r in _text_responses(manifest)}
    assert {"declared_gb2312_but_gbk", "undeclared", "meta_utf8_but_gbk"} <= cases


def test_every_corpus_body_decodes_cleanly_with_its_real_codec(manifest):
    checked = 0
    for r in _text_responses(manifest):
        body = (CORPUS / "pages" / r["file"]).read_bytes()
        got = decode(body, r["headers"].get("Content-Type"))
        assert not got.replaced, r["url"]
        assert "\ufffd" not in got.text, r["url"]
        assert got.source == EXPECTED_SOURCE[r["charset_case"]], (r["url"], got)
        assert got.text == body.decode(r["encoding"]), r["url"]
        if r["encoding"] == "gbk":
            assert got.encoding == "gb18030", r["url"]
        checked += 1
    assert checked > 40


@pytest.mark.parametrize("case", ["declared_gb2312_but_gbk", "undeclared", "meta_utf8_but_gbk"])
def test_hard_cases_give_traditional_text_not_mojibake(manifest, case):
    r = next(r for r in _text_responses(manifest)
             if r["charset_case"] == case and r["kind"] == "article")
    body = (CORPUS / "pages" / r["file"]).read_bytes()
    got = decode(body, r["headers"].get("Content-Type"))
    assert got.encoding == "gb18030"
    assert "應(yīng)" in got.text or "會(huì)" in got.text


def test_gb2312_label_is_read_as_gb18030():
    body = b"<meta charset='gb2312'>" + GBK_TEXT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert decode(body, "text/html; charset=gb2312") == (
        "<meta charset='gb2312'>" + GBK_TEXT, "gb18030", "header", False)


def test_order_bom_header_meta():
    body = codecs.BOM_UTF8 + '<meta charset="gbk">'.encode() + SIMPLIFIED.encode()
    assert resolve(body, "text/html; charset=gbk") == ("utf-8", "bom")
    gbk = b'<meta charset="gbk">' + SIMPLIFIED.encode("gbk")
    assert resolve(gbk, "text/html; charset=GBK") == ("gb18030", "header")
    assert resolve(gbk, "text/html") == ("gb18030", "meta")
    assert resolve(gbk, None) == ("gb18030", "meta")


def test_wrong_header_falls_to_meta_then_detection():
    gbk = b'<meta http-equiv="Content-Type" content="text/html; charset=gbk">' + \
        SIMPLIFIED.encode("gbk")
    assert resolve(gbk, "text/html; charset=utf-8") == ("gb18030", "meta")
    lying = b'<meta charset="utf-8">' + GBK_TEXT.encode("gbk")
    assert resolve(lying, "text/html; charset=utf-8") == ("gb18030", "detected")


def test_utf8_labelled_gbk_is_utf8():
    body = b'<meta charset="gb2312">' + SIMPLIFIED.encode("utf-8")
    assert resolve(body, "text/html; charset=gb2312") == ("utf-8", "detected")


def test_short_undeclared_gbk_is_not_guessed_as_korean():
    assert resolve("省應對".encode("gbk"), "text/html") == ("gb18030", "detected")


def test_site_override_wins_when_it_decodes():
    body = SIMPLIFIED.encode("gbk")
    assert resolve(body, "text/html; charset=utf-8", override="GB2312") == ("gb18030", "site")
    # an override that does not fit is not trusted blindly
    assert resolve(SIMPLIFIED.encode("utf-8"), None, override="big5").source != "site"


def test_undecodable_bytes_are_replaced_and_flagged_keeping_the_declared_codec():
    body = SIMPLIFIED.encode("gbk") + b"\xff\xff" + "结束".encode("gbk")
    got = decode(body, "text/html; charset=gbk")
    assert got.replaced
    assert (got.encoding, got.source) == ("gb18030", "header")
    assert got.text.startswith(SIMPLIFIED) and got.text.endswith("结束")


def test_undecodable_undeclared_bytes_pick_the_least_damaging_codec():
    body = (SIMPLIFIED * 5).encode("gbk") + b"\x80"
    got = decode(body, None)
    assert got.replaced and got.encoding == "gb18030"
    assert got.text.count("\ufffd") == 1


def test_normalize_codec_aliases():
    assert normalize_codec("GBK") == normalize_codec("gb2312") == "gb18030"
    assert normalize_codec("utf8") == "utf-8"
    assert normalize_codec("") is None and normalize_codec("x-unknown") is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300),
       st.one_of(st.none(), st.text(max_size=40),
                 st.sampled_from(["text/html; charset=gb2312", "text/html; charset=utf-8",
                                  "text/html;charset=nonsense", "text/html; charset=utf-16"])),
       st.sampled_from(["", "gbk", "utf-8", "bogus"]))
def test_decode_never_raises_and_reports_replacement(body, content_type, override):
    got = decode(body, content_type, override)
    assert got.source in {"site", "bom", "header", "meta", "detected"}
    assert got.replaced == ("\ufffd" in got.text)
    codecs.lookup(got.encoding)


# Pieces of text split by markup, each ending in a character whose trail byte
# is ASCII-range in its codec (Big5 許 = B3 5C, 功 = A5 5C; Shift_JIS ソ = 83 5C):
# detection reads the runs of non-ASCII bytes, and must keep those trail bytes.
EAST_ASIAN = [
    ("臺灣的行政院今天召開會議，討論經濟發展與國際貿易的各項政策許", "big5hkscs", "big5hkscs"),
    ("並決定擴大對中小企業的支持，計畫獲得成功", "big5hkscs", "big5hkscs"),
    ("日本政府は今日、経済政策についての会議を開き、支援を拡大することを決めたソ", "cp932", "cp932"),
    ("한국 정부는 오늘 경제 정책에 관한 회의를 열고 중소기업 지원을 확대하기로 결정했습니다", "cp949",
     "cp949"),
    ("省應對新冠肺炎疫情工作領導小組會議，河北日報記者四建磊", "gbk", "gb18030"),
]


@pytest.mark.parametrize("text, codec, expected", EAST_ASIAN,
                         ids=["big5-a", "big5-b", "shift_jis", "cp949", "gbk"])
def test_undeclared_east_asian_codecs_are_told_apart_through_markup(text, codec, expected):
    pieces = [text[i:i + 7] for i in range(0, len(text), 7)]
    html = "<html><head><title>t</title></head><body>" + "".join(
        f'<p class="x"><a href="/a/{i}.html">{p}</a></p>\n' for i, p in enumerate(pieces * 4))
    body = (html + "</body></html>").encode(codec)
    got = decode(body, "text/html")
    assert (got.encoding, got.source) == (expected, "detected")
    assert got.text == body.decode(codec)


def test_undeclared_real_gbk_pages_are_detected():
    """The 163.com pages of realpages, their charset declarations removed."""
    pages = sorted((SHARED / "realpages" / "cx-extractor-python").rglob("*.html"))
    assert len(pages) >= 5
    for path in pages:
        body = re.sub(rb"charset\s*=\s*[\"']?[\w-]+", b"", path.read_bytes(), flags=re.I)
        got = decode(body, "text/html")
        assert (got.encoding, got.source, got.replaced) == ("gb18030", "detected", False), path


def test_detection_reads_text_that_starts_after_64_kb_of_markup():
    body = b"<html><head><script>" + b"var x = 1;\n" * 7000 + b"</script></head><body><p>" + (
        SIMPLIFIED * 3).encode("gbk") + b"</p></body></html>"
    assert body.index(b"</script>") > 64 * 1024
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # chardet warns when it is handed nothing
        got = decode(body, "text/html")
    assert (got.encoding, got.source, got.replaced) == ("gb18030", "detected", False)


# Servers send a single-byte charset by default (Apache's ISO-8859-1, ...).
SINGLE_BYTE_LABELS = ["ISO-8859-1", "latin-1", "windows-1252", "cp1252", "ascii", "us-ascii",
                      "iso-8859-15", "windows-1251", "koi8-r", "iso-8859-2"]
CHINESE_PAGE = ("<html><head><title>省政府工作报告</title></head><body>"
                "<p>会议指出，要加大流调溯源工作力度（记者 四建磊）。</p>"
                "<p>省应对新冠肺炎疫情工作领导小组会议在石家庄召开，河北日报记者报道。</p>"
                "</body></html>")
LATIN_PAGE = ("<html><head><title>Caf\u00e9 news</title></head><body>"
              "<p>The caf\u00e9 on Main Street hosted a r\u00e9sum\u00e9 workshop; the fianc\u00e9"
              " of the owner spoke about the Z\u00fcrich office. Cr\u00e8me br\u00fbl\u00e9e.</p>"
              "<p>F\u00fcr B\u00fcrger: F\u00f6rderung \u00fcber Geb\u00fchren.</p></body></html>")


@pytest.mark.parametrize("label", SINGLE_BYTE_LABELS)
@pytest.mark.parametrize("codec, expected", [("gbk", "gb18030"), ("gb18030", "gb18030"),
                                             ("utf-8", "utf-8")])
def test_single_byte_header_on_a_chinese_page_is_not_taken(label, codec, expected):
    body = CHINESE_PAGE.encode(codec)
    got = decode(body, f"text/html; charset={label}")
    assert (got.text, got.encoding, got.source, got.replaced) == (
        CHINESE_PAGE, expected, "detected", False)


@pytest.mark.parametrize("label", SINGLE_BYTE_LABELS[:4])
def test_single_byte_header_defers_to_a_multibyte_meta(label):
    page = CHINESE_PAGE.replace("<head>", "<head><meta charset='gb2312'>")
    got = decode(page.encode("gbk"), f"text/html; charset={label}")
    assert (got.text, got.encoding, got.source) == (page, "gb18030", "meta")


@pytest.mark.parametrize("label", SINGLE_BYTE_LABELS[:4])
def test_a_real_latin_page_keeps_its_single_byte_header(label):
    got = decode(LATIN_PAGE.encode("latin-1"), f"text/html; charset={label}")
    assert (got.text, got.source, got.replaced) == (LATIN_PAGE, "header", False)
    # each piece alone, too: "Für Bürger: Förderung über Gebühren" decodes
    # cleanly as GB18030 and Big5, but its accented letters stand alone
    short = "<p>F\u00fcr B\u00fcrger: F\u00f6rderung \u00fcber Geb\u00fchren</p>"
    assert decode(short.encode("latin-1"), f"text/html; charset={label}").text == short


TRADITIONAL = ("<p>政府工作報告指出，應對疫情要堅持人民至上、生命至上。臺灣同胞與大陸民眾共同關注"
               "經濟發展與民生保障。</p>\n<p>國務院總理在報告中說，過去一年我國經濟總量突破一百萬億元，"
               "糧食產量創歷史新高，就業形勢總體穩定。</p>\n<p>會議強調，要繼續深化改革開放，推動"
               "高質量發展，確保實現「十四五」規劃開局之年的各項目標任務。</p>")


@pytest.mark.parametrize("header, meta", [("gb2312", ""), ("", "gb2312"), ("gbk", "gb2312"),
                                          ("ISO-8859-1", "gb2312"), ("", "")])
def test_big5_labelled_gb_is_not_read_as_private_use_garbage(header, meta):
    head = f"<head><meta charset='{meta}'></head>" if meta else "<head></head>"
    page = f"<html>{head}<body>{TRADITIONAL}</body></html>"
    body = page.encode("big5")
    as_gb = body.decode("gb18030")   # "cleanly", a third of it in the Private Use Area
    assert len(re.findall("[\ue000-\uf8ff]", as_gb)) > 20
    got = decode(body, f"text/html; charset={header}" if header else "text/html")
    assert (got.text, got.encoding, got.source, got.replaced) == (
        page, "big5hkscs", "detected", False)


def test_a_gbk_page_with_a_few_private_use_characters_stays_gbk():
    """User-defined characters (rare name characters) live in GB18030's PUA
    ranges; this page also decodes cleanly as Big5, into nonsense without PUA."""
    page = "<p>" + SIMPLIFIED * 3 + "记者\ue000\ue001、张\ue234报道。</p>" + ("<p>" + SIMPLIFIED + "</p>") * 3
    body = page.encode("gb18030")
    assert "\ufffd" not in body.decode("big5hkscs")
    assert decode(body, "text/html; charset=gb2312") == (page, "gb18030", "header", False)
    assert decode(body, None) == (page, "gb18030", "detected", False)


@pytest.mark.parametrize("label, codec", [("windows-1251", "cp1251"), ("koi8-r", "koi8-r")])
def test_a_cyrillic_page_keeps_its_single_byte_header(label, codec):
    """Cyrillic letters are all non-ASCII, in runs as Chinese text's bytes
    are: the label is doubted, but no multi-byte codec decodes the words
    (their odd lengths leave a lead byte before a space), so it stands."""
    page = ("<html><body><p>Правительство провинции Хэйлунцзян провело совещание по "
            "вопросам торговли. Губернатор заявил, что сотрудничество будет расширяться.</p>"
            "</body></html>")
    got = decode(page.encode(codec), f"text/html; charset={label}")
    assert (got.text, got.encoding, got.source) == (page, codec, "header")
