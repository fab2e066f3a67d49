"""WARC writer: every response of a crawl, readable by warcio, linked from the archive rows."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.corpus_server import CorpusServer
from crawler.sites import load_sites
from crawler.warc import WarcWriter
from tests.conftest import CORPUS, ROOT, crawl

HOSTS = {"hebei-gov.test": "hebei-gov", "zjk-news.test": "zjk-news", "lf-news.test": "lf-news",
         "jl-repost.test": "jl-repost", "hd-news.test": "hd-news", "sjz-epaper.test": "sjz-epaper"}
FAIL_ONCE = "http://sjz-epaper.test/html/2022-03/29/content_123457.htm"
GONE = "http://hebei-gov.test/hbyw/202203/t20220320_2712999.html"
REDIRECT = "http://hebei-gov.test/system/2022/03/23/030231456.shtml"
REDIRECT_TARGET = "http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"


def read_warc(path: Path, until_broken: bool = False) -> list:
    """(type, WARC headers dict, status or None, payload bytes, digest ok) per
    record; ``until_broken``: the records before the first one warcio cannot read."""
    out = []
    with open(path, "rb") as fh:
        try:
            for rec in ArchiveIterator(fh, check_digests=True):
                payload = rec.content_stream().read()
                status = int(rec.http_headers.get_statuscode()) if (
                    rec.rec_type == "response" and rec.http_headers) else None
                out.append({"type": rec.rec_type, "h": dict(rec.rec_headers.headers),
                            "status": status, "payload": payload,
                            "http": rec.http_headers, "digest_ok": rec.digest_checker.passed})
        except Exception:
            if not until_broken:
                raise
    return out


def all_records(archive: Path) -> dict[str, list]:
    return {p.relative_to(archive).as_posix(): read_warc(p)
            for p in sorted((archive / "warc").rglob("*.warc.gz"))}


# --- the extension on its own ----------------------------------------------

@pytest.fixture
def sites():
    return load_sites()


def _response(url, status=200, body=b"<html>x</html>", headers=None, meta=None):
    req = Request(url, meta=dict(meta or {}),
                  headers={"User-Agent": "t/1", "Proxy-Authorization": "Basic c2VjcmV0"})
    resp = HtmlResponse(url, status=status, body=body, request=req,
                        headers=headers or {"Content-Type": "text/html; charset=utf-8"})
    return req, resp


def test_records_ids_and_links(tmp_path, sites):
    w = WarcWriter(tmp_path, "r1", "w1", sites)
    body = "<html>会议</html>".encode()
    req, resp = _response("http://hebei-gov.test/hbyw/202203/t20220323_2713568.html", body=body,
                          headers={"Content-Type": "text/html; charset=utf-8",
                                   "Transfer-Encoding": "chunked", "X-Many": ["a", "b"]},
                          meta={"site": "hebei-gov"})
    w.response_downloaded(resp, req, None)
    req404, resp404 = _response("http://hebei-gov.test/gone.html", status=404, body=b"",
                                meta={"site": "hebei-gov"})
    w.response_downloaded(resp404, req404, None)
    w.close()

    assert req.meta["warc_file"] == "warc/hebei-gov/r1-w1.warc.gz"
    assert req.meta["warc_record_id"].startswith("<urn:uuid:")
    assert req.meta["warc_record_id"] != req404.meta["warc_record_id"]
    recs = read_warc(tmp_path / req.meta["warc_file"])
    assert [r["type"] for r in recs] == ["warcinfo", "request", "response", "request", "response"]
    assert b"run-id: r1" in recs[0]["payload"] and b"site: hebei-gov" in recs[0]["payload"]
    request, response = recs[1], recs[2]
    assert response["h"]["WARC-Record-ID"] == req.meta["warc_record_id"]
    assert request["h"]["WARC-Concurrent-To"] == response["h"]["WARC-Record-ID"]
    assert response["h"]["WARC-Target-URI"] == req.url
    assert response["h"]["WARC-Date"] == request["h"]["WARC-Date"]
    assert response["h"]["WARC-Date"].endswith("Z")
    sha1 = base64.b32encode(hashlib.sha1(body).digest()).decode()
    assert response["h"]["WARC-Payload-Digest"] == f"sha1:{sha1}"
    assert all(r["digest_ok"] for r in recs[1:])
    assert response["status"] == 200 and response["payload"] == body
    http = response["http"]
    assert http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert [v for k, v in http.headers if k == "X-Many"] == ["a", "b"]   # every value kept
    assert http.get_header("Transfer-Encoding") is None   # body is stored de-chunked
    req_http = request["http"]
    assert req_http.protocol == "GET" and req_http.statusline.startswith("/hbyw/202203/")
    assert req_http.get_header("Host") == "hebei-gov.test"
    assert req_http.get_header("User-Agent") == "t/1"
    assert req_http.get_header("Proxy-Authorization") is None             # never archived
    assert recs[4]["status"] == 404 and recs[4]["payload"] == b""


def test_site_from_host_when_request_has_none(tmp_path, sites):
    w = WarcWriter(tmp_path, "r1", "w1", sites)
    req, resp = _response("http://www.zjk-news.test/robots.txt")
    w.response_downloaded(resp, req, None)
    other, resp2 = _response("http://elsewhere.test/robots.txt")
    w.response_downloaded(resp2, other, None)
    w.close()
    assert req.meta["warc_file"] == "warc/zjk-news/r1-w1.warc.gz"
    assert other.meta["warc_file"] == "warc/_other/r1-w1.warc.gz"
    assert [r["h"]["WARC-Target-URI"] for r in read_warc(tmp_path / other.meta["warc_file"])
            if r["type"] == "response"] == ["http://elsewhere.test/robots.txt"]


def test_two_workers_never_share_a_file(tmp_path, sites):
    paths = set()
    for worker in ("a", "b"):
        w = WarcWriter(tmp_path, "same-run", worker, sites)
        req, resp = _response("http://hd-news.test/", meta={"site": "hd-news"})
        w.response_downloaded(resp, req, None)
        w.close()
        paths.add(req.meta["warc_file"])
    assert paths == {"warc/hd-news/same-run-a.warc.gz", "warc/hd-news/same-run-b.warc.gz"}
    for p in paths:
        assert [r["type"] for r in read_warc(tmp_path / p)] == ["warcinfo", "request", "response"]


def test_settings(tmp_path):
    with pytest.raises(NotConfigured):
        WarcWriter.from_crawler(get_crawler(settings_dict={"WARC_ENABLED": False}))
    w = WarcWriter.from_crawler(get_crawler(settings_dict={
        "ARCHIVE_DIR": str(tmp_path), "RUN_ID": "r9", "ARCHIVE_WORKER_ID": "box-3"}))
    assert (w.archive_dir, w.run_id, w.worker) == (tmp_path, "r9", "box-3")
    default = WarcWriter.from_crawler(get_crawler(settings_dict={"RUN_ID": "r9"}))
    assert default.worker.endswith(f"-{__import__('os').getpid()}")


KILLED = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, {root!r})
    from scrapy.http import HtmlResponse, Request
    from crawler.warc import WarcWriter
    w = WarcWriter({archive!r}, "killed", "w1")
    for i in range(5):
        req = Request(f"http://hd-news.test/{{i}}.html", meta={{"site": "hd-news"}})
        w.response_downloaded(HtmlResponse(req.url, body=os.urandom(5000 * i), request=req), req)
    while w.files.records < 10:
        time.sleep(0.01)
    os.kill(os.getpid(), signal.SIGKILL)   # no close, no flush, no atexit
""")


def test_killed_process_leaves_a_readable_file(tmp_path):
    proc = subprocess.run([sys.executable, "-c", KILLED.format(root=str(ROOT), archive=str(tmp_path))],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    path = tmp_path / "warc" / "hd-news" / "killed-w1.warc.gz"
    recs = read_warc(path)
    assert [r["type"] for r in recs] == ["warcinfo"] + ["request", "response"] * 5
    assert all(r["digest_ok"] for r in recs[1:])
    # a write cut short by the kill, inside the last body (random bytes: they
    # fill its gzip member, so the cut never lands in its headers): the records
    # before it still read and verify; the last one does not, whether warcio
    # reads it (bad digest) or gives up on it
    data = path.read_bytes()
    path.write_bytes(data[:-200])
    cut = read_warc(path, until_broken=True)
    assert [r["digest_ok"] for r in cut[1:10]] == [True] * 9
    assert len(cut) == 10 or cut[10]["digest_ok"] is not True


# --- a real crawl ------------------------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("warc-archive")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, archive, "-s", "ARCHIVE_WORKER_ID=w7")
        hits = dict(server.corpus.hits)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return archive, hits, all_records(archive)


def test_one_file_per_site_and_run(crawled):
    archive, _, files = crawled
    run_id = pd.read_parquet(archive / "articles")["run_id"].unique().tolist()
    assert len(run_id) == 1
    assert sorted(files) == sorted(f"warc/{s}/{run_id[0]}-w7.warc.gz" for s in HOSTS.values())
    for recs in files.values():
        assert recs[0]["type"] == "warcinfo"
        assert f"run-id: {run_id[0]}".encode() in recs[0]["payload"]


def test_every_fetch_has_a_response_record(crawled):
    _, hits, files = crawled
    statuses = defaultdict(list)
    for path, recs in files.items():
        for r in recs:
            if r["type"] == "response":
                url = r["h"]["WARC-Target-URI"]
                assert path.startswith(f"warc/{HOSTS[url.split('/')[2]]}/"), (path, url)
                statuses[url].append(r["status"])
                assert r["digest_ok"] is True
    assert {u: len(s) for u, s in statuses.items()} == hits       # each fetch, once
    for host in HOSTS:
        assert statuses[f"http://{host}/robots.txt"] == [200]
    assert statuses[GONE] == [404]
    assert statuses[FAIL_ONCE] == [500, 200]                      # the retried error too
    assert len(hits) > 30


def test_request_and_response_records_pair_up(crawled):
    _, _, files = crawled
    for recs in files.values():
        responses = {r["h"]["WARC-Record-ID"] for r in recs if r["type"] == "response"}
        requests = [r["h"]["WARC-Concurrent-To"] for r in recs if r["type"] == "request"]
        assert sorted(requests) == sorted(responses)


def test_archived_rows_point_to_their_response_record(crawled):
    archive, _, files = crawled
    df = pd.read_parquet(archive / "articles")
    assert len(df) >= 5 and df["warc_record_id"].notna().all()
    for row in df.itertuples():
        recs = {r["h"]["WARC-Record-ID"]: r for r in files[row.warc_file]}
        rec = recs[row.warc_record_id]
        assert rec["type"] == "response" and rec["status"] == 200
        assert rec["h"]["WARC-Target-URI"].split("?")[0] == row.url.split("?")[0]


def test_redirect_recorded_and_row_points_to_target(tmp_path):
    sites = tmp_path / "sites"
    shutil.copytree(ROOT / "settings" / "sites", sites)
    hebei = sites / "hebei-gov.toml"
    hebei.write_text(hebei.read_text(encoding="utf-8").replace(
        'start_urls = ["http://hebei-gov.test/", "http://hebei-gov.test/hbyw/index.html"]',
        f'start_urls = ["{REDIRECT}"]'), encoding="utf-8")
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, tmp_path / "a", "-a", f"sites_dir={sites}", "-a", "site=hebei-gov")
        hits = dict(server.corpus.hits)
    assert hits.get(REDIRECT) == 1, hits
    files = all_records(tmp_path / "a")
    (recs,) = files.values()
    responses = [(r["h"]["WARC-Target-URI"], r["status"], r["h"]["WARC-Record-ID"])
                 for r in recs if r["type"] == "response"]
    assert (REDIRECT, 301) in [(u, s) for u, s, _ in responses]
    redirect = next(r for r in recs if r["type"] == "response" and r["status"] == 301)
    assert redirect["http"].get_header("Location") == REDIRECT_TARGET
    df = pd.read_parquet(tmp_path / "a" / "articles")
    row = df[df["url"] == REDIRECT_TARGET]
    assert len(row) == 1, proc.stderr[-2000:]
    target_id = next(i for u, s, i in responses if u == REDIRECT_TARGET and s == 200)
    assert row.iloc[0]["warc_record_id"] == target_id      # the 200, not the 301 before it


def test_response_records_say_what_the_crawl_asked_the_url_as(crawled):
    _, _, files = crawled
    kinds = {r["h"]["WARC-Target-URI"]: r["h"].get("Govnews-Kind")
             for recs in files.values() for r in recs if r["type"] == "response"}
    assert kinds["http://hebei-gov.test/hbyw/202203/t20220323_2713568.html"] == "article"
    assert kinds["http://hebei-gov.test/hbyw/index.html"] == "start"
