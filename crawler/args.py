"""The spider's ``-a`` arguments, checked (by ``scrapy crawl`` before Scrapy
starts, and by the spider): ``site``, ``full``, ``since``, ``until``,
``sites_dir``; names starting with ``_`` are a scheduler's (scrapyd's ``_job``)."""

from __future__ import annotations

import datetime as dt
import logging
import re

from pipelines.extract.metadata import TZ as CHINA   # the one UTC+8

logger = logging.getLogger(__name__)
LONG_WINDOW = 366                # days of {date:…} URLs from which the run warns

SPIDER_ARGS = ("site", "full", "since", "until", "sites_dir")   # -a NAME=VALUE
EARLIEST = dt.date(1990, 1, 1)   # -a since/until before this are typos


def china_today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def date_window(since: str | None, until: str | None,
                today: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """``-a since`` and ``-a until`` as dates; ValueError with the argument's
    name when one is not a YYYY-MM-DD date, is in the future, or when since
    comes after until.

    >>> date_window("2022-03-01", "2022-03-31")
    (datetime.date(2022, 3, 1), datetime.date(2022, 3, 31))
    >>> date_window(None, None)
    (None, None)
    >>> date_window("2022-03-31", "2022-03-01")
    Traceback (most recent call last):
    ValueError: -a since=2022-03-31 comes after -a until=2022-03-01
    >>> date_window("2022-3-1", None)
    Traceback (most recent call last):
    ValueError: -a since=2022-3-1 is not a date (YYYY-MM-DD)
    >>> date_window("2022-W09-2", None)
    Traceback (most recent call last):
    ValueError: -a since=2022-W09-2 is not a date (YYYY-MM-DD)
    """
    today = today or china_today()
    out = []
    for name, value in (("since", since), ("until", until)):
        if not value:
            out.append(None)
            continue
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                raise ValueError
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"-a {name}={value} is not a date (YYYY-MM-DD)") from None
        if day < EARLIEST:
            raise ValueError(f"-a {name}={value} is before {EARLIEST} (no news site is older)")
        if day > today:
            raise ValueError(f"-a {name}={value} is in the future (today is {today} in China)")
        out.append(day)
    if out[0] and out[1] and out[0] > out[1]:
        raise ValueError(f"-a since={since} comes after -a until={until}")
    return out[0], out[1]


def check_args(args) -> None:
    """ValueError for an ``-a`` name the spider does not take (scrapyd adds _job)."""
    unknown = [k for k in args if k not in SPIDER_ARGS and not k.startswith("_")]
    if unknown:
        raise ValueError(f"unknown spider argument -a {unknown[0]}= "
                         f"(known: {', '.join(SPIDER_ARGS)})")


def log_dated(site, since: dt.date | None, until: dt.date | None, last: dt.date,
              first: dt.date | None) -> None:
    """What a site's {date:…} URLs cover (``last``/``first``: the spider's
    ``template_days``), when that may surprise."""
    if not any("{date" in u for u in (*site.start_urls, site.pagination.template)):
        return
    if since and not until:
        logger.info("%s: {date:…} URLs cover the %d days up to today; -a since alone "
                    "does not expand them (add -a until=… for back issues)",
                    site.id, site.start_days)
    days = site.days(last, first)
    if days > LONG_WINDOW:
        logger.warning("%s: {date:…} URLs for %d days (%s to %s), each requested",
                       site.id, days, last - dt.timedelta(days=days - 1), last)
