"""The one definition of ``content_hash``.

``content_hash = sha256(fold(text)).hexdigest()`` where ``text`` is the
article body after extraction and normalization (Simplified script, pinyin
annotations removed), and ``fold`` applies NFKC (full-width and half-width
punctuation, letters and digits become one form) and removes all white space.
Folding is for hashing only; the stored text keeps its full-width punctuation.

>>> content_hash("会议指出，要 加强。") == content_hash("会议指出,要加强。\\n")
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


def fold(text: str) -> str:
    """NFKC, then no white space (the same result as normalizing outright)."""
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
