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

A response record also carries ``Govnews-Kind``: what the spider asked the
URL as (``article`` for an article link, ``list``, ``start``...), so that
``scrapy reprocess`` takes the same pages as articles as the crawl did.

Records are written here (WARC/1.1, SHA-1 block and payload digests, gzip
level 6), and read back by standard tools such as ``warcio``. Serialisation,
digests, compression and file writes run in one writer thread (zlib and
hashlib release the GIL, so it hardly competes with the reactor) fed by a
bounded queue (``WARC_QUEUE_SIZE`` responses; when it is
full the crawl waits). Every record is its own gzip member and each request
and response pair goes to the file in one unbuffered write, so a killed
run leaves a file that standard WARC tools read up to the last pair.
Files are flushed, fsynced and closed at ``spider_closed``.

Settings: ``WARC_ENABLED`` (``NotConfigured`` when off), ``ARCHIVE_DIR``,
``RUN_ID``, ``ARCHIVE_WORKER_ID``, ``WARC_QUEUE_SIZE``.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import http
import logging
import os
import queue
import threading
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.sites import site_for_url
from pipelines.archive import worker_id

logger = logging.getLogger(__name__)

WARC_SUBDIR = "warc"
OTHER_SITE = "_other"
SOFTWARE = "govnews-archiver (Scrapy)"
KIND_FIELD = "Govnews-Kind"   # the request's kind on response records (an article link, ...)
GZIP_LEVEL = 6        # zlib's default; each record is its own gzip member
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
    kind: str = ""           # the spider's request kind (article, list, ...), for replay


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
        status=response.status, response_headers=resp_headers, body=response.body,
        # (not after a redirect: the spider judges where it led by its URL; but a
        # later page of an article stays one, which the crawl left out)
        kind="" if request.meta.get("redirect_urls") and request.meta.get("kind") != "part"
        else str(request.meta.get("kind") or ""))


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _digest(*parts: bytes) -> bytes:
    """``sha1:<base32>``, the WARC digest of the concatenated parts."""
    h = hashlib.sha1()
    for part in parts:
        h.update(part)
    return b"sha1:" + base64.b32encode(h.digest())


def _field(value: str) -> bytes:
    """A WARC header value: UTF-8, on one line."""
    return value.replace("\r", " ").replace("\n", " ").encode("utf-8")


def _http_head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    """Status or request line and header lines, as sent (latin-1 round-trips
    the bytes the headers were decoded from)."""
    lines = [first_line] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace")


def _record(fields: list[tuple[bytes, bytes]], content_type: bytes,
            block: tuple[bytes, ...]) -> bytes:
    """One WARC/1.1 record as its own gzip member. ``block`` is the record
    block in parts (an HTTP head and its body), never joined in memory."""
    length = sum(len(part) for part in block)
    head = b"WARC/1.1\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in fields) + (
        b"Content-Type: " + content_type + b"\r\nContent-Length: "
        + str(length).encode() + b"\r\n\r\n")
    gz = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [gz.compress(head)]
    out += [gz.compress(part) for part in block]
    out += [gz.compress(b"\r\n\r\n"), gz.flush()]
    return b"".join(out)


def serialize(c: Capture) -> bytes:
    """The request and response records of one capture, a gzip member per record."""
    parts = urlsplit(c.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    uri, date = _field(c.url), _field(c.date)
    req_head = _http_head(f"{c.method} {target} HTTP/1.1", c.request_headers)
    request = _record([
        (b"WARC-Type", b"request"), (b"WARC-Record-ID", _field(c.request_record_id)),
        (b"WARC-Date", date), (b"WARC-Target-URI", uri),
        (b"WARC-Concurrent-To", _field(c.record_id)),
        (b"WARC-Payload-Digest", _digest(c.request_body)),
        (b"WARC-Block-Digest", _digest(req_head, c.request_body)),
    ], b"application/http; msgtype=request", (req_head, c.request_body))
    status_line = f"{c.protocol} {c.status} {_reason(c.status)}".rstrip()
    resp_head = _http_head(status_line, c.response_headers)
    response = _record([
        (b"WARC-Type", b"response"), (b"WARC-Record-ID", _field(c.record_id)),
        (b"WARC-Date", date), (b"WARC-Target-URI", uri),
        (b"WARC-Payload-Digest", _digest(c.body)),
        (b"WARC-Block-Digest", _digest(resp_head, c.body)),
        *([(KIND_FIELD.encode(), _field(c.kind))] if c.kind else []),
    ], b"application/http; msgtype=response", (resp_head, c.body))
    return request + response


def warcinfo(filename: str, info: dict) -> bytes:
    block = "".join(f"{k}: {v}\r\n" for k, v in info.items()).encode("utf-8")
    return _record([
        (b"WARC-Type", b"warcinfo"), (b"WARC-Record-ID", _field(new_record_id())),
        (b"WARC-Date", _field(warc_date(dt.datetime.now(dt.timezone.utc)))),
        (b"WARC-Filename", _field(filename)),
        (b"WARC-Block-Digest", _digest(block)),
    ], b"application/warc-fields", (block,))


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
        worker = worker_id(s)
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
