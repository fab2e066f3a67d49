"""Pipeline stage 1: page bytes -> article records (see pipelines.extract)."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawler.sites import SITES_DIR, load_sites
from pipelines.extract import ExtractionError, extract_articles

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    def __init__(self, sites: dict, stats=None):
        self.sites = sites
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        spider_sites = getattr(crawler.spider, "sites", None)
        o = cls(spider_sites if spider_sites is not None else load_sites(SITES_DIR), crawler.stats)
        return o

    def _inc(self, key: str, site: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
            self.stats.inc_value(f"site/{site}/{key.split('/', 1)[1]}")

    def process_item(self, item):
        site = self.sites.get(item.site)
        try:
            articles = extract_articles(item.body, item.encoding, item.url, site)
        except ExtractionError as e:
            self._inc("extract/error", item.site)
            raise DropItem(f"extract/error: {item.url}: {e}") from None
        except Exception as e:  # noqa: BLE001 - a bad page must not stop the crawl
            logger.exception("extraction crashed on %s", item.url)
            self._inc("extract/error", item.site)
            raise DropItem(f"extract/error: {item.url}: {type(e).__name__}: {e}") from None
        if not articles:
            self._inc("extract/empty", item.site)
            raise DropItem(f"extract/empty: {item.url}: no article text found")
        self._inc("extract/articles", item.site)
        item.articles = [a.as_dict() for a in articles]
        return item
