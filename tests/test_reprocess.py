"""`scrapy reprocess`: the archive rebuilt from WARC files, without the network."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.corpus_server import CorpusServer
from crawler.replay import pages_from_warc, warc_runs
from crawler.sites import load_sites
from tests.conftest import CORPUS, ROOT, crawl

FAIL_ONCE = "http://sjz-epaper.test/html/2022-03/29/content_123457.htm"


def closed_port_url() -> str:
    """A proxy address nothing listens on: any network access would fail."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def reprocess(source: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    proxy = closed_port_url()
    env = {**os.environ, "ARCHIVE_DIR": str(source), "http_proxy": proxy, "HTTP_PROXY": proxy,
           "no_proxy": "", "NO_PROXY": ""}
    return subprocess.run([sys.executable, "-m", "scrapy.cmdline", "reprocess", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def response_records(archive: Path) -> dict[str, tuple[str, str, pd.Timestamp]]:
    """record id -> (warc_file, target URI, WARC-Date) of every response record."""
    out = {}
    for path in (archive / "warc").rglob("*.warc.gz"):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    h = rec.rec_headers
                    out[h.get_header("WARC-Record-ID")] = (
                        path.relative_to(archive).as_posix(), h.get_header("WARC-Target-URI"),
                        pd.Timestamp(h.get_header("WARC-Date")))
    return out


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("crawl") / "A"
    with CorpusServer(CORPUS) as server:
        proc = crawl(server.url, archive)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return archive


@pytest.fixture(scope="module")
def rebuilt(crawled, tmp_path_factory):
    out = tmp_path_factory.mktemp("rebuilt") / "B"
    proc = reprocess(crawled, "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc


def test_same_content_hashes_as_the_crawl(crawled, rebuilt):
    out, _ = rebuilt
    a = pd.read_parquet(crawled / "articles")
    b = pd.read_parquet(out / "articles")
    assert len(a) >= 5
    assert set(b["content_hash"]) == set(a["content_hash"])
    assert len(b) == len(a) and b["content_hash"].is_unique
    sa, sb = pd.read_parquet(crawled / "sightings"), pd.read_parquet(out / "sightings")
    assert sorted(sb["url"]) == sorted(sa["url"])
    # each row is one of the crawl's copies of that content
    copies = sa.groupby("content_hash")["url"].apply(set)
    assert all(url in copies[h] for h, url in zip(b["content_hash"], b["url"]))


def test_rows_keep_their_warc_record_run_and_fetch_time(crawled, rebuilt):
    out, _ = rebuilt
    a = pd.read_parquet(crawled / "articles").set_index("content_hash")
    b = pd.read_parquet(out / "articles").set_index("content_hash")
    records = response_records(crawled)
    same_copy = 0
    for h, row in b.iterrows():
        warc_file, target, date = records[row["warc_record_id"]]
        assert row["warc_file"] == warc_file
        assert target.split("?")[0] == row["url"].split("?")[0]
        assert row["fetched_at"] == date                      # WARC-Date, not now
        assert row["run_id"] == a.loc[h, "run_id"]            # the run that fetched it
        if row["url"] == a.loc[h, "url"]:   # dedup kept the same copy as the crawl
            same_copy += 1
            assert row["warc_record_id"] == a.loc[h, "warc_record_id"]
            assert row["text"] == a.loc[h, "text"] and row["title"] == a.loc[h, "title"]
    assert same_copy >= len(b) // 2


def test_replay_writes_no_warc_and_no_run_log(rebuilt):
    out, proc = rebuilt
    assert not (out / "warc").exists()
    assert not (out / "runs").exists()
    assert "replay: " in proc.stderr and "article pages replayed" in proc.stderr
    assert "downloader/request_count" not in proc.stderr    # nothing was fetched


def test_pages_in_flight_are_bounded(crawled, tmp_path):
    proc = reprocess(crawled, "--out", str(tmp_path / "C"), "-s", "REPLAY_MAX_PENDING=1",
                     "-s", "EXTRACT_WORKERS=0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    c = pd.read_parquet(tmp_path / "C" / "articles")
    assert set(c["content_hash"]) == set(pd.read_parquet(crawled / "articles")["content_hash"])


def test_site_filter(crawled, tmp_path):
    proc = reprocess(crawled, "--site", "hebei-gov,hd-news", "--out", str(tmp_path / "C"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    c = pd.read_parquet(tmp_path / "C" / "articles")
    assert set(c["site"].astype(str)) == {"hebei-gov", "hd-news"}
    # every content these sites served (in the crawl another site's copy may have won the row)
    seen = pd.read_parquet(crawled / "sightings")
    mine = seen[seen["site"].astype(str).isin(["hebei-gov", "hd-news"])]
    assert set(c["content_hash"]) == set(mine["content_hash"])


def test_in_place_adds_no_duplicate_rows(crawled, tmp_path):
    """Replayed into the archive that holds its fetches, twice: every hash is
    archived and every fetch sighted already, so no row is added (a replay
    used to add a sighting of every page each time)."""
    copy = tmp_path / "A"
    shutil.copytree(crawled, copy)
    before = pd.read_parquet(copy / "articles")
    sightings_before = pd.read_parquet(copy / "sightings")
    for _ in range(2):
        proc = reprocess(copy)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "'archive/sightings_known'" in proc.stderr
        assert len(pd.read_parquet(copy / "articles")) == len(before)
        sightings = pd.read_parquet(copy / "sightings")
        assert len(sightings) == len(sightings_before)


def test_unknown_site_and_missing_warc_dir_fail(crawled, tmp_path):
    proc = reprocess(crawled, "--site", "nosuch", "--out", str(tmp_path / "X"))
    assert proc.returncode == 1 and "unknown site nosuch" in proc.stderr
    proc = reprocess(tmp_path / "empty", "--out", str(tmp_path / "Y"))
    assert proc.returncode == 1 and "no WARC directory" in proc.stdout


def test_warc_files_of_sites_without_a_site_file_are_named(crawled, tmp_path):
    """A crawl with -a sites_dir=...: without --sites-dir their files are
    skipped, and the command says so (and fails when nothing is left)."""
    copy = tmp_path / "A"
    shutil.copytree(crawled / "warc" / "hebei-gov", copy / "warc" / "xx-gov")
    proc = reprocess(copy, "--out", str(tmp_path / "B"))
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "WARC files of sites without a site file are skipped: xx-gov (give --sites-dir" \
        in proc.stdout
    assert "no WARC files of " in proc.stdout


def test_cut_file_of_a_killed_run_replays_up_to_the_cut(crawled, tmp_path):
    copy = tmp_path / "A"
    shutil.copytree(crawled / "warc", copy / "warc")
    (path,) = (copy / "warc" / "hebei-gov").glob("*.warc.gz")
    sites = load_sites()
    whole = [p.url for p in pages_from_warc(path, copy, sites)]
    assert len(whole) >= 2
    # cut inside the last article response: it is dropped, the ones before kept
    data = path.read_bytes()
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        last = None
        for rec in it:
            if rec.rec_type == "response" and rec.rec_headers.get_header("WARC-Target-URI") == whole[-1]:
                rec.content_stream().read()
                last = (it.get_record_offset(), it.get_record_length())
    path.write_bytes(data[:last[0] + last[1] // 2])
    stats: dict = {}
    assert [p.url for p in pages_from_warc(path, copy, sites, stats)] == whole[:-1]
    assert stats.get("damaged") == 1 or stats.get("unreadable") == 1
    proc = reprocess(copy, "--site", "hebei-gov", "--out", str(tmp_path / "B"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert whole[-1] not in set(pd.read_parquet(tmp_path / "B" / "sightings")["url"])


def test_replayed_pages_are_the_crawls_article_pages(crawled):
    sites = load_sites()
    pages = [p for run in warc_runs(crawled / "warc") for path in run
             for p in pages_from_warc(path, crawled, sites)]
    urls = [p.url for p in pages]
    assert all(p.status == 200 for p in pages)
    assert FAIL_ONCE in urls and urls.count(FAIL_ONCE) == 1       # the 500 is not replayed
    assert not [u for u in urls if u.endswith(("robots.txt", "index.html", "/"))]
    assert set(urls) >= set(pd.read_parquet(crawled / "sightings")["url"])
    for p in pages:
        assert p.warc_file.startswith(f"warc/{p.site}/") and p.warc_record_id.startswith("<urn:uuid:")
        assert p.fetched_at.tzinfo is not None and p.body


def test_replay_spider_is_not_listed():
    out = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "list"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert "replay" not in out.stdout.split()


def test_replay_without_extraction_workers_exits_4_and_a_rerun_completes(crawled, tmp_path):
    """A replay whose workers cannot start stops part way and says so (exit 4),
    instead of exiting 0 with a partial archive; running it again completes it."""
    pipelines = json.dumps({"tests.unstartable.UnstartableExtraction": 100,
                            "pipelines.dedup.DedupPipeline": 300,
                            "pipelines.archive.ArchivePipeline": 900})
    out = tmp_path / "C"
    proc = reprocess(crawled, "--out", str(out), "-s", f"ITEM_PIPELINES={pipelines}",
                     "-s", "EXTRACT_WORKERS=1")
    assert proc.returncode == 4, proc.stderr[-3000:]
    assert "stopped part way" in proc.stdout
    again = reprocess(crawled, "--out", str(out))
    assert again.returncode == 0, again.stderr[-3000:]
    assert (set(pd.read_parquet(out / "articles")["content_hash"])
            == set(pd.read_parquet(crawled / "articles")["content_hash"]))


def test_a_replay_closed_with_pages_in_the_pipelines_ends(crawled, tmp_path):
    """A close while replayed pages are still in the pipelines (here
    CLOSESPIDER_ITEMCOUNT; Ctrl-C and SIGTERM take the same path) finishes
    instead of waiting forever for Scrapy to notice the pipelines are idle."""
    proc = reprocess(crawled, "--out", str(tmp_path / "C"), "-s", "CLOSESPIDER_ITEMCOUNT=2",
                     "-s", "EXTRACT_WORKERS=0", timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Spider closed (closespider_itemcount)" in proc.stderr


def test_a_replay_interrupted_by_sigterm_exits_5_and_keeps_what_it_wrote(crawled, tmp_path):
    """SIGTERM part way: exit 5 with a message; the rows written stay readable,
    and running it again completes the archive."""
    out = tmp_path / "T"
    proxy = closed_port_url()
    env = {**os.environ, "ARCHIVE_DIR": str(crawled), "http_proxy": proxy, "HTTP_PROXY": proxy,
           "no_proxy": "", "NO_PROXY": ""}
    stages = json.dumps({"tests.slowstage.SlowStage": 50,
                         "pipelines.extraction.ExtractionPipeline": 100,
                         "pipelines.dedup.DedupPipeline": 300,
                         "pipelines.archive.ArchivePipeline": 900})
    proc = subprocess.Popen([sys.executable, "-m", "scrapy.cmdline", "reprocess",
                             "--out", str(out),
                             "-s", f"ITEM_PIPELINES={stages}", "-s", "REPLAY_MAX_PENDING=1",
                             "-s", "ARCHIVE_FLUSH_ROWS=1", "-s", "EXTRACT_WORKERS=0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    for _ in range(3):   # a few pages on their way through the pipelines
        assert "slow stage" in proc.stdout.readline()
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 5, stderr[-3000:]
    assert "interrupted part way" in stdout
    partial = set(pd.read_parquet(out / "articles")["content_hash"])
    full = set(pd.read_parquet(crawled / "articles")["content_hash"])
    assert partial and partial < full
    again = reprocess(crawled, "--out", str(out))
    assert again.returncode == 0, again.stderr[-3000:]
    assert set(pd.read_parquet(out / "articles")["content_hash"]) == full
