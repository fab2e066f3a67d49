"""Traditional to Simplified with OpenCC t2s, skipped when it would change nothing.

Most pages are already Simplified. OpenCC's pure-Python converter costs a few
milliseconds per article, so :class:`Script` first checks whether the text
holds any character t2s can change. That set is computed once, from OpenCC's
own t2s dictionaries: every character whose t2s mapping differs from itself,
plus, for each phrase that t2s rewrites but that holds none of those
characters (``反覆`` -> ``反复``), the characters it rewrites. A match of any
rewriting dictionary entry needs one of those characters, so a text without
them converts to itself.

Traditional text is converted with the same dictionaries, exactly as OpenCC
would: t2s maps phrases first (TSPhrases), then single characters
(TSCharacters). A line holding no phrase whose conversion differs from its
character-by-character conversion is therefore converted with the character
table; only lines holding such a phrase (``乾坤``, ``瞭解``) go through
``OpenCC.convert``. Equality with OpenCC is a property test. The character
table is applied as a lookup array over the text's code points (ten times
faster than ``str.translate`` on CJK text), or by ``str.translate`` when the
text holds an astral character or a lone surrogate.

Two deliberate differences from OpenCC. A line that t2s would change only
at a name character of the Simplified standard (陕西省乾县, 周昇) is left as
it is (:meth:`Script._names_kept`). And t2s writes about 800 characters of
the BMP with a character outside it (頔 -> 𬱖, and 二噁英 -> 二𫫇英): the
2013 standard's forms, which GBK cannot encode, most fonts lack and nobody
types in a search. Mainland Simplified pages write the BMP character. Those
mappings are left out, and a text that uses an astral form is converted as
if it held the BMP character it stands for (𬱖 -> 頔; 𫫇 -> 噁, which alone
t2s makes 恶), so a page that uses them and one that does not hash the same.

>>> s = Script()
>>> s.to_simplified("省應對新冠肺炎疫情"), s.to_simplified("反覆"), s.to_simplified("反复")
('省应对新冠肺炎疫情', '反复', '反复')
>>> s.classify("省應對新冠"), s.classify("省应对新冠"), s.classify("应對"), s.classify("2022")
('traditional', 'simplified', 'mixed', 'simplified')
>>> s.to_simplified("二噁英 王頔 王𬱖 鍼灸"), s.classify("王𬱖")
('二噁英 王頔 王頔 针灸', 'simplified')
"""

from __future__ import annotations

import re

import numpy as np
from opencc import OpenCC

from pipelines.contenthash import NAME_CHARACTERS

# Share of the minority script from which a text counts as mixed. Traditional
# pages hold a few characters OpenCC's s2t would change (采, 并, 群: variants
# and merged characters), about 3% in the corpus; mixed pages have 10% or more.
MIXED_SHARE = 0.08
_MAX_ROUNDS = 4   # t2s is not idempotent for a few chains (薴 -> 苧 -> 苎, 蕭乾 -> 萧乾 -> 萧干)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NAMES = re.compile("[" + "".join(NAME_CHARACTERS) + "]")
_NAME_FOLD = str.maketrans(NAME_CHARACTERS)


def _entries(converter: OpenCC):
    """(key, first value) of every dictionary entry of an OpenCC converter.

    Reads the converter's loaded dictionaries (opencc-python-reimplemented
    0.1.x keeps them as groups of ``(max_len, min_len, dict)``).
    """
    for group in converter._dict_chain_data:
        for _max_len, _min_len, table in group:
            for key, value in table.items():
                yield key, value.split(" ")[0]


def _bmp_only(entries, s2t: OpenCC) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """t2s entries that keep BMP text in the BMP: a character t2s writes
    outside it is written with its BMP source instead (when there are several,
    the one s2t gives, else the lowest), in single characters (頔 stays 頔)
    and in phrases (二噁英 stays 二噁英, where the character table alone would
    give 二恶英); each such astral character gets an entry back to that source,
    and so do the astral forms t2s never writes but s2t knows (𫔭 -> 開, which
    t2s then makes 开). Returns (entries, the way back as a dict)."""
    entries = list(entries)
    sources: dict[str, list[str]] = {}
    for key, value in entries:
        if len(key) == len(value) and _ASTRAL.search(value) and not _ASTRAL.search(key):
            for a, b in zip(key, value):
                if _ASTRAL.match(b) and a not in sources.setdefault(b, []):
                    sources[b].append(a)
    back = {}
    for astral, keys in sources.items():
        answer = s2t.convert(astral)
        back[astral] = answer if answer in keys else min(keys)
    keys = {key for key, _ in entries}
    for key, value in _entries(s2t):
        if (len(key) == len(value) == 1 and _ASTRAL.match(key) and not _ASTRAL.match(value)
                and key not in back and key not in keys):
            back[key] = value
    table = str.maketrans(back)
    kept = []
    for key, value in entries:
        value = value.translate(table)
        if (len(key) == 1 and key == value) or (_ASTRAL.search(value) and not _ASTRAL.search(key)):
            continue   # a character left as it is; or astral and not mapped back (OpenCC has none)
        kept.append((key, value))
    return kept + list(back.items()), back


def _phrase_pattern(phrases) -> re.Pattern:
    """One regex for many literal phrases, grouped by first character
    (twice as fast as a flat alternation in ``re``)."""
    by_first: dict[str, list[str]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        by_first.setdefault(phrase[0], []).append(re.escape(phrase[1:]))
    branches = [f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items()]
    return re.compile("|".join(branches) or "(?!)")


class CharSet:
    """A set of characters searched and counted in C: ``re`` compiles a class
    of BMP characters to a bitmap, which beats ``frozenset.isdisjoint`` on a str
    by an order of magnitude; the few astral characters are checked apart.

    >>> c = CharSet("會議𠁞")
    >>> c.found_in("会议"), c.found_in("會议"), c.found_in("a𠁞"), c.count("會議會")
    (False, True, True, 3)
    """

    def __init__(self, chars):
        self.chars = frozenset(chars)
        bmp = sorted(c for c in self.chars if ord(c) < 0x10000)
        self._astral = frozenset(c for c in self.chars if ord(c) >= 0x10000)
        self._bmp = re.compile("[" + "".join(map(re.escape, bmp)) + "]" if bmp else "(?!)")

    def found_in(self, text: str) -> bool:
        if self._bmp.search(text):
            return True
        return bool(self._astral) and bool(_ASTRAL.search(text)) and \
            not self._astral.isdisjoint(text)

    def count(self, text: str) -> int:
        n = len(self._bmp.findall(text))
        if self._astral and _ASTRAL.search(text):
            n += sum(1 for c in text if c in self._astral)
        return n


def _bmp_points(text: str):
    """The code points of ``text`` as an array, or None when it holds an astral
    character or a lone surrogate (callers then take their plain-Python path)."""
    if _ASTRAL.search(text):
        return None
    try:
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None


class Script:
    """The OpenCC t2s converter and the character sets that drive the fast path."""

    def __init__(self):
        self._t2s = OpenCC("t2s")
        s2t = OpenCC("s2t")
        entries, back = _bmp_only(_entries(self._t2s), s2t)
        #: astral Simplified forms -> the BMP characters written instead
        self.astral_back = str.maketrans(back)
        self._table = str.maketrans({k: v for k, v in entries if len(k) == 1})
        # the same table as an array indexed by BMP code point
        self._lut = np.arange(0x10000, dtype=np.uint32)
        for k, v in self._table.items():
            if k < 0x10000 and len(v) == 1:
                self._lut[k] = ord(v)
            elif k < 0x10000:   # not one character: keep str.translate for every text
                self._lut = None
                break
        self._phrases = _phrase_pattern(
            k for k, v in entries if len(k) > 1 and v != k.translate(self._table))
        single = {k: v for k, v in entries if len(k) == 1 and v != k and k not in back}
        changes = set(single) | set(back)
        self._characters = CharSet(single)   # Traditional characters t2s changes on their own
        for key, value in entries:
            if len(key) > 1 and value != key and not changes.intersection(key):
                if len(key) == len(value):
                    changes.update(a for a, b in zip(key, value) if a != b)
                else:
                    changes.update(key)
        #: characters t2s may change: a text with none of them is left alone
        self.traditional = CharSet(changes)
        #: characters s2t changes that are not Traditional themselves
        self.simplified = CharSet(frozenset(
            k for k, v in _entries(s2t) if len(k) == 1 and v != k) - set(single))

    def has_traditional(self, text: str) -> bool:
        """>>> Script().has_traditional("会议"), Script().has_traditional("會议")
        (False, True)
        """
        return self.traditional.found_in(text)

    def t2s(self, text: str) -> str:
        """One OpenCC t2s pass (the output of ``OpenCC("t2s").convert``, with
        characters outside the BMP written by their BMP form).

        >>> Script().t2s("乾坤 乾燥 頭髮\\n會議")
        '乾坤 干燥 头发\\n会议'
        """
        if not self._phrases.search(text):
            return self._characters_of(text)
        return "\n".join(self._t2s.convert(line).translate(self.astral_back)
                         if self._phrases.search(line)
                         else self._characters_of(line) for line in text.split("\n"))

    def _characters_of(self, text: str) -> str:
        """The character table applied to ``text`` (``text.translate(table)``)."""
        points = _bmp_points(text) if self._lut is not None else None
        if points is None:
            return text.translate(self._table)
        return self._lut[points].tobytes().decode("utf-32-le")

    def to_simplified(self, text: str) -> str:
        """t2s; the text itself when nothing would change. Run again while the
        output still holds a character t2s may change, until t2s leaves it
        alone: a character chain (薴 -> 苧 -> 苎), or a phrase kept whole in
        the first pass (蕭乾 -> 萧乾) whose Simplified form t2s then rewrites
        (萧乾 -> 萧干, OpenCC's answer for the Simplified text). So normalizing
        is idempotent, and a Traditional repost and its Simplified original
        come out the same, but for the name characters a Simplified line keeps
        (:meth:`_names_kept`; the content hash folds them).

        >>> Script().to_simplified("薴麻"), Script().to_simplified("蕭乾")
        ('苎麻', '萧干')
        """
        if not self.has_traditional(text):
            return text
        original = text
        for _ in range(_MAX_ROUNDS):
            converted = self.t2s(text)
            if converted == text or not self.traditional.found_in(converted):
                break
            text = converted
        return self._names_kept(original, converted)

    def _names_kept(self, text: str, converted: str) -> str:
        """``converted`` with each line of ``text`` that t2s changed only at
        name characters (``contenthash.NAME_CHARACTERS``: 陕西省乾县, 周昇,
        於文) put back as it was: those are Simplified characters of place and
        personal names. A line that holds other Traditional characters stays
        converted whole (乾縣 -> 干县: t2s cannot tell the county from 干).

        >>> s = Script()
        >>> s.to_simplified("陕西省乾县\\n乾縣，會議"), s.to_simplified("周昇於文"), s.to_simplified("乾隆")
        ('陕西省乾县\\n干县，会议', '周昇於文', '乾隆')
        """
        if converted == text or not _NAMES.search(text):
            return converted
        lines, out = text.split("\n"), converted.split("\n")
        if len(lines) != len(out):
            return converted
        return "\n".join(
            line if line != new and line.translate(_NAME_FOLD) == new.translate(_NAME_FOLD)
            else new for line, new in zip(lines, out))

    def classify(self, text: str, converted: str | None = None) -> str:
        """simplified | traditional | mixed, by characters only (no pinyin):
        simplified when t2s leaves the text as it is; mixed when Simplified-only
        characters make up ``MIXED_SHARE`` or more of the script-specific ones.
        ``converted``: ``to_simplified(text)`` when the caller has it already."""
        converted = converted if converted is not None else self.to_simplified(text)
        if converted == text:
            return "simplified"
        # astral forms judged as their BMP source (translated only when there is one)
        bmp = text.translate(self.astral_back) if _ASTRAL.search(text) else text
        if converted == bmp:
            return "simplified"
        trad = self._characters.count(bmp)
        simp = self.simplified.count(bmp)
        return "mixed" if trad + simp and simp / (trad + simp) >= MIXED_SHARE else "traditional"
