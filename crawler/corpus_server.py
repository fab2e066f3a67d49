"""Serve an offline corpus exactly as its manifest says, on 127.0.0.1.

    python -m crawler.corpus_server [--corpus tests/corpus] [--port 0]

It prints ``listening on http://127.0.0.1:<port>`` once ready. The server
routes on the absolute URL of a proxy request (``GET http://host/path``) or
on the ``Host`` header, so a crawl reaches the sites' own ``*.test`` URLs by
using it as its HTTP proxy: ``http_proxy=http://127.0.0.1:<port> scrapy crawl news``.
Site files keep the sites' real host names.

Per request: look up ``http://<host><path>[?query]`` in the manifest; unknown
URLs answer 404 with an empty body; ``fail_once_500`` answers 500 with the
``fail_file`` body the first time, ``fail_once`` answers ``fail_status`` with
``fail_headers`` and the ``fail_file`` body the first time; otherwise the
manifest's status, exactly its headers (plus Content-Length) and the bytes of
the file. ``Corpus.hits`` counts the requests of each URL, ``Corpus.times``
keeps when they came (``time.monotonic``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"


class Corpus:
    """The manifest, indexed by URL; bodies read on demand."""

    def __init__(self, root: Path):
        self.root = Path(root)
        manifest = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        self.sites = manifest.get("sites", [])
        self.responses = {r["url"]: r for r in manifest["responses"]}
        self._failed_once: set[str] = set()
        self._lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.times: dict[str, list[float]] = {}

    def answer(self, url: str) -> tuple[int, list[tuple[str, str]], bytes]:
        with self._lock:
            self.hits[url] = self.hits.get(url, 0) + 1
            self.times.setdefault(url, []).append(time.monotonic())
        r = self.responses.get(url)
        if r is None:
            return 404, [], b""
        if r.get("behaviour") in ("fail_once_500", "fail_once"):
            with self._lock:
                first = url not in self._failed_once
                self._failed_once.add(url)
            if first:
                body = (self.root / "pages" / r["fail_file"]).read_bytes()
                headers = r.get("fail_headers", {"Content-Type": "text/html"})
                return r.get("fail_status", 500), list(headers.items()), body
        try:
            body = (self.root / "pages" / r["file"]).read_bytes()
        except OSError as e:
            logger.error("%s: the manifest's file cannot be read: %s", url, e)
            return 500, [("Content-Type", "text/plain")], f"corpus file missing: {e}".encode()
        return r["status"], list(r["headers"].items()), body


def make_handler(corpus: Corpus):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _url(self) -> str:
            if self.path.startswith(("http://", "https://")):
                parts = urlsplit(self.path)
                host, path = parts.netloc, parts.path or "/"
                query = parts.query
            else:
                host = self.headers.get("Host", "")
                path, _, query = self.path.partition("?")
            host = host.split(":")[0].lower()
            return f"http://{host}{path}" + (f"?{query}" if query else "")

        def _respond(self, with_body: bool) -> None:
            status, headers, body = corpus.answer(self._url())
            self.send_response_only(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self):  # noqa: N802
            self._respond(True)

        def do_HEAD(self):  # noqa: N802
            self._respond(False)

        def log_message(self, fmt, *args):
            logger.debug("%s " + fmt, self.address_string(), *args)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen backlog: socketserver's default of 5 drops connection attempts
    # when a crawl opens many at once (the kernel retries them a second later)
    request_queue_size = 256


class CorpusServer:
    """A corpus server on 127.0.0.1 in a background thread (for tests and tools)."""

    def __init__(self, corpus_dir: Path | str = DEFAULT_CORPUS, port: int = 0):
        self.corpus = Corpus(Path(corpus_dir))
        self.httpd = _Server(("127.0.0.1", port), make_handler(self.corpus))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="corpus directory")
    ap.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    args = ap.parse_args(argv)
    server = CorpusServer(args.corpus, args.port)
    print(f"listening on {server.url}", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
