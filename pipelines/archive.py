"""Last stage: article and sighting rows into the Parquet archive.

Layout (hive partitioning, ``pandas.read_parquet("archive/articles")`` loads all)::

    archive/articles/site=<id>/month=YYYY-MM/part-<run_id>-<worker>-<seq>.parquet
    archive/sightings/site=<id>/month=YYYY-MM/part-...parquet

``month`` is the article's publication month (Asia/Shanghai), or the fetch
month when the page states no date. Part files are written to a hidden
temporary name in the same directory, fsynced, then renamed into place; an
existing file is never opened for writing. Writes run in a thread, off the
reactor.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import schema

logger = logging.getLogger(__name__)
CN = dt.timezone(dt.timedelta(hours=8))
TMP_PREFIX = ".tmp-"


def month_of(published: dt.datetime | None, fetched_at: dt.datetime) -> str:
    """
    >>> month_of(dt.datetime(2022, 3, 31, 23, 0, tzinfo=CN), dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    '2022-03'
    >>> month_of(None, dt.datetime(2026, 1, 31, 20, 0, tzinfo=dt.timezone.utc))
    '2026-02'
    """
    when = published or fetched_at
    return when.astimezone(CN).strftime("%Y-%m")


def write_part(directory: Path, name: str, table: pa.Table) -> Path:
    """Write ``table`` as ``directory/name`` atomically (temp file, fsync, rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    if final.exists():
        raise FileExistsError(f"{final} exists; part files are never rewritten")
    tmp = directory / f"{TMP_PREFIX}{name}"
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, final)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def part_files(root: Path) -> list[Path]:
    """Every finished part file below ``root`` (temporary files excluded)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.parquet") if not p.name.startswith((".", "_")))


def read_column(root: Path, column: str) -> list:
    """All values of one column across the part files of a dataset.

    Reads only that column. A corrupt or unreadable file is logged and
    skipped, never modified.
    """
    values: list = []
    for path in part_files(root):
        try:
            values.extend(pq.read_table(path, columns=[column]).column(0).to_pylist())
        except Exception as e:  # noqa: BLE001 - pyarrow raises several types
            logger.error("archive: skipping unreadable part file %s: %s", path, e)
    return values


def to_table(rows: list[dict], table_schema: pa.Schema) -> pa.Table:
    columns = {f.name: [r.get(f.name) for r in rows] for f in table_schema}
    return pa.Table.from_pydict(columns, schema=table_schema)


class ArchivePipeline:
    """Buffers rows per partition; writes a part file per partition when the
    buffer reaches ``flush_rows`` and at the end of the run."""

    def __init__(self, root: str | Path, run_id: str, worker: str, flush_rows: int = 500,
                 sites: dict | None = None, stats=None):
        self.root = Path(root)
        self.run_id = run_id
        self.worker = worker
        self.flush_rows = flush_rows
        self.sites = sites or {}
        self.stats = stats
        self._buffers: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self._seq = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        worker = s.get("ARCHIVE_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"
        return cls(s.get("ARCHIVE_DIR", "archive"), s.get("RUN_ID") or "norun", worker,
                   s.getint("ARCHIVE_FLUSH_ROWS", 500),
                   getattr(crawler.spider, "sites", None), crawler.stats)

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, n)

    def rows_for(self, item) -> tuple[list[dict], list[dict]]:
        site = self.sites.get(item.site)
        articles, sightings = [], []
        for a in item.articles:
            published = a.get("published")
            month = month_of(published, item.fetched_at)
            common = {"fetched_at": item.fetched_at, "run_id": item.run_id,
                      "schema_version": schema.SCHEMA_VERSION,
                      "_site": item.site, "_month": month}
            sightings.append({**common, "url": a["url"], "content_hash": a["content_hash"],
                              "duplicate": bool(a.get("duplicate")),
                              "near_dup_of": a.get("near_dup_of"), "published": published})
            if a.get("duplicate"):
                continue
            articles.append({
                **a, **common,
                "region": site.region if site else None,
                "level": site.level if site else None,
                "encoding": item.encoding, "encoding_source": item.encoding_source,
                "warc_file": item.warc_file, "warc_record_id": item.warc_record_id})
        return articles, sightings

    async def process_item(self, item):
        articles, sightings = self.rows_for(item)
        due = []
        for kind, rows in (("articles", articles), ("sightings", sightings)):
            for row in rows:
                key = (kind, row["_site"], row["_month"])
                self._buffers[key].append(row)
                if len(self._buffers[key]) >= self.flush_rows:
                    due.append((key, self._buffers.pop(key)))
        for a in articles:
            self._inc(f"site/{item.site}/articles_new")
        if due:
            await asyncio.to_thread(self._write, due)
        return item

    async def close_spider(self):
        due = list(self._buffers.items())
        self._buffers.clear()
        if due:
            await asyncio.to_thread(self._write, due)

    def _write(self, due: list) -> None:
        for (kind, site, month), rows in due:
            table_schema = schema.ARTICLES if kind == "articles" else schema.SIGHTINGS
            self._seq += 1
            name = f"part-{self.run_id}-{self.worker}-{self._seq:05d}.parquet"
            directory = self.root / kind / f"site={site}" / f"month={month}"
            path = write_part(directory, name, to_table(rows, table_schema))
            self._inc("archive/rows_written" if kind == "articles" else "archive/sightings_written",
                      len(rows))
            self._inc("archive/files_written")
            logger.info("archive: wrote %d %s rows to %s", len(rows), kind, path)
