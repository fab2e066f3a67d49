"""WARC writer extension (being written; disabled until then)."""
from scrapy.exceptions import NotConfigured


class WarcWriter:
    @classmethod
    def from_crawler(cls, crawler):
        raise NotConfigured("WARC writer not implemented yet")
