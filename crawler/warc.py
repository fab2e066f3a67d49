"""Every response, as received, into WARC files: ``archive/warc/``.

Layout: one file per (site, run, worker process)::

    archive/warc/<site>/<run_id>-<worker>.warc.gz

``<worker>`` is the setting ``ARCHIVE_WORKER_ID`` or ``<hostname>-<pid>``
(the same worker id the Parquet part files carry), so two processes never
append to one file. Responses of hosts that belong to no site (none in
practice) go under ``warc/_other/``.

Each file starts with a ``warcinfo`` record (software, run id, site, worker).
Each response then gives two records, written together: a ``request``
record (the request line and headers Scrapy sent; ``Authorization`` and
``Proxy-Authorization`` are left out) and a ``response`` record (status line, headers and body as
received, before decompression; a ``Transfer-Encoding: chunked`` header is
dropped because Scrapy hands over the body de-chunked), linked by
``WARC-Concurrent-To``. Every fetched response is kept: robots.txt, lists,
articles, 404s, a 500 that is then retried, a 301 before it is followed.

The record id is made here (``<urn:uuid:...>``) when the download finishes
(signal ``response_downloaded``, which, unlike ``response_received``, also
fires for redirects and retried errors), and put in ``request.meta``
(``warc_file``, relative to ``ARCHIVE_DIR``, and ``warc_record_id``) so the
spider copies both into the page item and the archive rows point to the
raw bytes.

Serialisation, digests, compression and file writes run in one writer
thread fed by a bounded queue (``WARC_QUEUE_SIZE`` responses; when it is
full the crawl waits). Every record is its own gzip member and each request
and response pair goes to the file in one unbuffered write, so a killed
run leaves a file that standard WARC tools read up to the last pair.
Files are flushed, fsynced and closed at ``spider_closed``.

Settings: ``WARC_ENABLED`` (``NotConfigured`` when off), ``ARCHIVE_DIR``,
``RUN_ID``, ``ARCHIVE_WORKER_ID``, ``WARC_QUEUE_SIZE``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http
import logging
import os
import queue
import socket
import threading
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.sites import site_for_url

logger = logging.getLogger(__name__)

WARC_SUBDIR = "warc"
OTHER_SITE = "_other"
SOFTWARE = "govnews-archiver (Scrapy, warcio)"
_DROP_REQUEST_HEADERS = {"authorization", "proxy-authorization"}  # credentials
_STOP = object()


def new_record_id() -> str:
    """A WARC-Record-ID.

    >>> new_record_id().startswith("<urn:uuid:") and new_record_id().endswith(">")
    True
    """
    return f"<urn:uuid:{uuid.uuid4()}>"


def warc_date(when: dt.datetime) -> str:
    """WARC/1.1 date (UTC, microseconds).

    >>> warc_date(dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc))
    '2026-01-02T03:04:05.000006Z'
    """
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def warc_path(site: str, run_id: str, worker: str) -> str:
    """Path of a WARC file relative to the archive directory.

    >>> warc_path("hebei-gov", "20260101T000000Z-abc123", "w1")
    'warc/hebei-gov/20260101T000000Z-abc123-w1.warc.gz'
    """
    return f"{WARC_SUBDIR}/{site}/{run_id}-{worker}.warc.gz"


@dataclass(frozen=True)
class Capture:
    """One downloaded response and its request, as plain values for the writer thread."""

    path: str                # relative to the archive directory
    site: str
    url: str
    record_id: str           # the response record
    request_record_id: str
    date: str                # WARC-Date
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    protocol: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes


def _headers(headers) -> list[tuple[str, str]]:
    """Scrapy ``Headers`` as (name, value) pairs, every value kept."""
    return [(k.decode("latin-1"), v.decode("latin-1"))
            for k, values in headers.items() for v in values]


def capture(request, response, path: str, site: str, record_id: str, when: dt.datetime) -> Capture:
    host = urlsplit(request.url).netloc
    req_headers = [(k, v) for k, v in _headers(request.headers)
                   if k.lower() not in _DROP_REQUEST_HEADERS]
    if not any(k.lower() == "host" for k, _ in req_headers):
        req_headers.insert(0, ("Host", host))
    resp_headers = [(k, v) for k, v in _headers(response.headers)
                    if not (k.lower() == "transfer-encoding" and "chunked" in v.lower())]
    return Capture(
        path=path, site=site, url=response.url, record_id=record_id,
        request_record_id=new_record_id(), date=warc_date(when), method=request.method,
        request_headers=req_headers, request_body=request.body or b"",
        protocol=getattr(response, "protocol", None) or "HTTP/1.1",
        status=response.status, response_headers=resp_headers, body=response.body)


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def serialize(c: Capture) -> bytes:
    """The request and response records of one capture, gzip member per record."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    parts = urlsplit(c.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    response = writer.create_warc_record(
        c.url, "response", payload=BytesIO(c.body), length=len(c.body),
        http_headers=StatusAndHeaders(f"{c.status} {_reason(c.status)}".strip(),
                                      c.response_headers, protocol=c.protocol),
        warc_headers_dict={"WARC-Record-ID": c.record_id, "WARC-Date": c.date})
    request = writer.create_warc_record(
        c.url, "request", payload=BytesIO(c.request_body), length=len(c.request_body),
        http_headers=StatusAndHeaders(f"{c.method} {target} HTTP/1.1", c.request_headers,
                                      is_http_request=True),
        warc_headers_dict={"WARC-Record-ID": c.request_record_id, "WARC-Date": c.date,
                           "WARC-Concurrent-To": c.record_id})
    writer.write_record(request)
    writer.write_record(response)
    return out.getvalue()


def warcinfo(filename: str, info: dict) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return out.getvalue()


class WarcFiles:
    """Open WARC files by relative path; appends whole captures. One thread uses it."""

    def __init__(self, root: str | Path, info: dict):
        self.root = Path(root)
        self.info = info
        self._files: dict[str, object] = {}
        self.records = 0
        self.bytes = 0

    def _file(self, c: Capture):
        fh = self._files.get(c.path)
        if fh is None:
            path = self.root / c.path
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "ab", buffering=0)  # noqa: SIM115 - kept open for the run
            self._files[c.path] = fh
            if fh.tell() == 0:
                fh.write(warcinfo(path.name, {**self.info, "site": c.site}))
        return fh

    def append(self, c: Capture) -> None:
        data = serialize(c)
        self._file(c).write(data)
        self.records += 2
        self.bytes += len(data)

    def close(self) -> None:
        for path, fh in self._files.items():
            try:
                os.fsync(fh.fileno())
                fh.close()
            except OSError as e:
                logger.error("warc: closing %s failed: %s", path, e)
        self._files.clear()


class WarcWriter:
    """The extension: ids and paths on the reactor thread, writing in a thread."""

    def __init__(self, archive_dir: str | Path, run_id: str, worker: str,
                 sites: dict | None = None, queue_size: int = 200, stats=None):
        self.archive_dir = Path(archive_dir)
        self.run_id = run_id
        self.worker = worker
        self.sites = sites or {}
        self.stats = stats
        self.files = WarcFiles(self.archive_dir, {
            "software": SOFTWARE, "format": "WARC File Format 1.1",
            "run-id": run_id, "worker": worker})
        self.errors = 0
        self._queue: queue.Queue = queue.Queue(maxsize=max(queue_size, 1))
        self._thread: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        worker = s.get("ARCHIVE_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}"
        run_id = s.get("RUN_ID") or dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        ext = cls(s.get("ARCHIVE_DIR", "archive"), run_id, worker,
                  getattr(crawler.spider, "sites", None), s.getint("WARC_QUEUE_SIZE", 200),
                  crawler.stats)
        ext.crawler = crawler
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    # --- reactor thread ------------------------------------------------------

    def site_of(self, request) -> str:
        site = request.meta.get("site")
        if site:
            return site
        found = site_for_url(self.sites, request.url)
        return found.id if found else OTHER_SITE

    def response_downloaded(self, response, request, spider=None) -> None:
        site = self.site_of(request)
        path = warc_path(site, self.run_id, self.worker)
        record_id = new_record_id()
        request.meta["warc_file"] = path
        request.meta["warc_record_id"] = record_id
        self._start()
        self._queue.put(capture(request, response, path, site, record_id,
                                dt.datetime.now(dt.timezone.utc)))
        if self.stats is not None:
            self.stats.inc_value("warc/responses")

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="warc-writer", daemon=True)
            self._thread.start()

    async def spider_closed(self, spider=None, reason=None) -> None:
        await asyncio.to_thread(self.close)

    # --- writer thread -------------------------------------------------------

    def _run(self) -> None:
        while True:
            c = self._queue.get()
            if c is _STOP:
                return
            try:
                self.files.append(c)
            except Exception as e:  # noqa: BLE001 - a failed write must not stop the crawl
                self.errors += 1
                logger.error("warc: could not write %s to %s: %s", c.url, c.path, e)

    def close(self) -> None:
        """Drain the queue, stop the thread, fsync and close the files (blocking)."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None
        self.files.close()
        if self.stats is not None:
            self.stats.set_value("warc/records_written", self.files.records)
            self.stats.set_value("warc/bytes_written", self.files.bytes)
            self.stats.set_value("warc/write_errors", self.errors)
        logger.info("warc: %d records (%d bytes) written under %s, %d errors",
                    self.files.records, self.files.bytes, self.archive_dir / WARC_SUBDIR,
                    self.errors)
