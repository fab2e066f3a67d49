"""An extraction stage whose workers cannot start, for crawls that test how a
run ends when no page can be extracted (``-s ITEM_PIPELINES=...`` names it)."""

from __future__ import annotations

from pipelines.extraction import ExtractionPipeline


class UnstartableExtraction(ExtractionPipeline):
    """Every worker dies in its initializer, before it is ready, as with a
    broken install: ``os.nice`` raises on a priority that is not a number."""

    @classmethod
    def from_crawler(cls, crawler):
        stage = super().from_crawler(crawler)
        stage.nice = "not a number"
        return stage
