"""Property tests: idempotent, Simplified passes through, parentheses survive,
never raises, and the t2s shortcuts give exactly what OpenCC gives (with the
characters it would write outside the BMP written by their BMP form)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from pipelines.contenthash import NAME_CHARACTERS, content_hash
from pipelines.normalize import Normalizer, hygiene
from tests.conftest import CORPUS

NORMALIZER = Normalizer()
OPENCC_T2S = OpenCC("t2s")
BACK = NORMALIZER.script.astral_back     # 𬱖 -> 頔: checked in test_astral_forms_written_back
SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_GOLD = "".join(json.loads(p.read_text(encoding="utf-8"))["text"]
                for p in sorted((CORPUS / "gold").glob("*.json")))
# Characters of the hand-checked Simplified gold: Han, full-width punctuation,
# digits. Lower-case Latin is left out so no pinyin annotation can form.
SIMPLIFIED_CHARS = sorted({c for c in _GOLD if not c.isspace() and not c.islower()})
TRADITIONAL_CHARS = sorted(NORMALIZER.script._characters.chars)

# Pieces the normalizer reacts to, so random texts hit its paths often.
PIECES = [
    "應(yīng)", "對(duì)", "會(huì)", "議(yì)", "日?qǐng)?bào)", "屬?gòu)埣铱谛侣劸W(wǎng)", "管?chē)?yán)控",
    "?(qǐng)", "(", ")", "（", "）", "?", "\ufffd", "yīng", "lǜ", "lv\u0300", "(2022)",
    "(WHO)", "（记者 四建磊）", "乾坤", "反覆", "薴", "頭髮", "\u200b", "\u00a0", "\u3000",
    " ", "\n", "\r\n", "\n\n\n", "\t", "，", "。", "a", "W", "中", "国", "省", "报", "報",
]


def _pieces():
    return st.lists(st.one_of(st.sampled_from(PIECES),
                              st.sampled_from(SIMPLIFIED_CHARS),
                              st.sampled_from(TRADITIONAL_CHARS)),
                    max_size=40).map("".join)


ANY_TEXT = st.one_of(st.text(max_size=200), _pieces())


@SETTINGS
@given(ANY_TEXT)
def test_idempotent(text):
    once = NORMALIZER.normalize(text)
    twice = NORMALIZER.normalize(once.text)
    assert twice.text == once.text
    assert set(twice.repairs) <= {"undecodable", "gbk_unrepaired"}


def test_idempotent_where_one_pass_is_not_enough():
    for text, expected in [("中(zhōng)(zhōng)", "中"), ("薴", "苎"), ("日?qǐng)?bào)(bào)", "日报"),
                           ("應(yīng)\u200b(yīng)", "应"),
                           # a phrase kept whole in Traditional (蕭乾), whose Simplified
                           # form t2s rewrites again (hypothesis found it)
                           ("蕭乾", "萧干")]:
        once = NORMALIZER.normalize(text)
        assert once.text == expected
        assert NORMALIZER.normalize(once.text) == (expected, "simplified", ())


@SETTINGS
@given(st.text(st.characters(exclude_categories=()), max_size=300))
def test_never_raises_on_any_unicode_string(text):
    result = NORMALIZER.normalize(text)
    assert isinstance(result.text, str)
    assert result.script_original in {"simplified", "traditional", "traditional_pinyin", "mixed"}
    assert ("undecodable" in result.repairs) == ("\ufffd" in result.text)


_WORD = st.lists(st.sampled_from(SIMPLIFIED_CHARS + list("ABCXYZ0123456789()")),
                 min_size=1, max_size=12).map("".join)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
SIMPLIFIED_TEXT = st.lists(_LINE, min_size=1, max_size=5).flatmap(
    lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines)))


@SETTINGS
# Simplified means: text OpenCC's t2s leaves alone. Two Simplified characters
# can still form a phrase t2s rewrites (回覆 -> 回复), which is not Simplified.
@given(SIMPLIFIED_TEXT.filter(lambda t: OPENCC_T2S.convert(t) == t))
def test_simplified_text_without_annotations_passes_unchanged(text):
    assert hygiene(text) == text
    result = NORMALIZER.normalize(text)
    assert result == (text, "simplified", ())


_INSIDE = st.one_of(
    st.integers(0, 3000).map(str),
    st.sampled_from(["WHO", "GDP", "记者 四建磊", "含定州、辛集市", "州", "扩大", "黄鹭 于小博",
                     "shān", "Beijing", "a", "1/2"]),
    st.lists(st.sampled_from(SIMPLIFIED_CHARS[:200]), min_size=1, max_size=6).map("".join),
)


@SETTINGS
@given(st.sampled_from(["会议", "小组", "市", "马", "新华社", "口", "什么?"]),
       st.sampled_from(["()", "（）"]), _INSIDE)
def test_legitimate_parentheses_survive(before, parens, inside):
    annotation = f"{parens[0]}{inside}{parens[1]}"
    text = f"{before}{annotation}召开"
    assert annotation in NORMALIZER.normalize(text).text


@SETTINGS
@given(st.sampled_from(["Beijing", "pinyin", "Hebei", "x"]),
       st.sampled_from(["yīng", "duì", "huì", "lǜ", "bào"]))
def test_pinyin_after_a_latin_word_survives(word, syllable):
    text = f"{word}({syllable})"
    assert NORMALIZER.normalize(text).text == text


_NOT_CONVERTIBLE = st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF).filter(
    lambda c: c not in NORMALIZER.script.traditional.chars)


@SETTINGS
@given(st.text(st.one_of(_NOT_CONVERTIBLE, st.sampled_from("，。（）(); \n\t0a")), max_size=120))
def test_t2s_skip_is_exact(text):
    assert not NORMALIZER.script.has_traditional(text)
    assert OPENCC_T2S.convert(text).translate(BACK) == text


_PHRASES = sorted(k for k in OPENCC_T2S._dict_chain_data[0][0][2])


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(TRADITIONAL_CHARS), st.sampled_from(_PHRASES),
                          st.sampled_from(SIMPLIFIED_CHARS), st.sampled_from([" ", "\n", "，"])),
                max_size=40).map("".join))
def test_table_t2s_equals_opencc(text):
    assert NORMALIZER.script.t2s(text) == OPENCC_T2S.convert(text).translate(BACK)


def test_astral_forms_written_back():
    """t2s's characters outside the BMP (GBK has none of them; pages write the
    BMP one) come out as the BMP character OpenCC made them from."""
    assert len(BACK) > 700
    phrase_values = "".join(v for v in OPENCC_T2S._dict_chain_data[0][0][2].values())
    s2t = OpenCC("s2t")
    for astral, bmp in ((chr(a), b) for a, b in BACK.items()):
        assert ord(astral) > 0xFFFF and ord(bmp) <= 0xFFFF
        assert (OPENCC_T2S.convert(bmp) == astral or astral in phrase_values
                or s2t.convert(astral) == bmp), (astral, bmp)
    script = NORMALIZER.script
    for text, expected in [("王頔", "王頔"), ("王𬱖", "王頔"), ("二噁英", "二噁英"),
                           ("二𫫇英", "二噁英"), ("噁心", "恶心"), ("蔿", "蔿"), ("𫇭", "蔿"),
                           ("𫫇", "恶"),          # as its source 噁 alone
                           ("𫔭会", "开会"),      # an astral form t2s never writes (開)
                           ("乾坤 二噁英\n頭髮", "乾坤 二噁英\n头发")]:
        assert script.to_simplified(text) == expected, text
    assert not script.has_traditional("王頔")
    # judged as the BMP text: 王𬱖 is Simplified, 王𬱖說 as Traditional as 王頔說
    assert [script.classify(t) for t in ("王𬱖", "王𬱖說", "王頔說")] == [
        "simplified", "traditional", "traditional"]


@SETTINGS
@given(st.one_of(st.text(st.characters(exclude_categories=()), max_size=120),
                 st.lists(st.sampled_from(TRADITIONAL_CHARS + SIMPLIFIED_CHARS + ["\ud800", "a"]),
                          max_size=60).map("".join)))
def test_character_table_by_array_equals_str_translate(text):
    """The lookup-array path gives what ``str.translate`` gives, astral
    characters and lone surrogates included (they take the fallback)."""
    script = NORMALIZER.script
    assert script._characters_of(text) == text.translate(script._table)



def test_name_characters_are_what_t2s_writes():
    """contenthash.NAME_CHARACTERS (kept in Simplified lines, folded for the
    hash) is t2s's own mapping of each, so the hash is t2s's."""
    for char, written in NAME_CHARACTERS.items():
        assert OPENCC_T2S.convert(char) == written != char


def test_simplified_names_kept_traditional_lines_converted():
    script = NORMALIZER.script
    for text, expected, judged in [
            ("陕西省乾县人民政府", "陕西省乾县人民政府", "simplified"),   # a county, not 干县
            ("吉林省乾安县\n记者 周昇 於文", "吉林省乾安县\n记者 周昇 於文", "simplified"),
            ("乾縣政府\n陕西省乾县", "干县政府\n陕西省乾县", "mixed"),   # the Traditional line whole
            ("乾燥的天氣", "干燥的天气", "traditional"), ("乾隆", "乾隆", "simplified")]:
        assert script.to_simplified(text) == expected, text
        assert script.classify(text) == judged, text


_NAME_TEXT = st.lists(st.one_of(
    st.sampled_from(SIMPLIFIED_CHARS), st.sampled_from(TRADITIONAL_CHARS), st.sampled_from(_PHRASES),
    st.sampled_from(sorted(NAME_CHARACTERS) + ["乾县", "乾隆", "乾坤", "乾縣", "於是", "\n"])),
                      max_size=40).map("".join)


def _opencc_to_simplified(text):
    for _ in range(4):
        text, before = OPENCC_T2S.convert(text).translate(BACK), text
        if text == before:
            break
    return text


@SETTINGS
@given(_NAME_TEXT)
def test_names_kept_hash_as_opencc_text(text):
    """Whatever name characters a text keeps, it hashes as OpenCC's own
    Simplified text of it: so a Traditional repost hashes as its original
    whenever OpenCC makes them one text, and rows archived when the stored
    text was t2s's hash as they did."""
    kept = NORMALIZER.normalize(text).text
    assert content_hash(kept) == content_hash(_opencc_to_simplified(text))


def test_a_traditional_repost_of_a_county_hashes_as_its_original():
    original = "陕西省乾县召开会议，於文、周昇出席。\n会议指出，要加强。"
    repost = "陝(shǎn)西省乾縣(xiàn)召開(kāi)會(huì)議(yì)，於文、周昇出席。\n會(huì)議(yì)指出，要加強(qiáng)。"
    a, b = NORMALIZER.normalize(original), NORMALIZER.normalize(repost)
    assert a.text == original and a.script_original == "simplified"
    assert b.text == "陕西省干县召开会议，于文、周升出席。\n会议指出，要加强。"
    assert content_hash(a.text) == content_hash(b.text)
