"""What the spider hands to the pipelines: one fetched page.

The spider only navigates; every article page becomes a :class:`Page` with the
raw bytes and what is known about them. The extraction stage fills
``articles`` (one dict per article, keyed by archive column names); later
stages add to those dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scrapy.exceptions import DropItem


@dataclass
class Page:
    url: str                  # canonical URL of the page
    site: str                 # site id
    status: int
    # (body, headers and articles stay out of repr: Scrapy logs a dropped
    # item with its repr, and a page's HTML does not belong in the log)
    headers: dict[str, str] = field(repr=False)   # response headers, first value of each
    body: bytes = field(repr=False)
    fetched_at: dt.datetime   # UTC
    run_id: str
    encoding: str | None = None         # resolved codec (pipelines.extract.encoding),
    encoding_source: str | None = None  # site | bom | header | meta | detected: set by extraction
    warc_file: str | None = None
    warc_record_id: str | None = None
    articles: list[dict] = field(default_factory=list, repr=False)
    # the article's later pages ([article_pages] of the site file), in order
    parts: list[Part] = field(default_factory=list, repr=False)
    part: bool = False   # this is a later page itself (scrapy reprocess, before assembly)
    list_date: dt.date | None = None   # the day the list page (or sitemap) showed beside its link


@dataclass
class Part:
    """A later page of an article split over several pages."""

    url: str
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)


class RefetchLater(DropItem):
    """An item dropped for a reason that is not the page's own (the
    extraction workers cannot run, say): the run log does not record the
    page as visited, so the next run fetches it again."""


def headers_of(response) -> dict[str, str]:
    """A Scrapy response's headers as a :class:`Page` keeps them: the first
    value of each, as text."""
    return {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
