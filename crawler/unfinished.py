"""Runs that did not finish, so the next run catches up on their list pages.

An incremental run stops paging a site at a list page whose articles are all
known. After a run that was stopped early (Ctrl-C, SIGTERM, kill -9, a
``CLOSESPIDER_*`` limit, a machine that went down), page 1 is known but the
pages it never reached are not, and the next run would stop at page 1: the
articles behind them were never fetched. So each crawl leaves a marker in
``<archive>/unfinished/`` when it starts (its run, worker, sites and, when
distributed, crawl id) and removes it when it finishes (Scrapy's close
reason ``finished``, every archive write done). A run that finds markers of
earlier runs covering a site follows that site's list pages past known
articles (up to ``max_pages``) and, when it finishes, takes those sites off
the markers it found. Markers of the same distributed crawl (its other
workers, running or killed) are left to a later crawl: this one's dupefilter
has their requests.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> killed = Runs(root, "r1", "w1", ["a", "b"])
>>> killed.open()
set()
>>> later = Runs(root, "r2", "w1", ["a"])
>>> later.open()
{'a'}
>>> later.settle()
>>> Runs(root, "r3", "w1", ["a", "b"]).open()   # a caught up; b not yet
{'b'}
>>> other = Path(tempfile.mkdtemp())
>>> (other / DIR).mkdir()
>>> _ = (other / DIR / ".tmp-r9-w1.json").write_text('{"run_id": "r9", "sites": ["a"]}')
>>> Runs(other, "r4", "w1", ["a"]).open()   # a kill's temporary file is no marker
set()
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from pipelines.archive import worker_id

logger = logging.getLogger(__name__)

DIR = "unfinished"


class Runs:
    """This run's marker, and the markers of earlier runs it found."""

    def __init__(self, archive: str | Path, run_id: str, worker: str, sites, crawl: str = ""):
        self.dir = Path(archive) / DIR
        self.run_id = run_id
        self.sites = sorted(sites)
        self.crawl = crawl
        self.own = self.dir / f"{run_id}-{worker}.json"
        self.found: dict[Path, dict] = {}   # earlier runs' markers: path -> marker

    @classmethod
    def of_crawl(cls, crawler, run_id: str, sites) -> Runs:
        """A crawl's: archive and worker from its settings, and, when
        distributed, the crawl id (crawl key and generation) of
        :mod:`crawler.distributed`."""
        s = crawler.settings
        return cls(s.get("ARCHIVE_DIR", "archive"), run_id, worker_id(s), sites,
                   crawler.stats.get_value("distributed/crawl_id", ""))

    def open(self) -> set[str]:
        """Write this run's marker; the sites earlier runs left unfinished
        (each logged with those runs)."""
        behind: dict[str, list[str]] = {}
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else ():
            if path.name.startswith("."):   # a marker a kill left half written
                continue
            try:
                marker = json.loads(path.read_text(encoding="utf-8"))
                mine = set(marker["sites"]) & set(self.sites)
            except (OSError, ValueError, KeyError, TypeError) as e:
                logger.warning("unfinished-run marker %s unreadable (%s): ignored", path, e)
                continue
            if path == self.own or (self.crawl and marker.get("crawl") == self.crawl) or not mine:
                continue
            self.found[path] = marker
            for site in mine:
                behind.setdefault(site, []).append(marker.get("run_id", path.stem))
        _write(self.own, {"run_id": self.run_id, "sites": self.sites, "crawl": self.crawl})
        for site, runs in sorted(behind.items()):
            logger.warning("%s: run %s did not finish: this run follows its list pages past "
                           "known articles (up to max_pages)", site, ", ".join(runs))
        return set(behind)

    def settle(self) -> None:
        """The run finished: its marker goes, and its sites come off the
        markers of the earlier runs it caught up on."""
        for path, marker in self.found.items():
            left = [s for s in marker["sites"] if s not in self.sites]
            try:
                if left:
                    _write(path, {**marker, "sites": left})
                else:
                    path.unlink(missing_ok=True)
            except OSError as e:
                logger.warning("unfinished-run marker %s not updated: %s", path, e)
        self.own.unlink(missing_ok=True)


def _write(path: Path, marker: dict) -> None:
    """Written whole or not at all (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(marker, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
