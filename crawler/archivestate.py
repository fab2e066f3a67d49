"""What the archive tells the next run: the article URLs it need not fetch
again, and the list pages to ask again (read once at start, off the reactor)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from crawler.sites import Site
from pipelines.archive import log_unreadable

LIST_RETRIES = 3   # runs in which a list page may fail before it is no longer asked again
GONE = (404, 410)  # a page that is not there: asking again does not help


def _failed(status: int) -> bool:
    """A visit that may succeed when asked again: no answer, or an error
    status other than Not Found / Gone (5xx, 403, 412, 429 …)."""
    return status == 0 or (status >= 400 and status not in GONE)


def archive_state(archive: Path, sites: dict[str, Site]) -> tuple[set[str], dict[str, set[str]]]:
    """(article URLs of these sites fetched before, list pages to ask again).

    Known articles: every sighting (``sightings/site=<id>/...``), and every
    article page that answered (``visited/``, written by the run log), or
    answered 404/410 (other errors are asked again). List pages to ask again,
    by site: those whose visits since their last answer all failed (an error status, or 0 for no
    answer; 404 and 410 are no failures to ask again: the page is gone, and an
    article link that answered 404 is no list page, whatever its URL looks
    like), fewer than ``LIST_RETRIES`` times, so the articles behind a list
    page that failed are reached although the pages before it are all known.
    Visits are ordered by time, whatever part file holds them (compacted or
    not). Unreadable part files are logged and skipped."""
    known: set[str] = set()
    for sid in sites:
        for path in sorted((archive / "sightings" / f"site={sid}").glob("*/*.parquet")):
            known.update(_read(path, ["url"]).get("url", []))
    paths = sorted((archive / "visited").glob("*.parquet"))
    failed: dict[str, str] = {}   # list URL -> site, of every list page that ever failed
    for path in paths:
        cols = _read(path, ["url", "site", "status"])
        for url, sid, status in zip(cols.get("url", []), cols.get("site", []),
                                    cols.get("status", [])):
            if sid not in sites:
                continue
            if 0 < status < 400 or status in GONE:   # (403/412/429 rows of older runs: asked again)
                known.add(url)
            if _failed(status) and url not in failed \
                    and not sites[sid].links.is_article(url):
                failed[url] = sid
    retry: dict[str, set[str]] = {}
    if not failed:
        return known, retry
    visits: dict[str, list[tuple]] = {}
    for path in paths:   # a second read, of the times, only when a list page failed
        cols = _read(path, ["url", "status", "fetched_at"])
        for url, status, when in zip(cols.get("url", []), cols.get("status", []),
                                     cols.get("fetched_at", [])):
            if url in failed:
                visits.setdefault(url, []).append((when, status))
    for url, seen in visits.items():
        seen.sort(key=lambda visit: visit[0])
        failures = 0   # since the last answer
        for _, status in seen:
            failures = failures + 1 if _failed(status) else 0
        if 0 < failures < LIST_RETRIES:
            retry.setdefault(failed[url], set()).add(url)
    return known, retry


def _read(path: Path, columns: list[str]) -> dict[str, list]:
    if path.name.startswith("."):
        return {}
    try:
        return pq.read_table(path, columns=columns).to_pydict()
    except Exception as e:  # noqa: BLE001 - a corrupt file must not stop the run
        log_unreadable("archive", path, e)
        return {}
