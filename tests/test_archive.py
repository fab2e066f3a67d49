"""Archive integrity: atomic parts, write order, leftovers, lock, check, compact.

Unit tests on constructed part files first, then real `scrapy crawl`,
`scrapy archive-check` and `scrapy compact` subprocesses.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.corpus_server import CorpusServer
from pipelines import schema
from pipelines.archive import ArchivePipeline, to_table, write_part
from pipelines.dedup import DedupPipeline
from pipelines.integrity import check_archive, clean_leftovers, compact
from pipelines.lock import ArchiveLock, ArchiveLocked
from pipelines.store import MemoryStore
from tests.conftest import CORPUS, ROOT, crawl
from tests.test_dedup import BODY, Stats, page


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy.cmdline", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def article_rows(n: int, start: int = 0, **extra) -> pa.Table:
    import datetime as dt
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    rows = [{"url": f"http://a.test/{i}", "text": f"正文{i}", "content_hash": f"h{i}",
             "fetched_at": now, "run_id": "r", "schema_version": schema.SCHEMA_VERSION, **extra}
            for i in range(start, start + n)]
    return to_table(rows, schema.ARTICLES)


def partition(root: Path, table: str = "articles") -> Path:
    return root / table / "site=a" / "month=2022-03"


# --- unit ----------------------------------------------------------------------

def test_part_files_are_never_rewritten(tmp_path):
    write_part(tmp_path, "part-1.parquet", article_rows(1))
    with pytest.raises(FileExistsError):
        write_part(tmp_path, "part-1.parquet", article_rows(2))
    assert pq.read_table(tmp_path / "part-1.parquet").num_rows == 1
    assert [p.name for p in tmp_path.iterdir()] == ["part-1.parquet"]


def test_article_rows_reach_disk_before_their_sightings(tmp_path):
    """Sightings make the next run skip a URL, so a sighting on disk without
    its article row would lose the article for good after a kill."""
    async def go():
        arch = ArchivePipeline(tmp_path, "r", "w", flush_rows=2, sites={})
        dedup = DedupPipeline(MemoryStore(), near=None)
        await arch.process_item(dedup.process_item(page("http://a.test/1", "a", BODY)))
        # a duplicate fills the sightings buffer first; the article buffer is not full
        await arch.process_item(dedup.process_item(page("http://a.test/2", "a", BODY)))
    asyncio.run(go())   # no close_spider: as if killed now
    sightings = pd.read_parquet(tmp_path / "sightings")
    articles = pd.read_parquet(tmp_path / "articles")
    assert len(sightings) == 2
    assert set(sightings["content_hash"]) <= set(articles["content_hash"])


def test_failed_write_keeps_the_rows_for_the_next_flush(tmp_path):
    """A write that fails (disk full, a file in the way) loses no row: the rows
    stay buffered and reach disk at the next flush, articles before sightings."""
    blocker = tmp_path / "articles"
    blocker.write_text("not a directory")

    async def go():
        arch = ArchivePipeline(tmp_path, "r", "w", flush_rows=1, sites={})
        dedup = DedupPipeline(MemoryStore(), near=None)
        await arch.process_item(dedup.process_item(page("http://a.test/1", "a", BODY)))
        assert not (tmp_path / "sightings").exists()       # no sighting before its article
        assert sum(len(r) for r in arch._buffers.values()) == 2
        blocker.unlink()
        await arch.close_spider()
    asyncio.run(go())
    assert len(pd.read_parquet(tmp_path / "articles")) == 1
    assert len(pd.read_parquet(tmp_path / "sightings")) == 1


def test_leftovers_removed_finished_and_corrupt_parts_untouched(tmp_path, caplog):
    d = partition(tmp_path)
    write_part(d, "part-1.parquet", article_rows(2))
    (d / ".tmp-part-2.parquet").write_bytes(b"PAR1 half written")
    (d / "part-3.parquet").write_bytes(b"corrupt")
    done = clean_leftovers(tmp_path)
    assert sorted(p.name for p in d.iterdir()) == ["part-1.parquet", "part-3.parquet"]
    assert (d / "part-3.parquet").read_bytes() == b"corrupt"
    assert len(done) == 1 and ".tmp-part-2.parquet" in caplog.text


def test_lock_refuses_or_waits_and_names_the_holder(tmp_path):
    holder = ArchiveLock(tmp_path, owner="run-A").acquire()
    with pytest.raises(ArchiveLocked, match=f"pid {os.getpid()}.*run run-A"):
        ArchiveLock(tmp_path, owner="run-B").acquire()
    t0 = time.monotonic()
    with pytest.raises(ArchiveLocked, match="waited 0.5 s"):
        ArchiveLock(tmp_path, owner="run-B", wait=0.5, poll=0.05).acquire()
    assert time.monotonic() - t0 >= 0.5
    threading.Timer(0.3, holder.release).start()
    with ArchiveLock(tmp_path, owner="run-B", wait=5, poll=0.05) as second:
        assert second.held and "run-B" in second.holder()


def test_shared_lock_for_distributed_workers(tmp_path):
    first = ArchiveLock(tmp_path, owner="w1", shared=True).acquire()
    assert first.exclusive            # alone: may clean leftovers
    first.downgrade()
    second = ArchiveLock(tmp_path, owner="w2", shared=True, poll=0.05).acquire()
    assert second.held and not second.exclusive
    with pytest.raises(ArchiveLocked):   # a plain crawl or compact stays out
        ArchiveLock(tmp_path, owner="compact").acquire()
    first.release()
    second.release()
    with ArchiveLock(tmp_path, owner="compact") as alone:
        assert alone.exclusive


def test_check_reports_every_problem_without_crashing(tmp_path):
    d = partition(tmp_path)
    write_part(d, "part-1.parquet", article_rows(3))
    write_part(d, "part-2.parquet", article_rows(2, start=2))             # h2 again
    full = (d / "part-1.parquet").read_bytes()
    (d / "part-3.parquet").write_bytes(full[: len(full) // 2])             # truncated
    pq.write_table(pa.table({"url": ["x"]}), d / "part-4.parquet")         # wrong schema
    write_part(tmp_path / "articles" / "loose", "part-5.parquet", article_rows(1, start=9))
    (d / ".tmp-part-6.parquet").write_bytes(b"")
    report = check_archive(tmp_path)
    text = "\n".join(f"{p}: {r}" for p, r in report.problems)
    assert "part-3.parquet: unreadable" in text
    assert "part-4.parquet: no schema_version" in text and "missing column content_hash" in text
    assert "content_hash h2 on 2 article rows" in text
    assert "loose/part-5.parquet: not in a site=<id>/month=YYYY-MM partition" in text
    assert ".tmp-part-6.parquet: leftover" in text
    assert report.files == 5 and not report.ok


def test_old_schema_version_files_pass_check(tmp_path):
    old = article_rows(2).drop(["minhash"]).replace_schema_metadata({"schema_version": "1"})
    write_part(partition(tmp_path), "part-1.parquet", old)
    assert check_archive(tmp_path).ok


def test_compact_merges_small_files_and_keeps_corrupt_ones(tmp_path):
    d = partition(tmp_path)
    for i in range(4):
        write_part(d, f"part-{i}.parquet", article_rows(3, start=3 * i))
    (d / "part-bad.parquet").write_bytes(b"corrupt")
    results = list(compact(tmp_path))
    out = [r for r in results if r[2] is not None]
    assert len(out) == 1 and len(out[0][3]) == 4
    names = sorted(p.name for p in d.iterdir())
    assert names == sorted([out[0][2].name, "part-bad.parquet"])
    df = pd.read_parquet(out[0][2])
    assert sorted(df["content_hash"]) == sorted(f"h{i}" for i in range(12))
    assert (d / "part-bad.parquet").read_bytes() == b"corrupt"


def test_killed_compaction_is_finished_or_undone(tmp_path):
    d = partition(tmp_path)
    for i in range(2):
        write_part(d, f"part-{i}.parquet", article_rows(1, start=i))
    # killed after the merged file was renamed into place, before the inputs went
    write_part(d, "part-compact-x.parquet", pa.concat_tables(
        [pq.read_table(d / f"part-{i}.parquet") for i in range(2)]))
    (d / ".compact-part-compact-x.parquet.json").write_text(json.dumps(
        {"output": "part-compact-x.parquet", "inputs": ["part-0.parquet", "part-1.parquet"]}))
    clean_leftovers(tmp_path)
    assert sorted(p.name for p in d.iterdir()) == ["part-compact-x.parquet"]
    # killed while writing the merged file: inputs stay, temp and journal go
    write_part(d, "part-2.parquet", article_rows(1, start=2))
    (d / ".compact-part-compact-y.parquet.json").write_text(json.dumps(
        {"output": "part-compact-y.parquet", "inputs": ["part-compact-x.parquet", "part-2.parquet"]}))
    (d / ".tmp-part-compact-y.parquet").write_bytes(b"PAR1")
    clean_leftovers(tmp_path)
    assert sorted(p.name for p in d.iterdir()) == ["part-2.parquet", "part-compact-x.parquet"]
    assert len(pd.read_parquet(tmp_path / "articles")) == 3


# --- real crawls ---------------------------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of the corpus, a plain second run and a full second run."""
    root = tmp_path_factory.mktemp("twice")
    archive = root / "archive"
    counts = []
    with CorpusServer(CORPUS) as server:
        for args in ((), (), ("-a", "full=1")):
            proc = crawl(server.url, archive, *args)
            assert proc.returncode == 0, proc.stderr[-3000:]
            counts.append((len(pd.read_parquet(archive / "articles")),
                           len(pd.read_parquet(archive / "sightings")), proc))
    return archive, counts


def test_second_runs_add_no_article_rows(crawled):
    archive, [(a1, s1, _), (a2, s2, p2), (a3, s3, p3)] = crawled
    assert a1 > 0 and a2 == a1 and a3 == a1
    assert s2 == s1                # incremental: known article URLs are not fetched again
    assert s3 >= 2 * s1            # full refetch: every page sighted again
    assert "dedup: %d archived content hashes loaded" % a1 in p3.stderr
    articles = pd.read_parquet(archive / "articles")
    assert articles["content_hash"].is_unique
    sightings = pd.read_parquet(archive / "sightings")
    assert set(sightings["content_hash"]) == set(articles["content_hash"])
    assert sightings["run_id"].nunique() == 2
    last = sightings[sightings["run_id"] == sightings["run_id"].max()]
    assert last["duplicate"].all()


def test_archive_check_passes_on_crawled_archive(crawled):
    archive, _ = crawled
    proc = scrapy("archive-check", str(archive))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("ok")


def test_second_crawl_refused_while_another_holds_the_lock(corpus_server, tmp_path):
    archive = tmp_path / "archive"
    with ArchiveLock(archive, owner="nightly-run-42"):
        proc = crawl(corpus_server.url, archive, "-s", "ARCHIVE_LOCK_WAIT=0")
    assert proc.returncode != 0
    assert "run refused" in proc.stderr and "nightly-run-42" in proc.stderr
    assert not (archive / "articles").exists() and not (archive / "runs").exists()


def test_an_archive_the_run_cannot_use_is_one_line_and_exit_1(corpus_server, tmp_path):
    """Locked by another run, or not a directory: one ERROR line naming the
    archive, no traceback, exit 1."""
    (tmp_path / "file").write_text("")
    with ArchiveLock(tmp_path / "locked", owner="nightly-run-42"):
        locked = crawl(corpus_server.url, tmp_path / "locked", "-a", "site=hd-news")
    unusable = crawl(corpus_server.url, tmp_path / "file" / "archive", "-a", "site=hd-news")
    for proc, line in ((locked, "archive: run refused: archive"),
                       (unusable, "archive: cannot use")):
        assert proc.returncode == 1, proc.stderr[-2000:]
        assert line in proc.stderr
        assert "Traceback" not in proc.stderr and "never retrieved" not in proc.stderr


def test_second_crawl_waits_for_the_lock(corpus_server, tmp_path):
    archive = tmp_path / "archive"
    holder = ArchiveLock(archive, owner="short-run").acquire()
    threading.Timer(2.0, holder.release).start()
    proc = crawl(corpus_server.url, archive, "-s", "ARCHIVE_LOCK_WAIT=60")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(pd.read_parquet(archive / "articles")) > 0


def test_two_real_crawls_on_one_archive(corpus_server, tmp_path):
    archive = tmp_path / "archive"
    env = {**os.environ, "http_proxy": corpus_server.url, "HTTP_PROXY": corpus_server.url,
           "no_proxy": "", "NO_PROXY": "", "ARCHIVE_DIR": str(archive)}
    with open(tmp_path / "first.log", "w") as log:
        first = subprocess.Popen([sys.executable, "-m", "scrapy.cmdline", "crawl", "news",
                                  "-s", "DOWNLOAD_DELAY=0.5"], cwd=ROOT, env=env,
                                 stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while str(first.pid) not in _read(archive / ".lock"):
                assert time.monotonic() < deadline and first.poll() is None
                time.sleep(0.1)
            second = crawl(corpus_server.url, archive)
        finally:
            assert first.wait(timeout=120) == 0
    assert second.returncode != 0
    assert f"locked by another run (pid {first.pid}" in second.stderr
    assert pd.read_parquet(archive / "articles")["content_hash"].is_unique


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def test_corrupt_part_file_is_logged_kept_and_named(corpus_server, tmp_path):
    archive = tmp_path / "archive"
    bad = {}
    for table in ("articles", "sightings"):
        d = archive / table / "site=hebei-gov" / "month=2022-03"
        d.mkdir(parents=True)
        bad[table] = d / "part-old-00001.parquet"
        bad[table].write_bytes(b"PAR1\x15\x04truncated by a full disk")
    proc = crawl(corpus_server.url, archive)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for path in bad.values():
        assert str(path) in proc.stderr
        assert path.read_bytes() == b"PAR1\x15\x04truncated by a full disk"
    check = scrapy("archive-check", str(archive))
    assert check.returncode == 1
    assert f"PROBLEM {bad['articles']}: unreadable" in check.stdout
    assert f"PROBLEM {bad['sightings']}: unreadable" in check.stdout
    assert check.stdout.count("PROBLEM") == 2
    assert "archive-check --quarantine" in proc.stderr   # the crawl's line says what to do
    with pytest.raises(Exception):
        pd.read_parquet(archive / "articles")
    with ArchiveLock(archive, owner="crawl"):
        refused = scrapy("archive-check", "--quarantine", str(archive))
    assert refused.returncode == 2 and bad["articles"].exists()
    moved = scrapy("archive-check", "--quarantine", str(archive))
    assert moved.returncode == 1 and moved.stdout.count("QUARANTINED") == 2
    for path in bad.values():   # aside, bytes kept; the tables read again
        assert not path.exists()
        aside = path.with_name("_corrupt-" + path.name)
        assert aside.read_bytes() == b"PAR1\x15\x04truncated by a full disk"
    assert len(pd.read_parquet(archive / "articles")) > 0
    again = scrapy("archive-check", str(archive))
    assert again.returncode == 0, again.stdout
    assert "2 unreadable part files moved aside earlier (_corrupt-*)" in again.stdout


def test_compact_command_on_crawled_archive(corpus_server, tmp_path):
    archive = tmp_path / "archive"
    proc = crawl(corpus_server.url, archive, "-s", "ARCHIVE_FLUSH_ROWS=1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    before = {t: pd.read_parquet(archive / t) for t in ("articles", "sightings")}
    nfiles = len(list((archive / "sightings").rglob("*.parquet")))
    out = scrapy("compact", str(archive))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "merged" in out.stdout
    assert len(list((archive / "sightings").rglob("*.parquet"))) < nfiles
    for t, df in before.items():
        after = pd.read_parquet(archive / t)
        assert sorted(after["url"]) == sorted(df["url"])
    assert scrapy("archive-check", str(archive)).returncode == 0
    with ArchiveLock(archive, owner="crawl"):
        refused = scrapy("compact", str(archive))
    assert refused.returncode == 2 and "locked by another run" in refused.stdout


def test_rows_spread_over_many_partitions_are_written_at_the_total_bound(tmp_path):
    """No partition reaches flush_rows, but all together reach max_buffered:
    everything buffered is written then, so memory stays bounded."""
    async def go():
        arch = ArchivePipeline(tmp_path, "r", "w", flush_rows=500, sites={}, max_buffered=6)
        for i in range(4):   # one article row and one sighting each, four sites
            await arch.process_item(page(f"http://s{i}.test/1", f"s{i}", f"{BODY}{i}"))
        return arch._buffered, sorted(p.parent.parent.name for p in
                                      (tmp_path / "articles").rglob("*.parquet"))

    buffered, written = asyncio.run(go())
    assert written == ["site=s0", "site=s1", "site=s2"]   # flushed at 6 rows: 3 pages
    assert buffered == 2                                   # the fourth page, still buffered


def test_after_a_failed_write_the_total_bound_waits_for_new_rows(tmp_path):
    """Kept rows of a failed write do not make every later item try again:
    the next write waits until the buffers grew by the bound once more."""
    (tmp_path / "articles").write_text("not a directory")   # every article write fails
    stats = Stats()

    async def go():
        arch = ArchivePipeline(tmp_path, "r", "w", flush_rows=500, sites={}, stats=stats,
                               max_buffered=4)
        tries = []
        for i in range(4):   # two rows a page
            await arch.process_item(page(f"http://s{i}.test/1", f"s{i}", f"{BODY}{i}"))
            tries.append(stats.get("archive/write_errors", 0))
        return tries, arch._buffered

    tries, buffered = asyncio.run(go())
    assert tries == [0, 1, 1, 2]   # at 4 rows, then at 8, not at 6
    assert buffered == 8           # nothing lost
