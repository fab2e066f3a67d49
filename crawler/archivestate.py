"""What the archive tells the next run: the article URLs it need not fetch
again, and the list pages to ask again (read once at start, off the reactor)."""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow.parquet as pq

from crawler.sites import Site

logger = logging.getLogger(__name__)

LIST_RETRIES = 3   # runs in which a list page may fail before it is no longer asked again


def archive_state(archive: Path, sites: dict[str, Site]) -> tuple[set[str], dict[str, list[str]]]:
    """(article URLs of these sites fetched before, list pages to ask again).

    Known articles: every sighting (``sightings/site=<id>/...``), and every
    article page that answered (``visited/``, written by the run log; 5xx
    answers excluded). List pages to ask again, by site: those whose last
    visit failed (an error status, or 0 for no answer) in fewer than
    ``LIST_RETRIES`` runs, so the articles behind a list page that failed
    once are reached although the pages before it are all known.
    Unreadable part files are logged and skipped."""
    known: set[str] = set()
    for sid in sites:
        for path in sorted((archive / "sightings" / f"site={sid}").glob("*/*.parquet")):
            known.update(_read(path, ["url"]).get("url", []))
    visits: dict[tuple[str, str], list[tuple]] = {}
    for path in sorted((archive / "visited").glob("*.parquet")):
        cols = _read(path, ["url", "site", "status", "fetched_at"])
        for url, sid, status, when in zip(cols.get("url", []), cols.get("site", []),
                                          cols.get("status", []), cols.get("fetched_at", [])):
            if sid not in sites:
                continue
            if status < 500:
                known.add(url)
            if (status == 0 or status >= 400 or (sid, url) in visits) \
                    and not sites[sid].links.is_article(url):
                visits.setdefault((sid, url), []).append((when, status))
    retry: dict[str, list[str]] = {}
    for (sid, url), seen in visits.items():
        seen.sort(key=lambda v: v[0])
        failures = sum(1 for _, status in seen if status == 0 or status >= 400)
        last = seen[-1][1]
        if (last == 0 or last >= 400) and failures < LIST_RETRIES:
            retry.setdefault(sid, []).append(url)
    return known, retry


def _read(path: Path, columns: list[str]) -> dict[str, list]:
    if path.name.startswith("."):
        return {}
    try:
        return pq.read_table(path, columns=columns).to_pydict()
    except Exception as e:  # noqa: BLE001 - a corrupt file must not stop the run
        logger.error("archive: skipping unreadable part file %s: %s", path, e)
        return {}
