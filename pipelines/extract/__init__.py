"""Extraction: a pure function from a saved response to article records.

``extract_articles(body, encoding, url, site)`` decodes the bytes once with the
resolved encoding, parses the tree once, runs trafilatura on it (narrowed by
the site's content/prune XPaths when given), then removes what trafilatura
leaves behind on Chinese government sites and reads the metadata.

Nothing here imports Scrapy, so it can be tested on saved pages and rerun over
the WARC archive.
"""

from __future__ import annotations

from .core import ExtractionError, extract_articles
from .encoding import Decoded, Resolved, decode, resolve
from .record import Article

__all__ = ["Article", "Decoded", "ExtractionError", "Resolved", "decode",
           "extract_articles", "resolve"]
