"""Garbage-collector settings for the crawl process.

A crawl allocates container objects by the million (requests, responses,
Deferreds, headers, items), and with CPython's default thresholds
(700, 10, 10) the cyclic collector runs after every 700 net allocations and
walks the whole heap every few thousand pages: a large share of the reactor's
time when profiled on the bench (``gc.callbacks``).

When the engine starts, this extension moves every object alive then (the
imported modules, the settings, site files, the dedup state) out of the
collector's sight with ``gc.freeze()`` and sets ``GC_THRESHOLD`` (default
``10000, 10, 10``): a collection after 10,000 net allocations, a full one
about every few thousand pages. Cyclic garbage is still collected, only in
fewer, larger batches. When the engine stops, both are undone.

Settings: ``GC_THRESHOLD`` (three integers; empty: leave the collector
alone), ``GC_FREEZE`` (default True). ``NotConfigured`` when neither is set:
``-s GC_THRESHOLD= -s GC_FREEZE=False`` runs with CPython's collector as is.
"""

from __future__ import annotations

import gc
import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class GcTuning:
    def __init__(self, threshold: tuple[int, int, int] | None, freeze: bool = True):
        if threshold is not None and (len(threshold) != 3 or min(threshold) < 0):
            raise ValueError(f"GC_THRESHOLD takes three integers >= 0, not {threshold!r}")
        self.threshold = threshold
        self.freeze = freeze
        self._saved: tuple[int, int, int] | None = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        # "-s GC_THRESHOLD=" on the command line is [""]: empty too
        values = [v for v in s.getlist("GC_THRESHOLD") if str(v).strip()]
        try:
            threshold = tuple(int(v) for v in values) if values else None
        except ValueError:
            raise ValueError(f"GC_THRESHOLD takes three integers, not {values!r}") from None
        freeze = s.getbool("GC_FREEZE", True)
        if threshold is None and not freeze:
            raise NotConfigured("GC_THRESHOLD empty and GC_FREEZE off")
        ext = cls(threshold, freeze)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        if self.freeze:
            gc.freeze()
        if self.threshold is not None:
            self._saved = gc.get_threshold()
            gc.set_threshold(*self.threshold)
        logger.debug("gc: %d objects frozen, thresholds %s", gc.get_freeze_count(),
                     gc.get_threshold())

    def engine_stopped(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        if self.freeze:
            gc.unfreeze()
