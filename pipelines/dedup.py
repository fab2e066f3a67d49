"""Pipeline stage 3: content hash and duplicate detection.

Every article gets ``content_hash`` (pipelines.contenthash, the one
definition). An article whose hash is already in the store (from this run,
an earlier run in the archive, or another worker) is marked
``duplicate=True``: the archive stage then writes only its sighting, no
article row.

The store is a small interface (``add(hash) -> bool``: True when new, one
atomic operation) so that the in-memory set here and a Redis set for
distributed crawls are interchangeable.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from pipelines.archive import read_column
from pipelines.contenthash import content_hash

logger = logging.getLogger(__name__)


class MemoryStore:
    """Seen hashes in a Python set (one process)."""

    def __init__(self, hashes=()):
        self._seen = set(hashes)

    def add(self, h: str) -> bool:
        if h in self._seen:
            return False
        self._seen.add(h)
        return True

    def update(self, hashes) -> None:
        self._seen.update(hashes)

    def __len__(self) -> int:
        return len(self._seen)


class DedupPipeline:
    def __init__(self, store, archive_dir: str | Path | None = None, stats=None):
        self.store = store
        self.archive_dir = Path(archive_dir) if archive_dir else None
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(MemoryStore(), s.get("ARCHIVE_DIR"), crawler.stats)

    async def open_spider(self):
        if self.archive_dir is None:
            return
        hashes = await asyncio.to_thread(read_column, self.archive_dir / "articles", "content_hash")
        self.store.update(hashes)
        logger.info("dedup: %d content hashes loaded from %s", len(hashes), self.archive_dir)
        if self.stats is not None:
            self.stats.set_value("dedup/loaded", len(hashes))

    def _inc(self, key: str, site: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"dedup/{key}")
            self.stats.inc_value(f"site/{site}/{key}")

    def process_item(self, item):
        for article in item.articles:
            h = content_hash(article["text"])
            article["content_hash"] = h
            article["duplicate"] = not self.store.add(h)
            if article["duplicate"]:
                self._inc("duplicates", item.site)
                logger.info("dedup: %s is a duplicate of content %s (no article row, "
                            "sighting kept)", item.url, h[:12])
        return item
