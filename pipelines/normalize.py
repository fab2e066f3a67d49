"""Normalization: every archived text is clean Simplified Chinese.

Pure functions plus a small stage that applies them to each article record.
First version: hygiene, pinyin annotations after Han characters, OpenCC t2s.
Deepened in the normalization issue.

>>> n = Normalizer()
>>> n.normalize("省應(yīng)對(duì)疫情").text
'省应对疫情'
>>> n.normalize("（记者 四建磊）2022年").text
'（记者 四建磊）2022年'
"""

from __future__ import annotations

import re
from typing import NamedTuple

from opencc import OpenCC

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_NBSP = re.compile("[\u00a0\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_AFTER_HAN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]([a-z" + _TONED + r"]{1,7})[)）]")


class Normalized(NamedTuple):
    text: str
    script_original: str   # simplified | traditional | traditional_pinyin | mixed
    repairs: tuple[str, ...]


def hygiene(text: str) -> str:
    """Zero-width characters out, NBSP runs to a space, line ends unified,
    blank lines collapsed. No NFKC: full-width punctuation stays.

    >>> hygiene("a\\u200bb\\r\\n\\r\\n\\r\\nc\\u00a0\\u00a0d")
    'ab\\n\\nc d'
    """
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _NBSP.sub(" ", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


class Normalizer:
    """Holds the OpenCC converter (built once)."""

    def __init__(self):
        self._t2s = OpenCC("t2s")

    def normalize(self, text: str) -> Normalized:
        repairs: list[str] = []
        had_pinyin = False
        text = hygiene(text)
        stripped = _PINYIN_AFTER_HAN.sub("", text)
        if stripped != text:
            had_pinyin = True
            repairs.append("pinyin_stripped")
            text = stripped
        simplified = self._t2s.convert(text)
        traditional = simplified != text
        if traditional:
            repairs.append("t2s")
            text = simplified
        script = ("traditional_pinyin" if traditional and had_pinyin
                  else "traditional" if traditional else "simplified")
        return Normalized(text, script, tuple(repairs))


class NormalizationPipeline:
    TEXT_FIELDS = ("title", "subtitle", "source", "editor")
    LIST_FIELDS = ("authors", "photographers", "captions")

    def __init__(self, normalizer: Normalizer | None = None):
        self.normalizer = normalizer or Normalizer()

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def normalize_article(self, article: dict) -> dict:
        result = self.normalizer.normalize(article["text"])
        if result.text != article["text"]:
            article["text_original"] = article["text"]
        article["text"] = result.text
        article["script_original"] = result.script_original
        article["repairs"] = list(result.repairs)
        for key in self.TEXT_FIELDS:
            if article.get(key):
                article[key] = self.normalizer.normalize(article[key]).text
        for key in self.LIST_FIELDS:
            article[key] = [self.normalizer.normalize(v).text for v in article.get(key) or []]
        return article

    def process_item(self, item):
        item.articles = [self.normalize_article(a) for a in item.articles]
        return item
