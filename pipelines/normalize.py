"""Normalization: every archived text is clean Simplified Chinese.

Pure functions, and :class:`ArticleNormalizer`, which the extraction stage's
workers apply to every field of each article (no Scrapy here).
For one text, in this order:

1. ``hygiene``: zero-width and control characters out, NBSP / ideographic
   space runs to one space, line ends unified, lines trimmed, blank lines
   collapsed. No NFKC: full-width punctuation (，：；（）) is kept as served.
2. GBK realignment (:mod:`pipelines.normalize_gbk`): runs damaged by a lost
   GBK byte (``河北日?qǐng)?bào)``) are rebuilt when the readings left in
   the text pin the bytes down; otherwise left as they are and flagged.
3. Pinyin annotations (:mod:`pipelines.normalize_pinyin`): ``應(yīng)`` -> ``應``,
   only where the pinyin is a reading of the character before it.
4. OpenCC t2s (:mod:`pipelines.normalize_script`), skipped when no character
   in the text is one t2s changes.

The result carries ``script_original`` (simplified | traditional |
traditional_pinyin | mixed) and ``repairs``: ``gbk_realigned``,
``gbk_unrepaired``, ``pinyin_stripped``, ``t2s``, ``undecodable`` (U+FFFD in
the text: bytes the page's codec could not decode). Normalizing a normalized
text changes nothing.

>>> n = Normalizer()
>>> n.normalize("省應(yīng)對(duì)疫情")
Normalized(text='省应对疫情', script_original='traditional_pinyin', repairs=('pinyin_stripped', 't2s'))
>>> n.normalize("（记者 四建磊）2022年(WHO)")
Normalized(text='（记者 四建磊）2022年(WHO)', script_original='simplified', repairs=())
>>> n.normalize("河北日?qǐng)?bào)訊").text
'河北日报讯'
>>> n.normalize("会议\\ufffd召开").repairs
('undecodable',)
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .normalize_gbk import realign
from .normalize_pinyin import Readings, strip_annotations
from .normalize_script import Script

# Zero-width characters, BOM, soft hyphen, bidi marks and C0/C1 controls other
# than tab and newline (\r is handled with the line ends).
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\x85]")
_SPACES = re.compile("[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")
_TRIM = re.compile(r"^ | $", re.M)
_BLANKS = re.compile(r"\n{3,}")
# Anything ``hygiene`` would change; clean text skips its substitutions.
_NEEDS = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e"
                    "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\t\u00a0\u3000"
                    "\u2000-\u200a\u202f\u205f]")
_NEEDS_RUNS = ("  ", " \n", "\n ", "\n\n\n")
_MAX_ROUNDS = 3


class Normalized(NamedTuple):
    text: str
    script_original: str   # simplified | traditional | traditional_pinyin | mixed
    repairs: tuple[str, ...]


def hygiene(text: str) -> str:
    """Invisible characters out, whitespace runs (NBSP, U+3000) to one space,
    line ends unified, lines trimmed, at most one blank line in a row.

    >>> hygiene("a\\u200bb\\r\\n\\r\\n\\r\\n\\u3000\\u3000c\\u00a0\\u00a0d ")
    'ab\\n\\nc d'
    >>> hygiene("会议指出，要（一）")
    '会议指出，要（一）'
    """
    if (not _NEEDS.search(text) and not any(run in text for run in _NEEDS_RUNS)
            and not text.startswith((" ", "\n")) and not text.endswith((" ", "\n"))):
        return text
    text = _INVISIBLE.sub("", _LINE_ENDS.sub("\n", text))
    text = _TRIM.sub("", _SPACES.sub(" ", text))
    return _BLANKS.sub("\n\n", text).strip("\n")


class Normalizer:
    """Builds the OpenCC converter, its character sets and the pinyin cache once."""

    def __init__(self):
        self.script = Script()
        self.readings = Readings()

    def normalize(self, text: str) -> Normalized:
        """Normalize one text (see the module docstring for the steps)."""
        repairs: list[str] = []
        script: str | None = None
        current = text
        settled = None   # last t2s output: t2s leaves it alone
        for _ in range(_MAX_ROUNDS):   # to a fixed point, so normalizing is idempotent
            before = current
            current = hygiene(current)
            current, realigned, left = realign(current, self.readings)
            if realigned:
                repairs.append("gbk_realigned")
            if left:
                repairs.append("gbk_unrepaired")
            current, stripped = strip_annotations(current, self.readings)
            if stripped:
                repairs.append("pinyin_stripped")
            simplified = current if current == settled else self.script.to_simplified(current)
            settled = simplified
            if script is None:   # judged with pinyin gone, before t2s
                script = ("simplified" if simplified == current
                          else self.script.classify(current, converted=simplified))
            if simplified != current:
                repairs.append("t2s")
                current = simplified
            if current == before:
                break
        if "\ufffd" in current:
            repairs.append("undecodable")
        if script == "traditional" and "pinyin_stripped" in repairs:
            script = "traditional_pinyin"
        return Normalized(current, script or "simplified", tuple(dict.fromkeys(repairs)))


class ArticleNormalizer:
    """Normalizes every text field of an article record (run by the
    extraction stage's worker, :mod:`pipelines.extraction`).

    Sets ``text`` (normalized), ``text_original`` (the text as extracted, only
    when normalization changed it, else left None), ``script_original`` and
    ``repairs``, and normalizes title, subtitle, source, editor, authors,
    photographers and captions (their repairs are merged into ``repairs``).
    """

    TEXT_FIELDS = ("title", "subtitle", "source", "editor")
    LIST_FIELDS = ("authors", "photographers", "captions")

    def __init__(self, normalizer: Normalizer | None = None):
        self.normalizer = normalizer or Normalizer()

    def normalize_article(self, article: dict) -> dict:
        """Normalize one article record in place and return it.

        >>> a = ArticleNormalizer().normalize_article(
        ...     {"text": "會(huì)議", "title": "會議", "authors": ["吳韜"], "captions": None})
        >>> a["text"], a["text_original"], a["script_original"], a["repairs"], a["title"], a["authors"]
        ('会议', '會(huì)議', 'traditional_pinyin', ['pinyin_stripped', 't2s'], '会议', ['吴韬'])
        """
        original = article.get("text") or ""
        result = self.normalizer.normalize(original)
        repairs = list(result.repairs)
        if result.text != original:
            article["text_original"] = original
            article["text"] = result.text
        else:
            article.setdefault("text_original", None)
        article["script_original"] = result.script_original
        for key in self.TEXT_FIELDS:
            if article.get(key):
                done = self.normalizer.normalize(article[key])
                article[key] = done.text
                repairs.extend(done.repairs)
        for key in self.LIST_FIELDS:
            values = []
            for value in article.get(key) or []:
                done = self.normalizer.normalize(value)
                repairs.extend(done.repairs)
                if done.text:
                    values.append(done.text)
            article[key] = values
        article["repairs"] = list(dict.fromkeys(repairs))
        return article
