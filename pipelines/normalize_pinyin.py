"""Pinyin annotations after Han characters: recognise them and take them out.

Reposting portals print Traditional characters each followed by its reading,
``應(yīng)對(duì)``. An annotation is removed only when the parenthesised text is
pinyin (tone marks, ``ü``, ``v`` or ``u:``) *and* a reading of the Han
character right before it, as pypinyin knows it (heteronyms included). So
``(记者 四建磊)``, ``(2022)``, ``(WHO)``, ``(含定州、辛集市)`` and pinyin written
after a Latin word stay.

>>> r = Readings()
>>> strip_annotations("省應(yīng)對(duì)疫情", r)
('省應對疫情', 2)
>>> strip_annotations("行(háng)业 行(xíng)动 好(hǎo)", r)[0]
'行业 行动 好'
>>> strip_annotations("中(WHO)国(2022) 绿(lǜ)色 Beijing(běi jīng) 市（含定州）", r)[0]
'中(WHO)国(2022) 绿色 Beijing(běi jīng) 市（含定州）'
>>> strip_annotations("马(shān)", r)   # not a reading of 马: kept
('马(shān)', 0)
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict as _SINGLE_READINGS

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# Letters, precomposed tone marks, ``u:``, and combining tones and diaeresis.
PINYIN_CHARS = "a-z" + TONED + ":\u0300\u0301\u0304\u0308\u030c"
# A Han character (BMP ideographs, extension A, compatibility ideographs).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
# Han character, then (pinyin) in ASCII or full-width parentheses.
ANNOTATION = re.compile(
    rf"([{HAN}])[(（]([{PINYIN_CHARS}]{{1,8}})[)）]")
# The same spans without the character (a literal replacement keeps sub in C).
_BARE_ANNOTATION = re.compile(rf"(?<=[{HAN}])[(（][{PINYIN_CHARS}]{{1,8}}[)）]")
# Quick test before running the full pattern: an opening parenthesis followed
# by a lower-case (possibly toned) letter.
_MAYBE = re.compile(rf"[(（][{PINYIN_CHARS}]")


def is_han(ch: str) -> bool:
    """>>> is_han("中"), is_han("a"), is_han("，")
    (True, False, False)
    """
    return bool(_HAN_RE.fullmatch(ch))


def canonical_pinyin(syllable: str) -> str:
    """One spelling for a toned syllable: ``v`` and ``u:`` become ``ü``,
    combining tone marks are composed.

    >>> canonical_pinyin("lv\\u0300"), canonical_pinyin("nu:"), canonical_pinyin("lu\\u0308e\\u0300")
    ('lǜ', 'nü', 'lüè')
    """
    syllable = syllable.lower().replace("u:", "ü").replace("v", "ü")
    return unicodedata.normalize("NFC", syllable)


_MAX_CACHED = 100_000   # (character, syllable) answers kept per Readings


class Readings:
    """pypinyin readings of Han characters, cached (one cache per Normalizer)."""

    def __init__(self):
        self._cache: dict[str, frozenset[str]] = {}
        self._matches: dict[tuple[str, str], bool] = {}

    def of(self, ch: str) -> frozenset[str]:
        """Every toned reading pypinyin knows for ``ch`` (empty if none).

        >>> sorted(Readings().of("行"))[:3]
        ['hàng', 'háng', 'héng']
        >>> Readings().of("a")
        frozenset()
        """
        found = self._cache.get(ch)
        if found is None:
            found = frozenset()
            raw = _SINGLE_READINGS.get(ord(ch)) if len(ch) == 1 else None
            if raw:   # pypinyin's own table: what pinyin(heteronym=True) returns, faster
                found = frozenset(canonical_pinyin(p) for p in raw.split(","))
            elif is_han(ch):
                got = pinyin(ch, heteronym=True, style=Style.TONE, errors="ignore")
                if got and got[0] and got[0][0] != ch:
                    found = frozenset(canonical_pinyin(p) for p in got[0])
            self._cache[ch] = found
        return found

    def matches(self, ch: str, syllable: str) -> bool:
        """Is ``syllable`` (toned; ``v`` or ``u:`` for ``ü``) a reading of ``ch``?

        >>> r = Readings()
        >>> r.matches("应", "yīng"), r.matches("绿", "lǜ"), r.matches("绿", "lv\\u0300"), r.matches("的", "de")
        (True, True, True, True)
        >>> r.matches("应", "duì"), r.matches("应", "ying"), r.matches("a", "a")
        (False, False, False)
        """
        key = (ch, syllable)
        found = self._matches.get(key)
        if found is None:
            found = canonical_pinyin(syllable) in self.of(ch)
            if len(self._matches) < _MAX_CACHED:
                self._matches[key] = found
        return found


def strip_annotations(text: str, readings: Readings) -> tuple[str, int]:
    """Remove every ``Han(pinyin)`` annotation whose pinyin reads that Han
    character; return the text and how many were removed."""
    if not _MAYBE.search(text):
        return text, 0
    found = ANNOTATION.findall(text)
    if not found:
        return text, 0
    if all(readings.matches(ch, py) for ch, py in set(found)):
        return _BARE_ANNOTATION.sub("", text), len(found)   # the common case, all in C
    removed = 0

    def sub(m: re.Match) -> str:
        nonlocal removed
        if readings.matches(m.group(1), m.group(2)):
            removed += 1
            return m.group(1)
        return m.group(0)

    return ANNOTATION.sub(sub, text), removed
