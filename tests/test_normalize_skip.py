"""The t2s skip: Simplified texts never reach OpenCC's converter.

How much that saves is measured by ``make bench`` (``normalize_share``), not
by timing here.
"""

from __future__ import annotations

from pipelines.normalize import Normalizer


def test_simplified_texts_skip_the_opencc_converter(gold, monkeypatch):
    normalizer = Normalizer()
    calls = []
    converter = normalizer.script._t2s
    monkeypatch.setattr(converter, "convert", lambda text: calls.append(text) or text)
    texts = [g["text"] for g in gold.values()]
    assert len(texts) >= 5
    for text in texts:
        assert normalizer.normalize(text).text == text
    assert calls == []


def test_traditional_lines_with_phrases_do_reach_the_converter(monkeypatch):
    normalizer = Normalizer()
    converter = normalizer.script._t2s
    calls = []
    real = converter.convert
    monkeypatch.setattr(converter, "convert", lambda text: calls.append(text) or real(text))
    assert normalizer.normalize("省應對新冠").text == "省应对新冠"
    assert normalizer.normalize("乾坤瞭解").text != "乾坤瞭解"
    assert calls, "a line holding a t2s phrase goes through OpenCC.convert"
