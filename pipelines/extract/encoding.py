"""Encoding resolution: which codec the bytes of a page are really in.

Order of trust (the first that decodes the body cleanly wins):

1. ``site``: the site file's ``[extract].encoding``, when set;
2. ``bom``: a UTF-8/UTF-16 byte order mark;
3. ``header``: the charset of the HTTP ``Content-Type``;
4. ``meta``: ``<meta charset>``, ``<meta http-equiv=Content-Type>`` or the XML declaration;
5. ``detected``: strict UTF-8 when the bytes are valid UTF-8, otherwise
   chardet's answer (among the East Asian multi-byte codecs) when it names a
   Chinese codec (or is sure of another one) and decodes cleanly, otherwise
   GB18030, then Big5-HKSCS, if clean.

Detection runs only when there is no declaration or every declared codec fails
(strict decoding raises or yields U+FFFD). When no codec decodes the body
cleanly, nothing is guessed blindly: the candidate (declared ones first, then
UTF-8, GB18030) that leaves the fewest U+FFFD is used with its own source, and
``decode`` reports ``replaced=True`` so the record is flagged ``undecodable``.

A declaration is rejected when the body does not decode strictly with it, or
when it names a GB or single-byte codec but the body is valid multi-byte UTF-8
(a very common mislabel). A single-byte declaration (ISO-8859-1, windows-1252,
ASCII: what many servers send by default) nearly always decodes, so it is
doubted when the non-ASCII bytes mostly come in runs, as a multi-byte codec's
do and a Latin text's accented letters do not: it is then taken only when no
multi-byte candidate (a meta declaration, then detection) decodes the body
cleanly. GB2312 and GBK are always decoded as GB18030, their superset, so
GBK-only characters in a page labelled gb2312 survive. A GB18030 decode is
not clean when its Private Use Area characters outnumber a tenth of its
ideographs and Big5-HKSCS decodes the body cleanly with fewer: that is Big5
text (often labelled gb2312) read as GB.

>>> resolve(b"<meta charset='gb2312'>\\xd6\\xd0\\xce\\xc4", None)
Resolved(encoding='gb18030', source='meta')
>>> resolve("<meta charset='gb2312'>中文".encode("utf-8"), "text/html")
Resolved(encoding='utf-8', source='detected')
>>> decode(b"\\xef\\xbb\\xbfabc", "text/html; charset=gbk")
Decoded(text='abc', encoding='utf-8', source='bom', replaced=False)
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

import chardet

_META_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.I)
_XML_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_HEADER_RE = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_:.+-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
            "big5": "big5hkscs", "ascii": "windows-1252", "latin-1": "windows-1252",
            "iso8859-1": "windows-1252"}
# single-byte codecs (Python's names; latin-1 and ascii labels become
# windows-1252): each decodes nearly any bytes, so such a label proves little
_SINGLE_BYTE = re.compile(r"^(?:windows-125\d|cp125\d|iso8859-\d+|koi8-[a-z]+|mac-[a-z]+"
                          r"|cp437|cp850|cp866|tis-620)$")
_CHINESE = {"gb18030", "big5hkscs", "utf-8"}
_SURE = 0.5            # chardet confidence needed for a non-Chinese codec
_SNIFF = 4096          # declarations live in the head
_DETECT_SAMPLE = 64 * 1024
# What chardet may answer. Detection runs only on bytes that are neither ASCII
# nor valid UTF-8, so the candidates are the legacy multi-byte codecs of East
# Asian pages; single-byte codecs are never right for a Chinese page. Limiting
# the set also makes chardet about four times faster.
_DETECT_CANDIDATES = ("gb18030", "big5hkscs", "hz", "cp932", "euc_jis_2004", "cp949")
# What chardet reads: the runs of non-ASCII bytes from the first one on, each
# with the ASCII-range byte a multi-byte character may end in (GBK, Big5 and
# Shift_JIS trail bytes go down to 0x40, GB18030's four-byte characters end
# in 0x30-0x39), runs split by at most 3 ASCII bytes kept whole. The markup
# between them tells nothing about the codec and drowns the text's
# statistics: given whole pages, chardet took Shift_JIS and EUC-KR pages with
# many tags for GB18030 (tests/test_encoding.py).
_TEXT_RUN = re.compile(rb"[\x80-\xff]+(?:[\x00-\x7f]{1,3}[\x80-\xff]+)*[\x30-\x7e]?")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]{2,}")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_IDEOGRAPH = re.compile("[\u3400-\u9fff]")
_PUA_SHARE = 0.1       # Private Use characters per ideograph a GB page may hold


class Resolved(NamedTuple):
    encoding: str
    source: str


class Decoded(NamedTuple):
    text: str
    encoding: str
    source: str
    replaced: bool  # undecodable bytes were replaced with U+FFFD


def normalize_codec(name: str | None) -> str | None:
    """Python codec name for a declared charset, GB family folded to gb18030.

    >>> normalize_codec("GB_2312-80"), normalize_codec("x-gbk"), normalize_codec("UTF8")
    ('gb18030', 'gb18030', 'utf-8')
    >>> normalize_codec("no-such-codec") is None, normalize_codec("hex") is None
    (True, True)
    """
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in ("x-gbk", "gb_2312-80", "gb_2312", "euc-cn", "x-euc-cn", "hz-gb-2312"):
        name = "gbk"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not info._is_text_encoding:  # hex, base64, rot13...: not a charset
        return None
    canonical = info.name
    return _ALIASES.get(canonical, _ALIASES.get(name, canonical))


def content_type_of(headers: dict[str, str]) -> str | None:
    """The Content-Type of a page's headers (as :class:`crawler.items.Page`
    keeps them: first values, as text), whatever the name's case.

    >>> content_type_of({"content-type": "text/html; charset=gbk"}), content_type_of({})
    ('text/html; charset=gbk', None)
    """
    return next((v for k, v in headers.items() if k.lower() == "content-type"), None)


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_RE.search(content_type)
    return m.group(1) if m else None


def _meta_charset(body: bytes) -> str | None:
    head = body[:_SNIFF]
    m = _XML_RE.search(head) or _META_RE.search(head)
    return m.group(1).decode("ascii", "ignore") if m else None


def _clean(body: bytes, codec: str) -> str | None:
    """``body`` decoded strictly with ``codec``, or None when that fails,
    yields U+FFFD or is Big5 read as GB. The text is kept: the page is decoded
    once."""
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if "\ufffd" in text or (codec == "gb18030" and _big5_read_as_gb(body, text)):
        return None
    return text


def _big5_read_as_gb(body: bytes, text: str) -> bool:
    """Whether ``text``, ``body`` decoded cleanly as GB18030, is really Big5.

    GB18030 maps its user-defined byte pairs (leads A1-A7 with low trails,
    AA-AF, F8-FE) to the Private Use Area; Big5 puts frequent characters
    there, so Big5 text read as GB18030 decodes without an error into 30-60
    PUA characters per 100 ideographs. A GB page uses the PUA for the odd
    user-defined character (a rare name), and a simplified GB2312 page often
    decodes cleanly as Big5 too (into nonsense): hence a share, not a count.

    >>> page = "<p>政府工作報告，應對疫情，臺灣同胞</p>"
    >>> _big5_read_as_gb(page.encode("big5"), page.encode("big5").decode("gb18030"))
    True
    >>> _big5_read_as_gb(page.encode("gb18030"), page)
    False
    """
    pua = len(_PRIVATE_USE.findall(text))
    if not pua or pua <= _PUA_SHARE * len(_IDEOGRAPH.findall(text)):
        return False
    big5 = _clean(body, "big5hkscs")
    return big5 is not None and len(_PRIVATE_USE.findall(big5)) < pua


def _multibyte_utf8(body: bytes) -> str | None:
    """The text when ``body`` is valid UTF-8 with non-ASCII characters."""
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _in_runs(body: bytes) -> bool:
    """Whether at least half of the non-ASCII bytes of ``body`` stand next to
    another one.

    Every character of Chinese text in GBK, GB18030 or UTF-8 is two or more
    non-ASCII bytes (Big5 text, whose trail bytes are often ASCII-range, still
    has over half of them in runs); the accented letters of a Latin text stand
    alone between ASCII letters (Portuguese, with its "ções", reaches about half).
    A single-byte declaration is doubted only on such bytes: short German text
    decodes cleanly as GB18030 and as Big5.

    >>> _in_runs("政府工作报告".encode("gbk")), _in_runs("Für Bürger".encode("latin-1"))
    (True, False)
    """
    high = len(_NON_ASCII.findall(body))
    return high > 0 and 2 * sum(map(len, _NON_ASCII_RUN.findall(body))) >= high


def _replacements(body: bytes, codec: str) -> int:
    return body.decode(codec, errors="replace").count("\ufffd")


def _detect(body: bytes) -> tuple[str, str] | None:
    """(codec, text) of a codec that decodes ``body`` cleanly, or None when none does."""
    if body.isascii():
        return "utf-8", body.decode("ascii")
    text = _multibyte_utf8(body)
    if text is not None:
        return "utf-8", text
    # no_match_encoding: chardet's answer when nothing fits (confidence 0.1); it
    # is checked by decoding like any other answer
    first = _NON_ASCII.search(body)   # not None: the body is not ASCII
    sample = b" ".join(_TEXT_RUN.findall(body, first.start(), first.start() + _DETECT_SAMPLE))
    found = chardet.detect(sample, include_encodings=_DETECT_CANDIDATES,
                           no_match_encoding="gb18030")
    codec = normalize_codec(found.get("encoding"))
    # A Chinese codec chardet names is taken; anything else (Johab, KOI8, ...
    # on a short GBK sample) only when chardet is sure of it.
    trusted = codec in _CHINESE or (found.get("confidence") or 0) >= _SURE
    if codec and trusted and codec != "windows-1252":
        text = _clean(body, codec)
        if text is not None:
            return codec, text
    # Chinese sites: GB18030 is the likeliest codec for anything undeclared.
    for codec in ("gb18030", "big5hkscs"):
        text = _clean(body, codec)
        if text is not None:
            return codec, text
    return None


def _resolve(body: bytes, content_type: str | None,
             override: str = "") -> tuple[str, str, str | None]:
    """(codec, source, text): the text when the codec decoded the body cleanly
    (always, except when every candidate fails, or on a BOM)."""
    candidates: list[tuple[str, str]] = []
    if override:
        codec = normalize_codec(override)
        if codec:
            text = _clean(body, codec)
            if text is not None:
                return codec, "site", text
            candidates.append((codec, "site"))
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, "bom", None
    doubted = None   # a clean single-byte declaration of bytes that look multi-byte
    for source, declared in (("header", header_charset(content_type)),
                             ("meta", _meta_charset(body))):
        codec = normalize_codec(declared)
        if not codec:
            continue
        if codec in ("gb18030", "big5hkscs") or _SINGLE_BYTE.match(codec):
            utf8 = _multibyte_utf8(body)
            if utf8 is not None:   # mislabelled UTF-8: what detection would say
                return "utf-8", "detected", utf8
        text = _clean(body, codec)
        if text is None:
            candidates.append((codec, source))
        elif not _SINGLE_BYTE.match(codec) or not _in_runs(body):
            return codec, source, text
        elif doubted is None:
            doubted = codec, source, text
    detected = _detect(body)
    if detected:
        return detected[0], "detected", detected[1]
    if doubted:
        return doubted
    candidates += [("utf-8", "detected"), ("gb18030", "detected")]
    best = min(candidates, key=lambda c: _replacements(body, c[0]))  # first on a tie
    return best[0], best[1], None


def resolve(body: bytes, content_type: str | None, override: str = "") -> Resolved:
    """The codec to decode ``body`` with, and where that answer came from.

    The first source in the module's order of trust that decodes the body
    without a replacement character wins. When no codec decodes it cleanly
    (bytes that are broken in every codec), the candidate leaving the fewest
    U+FFFD wins, declarations first on a tie, so the record can be kept and
    flagged.

    >>> resolve("中文".encode("gbk") + b"\\xff", "text/html; charset=gbk")
    Resolved(encoding='gb18030', source='header')
    """
    return Resolved(*_resolve(body, content_type, override)[:2])


def decode(body: bytes, content_type: str | None, override: str = "") -> Decoded:
    """Resolve and decode once; undecodable bytes become U+FFFD (``replaced``)."""
    encoding, source, text = _resolve(body, content_type, override)
    if text is None:
        if source == "bom":
            body = body[len(next(b for b, c in _BOMS if c == encoding)):]
        text = body.decode(encoding, errors="replace")
    return Decoded(text, encoding, source, "\ufffd" in text)
