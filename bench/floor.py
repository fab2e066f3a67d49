"""The Scrapy floor for `make bench` (g): what fetching the bench's article pages
costs a Scrapy spider that does nothing with them.

Scrapy's engine, scheduler and HTTP client alone (no middleware but the
proxy one, no extension, none of this project's code), the bench's
concurrency, the corpus server as proxy, and a callback that returns
nothing. Its CPU per page is what any Scrapy-based archiver pays to fetch a
page. CPU is counted as for (a) and (b): the whole process, start-up
included, over every response. What the crawl process of (a) and (b) takes
above it is this project's code and the Scrapy parts it turns on (default
middlewares and extensions, the duplicate filter, robots.txt), less what its
garbage collector tuning saves.

Run as ``python -m bench.floor URLS_FILE`` (a JSON list of URLs), with
``http_proxy`` set; prints one JSON line: pages (responses), seconds (first
response to close) and cpu_s (this process's CPU from start to close).
"""

from __future__ import annotations

import json
import sys
import time


def main(urls_file: str) -> None:
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    with open(urls_file, encoding="utf-8") as fh:
        urls = json.load(fh)
    seen = {"pages": 0, "t0": None, "t1": None, "cpu": None}

    class Floor(scrapy.Spider):
        name = "floor"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            if seen["t0"] is None:
                seen["t0"] = time.perf_counter()
            seen["pages"] += 1

    def closed(spider):
        seen["t1"], seen["cpu"] = time.perf_counter(), time.process_time()

    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS": 64, "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
        # Scrapy's engine, scheduler and HTTP client alone: no middleware but
        # the proxy one (the corpus server is reached as a proxy), no extension
        "DOWNLOADER_MIDDLEWARES_BASE": {
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750},
        "SPIDER_MIDDLEWARES_BASE": {}, "EXTENSIONS_BASE": {},
    })
    crawler = process.create_crawler(Floor)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    print(json.dumps({"pages": seen["pages"],
                      "seconds": (seen["t1"] or 0) - (seen["t0"] or 0),
                      "cpu_s": seen["cpu"] or 0.0}))


if __name__ == "__main__":
    main(sys.argv[1])
