"""A 429/503 answer's Retry-After holds: the site waits that long, then the
page is asked again; a wait longer than RETRY_AFTER_MAX is left to the next run."""

from __future__ import annotations

import json

import pandas as pd
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.corpus_server import CorpusServer
from crawler.middlewares import RetryAfter
from tests.conftest import corpus_copy, crawl

A1 = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"
A2 = "http://hebei-gov.test/hbyw/202203/t20220328_2714102.html"
INDEX = "http://hebei-gov.test/hbyw/index.html"


def _corpus(root, retry_after: str):
    """Start page -> A1, A2; A1 answers 429 with ``retry_after`` the first time."""
    manifest, articles = corpus_copy(root, (A1, A2))
    (root / "pages" / "index.html").write_text(
        f"<html><body><ul><li><a href='{A1}'>一</a></li><li><a href='{A2}'>二</a></li>"
        "</ul></body></html>", encoding="utf-8")
    (root / "pages" / "busy.html").write_text("<html><body>Too busy</body></html>")
    for r in articles:
        if r["url"] == A1:
            r.update(behaviour="fail_once", fail_status=429, fail_file="busy.html",
                     fail_headers={"Content-Type": "text/html", "Retry-After": retry_after})
    html = {"Content-Type": "text/html; charset=utf-8"}
    responses = articles + [
        {"url": INDEX, "file": "index.html", "status": 200, "headers": html},
        {"url": "http://hebei-gov.test/", "file": "index.html", "status": 200, "headers": html}]
    (root / "manifest.json").write_text(json.dumps(
        {"sites": [s for s in manifest["sites"] if s["host"] == "hebei-gov.test"],
         "responses": responses}), encoding="utf-8")
    return root


def _run(tmp_path, retry_after, *args):
    archive = tmp_path / "archive"
    with CorpusServer(_corpus(tmp_path / "corpus", retry_after)) as server:
        # one request at a time: A2 comes after A1's 429, inside the pause
        proc = crawl(server.url, archive, "-a", "site=hebei-gov",
                     "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", *args)
        times = dict(server.corpus.times)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return archive, times, proc.stderr


def test_the_site_waits_as_long_as_retry_after_asks(tmp_path):
    archive, times, log = _run(tmp_path, "3")
    assert len(times[A1]) == 2                       # the 429, then the page
    assert times[A1][1] - times[A1][0] >= 3
    after = [t for ts in times.values() for t in ts if t > times[A1][0]]
    assert min(after) - times[A1][0] >= 3            # the whole site paused
    assert set(pd.read_parquet(archive / "articles")["url"]) == {A1, A2}
    assert "Retry-After 3 s: site hebei-gov paused" in log
    assert "'retry_after/paused': 1" in log


def test_a_wait_longer_than_the_maximum_is_left_to_the_next_run(tmp_path):
    archive, times, log = _run(tmp_path, "3600", "-s", "RETRY_AFTER_MAX=60")
    assert len(times[A1]) == 1                       # not retried in this run
    assert abs(times[A2][0] - times[A1][0]) < 3      # and the site not paused
    assert set(pd.read_parquet(archive / "articles")["url"]) == {A2}
    assert "asking to come back in 3600 s, more than RETRY_AFTER_MAX (60 s)" in log


def _mw(**settings):
    return RetryAfter.from_crawler(get_crawler(settings_dict={"RETRY_AFTER_MAX": 60, **settings}))


def test_only_429_and_503_with_a_readable_value_pause():
    from time import monotonic

    from scrapy.core.downloader import Slot
    slot = Slot(1, 0.5)
    mw = RetryAfter(60, slots=lambda: {"hebei-gov": slot})
    req = Request(A1, meta={"download_slot": "hebei-gov"})
    for status, value in ((500, b"5"), (429, b"later"), (200, b"5")):
        mw.process_response(req, HtmlResponse(A1, status=status, headers={"Retry-After": value},
                                               request=req))
    assert mw.paused_until == {} and "dont_retry" not in req.meta
    mw.process_response(req, HtmlResponse(A1, status=503, headers={"Retry-After": b"5"},
                                          request=req))
    assert set(mw.paused_until) == {"hebei-gov"}
    assert slot.lastseen > monotonic() + 4         # the requests queued in the slot wait too


def test_retry_after_is_off_with_a_zero_maximum_or_no_retries():
    import pytest
    from scrapy.exceptions import NotConfigured
    for settings in ({"RETRY_AFTER_MAX": 0}, {"RETRY_ENABLED": False}):
        with pytest.raises(NotConfigured):
            _mw(**settings)
