"""The one definition of ``content_hash``.

``content_hash = sha256(fold(text)).hexdigest()`` where ``text`` is the
article body after extraction and normalization (Simplified script, pinyin
annotations removed), and ``fold`` applies NFKC (full-width and half-width
punctuation, letters and digits become one form), writes the name characters
below as t2s writes them, and removes all white space. Folding is for hashing
only; the stored text keeps its full-width punctuation and its 乾县.

>>> content_hash("会议指出，要 加强。") == content_hash("会议指出,要加强。\\n")
True
>>> content_hash("陕西省乾县") == content_hash("陕西省干县")
True
>>> len(content_hash("x"))
64
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")
# The full-width forms common in Chinese text, with their NFKC forms (their
# compatibility decompositions, so NFKC of the replaced text is NFKC of the
# text): replacing these first usually leaves a text NFKC already, which is
# checked in C far faster than normalizing it.
_COMMON_FULLWIDTH = [(c, unicodedata.normalize("NFKC", c)) for c in "，：；（）！？\u3000"]

#: Characters of the Simplified standard (通用规范汉字表, 2013; in place and
#: personal names: 乾县, 乾安县, 周昇, 於 as a surname, 甯) that OpenCC t2s
#: rewrites, with what it writes. Normalization keeps them in a Simplified
#: line (``pipelines.normalize_script``), while a Traditional repost's line is
#: converted whole (乾縣 -> 干县, OpenCC cannot tell); the hash writes them as
#: t2s does, so the original and the repost hash the same, as they did when
#: the stored text was t2s's (a property test checks this table against t2s).
NAME_CHARACTERS = {"乾": "干", "於": "于", "昇": "升", "陞": "升", "甦": "苏",
                   "蒐": "搜", "脩": "修", "甯": "宁"}
_NAMES = re.compile("[" + "".join(NAME_CHARACTERS) + "]")
_NAME_FOLD = str.maketrans(NAME_CHARACTERS)


def fold(text: str) -> str:
    """NFKC, name characters as t2s writes them, then no white space (NFKC:
    the same result as normalizing outright)."""
    if _NAMES.search(text):
        text = text.translate(_NAME_FOLD)
    for wide, narrow in _COMMON_FULLWIDTH:
        text = text.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _WS.sub("", text)


def content_hash(text: str) -> str:
    return hash_folded(fold(text))


def hash_folded(folded: str) -> str:
    """``content_hash`` of a text already folded (to fold once for the hash
    and the near-duplicate signature)."""
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
