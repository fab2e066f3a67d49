"""Extraction: a pure function from a saved response to article records.

``extract_articles(body, encoding, url, site)`` decodes the bytes once with the
resolved encoding, parses the tree once, runs trafilatura on it (narrowed by
the site's content/prune XPaths when given), then removes what trafilatura
leaves behind on Chinese government sites and reads the metadata.

Nothing here imports Scrapy, so it can be tested on saved pages and rerun over
the WARC archive.

The crawl process needs only :mod:`.encoding` (the spider decodes list pages);
the rest (trafilatura and its dependencies) is imported on first use, so a
crawl whose extraction runs in worker processes never loads it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .encoding import Decoded, Resolved, decode, resolve

if TYPE_CHECKING:
    from .core import ExtractionError, extract_articles
    from .record import Article

_LAZY = {"ExtractionError": ".core", "extract_articles": ".core", "Article": ".record"}

__all__ = ["Article", "Decoded", "ExtractionError", "Resolved", "decode",
           "extract_articles", "resolve"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
