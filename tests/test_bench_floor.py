"""`make bench` (g): the do-nothing Scrapy spider really fetches the pages
(no timings are asserted)."""

from __future__ import annotations

from bench.run import scrapy_floor


def test_floor_spider_fetches_every_page_through_the_server(manifest, fresh_server):
    urls = [r["url"] for r in manifest["responses"]
            if r["kind"] == "article" and r["status"] == 200][:8]
    assert len(urls) == 8
    got = scrapy_floor(fresh_server.url, urls)
    assert got["pages"] == len(urls)
    assert got["pages_per_s"] > 0
    assert got["cpu_ms_per_page"]["crawler"] > 0
    assert got["cpu_ms_per_page"]["corpus_server"] > 0
    assert sum(fresh_server.corpus.hits.get(u, 0) for u in urls) >= len(urls)

