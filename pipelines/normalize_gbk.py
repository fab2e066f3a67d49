"""Repair GBK byte misalignment inside pinyin-annotated text.

Traditional+pinyin reposts are sometimes damaged by a lost GBK lead byte. The
decoder then pairs the previous character's trail byte with the next lead
byte, prints a wrong character's reading, loses the ``(`` and reads the rest
of the run one byte off, until an ASCII byte brings it back in step::

    河北日?qǐng)?bào)            was 河北日報(bào)        (請 = d5 88, 報 = 88 f3)
    均屬?gòu)埣铱谛侣劸W(wǎng)  was 均屬張家口新聞網(wǎng)  (購 = d9 8f, 張 = 8f 88)

The readings left in the text say which bytes were there: the first one is a
reading of (trail byte of the character before, lost byte L); the last one is
a reading of the last character of the realigned run. ``realign`` re-encodes
the run to GBK, restores L (and, when the run ends in ``?``, the swallowed
trail byte T) guided by those readings, decodes again and accepts the result
only when every character is Han, the readings match and the answer is
unique. It puts the annotation back (``報(bào)``) so that the ordinary pinyin
stripping removes it. Runs it cannot realign are left as they are and counted.

>>> from pipelines.normalize_pinyin import Readings
>>> realign("河北日?qǐng)?bào)訊", Readings())
('河北日報(bào)訊', 1, 0)
>>> realign("均屬?gòu)埣铱谛侣劸W(wǎng)所有", Readings())
('均屬張家口新聞網(wǎng)所有', 1, 0)
>>> realign("嚴(yán)管?chē)?yán)控", Readings())
('嚴(yán)管嚴(yán)控', 1, 0)
>>> realign("熱?(xún)€電(diàn)話", Readings())  # 線 = be 80: cp936 shows the lone 80 as €
('熱線電(diàn)話', 1, 0)
>>> realign("?(qǐng)", Readings())     # nothing to realign from: left, counted
('?(qǐng)', 0, 1)
>>> realign("真的吗?(笑) What?(yes)", Readings())
('真的吗?(笑) What?(yes)', 0, 0)
"""

from __future__ import annotations

import re

from .normalize_pinyin import HAN, PINYIN_CHARS, TONED, Readings, is_han

_PY = rf"[{PINYIN_CHARS}]{{1,8}}"
_LOST = "?\ufffd"
# Han char, lost byte shown as ?, the wrong reading, ")"; then the misaligned
# run (possibly empty), then either "?" + reading + ")" (trail byte and "("
# swallowed) or "(" + reading + ")".
_DAMAGE = re.compile(
    rf"([{HAN}])[{_LOST}]\(?({_PY})\)"
    rf"([^\s()（）{_LOST}]{{0,40}}?)"
    rf"(?:[{_LOST}]\(?({_PY})\)|[(（]({_PY})[)）])")
# What is left unrepaired: "?" or U+FFFD with a toned reading after it.
_LEFTOVER = re.compile(
    rf"[{_LOST}]\(?[{PINYIN_CHARS}]*[{TONED}][{PINYIN_CHARS}]*\)")
_LEADS = range(0x81, 0xFF)
_TRAILS = [b for b in range(0x40, 0xFF) if b != 0x7F]


_EURO = "\u20ac"      # cp936 (Windows' GBK) byte 0x80


def _gbk(text: str) -> bytes | None:
    """The GBK bytes the damaged text was read from, or None.

    The damage was read with cp936, Windows' GBK, which shows a lone byte 0x80
    as €: a trail byte 0x80 left at a character start by the lost byte
    (個 = 82 80, 線 = be 80) appears as € in the misaligned run. Python's gbk
    codec has no 0x80, so € is encoded piecewise.

    >>> _gbk("€人"), _gbk("한") is None
    (b'\\x80\\xc8\\xcb', True)
    """
    try:
        return b"\x80".join(part.encode("gbk") for part in text.split(_EURO))
    except UnicodeEncodeError:
        return None


def _char(pair: bytes) -> str | None:
    """The Han character two GBK bytes make, or None."""
    try:
        ch = pair.decode("gbk")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 and is_han(ch) else None


def _all_han(raw: bytes) -> str | None:
    try:
        text = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    return text if text and all(is_han(c) for c in text) else None


def _solutions(before: str, wrong: str, run: str, swallowed: bool, last: str,
               readings: Readings) -> set[str]:
    head = _gbk(before)
    body = _gbk(run)
    if head is None or body is None or len(head) != 2:
        return set()
    found = set()
    for lead in _LEADS:
        bogus = _char(bytes((head[1], lead)))
        if bogus is None or not readings.matches(bogus, wrong):
            continue
        raw = bytes((lead,)) + body
        for tail in (_TRAILS if swallowed else (None,)):
            text = _all_han(raw + bytes((tail,)) if tail is not None else raw)
            if text and readings.matches(text[-1], last):
                found.add(text)
    return found


def realign(text: str, readings: Readings) -> tuple[str, int, int]:
    """Realign damaged runs; return the text, runs repaired, runs left."""
    if "?" not in text and "\ufffd" not in text:
        return text, 0, 0
    repaired = 0

    def sub(m: re.Match) -> str:
        nonlocal repaired
        before, wrong, run, last_swallowed, last_paren = m.groups()
        last = last_swallowed or last_paren
        found = _solutions(before, wrong, run, last_swallowed is not None, last, readings)
        if len(found) != 1:
            return m.group(0)
        repaired += 1
        return f"{before}{found.pop()}({last})"

    text = _DAMAGE.sub(sub, text)
    return text, repaired, len(_LEFTOVER.findall(text))
